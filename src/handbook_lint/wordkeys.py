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
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import regex

from . import rulecache

_HERE = Path(__file__)

#: Letters in a key: long enough to be selective, short enough that inflections share one.
K = 4
#: An alternative with more keys than this is not worth indexing.
MAX_KEYS = 64
#: The second half of a key that accepts any next word.
ANY = "*"

_WORDS = regex.compile(r"\w+")
_TWO_WORDS = regex.compile(r"(\w+)\W*(\w*)")
_IS_WORD = regex.compile(r"\w")

#: Characters outside ASCII that `re` and `regex`, ignoring case, take as equal to an
#: ASCII letter while str.lower() does not turn them into it (checked against every
#: code point: for `regex` in tests/test_wordkeys.py, for `re` in
#: tests/test_checks_prefilter.py). Folding them keeps ASCII keys exact; the claim
#: scanners (checks/_prefilter.py) fold with the same table.
FOLD_TO_ASCII = {
    "\u0130": "i",  # LATIN CAPITAL LETTER I WITH DOT ABOVE (lower() gives two chars)
    "\u0131": "i",  # LATIN SMALL LETTER DOTLESS I
    "\u017f": "s",  # LATIN SMALL LETTER LONG S
    "\u212a": "k",  # KELVIN SIGN
}
_FOLD = str.maketrans(FOLD_TO_ASCII)

Key = tuple[str, str]


class Unkeyable(Exception):
    """The alternative's keys cannot be derived exactly."""


class ScanTimeout(TimeoutError):
    """A word list's regex ran out of time; ``found`` holds the matches before that."""

    def __init__(self, found: list[tuple[int, int, int]]) -> None:
        super().__init__("regex timed out")
        self.found = found


def fold(word: str) -> str:
    """The key of a word (``\\w+``): its first :data:`K` characters, folded."""
    return word[:K].translate(_FOLD).lower()


_ASCII_WORDS = re.compile(r"(\w{1,%d})\w*" % K, re.ASCII)
# Non-ASCII characters `re` and `regex` both call word characters, or both do not:
# text made of ASCII and these is split into the same words by either.
_AGREE: dict[str, bool] = {}


_IS_SPACE = regex.compile(r"\s")
# ASCII characters that `re` calls space and `regex` does not.
_ASCII_DISAGREE = re.compile(r"[\x1c-\x1f]")


def _same_words(text: str) -> bool:
    """True if `re` and `regex` see the same words, spaces and case in ``text``."""
    if text.isascii():
        return _ASCII_DISAGREE.search(text) is None
    for c in set(text):
        ok = _AGREE.get(c)
        if ok is None:
            ok = _AGREE[c] = c.isascii() and not _ASCII_DISAGREE.match(c) or (
                not _IS_WORD.match(c) and not re.match(r"\w", c) and c.lower() == c
                and c.upper() == c and bool(_IS_SPACE.match(c)) == bool(re.match(r"\s", c)))
        if not ok:
            return False
    return True


def _words(text: str) -> tuple[list[tuple[int, str]], str | None]:
    """(start, key) of each word, and the lower-cased text where it is exact."""
    if _same_words(text):
        # Fast path: ASCII words (any other character is a non-word character without
        # case for both engines, and a space for both or neither), keys straight from
        # the lower-cased text, which also serves to compare strings without case; and
        # `re` matches exactly as `regex` would (see KeyedList).
        lowered = text.lower()
        return [(m.start(), m.group(1)) for m in _ASCII_WORDS.finditer(lowered)], lowered
    return [(m.start(), m.group()[:K].translate(_FOLD).lower())
            for m in _WORDS.finditer(text)], None


#: The KeyedLists built in this process by first key, and a count of the lists (and
#: of lists dropped), so that a unit's candidates for every list are found in one pass.
_OWNERS: dict[str, list[weakref.ref[KeyedList]]] = {}
_LISTS = [0]
#: _OWNERS by first key, then by next word's key, for :func:`_candidates`: (lists
#: that accept any next word, {next key: the other lists that accept it}).
_TABLE: dict[str, tuple[tuple[weakref.ref[KeyedList], ...],
                        dict[str, tuple[weakref.ref[KeyedList], ...]]]] = {}
_TABLE_VERSION = [-1]
_NO_CANDIDATES: list[tuple[int, str, str]] = []  # shared: never changed


def _table() -> dict:
    if _TABLE_VERSION[0] != _LISTS[0]:
        # A list can be dropped while this runs (its finalizer then edits _OWNERS and
        # counts one more change): read copies, and build for the count seen first.
        version = _LISTS[0]
        _TABLE.clear()
        for k, refs in list(_OWNERS.items()):
            anys: list[weakref.ref[KeyedList]] = []
            pairs: dict[str, list[weakref.ref[KeyedList]]] = {}
            for ref in tuple(refs):
                kl = ref()
                if kl is None:
                    continue  # a list no rule uses any more
                if k in kl.any_next:
                    anys.append(ref)
                else:
                    for nxt in kl.next_keys[k]:
                        pairs.setdefault(nxt, []).append(ref)
            _TABLE[k] = (tuple(anys), {n: tuple(v) for n, v in pairs.items()})
        _TABLE_VERSION[0] = version
    return _TABLE


class Words:
    """A unit's candidate words for every word list (see :func:`_candidates`), worked
    out on first use and shared by every word-list rule that scans the unit."""

    __slots__ = ("text", "lowered", "_cands", "_version")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered: str | None = None  # set with the candidates, where it is exact
        self._cands: dict[weakref.ref[KeyedList], list[tuple[int, str, str]]] = {}
        self._version = -1

    def candidates(self, keyed: KeyedList) -> list[tuple[int, str, str]]:
        """(position, key, next word's key) of the words where an entry of ``keyed``
        may match, in text order. Worked out for every list at once, on first use."""
        if self._version != _LISTS[0]:
            self._cands, self.lowered = _candidates(self.text)
            self._version = _LISTS[0]
        return self._cands.get(keyed.ref, _NO_CANDIDATES)


def _candidates(text: str) -> tuple[dict[weakref.ref[KeyedList], list[tuple[int, str, str]]],
                                    str | None]:
    found, lowered = _words(text)
    table = _table()
    out: dict[weakref.ref[KeyedList], list[tuple[int, str, str]]] = {}
    n = len(found)
    # Only words some list starts with matter (the comprehension skips the rest fast).
    for i in [i for i, (_p, k) in enumerate(found) if k in table]:
        pos, k = found[i]
        nxt = found[i + 1][1] if i + 1 < n else ""
        refs, pairs = table[k]
        more = pairs.get(nxt)
        if more is not None:
            refs += more
        cand = (pos, k, nxt)
        for ref in refs:
            got = out.get(ref)
            if got is None:
                out[ref] = [cand]
            else:
                got.append(cand)
    return out, lowered


def _forget(refs: list) -> None:
    for k, ref in refs:
        owners = _OWNERS.get(k)
        if owners is not None:
            try:
                owners.remove(ref)
            except ValueError:
                pass
            if not owners:
                del _OWNERS[k]
    _LISTS[0] += 1  # the table and every unit's candidates are worked out again


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


#: Syntax `regex` (or RE2) reads differently from Python's parser: POSIX classes,
#: Unicode properties, named lists, fuzzy matching, named characters, version flags.
_FOREIGN = re.compile(r"\[:|\\[pPLN]|\{e|\(\?V")


def required_strings(pattern: str, ignorecase: bool = False) -> list[str] | None:
    """Strings of which every match of ``pattern`` contains one (lower case when
    ``ignorecase``), chosen so the shortest is as long as possible; None when none of
    at least 3 characters can be derived. A unit holding none of them cannot match.
    With ``ignorecase`` the strings are ASCII, to compare with lower-cased ASCII text."""
    if _FOREIGN.search(pattern):
        return None
    parsed = _parse(pattern)
    if parsed is None:
        return None

    def better(a: list[str] | None, b: list[str] | None) -> list[str] | None:
        if a is None or b is None:
            return a or b
        ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
        return a if ka >= kb else b

    def needs(seq) -> list[str] | None:
        best: list[str] | None = None
        run = ""
        for op, av in seq:
            if op is C.LITERAL:
                run += chr(av)
                continue
            if run:
                best = better(best, [run])
                run = ""
            if op is C.SUBPATTERN and not (av[1] or av[2]):  # not scoped flags
                best = better(best, needs(av[-1]))
            elif op is C.BRANCH:
                sets = [needs(b) for b in av[1]]
                if all(x is not None for x in sets):
                    best = better(best, sorted({x for xs in sets for x in xs}))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
                best = better(best, needs(av[2]))
            elif op is C.ATOMIC_GROUP:
                best = better(best, needs(av))
        if run:
            best = better(best, [run])
        return best

    try:
        found = needs(parsed)
    except RecursionError:
        return None
    if not found or min(map(len, found)) < 3:
        return None
    if ignorecase:
        if not all(x.isascii() for x in found):
            return None
        found = sorted({x.lower() for x in found})
    # A string that contains another adds nothing ("rediscover" holds "discover").
    return [x for x in found if not any(y != x and y in x for y in found)]


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


_KIND: dict[str, int] = {}


def _kind(c: str) -> int:
    k = _KIND.get(c)
    if k is None:
        k = _KIND[c] = _WORD_CHAR if _IS_WORD.match(c) else _OTHER_CHAR
    return k


def _add(states: set[State], chars: Iterable[str]) -> set[State]:
    kinds = [(_kind(c), c) for c in chars]
    if len(states) == 1 and len(kinds) == 1:
        (s,), ((kind, c),) = states, kinds
        return {_step(s, kind, c)}
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


def _keys_of(parsed) -> frozenset[Key] | None:
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


def _parse(pattern: str):
    try:
        return P.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


def alternative_keys(pattern: str) -> frozenset[Key] | None:
    """Keys every match of ``\\b(?:pattern)\\b`` starts with, or None if unknown."""
    parsed = _parse(pattern)
    return None if parsed is None else _keys_of(parsed)


def _nested(parsed) -> bool:
    def walk(seq, inside: bool) -> bool:
        for op, av in seq:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                # A short outer repeat ({0,2}) can only multiply the work a little.
                if (av[1] > 1 or (inside and av[0] != av[1])) and (
                        inside or walk(av[2], av[1] > 4)):
                    return True
            elif op is C.SUBPATTERN and walk(av[-1], inside):
                return True
            elif op is C.BRANCH and (inside or any(walk(b, False) for b in av[1])):
                # Choices inside a long repeat, (?:a|aa)+, can backtrack badly too.
                return True
            elif op is C.ATOMIC_GROUP and walk(av, inside):
                return True
            elif op in (C.ASSERT, C.ASSERT_NOT) and walk(av[1], inside):
                return True
        return False

    return walk(parsed, False)


def nested_repeat(pattern: str) -> bool:
    """True if ``pattern`` may backtrack badly (a repeat or a choice inside a long or
    unbounded repeat), or cannot be parsed here: such patterns keep the rule's time
    limit."""
    parsed = _parse(pattern)
    return True if parsed is None else _nested(parsed)


#: An alternative spelled out into more strings than this is matched by its regex.
MAX_STRINGS = 1024
#: Strings compared at one word before a regex call is the quicker way.
STRINGS_PER_KEY = 8


def _expand(seq) -> list[str] | None:
    """Every string the pattern matches, in the order a backtracking engine tries them
    (so the first that fits is the one `regex` would report), or None if there are
    too many or the pattern is more than literals, classes, groups, alternation and
    short repeats."""
    out = [""]
    for op, av in seq:
        if op is C.LITERAL:
            opts: list[str] | None = [chr(av)]
        elif op is C.IN:
            opts = []
            for iop, iav in av:
                if iop is C.LITERAL:
                    opts.append(chr(iav))
                elif iop is C.RANGE and iav[1] - iav[0] < 16:
                    opts.extend(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return None
        elif op is C.SUBPATTERN:
            if av[1] or av[2]:
                return None  # scoped flags such as (?-i:...)
            opts = _expand(av[-1])
        elif op is C.BRANCH:
            opts = []
            for b in av[1]:
                e = _expand(b)
                if e is None:
                    return None
                opts.extend(e)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] <= 3:
            lo, hi, sub = av
            e = _expand(sub)
            if e is None or "" in e:
                return None
            greedy = op is C.MAX_REPEAT

            def rep(n: int) -> list[str]:
                more = [x + r for x in e for r in rep(n + 1)] if n < hi else []
                if n < lo:
                    return more
                return more + [""] if greedy else [""] + more

            opts = rep(0)
        else:
            return None
        if opts is None:
            return None
        out = [a + b for a in out for b in opts]
        if len(out) > MAX_STRINGS:
            return None
    return out


class Alternative:
    """One entry of a word list, analysed once: its keys and time-limit need (at
    load), and its strings (when first needed)."""

    __slots__ = ("source", "keys", "can_be_empty", "_risky", "ignorecase", "_strings",
                 "_parsed", "_keyed_strings")

    def __init__(self, source: str, ignorecase: bool, analysed: tuple | None = None) -> None:
        self.source = source
        self.ignorecase = ignorecase
        self._strings: list[str] | None | bool = False  # False: not worked out yet
        self._parsed = None
        self._keyed_strings: list | None | bool = False
        self._risky: bool | None = None
        if analysed is not None:
            keys, self.can_be_empty, strings, self._risky = analysed
            # (string, ends in a word character, first key, second key), or None
            self._keyed_strings = None if strings is None else [tuple(x) for x in strings]
            self.keys = None if keys is None else frozenset(tuple(k) for k in keys)
            return
        parsed = self._parsed = _parse(source)
        if parsed is None:
            self.keys, self.can_be_empty, self._risky = None, True, True
            return
        self.keys = _keys_of(parsed)
        self.can_be_empty = parsed.getwidth()[0] == 0
        self._risky = _nested(parsed)

    def analysed(self) -> tuple:
        keys = None if self.keys is None else sorted(self.keys)
        # The strings too: spelling them out costs more than reading them back.
        return (keys, self.can_be_empty, self.keyed_strings if self.keys else None,
                self.risky)

    @property
    def keyed_strings(self) -> list[tuple[str, bool, str, str]] | None:
        """Its strings as (string, ends in a word character, first word's key, second
        word's key or "" if it has one word)."""
        got = self._keyed_strings
        if got is False:
            strings = self.strings
            got = None
            if strings is not None:
                got = []
                for x in strings:
                    m = _TWO_WORDS.match(x)
                    if m is None:  # cannot happen: keyed entries start with a word
                        got = None
                        break
                    got.append((x, _is_word(x[-1]), fold(m.group(1)), fold(m.group(2))))
            self._keyed_strings = got
        return got

    @property
    def risky(self) -> bool:
        """Whether its regex keeps the time limit (see :func:`nested_repeat`)."""
        if self._risky is None:
            parsed = self._parsed if self._parsed is not None else _parse(self.source)
            self._risky = True if parsed is None else _nested(parsed)
        return self._risky

    @property
    def strings(self) -> list[str] | None:
        """Every string it matches, in the order `regex` tries them (lower case for a
        list that ignores case), or None (see :func:`_expand`)."""
        if self._strings is False:
            parsed = self._parsed if self._parsed is not None else _parse(self.source)
            strings = None if parsed is None else _expand(parsed)
            if strings is not None and self.ignorecase:
                strings = [x.lower() for x in strings]
            self._strings = strings
        return self._strings


def analyse(alternatives: list[str], ignorecase: bool) -> list[Alternative]:
    """The alternatives analysed; kept between runs (see :mod:`handbook_lint.rulecache`)."""
    parts = [str(ignorecase), *alternatives]
    data = rulecache.load("wordkeys", _HERE, parts)
    if isinstance(data, list) and len(data) == len(alternatives):
        try:
            return [Alternative(a, ignorecase, tuple(d)) for a, d in zip(alternatives, data)]
        except (TypeError, ValueError):
            pass  # an entry of another shape: work it out again
    alts = [Alternative(a, ignorecase) for a in alternatives]
    rulecache.store("wordkeys", _HERE, parts, [a.analysed() for a in alts])
    return alts


# ---------------------------------------------------------------------- scanning

_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_GROUPS = re.compile(r"\\[1-9]|\(\?P?[<=(]|\(\?\||\(\?&|\(\?R")


def build(alternatives: list[str], compile, ignorecase: bool = False) -> KeyedList | None:
    """A :class:`KeyedList` for the alternatives, or None when scanning them in full is
    needed for exact results: no alternative has keys, an alternative sets a global
    flag (``(?i)``, which would then apply to a different set of alternatives) or
    refers to groups, or a keyless alternative might match an empty string."""
    alts = analyse(alternatives, ignorecase)
    if all(a.keys is None for a in alts):
        return None
    for a in alts:
        if _GLOBAL_FLAGS.search(a.source) or _GROUPS.search(a.source):
            return None
        if a.keys is None and a.can_be_empty:
            return None
    return KeyedList(alts, compile, ignorecase)


def _is_word(c: str) -> bool:
    return (c.isalnum() or c == "_") if c.isascii() else _IS_WORD.match(c) is not None


class KeyedList:
    """A word list (``\\b(?:alt1|alt2|...)\\b``) scanned through a word index.

    Gives the same matches as ``finditer`` of the whole alternation: at each position
    the first alternative (in list order) that matches wins, and matches do not
    overlap. Alternatives without keys are found with one search pattern of their own
    and merged in position order. An alternative that is a short list of plain
    strings (``miracles?``, ``cutting[- ]edge``) is compared as text; the others are
    compiled, one pattern each, when first needed.

    ``compile(source)`` turns a pattern source into a compiled ``regex`` pattern with
    the rule's flags (and its error messages).
    """

    def __init__(self, alternatives: list[Alternative], compile, ignorecase: bool) -> None:
        self.alternatives = alternatives
        self.ignorecase = ignorecase
        self._compile = compile
        self.rest = [i for i, a in enumerate(alternatives) if a.keys is None]
        rest = frozenset(self.rest)
        self._key_for = [None if i in rest else True for i in range(len(alternatives))]
        self.by_first: dict[str, list[int]] = {}  # first key -> alternatives, in order
        self.any_next: set[str] = set()  # first keys that accept any next word
        self.next_keys: dict[str, set[str]] = {}  # first key -> the next words' keys
        self._strings: dict[tuple[int, str], list[tuple[str, bool]] | None] = {}
        for i, a in enumerate(alternatives):
            for first, second in a.keys or ():
                members = self.by_first.setdefault(first, [])
                if not members or members[-1] != i:
                    members.append(i)
                if second == ANY:
                    self.any_next.add(first)
                else:
                    self.next_keys.setdefault(first, set()).add(second)
        self.first_keys = frozenset(self.by_first)
        me = self.ref = weakref.ref(self)
        for k in self.first_keys:
            _OWNERS.setdefault(k, []).append(me)
        weakref.finalize(self, _forget, [(k, me) for k in self.first_keys])
        _LISTS[0] += 1
        self._patterns: dict[int, object] = {}
        self._re_patterns: dict[int, object] = {}
        #: Entries `re` matches exactly in a unit with ``lowered`` set, and without a
        #: time limit: their compiled patterns.
        self._fast: dict[int, re.Pattern] = {}
        self._merged: dict[str, list[int]] = {}
        self._plans: dict[tuple[str, str], list[tuple[str | None, bool, int]]] = {}
        self.rest_pattern = None
        self.rest_limited = any(alternatives[i].risky for i in self.rest)
        #: Finds the strings one of which every keyless match contains (see
        #: :func:`required_strings`): a unit without any needs no search for them.
        self.rest_needs: re.Pattern[str] | None = None
        if self.rest:
            source = r"\b(?:" + "|".join(alternatives[i].source for i in self.rest) + r")\b"
            self.rest_pattern = compile(source)
            strings = required_strings(source, ignorecase)
            if strings is not None:
                self.rest_needs = re.compile("|".join(map(re.escape, strings)))

    def _pattern(self, i: int):
        got = self._patterns.get(i)
        if got is None:
            got = self._patterns[i] = self._compile(
                r"\b(?:" + self.alternatives[i].source + r")\b")
        return got

    def _re_pattern(self, i: int):
        """Alternative ``i`` compiled by `re`: quicker to compile and to match, and the
        same matches as `regex` in text where both see the same words and spaces (a
        unit with ``lowered`` set). None where `re` cannot compile it."""
        got = self._re_patterns.get(i, False)
        if got is False:
            try:
                got = rulecache.compile_re(
                    r"\b(?:" + self.alternatives[i].source + r")\b",
                    re.MULTILINE | (re.IGNORECASE if self.ignorecase else 0))
            except (re.error, OverflowError, RecursionError, ValueError):
                got = None
            self._re_patterns[i] = got
        return got

    def _strings_for(self, i: int, key: str) -> list[tuple[str, bool, str]] | None:
        """The strings of alternative ``i`` whose first word has ``key`` (only those can
        match at such a word), each with whether it ends in a word character and its
        second word's key ("" for none: any next word); None if it has no strings."""
        got = self._strings.get((i, key), False)
        if got is False:
            keyed = self.alternatives[i].keyed_strings
            got = None if keyed is None else [(x, w, second) for x, w, first, second in keyed
                                               if first == key]
            self._strings[i, key] = got
        return got

    def _end(self, i: int, key: str | None, text: str, lowered: str | None, pos: int,
             timeout: float) -> int:
        """Where alternative ``i`` matched at ``pos`` ends, or -1."""
        strings = self._strings_for(i, key) if key is not None else None
        if strings is not None and len(strings) > STRINGS_PER_KEY:
            strings = None  # one regex call is quicker than comparing so many
        if strings is not None:
            if lowered is not None or not self.ignorecase:
                haystack = lowered if self.ignorecase else text
                for s, last_is_word, _ in strings:
                    if haystack.startswith(s, pos):
                        if last_is_word != _is_word(text[pos + len(s):pos + len(s) + 1]):
                            return pos + len(s)  # the closing \b holds
                return -1
            for s, last_is_word, _ in strings:
                end = pos + len(s)
                chunk = text[pos:end]
                if not chunk.isascii():
                    break  # leave case folding beyond ASCII to the regex
                if chunk.lower() == s and last_is_word != (
                        end < len(text) and _is_word(text[end])):
                    return end
            else:
                return -1
        if self.alternatives[i].risky:
            m = self._pattern(i).match(text, pos, timeout=timeout)
        else:  # a time limit costs more (about 2.5 us) than such a match
            pattern = self._re_pattern(i) if lowered is not None else None
            if pattern is not None:
                self._fast[i] = pattern  # for _scan to call without coming here
            m = (pattern or self._pattern(i)).match(text, pos)
        return -1 if m is None else m.end()

    def _plan(self, key: str, nxt: str) -> list[tuple[str | None, bool, int]]:
        """The entries that may match at a word with ``key`` followed by a word with
        ``nxt``, in list order, as (string, ends in a word character, entry) to
        compare, or (None, False, entry) for an entry matched by its regex."""
        got = self._plans.get((key, nxt))
        if got is None:
            got = []
            for a in self.by_first[key]:
                strings = self._strings_for(a, key)
                if strings is not None:
                    strings = [(x, w) for x, w, second in strings if not second or second == nxt]
                    if len(strings) > STRINGS_PER_KEY:
                        strings = None  # one regex call is quicker than comparing so many
                if strings is None:
                    got.append((None, False, a))
                else:
                    got.extend((x, w, a) for x, w in strings)
            if len(self._plans) < 50_000:  # bounded: one per key and next word seen
                self._plans[key, nxt] = got
        return got

    def scan(self, words: Words, timeout: float) -> list[tuple[int, int, int]]:
        """(start, end, alternative) of each match in the unit, in text order. Raises
        :class:`ScanTimeout` (a TimeoutError, like ``regex``) with the matches found
        before the time ran out."""
        cands = words.candidates(self)
        rest = self.rest_pattern
        needs = self.rest_needs
        if rest is not None and needs is not None:
            if not self.ignorecase:
                if needs.search(words.text) is None:
                    rest = None
            elif words.lowered is not None and needs.search(words.lowered) is None:
                rest = None
        if rest is None and not cands:
            return []
        found: list[tuple[int, int, int]] = []
        try:
            self._scan(words, cands, rest, timeout, found)
        except TimeoutError:
            raise ScanTimeout(found) from None
        return found

    def _scan(self, words: Words, cands: list[tuple[int, str, str]], rest, timeout: float,
              found: list[tuple[int, int, int]]) -> None:
        text, lowered = words.text, words.lowered
        plans = self._plans
        fast = self._fast if lowered is not None else {}
        cursor = 0
        r = -1  # where the keyless alternatives next match, at or after cursor
        i, n = 0, len(cands)
        while True:
            while i < n and cands[i][0] < cursor:
                i += 1
            if rest is not None and r < cursor:
                m = (rest.search(text, cursor, timeout=timeout) if self.rest_limited
                     else rest.search(text, cursor))
                if m is None:
                    rest, r = None, -1
                else:
                    r = m.start()
            if i < n and (r < 0 or cands[i][0] <= r):
                pos, key, nxt = cands[i]
                i += 1
                members = self.by_first[key]
                if pos == r:  # keyless alternatives match here too: list order decides
                    members = self._merged.get(key) or self._merged.setdefault(
                        key, sorted(set(members) | set(self.rest)))
            elif r >= 0:
                pos, key, members = r, None, self.rest
            else:
                return
            if pos != r and (lowered is not None or not self.ignorecase):
                # The common case, without a call per entry: compare the strings of the
                # key's entries in list order, and call the regex of the others.
                haystack = lowered if self.ignorecase else text
                plan = plans.get((key, nxt))
                if plan is None:
                    plan = self._plan(key, nxt)
                for string, last_is_word, a in plan:
                    if string is None:
                        rx = fast.get(a)
                        if rx is not None:
                            m = rx.match(text, pos)
                            if m is None:
                                continue
                            end = m.end()
                        else:
                            end = self._end(a, None, text, lowered, pos, timeout)
                            if end < 0:
                                continue
                    elif haystack.startswith(string, pos) and last_is_word != _is_word(
                            text[pos + len(string):pos + len(string) + 1]):
                        end = pos + len(string)  # the closing \b holds
                    else:
                        continue
                    found.append((pos, end, a))
                    cursor = end
                    break
                continue
            for a in members:
                end = self._end(a, key and self._key_for[a] and key, text, lowered, pos, timeout)
                if end >= 0:
                    found.append((pos, end, a))
                    cursor = end
                    break
            else:
                if pos == r:  # nothing can match here (cannot happen): move on
                    cursor = pos + 1
