"""Word keys: an exact pre-filter for word-list rules.

Most rules are long lists of words and phrases (``\\b(?:cutting[- ]edge|our clinic|...)\\b``).
Scanning every block with such an alternation is where a linter spends its time, yet
almost no position of the text can start a match. So each alternative gets *keys*:
pairs of the first :data:`K` letters of the first word of any match it can make
(folded to lower case; the whole word when it is shorter) and the same for the word
after it, or ``*`` when the alternative says nothing about the next word
(``miracles?`` -> ``(mira, *)``; ``our clinic`` -> ``(our, clin)``). A unit of text is
indexed once (first key -> positions and next-word keys), and a rule tries only the
alternatives that share a key with a word of the unit, anchored at that word.

The keys are derived from the parsed pattern and are a superset: every match an
alternative can make starts with one of its keys, so no match is lost. An alternative
whose first key cannot be derived (it starts with punctuation or a wildcard, can match
an empty string, uses syntax the parser does not know, or has a non-ASCII letter in
its first letters) has no keys; :class:`KeyedList` searches for those with one pattern
of their own, and merges the two in list order.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
from collections.abc import Iterable, Iterator

import regex

#: Letters in a key: long enough to be selective, short enough that inflections share one.
K = 4
#: An alternative with more keys than this is not worth indexing.
MAX_KEYS = 64
#: The second half of a key that accepts any next word.
ANY = "*"

_WORDS = regex.compile(r"\w+")
_IS_WORD = regex.compile(r"\w")

# Characters that `regex` matches case-insensitively with an ASCII letter although
# str.lower() does not map them to it (checked against every code point in
# tests/test_wordkeys.py). Folding them keeps the index exact for ASCII keys.
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})

Key = tuple[str, str]
#: key of a word -> [(start, key of the next word), ...] in text order
WordMap = dict[str, list[tuple[int, str]]]


class Unkeyable(Exception):
    """The alternative's keys cannot be derived exactly."""


def fold(word: str) -> str:
    """The key of a word (``\\w+``): its first :data:`K` characters, folded."""
    return word[:K].translate(_FOLD).lower()


_ASCII_WORDS = re.compile(r"(\w{1,%d})\w*" % K, re.ASCII)
# Non-ASCII characters `re` and `regex` both call word characters, or both do not:
# text made of ASCII and these is split into the same words by either.
_AGREE: dict[str, bool] = {}


def _same_words(text: str) -> bool:
    for c in set(text):
        if c.isascii():
            continue
        ok = _AGREE.get(c)
        if ok is None:
            ok = _AGREE[c] = (not _IS_WORD.match(c) and not re.match(r"\w", c)
                              and c.lower() == c)
        if not ok:
            return False
    return True


def index(text: str) -> WordMap:
    """The words of ``text`` by key, each with its start and the next word's key."""
    if text.isascii() or _same_words(text):
        # Fast path: ASCII words (any other character is a non-word character for both
        # engines), keys straight from the lower-cased text.
        found = [(m.start(), m.group(1)) for m in _ASCII_WORDS.finditer(text.lower())]
    else:
        found = [(m.start(), m.group()[:K].translate(_FOLD).lower())
                 for m in _WORDS.finditer(text)]
    out: WordMap = {}
    nxt = [k for _p, k in found[1:]]
    nxt.append("")
    for (pos, k), n in zip(found, nxt):
        got = out.get(k)
        if got is None:
            out[k] = [(pos, n)]
        else:
            got.append((pos, n))
    return out


def required_char(pattern: str) -> str | None:
    """A caseless character every match of ``pattern`` contains (``!`` in ``x!+``), or
    None; the rarest in prose when there are several. A unit without it cannot match,
    whatever the flags."""
    try:
        parsed = P.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None

    def req(seq) -> set[str]:
        out: set[str] = set()
        for op, av in seq:
            if op is C.LITERAL:
                c = chr(av)
                if c.lower() == c.upper() == c and c not in "\u0130\u0131\u017f\u212a":
                    out.add(c)
            elif op is C.SUBPATTERN:
                out |= req(av[-1])
            elif op is C.ATOMIC_GROUP:
                out |= req(av)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
                out |= req(av[2])
            elif op is C.BRANCH:
                sets = [req(b) for b in av[1]]
                out |= set.intersection(*sets) if sets else set()
        return out

    chars = req(parsed)
    common = " ,.-'\u2019\n"  # found in almost every unit: the last choice
    return min(chars, key=lambda c: (common.find(c), c)) if chars else None


# ---------------------------------------------------------------------- key derivation
# A state is (first, phase, second): the letters of the first word's key so far, where
# the scan is, and the second word's key so far. Phases: 0 in the first word, 1 between
# the words, 2 in the second word, 3 done (second is final, ANY for "any next word").

State = tuple[str, int, str]
_WORD_CHAR, _OTHER_CHAR, _UNKNOWN_CHAR, _SOME_WORD_CHAR = range(4)


def _degrade(state: State) -> State:
    """Stop tracking after an unknown character: keep the first key, accept any next
    word. Only exact once the first key is complete."""
    first, phase, _second = state
    if phase == 0 and len(first) < K:
        raise Unkeyable("unknown character in the first letters")
    return (first, 3, ANY)


def _step(state: State, kind: int, c: str = "") -> State:
    first, phase, second = state
    if phase == 3:
        return state
    if kind == _UNKNOWN_CHAR:
        return _degrade(state)
    word = kind != _OTHER_CHAR
    if phase == 0:
        if not word:
            if not first:
                raise Unkeyable("starts with a non-word character")
            return (first, 1, "")
        if len(first) >= K:
            return state  # more of the first word, past its key
        if kind == _SOME_WORD_CHAR or not c.isascii():
            raise Unkeyable("unknown or non-ASCII letter in the first letters")
        return (first + c.lower(), 0, "")
    if phase == 1:
        if not word:
            return state
        if kind == _SOME_WORD_CHAR or not c.isascii():
            return _degrade(state)
        return (first, 2 if K > 1 else 3, c.lower())
    # phase 2
    if not word:
        return (first, 3, second)
    if kind == _SOME_WORD_CHAR or not c.isascii():
        return _degrade(state)
    second += c.lower()
    return (first, 3 if len(second) >= K else 2, second)


def _add(states: set[State], chars: Iterable[str]) -> set[State]:
    chars = list(chars)
    kinds = [(_WORD_CHAR if _IS_WORD.match(c) else _OTHER_CHAR, c) for c in chars]
    return {_step(s, kind, c) for s in states for kind, c in kinds}


def _add_kind(states: set[State], kind: int) -> set[State]:
    return {_step(s, kind) for s in states}


_SPACE = (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE)
_WORDISH = (C.CATEGORY_WORD, C.CATEGORY_UNI_WORD, C.CATEGORY_DIGIT, C.CATEGORY_UNI_DIGIT)


def _set(states: set[State], items) -> set[State]:
    chars: list[str] = []
    some_word = False
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE and av[1] - av[0] <= 64:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is C.CATEGORY and av in _SPACE:
            chars.append(" ")
        elif op is C.CATEGORY and av in _WORDISH:
            some_word = True
        else:  # NEGATE, a wide range, ...
            return _add_kind(states, _UNKNOWN_CHAR)
    out = _add(states, chars)
    if some_word:
        out |= _add_kind(states, _SOME_WORD_CHAR)
    return out


def _walk(seq, states: set[State]) -> set[State]:
    for op, av in seq:
        if all(phase == 3 for _f, phase, _s in states):
            return states
        if op is C.LITERAL:
            states = _add(states, chr(av))
        elif op is C.IN:
            states = _set(states, av)
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
                states = {_step(s, _OTHER_CHAR, " ") if s[0] and s[1] in (0, 2) else s
                          for s in states}
            # ^, \A, \B: no character; keep the states (a superset is still exact)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            pass  # lookarounds consume nothing
        elif op is C.CATEGORY and av in _SPACE:
            states = _add(states, " ")
        elif op is C.CATEGORY and av in _WORDISH:
            states = _add_kind(states, _SOME_WORD_CHAR)
        else:  # ANY, NOT_LITERAL, GROUPREF, ...
            states = _add_kind(states, _UNKNOWN_CHAR)
        if len(states) > MAX_KEYS:
            states = {_degrade(s) if s[1] else s for s in states}
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
        if all(phase == 3 for _f, phase, _s in cur):
            return out | cur  # more repeats leave finished keys as they are
        nxt = _walk(sub, cur)
        n += 1
        if n > lo and nxt <= out:
            return out  # nothing new: further repeats add nothing
        if n > lo + 4 * K:
            raise Unkeyable("repeat does not settle")
        cur = nxt


def alternative_keys(pattern: str) -> frozenset[Key] | None:
    """Keys every match of ``\\b(?:pattern)\\b`` starts with, or None if unknown."""
    try:
        parsed = P.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    try:
        states = _walk(parsed, {("", 0, "")})
    except (Unkeyable, RecursionError):
        return None
    keys = set()
    for first, phase, second in states:
        if not first:
            return None  # can match an empty string or start with no word character
        # The alternative ends here, and the closing \b ends the word it is in.
        keys.add((first, second if phase >= 2 else ANY))
    return frozenset(keys)


def nested_repeat(pattern: str) -> bool:
    """True if ``pattern`` may backtrack badly (a repeat inside a long or unbounded
    repeat), or cannot be parsed here: such patterns keep the rule's time limit."""
    try:
        parsed = P.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return True

    def walk(seq, inside: bool) -> bool:
        for op, av in seq:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                # A short outer repeat ({0,2}) can only multiply the work a little.
                if av[1] > 1 and (inside or walk(av[2], av[1] > 4)):
                    return True
            elif op is C.SUBPATTERN and walk(av[-1], inside):
                return True
            elif op is C.BRANCH and any(walk(b, inside) for b in av[1]):
                return True
            elif op is C.ATOMIC_GROUP and walk(av, inside):
                return True
            elif op in (C.ASSERT, C.ASSERT_NOT) and walk(av[1], inside):
                return True
        return False

    return walk(parsed, False)


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
    overlap. Alternatives without keys are searched for with one pattern of their own
    and merged in position order.

    ``compile(source)`` turns a pattern source into a compiled ``regex`` pattern (the
    rule's flags, its errors); ``capture`` wraps each alternative in a group, so that
    :meth:`scan` can say which alternative matched.
    """

    def __init__(self, alternatives: list[str], keys: list[frozenset[Key] | None],
                 compile, capture: bool = False) -> None:
        self.alternatives = alternatives
        self.capture = capture
        self._compile = compile
        self.rest = [i for i, k in enumerate(keys) if k is None]
        self.by_first: dict[str, list[int]] = {}  # first key -> alternatives, in order
        self.any_next: set[str] = set()  # first keys that accept any next word
        self.pairs: set[Key] = set()
        for i, ks in enumerate(keys):
            for first, second in ks or ():
                members = self.by_first.setdefault(first, [])
                if not members or members[-1] != i:
                    members.append(i)
                if second == ANY:
                    self.any_next.add(first)
                else:
                    self.pairs.add((first, second))
        self.first_keys = frozenset(self.by_first)
        # A time limit costs more than most matches (about 2.5 us a call); patterns
        # without nested repeats cannot backtrack badly, so they go without.
        self.risky = {i for i, a in enumerate(alternatives) if nested_repeat(a)}
        self._patterns: dict[tuple[str | None, bool], tuple[object, list[int], bool]] = {}
        self.rest_pattern, _, self.rest_limited = (self._pattern(None) if self.rest
                                                   else (None, [], False))

    def _pattern(self, key: str | None, with_rest: bool = False):
        """The compiled alternatives of ``key`` (with the keyless ones among them in
        list order if ``with_rest``) or the keyless ones alone (``key=None``), their
        list indices, and whether they need the time limit."""
        got = self._patterns.get((key, with_rest))
        if got is None:
            members = self.by_first[key] if key is not None else self.rest
            if key is not None and with_rest:
                members = sorted(set(members) | set(self.rest))
            parts = [self.alternatives[i] for i in members]
            if self.capture:
                parts = ["(" + p + ")" for p in parts]
            got = (self._compile(r"\b(?:" + "|".join(parts) + r")\b"), members,
                   any(i in self.risky for i in members))
            self._patterns[key, with_rest] = got
        return got

    def candidates(self, words: WordMap) -> list[tuple[int, str]]:
        """(position, first key) of the words where a keyed alternative may match."""
        out: list[tuple[int, str]] = []
        pairs = self.pairs
        for k in self.first_keys.intersection(words):
            if k in self.any_next:
                out.extend((p, k) for p, _ in words[k])
            else:
                out.extend((p, k) for p, nxt in words[k] if (k, nxt) in pairs)
        out.sort()
        return out

    def scan(self, text: str, words: WordMap, timeout: float) -> Iterator[tuple[object, list[int]]]:
        """(match, members) pairs in text order; ``members[j]`` is the list index of the
        alternative behind group ``j + 1``. Raises TimeoutError like ``regex``."""
        cands = self.candidates(words)
        rest = self.rest_pattern
        if rest is None and not cands:
            return
        cursor = 0
        r = None  # the next match of the keyless alternatives at or after cursor
        i, n = 0, len(cands)
        while True:
            while i < n and cands[i][0] < cursor:
                i += 1
            while rest is not None and (r is None or r.start() < cursor):
                r = (rest.search(text, cursor, timeout=timeout) if self.rest_limited
                     else rest.search(text, cursor))
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
                pattern, members, limited = self._pattern(k, r is not None and r.start() == pos)
                m = pattern.match(text, pos, timeout=timeout) if limited else pattern.match(text, pos)
                i += 1
                if m is None:
                    continue
            else:
                m, members = r, self.rest
            yield m, members
            cursor = m.end()
