"""Word keys: an exact pre-filter for word-list rules.

Most rules are long lists of words and phrases (``\\b(?:cutting[- ]edge|miracles?|...)\\b``).
Scanning every block with such an alternation is where a linter spends its time, yet
almost every position of the text cannot start a match. This module finds, for each
alternative of a list, the *keys* its matches can start with: the first :data:`K`
letters of the first word, folded to lower case (or the whole first word when it is
shorter). A block is indexed once (key -> word start positions), and a rule then tries
only the alternatives that share a key with a word of the block, anchored at that word.

The keys are derived from the parsed pattern and are a superset: every match an
alternative can make starts with one of its keys, so no match is lost. An alternative
whose keys cannot be derived (it starts with punctuation or a wildcard, can match an
empty string, uses syntax the parser does not know, or has non-ASCII letters in its
key) makes :func:`alternative_keys` return ``None``, and the rule is scanned in full as
before.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
from collections.abc import Iterable

import regex

#: Letters in a key: long enough to be selective, short enough that inflections share one.
K = 4
#: An alternative whose key set grows past this is not worth indexing.
MAX_KEYS = 64

_WORDS = regex.compile(r"\w+")
_IS_WORD = regex.compile(r"\w")

# Characters that `regex` matches case-insensitively with an ASCII letter although
# str.lower() does not map them to it (found by trying every code point; see
# tests/test_wordkeys.py). Folding them keeps the index exact for ASCII keys.
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})


class Unkeyable(Exception):
    """The alternative's keys cannot be derived exactly."""


def fold(word: str) -> str:
    """The key of a word (``\\w+``): its first :data:`K` characters, folded."""
    return word[:K].translate(_FOLD).lower()


def index(text: str) -> dict[str, list[int]]:
    """Key -> start positions (ascending) of the words of ``text``."""
    out: dict[str, list[int]] = {}
    for m in _WORDS.finditer(text):
        k = m.group()[:K].translate(_FOLD).lower()
        got = out.get(k)
        if got is None:
            out[k] = [m.start()]
        else:
            got.append(m.start())
    return out


# ---------------------------------------------------------------------- key derivation
# A state is (letters so far, done). "done" means the key is complete: it has K letters,
# or the first word ended (the next character cannot be a word character).

State = tuple[str, bool]


def _add_char(states: set[State], chars: Iterable[str]) -> set[State]:
    out: set[State] = set()
    chars = list(chars)
    for s, done in states:
        if done:
            out.add((s, done))
            continue
        for c in chars:
            if _IS_WORD.match(c):
                if not c.isascii():
                    raise Unkeyable("non-ASCII letter in a key")
                t = s + c.lower()
                out.add((t, len(t) >= K))
            elif s:
                out.add((s, True))  # the first word ended
            else:
                raise Unkeyable("starts with a non-word character")
    return out


def _set_chars(items) -> list[str]:
    chars: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 64:
                raise Unkeyable("wide character range")
            chars.extend(chr(c) for c in range(lo, hi + 1))
        elif op is C.CATEGORY and av in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE):
            chars.append(" ")
        else:  # NEGATE, \w, \d, ...
            raise Unkeyable(f"character class with {op}")
    return chars


def _walk(seq, states: set[State]) -> set[State]:
    for op, av in seq:
        if all(done for _s, done in states):
            return states
        if op is C.LITERAL:
            states = _add_char(states, chr(av))
        elif op is C.IN:
            states = _add_char(states, _set_chars(av))
        elif op is C.SUBPATTERN:
            states = _walk(av[-1], states)
        elif op is C.BRANCH:
            out: set[State] = set()
            for branch in av[1]:
                out |= _walk(branch, states)
            states = out
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            states = _repeat(av, states)
        elif op is C.ATOMIC_GROUP:
            states = _walk(av, states)
        elif op is C.AT:
            if av in (C.AT_BOUNDARY, C.AT_END, C.AT_END_STRING, C.AT_END_LINE):
                # After a word character, \b and $ mean the word has ended.
                states = {(s, done or bool(s)) for s, done in states}
            # ^, \A, \B: no character; keep the states (a superset is still exact)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            pass  # lookarounds consume nothing
        elif op is C.CATEGORY and av in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE):
            states = _add_char(states, " ")
        else:  # ANY, NOT_LITERAL, GROUPREF, \w or \d outside a set, ...
            raise Unkeyable(f"unsupported {op}")
        if len(states) > MAX_KEYS:
            raise Unkeyable("too many keys")
    return states


def _repeat(av, states: set[State]) -> set[State]:
    """States after ``sub{lo,hi}``: the union over every allowed count of repeats."""
    lo, hi, sub = av
    out: set[State] = set()
    cur, n = states, 0
    while True:
        if n >= lo:
            out |= cur
        if n >= hi:
            return out
        if all(done for _s, done in cur):
            return out | cur  # more repeats leave finished keys as they are
        nxt = _walk(sub, cur)
        n += 1
        if n > lo and nxt <= out:
            return out  # nothing new: the repeat can only match empty from here
        if n > lo + 2 * K:
            raise Unkeyable("repeat does not settle")
        cur = nxt


def alternative_keys(pattern: str) -> frozenset[str] | None:
    """Keys every match of ``\\b(?:pattern)\\b`` starts with, or None if unknown."""
    try:
        parsed = P.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    try:
        states = _walk(parsed, {("", False)})
    except (Unkeyable, RecursionError):
        return None
    keys = set()
    for s, _done in states:
        if not s:
            return None  # can match an empty string or start with no word character
        keys.add(s)  # not done: the alternative ends, and the closing \b ends the word
    return frozenset(keys)



# ---------------------------------------------------------------------- scanning


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def build(alternatives: list[str], compile, capture: bool = False) -> KeyedList | None:
    """A :class:`KeyedList` for the alternatives, or None when scanning them in full is
    needed for exact results: no alternative has keys, an alternative sets a global
    flag (``(?i)``, which would then apply to a different set of alternatives), or a
    keyless alternative might match an empty string."""
    keys = [alternative_keys(a) for a in alternatives]
    if all(k is None for k in keys):
        return None
    for a, k in zip(alternatives, keys):
        if _GLOBAL_FLAGS.search(a):
            return None
        if k is None:
            try:
                if P.parse(a).getwidth()[0] == 0:
                    return None
            except (re.error, OverflowError, RecursionError, ValueError):
                return None
    return KeyedList(alternatives, keys, compile, capture)


class KeyedList:
    """A word list (``\\b(?:alt1|alt2|...)\\b``) scanned through a word index.

    Gives the same matches as ``finditer`` of the whole alternation: at each position
    the first alternative (in list order) that matches wins, and matches do not
    overlap. Alternatives without keys (see :func:`alternative_keys`) are searched for
    with one pattern of their own and merged in position order.

    ``compile(source)`` turns a pattern source into a compiled ``regex`` pattern (the
    rule's flags, its errors); ``capture`` wraps each alternative in a group, so that
    :meth:`scan` can say which alternative matched.
    """

    def __init__(self, alternatives: list[str], keys: list[frozenset[str] | None],
                 compile, capture: bool = False) -> None:
        self.alternatives = alternatives
        self.capture = capture
        self._compile = compile
        self.rest = [i for i, k in enumerate(keys) if k is None]
        self.by_key: dict[str, list[int]] = {}
        for i, ks in enumerate(keys):
            for k in ks or ():
                self.by_key.setdefault(k, []).append(i)
        self.key_set = frozenset(self.by_key)
        self._patterns: dict[tuple[str | None, bool], tuple[object, list[int]]] = {}
        self.rest_pattern = self._pattern(None)[0] if self.rest else None

    def _pattern(self, key: str | None, with_rest: bool = False):
        """The compiled alternatives of ``key`` (with the keyless ones after them in list
        order if ``with_rest``), or the keyless ones alone for ``key=None``."""
        got = self._patterns.get((key, with_rest))
        if got is None:
            members = self.by_key[key] if key is not None else self.rest
            if key is not None and with_rest:
                members = sorted(set(members) | set(self.rest))
            parts = [self.alternatives[i] for i in members]
            if self.capture:
                parts = ["(" + p + ")" for p in parts]
            got = (self._compile(r"\b(?:" + "|".join(parts) + r")\b"), members)
            self._patterns[key, with_rest] = got
        return got

    def scan(self, text: str, words: dict[str, list[int]], timeout: float):
        """(match, members) pairs in text order; ``members[j]`` is the list index of the
        alternative behind group ``j + 1``. Raises TimeoutError like ``regex``."""
        hit_keys = self.key_set.intersection(words)
        if len(hit_keys) == 1:
            (k,) = hit_keys
            cands = [(p, k) for p in words[k]]
        else:
            cands = sorted((p, k) for k in hit_keys for p in words[k])
        rest = self.rest_pattern
        if rest is None and not cands:
            return
        cursor = 0
        r = None  # the next match of the keyless alternatives at or after cursor
        i = 0
        n = len(cands)
        while True:
            while i < n and cands[i][0] < cursor:
                i += 1
            while rest is not None and (r is None or r.start() < cursor):
                r = rest.search(text, cursor, timeout=timeout)
                if r is None:
                    rest = None
                elif r.end() == r.start():  # cannot happen: see build()
                    cursor = r.start() + 1
            if rest is None:
                r = None
            if i >= n and r is None:
                return
            if i < n and (r is None or cands[i][0] <= r.start()):
                pos, k = cands[i]
                # Where a keyless alternative also matches here, list order decides.
                pattern, members = self._pattern(k, r is not None and r.start() == pos)
                m = pattern.match(text, pos, timeout=timeout)
                i += 1
                if m is None:
                    continue
            else:
                m, members = r, self.rest
            yield m, members
            cursor = m.end()
