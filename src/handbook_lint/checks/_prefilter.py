"""Fast, exact scanning with the checks' big alternation patterns.

A check's pattern is a long case-insensitive alternation (``A1|A2|...|An``). Running it
on every sentence tries every alternative at every character, which is where most of
the checks' time went. :class:`Scanner` gives the same matches, much faster:

* The pattern's source is split into its top-level alternatives, each compiled on its
  own, lazily (most alternatives are never needed on a given page).
* From each alternative's parse tree we derive, once, words or literal strings that any
  match of it must contain: a list of clauses, each a set of which at least one must be
  in the sentence ("cures" or "cured" or ...; "safe"). A whole word counts only where the
  pattern itself puts a word boundary on both sides of it, so testing the sentence's set
  of lower-cased words is exact; other literals are tested as substrings of the
  lower-cased sentence.
* Per sentence only the alternatives whose clauses all hold are searched, and
  ``finditer`` is rebuilt from their searches: at each step the match that starts first
  wins, ties going to the alternative that comes first in the pattern, exactly as the
  regex engine chooses inside one alternation.
* Per document, :class:`DocIndex` folds and splits each sentence once for all checks
  and lists the sentences holding each anchor word (one clause per alternative, the
  least likely to hold), so :meth:`Scanner.scan` visits only sentences that can match.

Nothing here is tuned by hand: the conditions come from the patterns, so editing a
pattern keeps the filter exact (only the choice of anchor, i.e. speed, uses a rough
idea of which words are common). A pattern this module cannot analyse
(back-references, an alternative that can match the empty string, ASCII or locale
flags) is simply run whole. The analysis costs more than compiling the pattern, so it
is kept between runs in the rule-analysis cache (:mod:`handbook_lint.rulecache`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import compress, count, repeat
from operator import itemgetter, not_
from pathlib import Path
from typing import NamedTuple

from .. import rulecache

from ..wordkeys import FOLD_TO_ASCII

_HERE = Path(__file__)

from re import _constants as _c  # the project needs Python 3.11+, where these live
from re import _parser as _sre_parse

# ---------------------------------------------------------------- case folding

# The same characters the word lists fold (tests check the table against ``re`` for
# every character that has a case).
_FOLD_TABLE = str.maketrans(FOLD_TO_ASCII)
_FOLDED = re.compile("[" + "".join(map(re.escape, FOLD_TO_ASCII)) + "]")  # what it maps
_TOKEN = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` lower-cased the way the checks' case-insensitive patterns see it: one
    character per character, and every character that ``re`` matches to an ASCII letter
    under IGNORECASE becomes that letter."""
    if text.isascii() or _FOLDED.search(text) is None:  # (translate is slow)
        return text.lower()
    return text.translate(_FOLD_TABLE).lower()


class Key(NamedTuple):
    """What the filters test about one text: its folded form and its set of words."""

    low: str
    words: frozenset[str]


_DIGIT = re.compile(r"\d")
_DIGIT_WORD = "\x00digit"  # stands for "some digit" in a Key's words


_new_key = tuple.__new__  # Key(low, words) without the Python-level __new__
_WORDS = itemgetter(1)  # a Key's words
# Every ASCII character that is not a word character (as \w sees it), but the separator
# "\x00", made a space: then str.split() gives the \w+ words of ASCII text.
_SPACE = str.maketrans({c: " " for c in range(1, 128) if not (chr(c).isalnum() or c == 95)})


def key(text: str, low: str | None = None) -> Key:
    """The key of ``text`` (``low``: ``fold(text)``, if already made)."""
    if low is None:
        low = fold(text)
    words = frozenset(low.translate(_SPACE).split() if low.isascii() and "\x00" not in low
                      else _TOKEN.findall(low))  # (the same words, see _word_sets)
    if _DIGIT.search(text):
        words = words | {_DIGIT_WORD}
    return _new_key(Key, (low, words))


def _word_sets(lows: list[str]) -> list[frozenset[str]]:
    """The set of ``\\w+`` words of each of ``lows`` (which hold no "\\x00"): the ASCII
    ones in one translate() of them all (much cheaper than a regex), the others with
    the regex."""
    if not lows:
        return []
    others = list(compress(count(), map(not_, map(str.isascii, lows))))
    if others:  # blanked out for the translate(), then done one by one
        plain = lows.copy()
        for i in others:
            plain[i] = ""
    else:
        plain = lows
    spaced = "\x00".join(plain).translate(_SPACE).split("\x00")
    out = list(map(frozenset, map(str.split, spaced)))
    findall = _TOKEN.findall
    for i in others:
        out[i] = frozenset(findall(lows[i]))
    return out


class DocIndex:
    """The :class:`Key` of every sentence of a document, which sentences hold each word,
    and their folded texts joined, so a scanner can go straight to the sentences that
    may match instead of testing every one."""

    def __init__(self, sentences: list) -> None:
        self.sentences = sentences
        self.texts = texts = [s.text for s in sentences]
        joined = "\x00".join(texts)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._covered: frozenset[str] = frozenset()
        self._asked: set[frozenset[str]] = set()
        starts = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        self._starts = starts
        if not texts or joined.count("\x00") != len(texts) - 1:
            self.keys = keys = [key(t) for t in texts]  # a text holds the separator
            self.low = "\x00".join(k.low for k in keys)
        else:
            # Folded once for the document (fold keeps one character per character, and
            # no case mapping looks past the separator); then each sentence's words.
            self.low = low = fold(joined)
            lows = low.split("\x00")
            self.keys = keys = list(map(_new_key, repeat(Key), zip(lows, _word_sets(lows))))
            # The sentences with a digit (fold leaves digits as they are).
            search = _DIGIT.search
            m = search(low)
            while m is not None:
                j = bisect.bisect_right(starts, m.start()) - 1
                k = keys[j]
                keys[j] = _new_key(Key, (k.low, k.words | {_DIGIT_WORD}))
                if j + 1 >= len(starts):
                    break
                m = search(low, starts[j + 1])
        self._number: dict | None = None
        self._holding: dict[frozenset, set[int]] = {}

    def with_words(self, words: frozenset[str]) -> dict[str, list[int]]:
        """Sentence numbers per word, for at least ``words`` (and the anchor words of
        every scanner, gathered in one pass); a word no sentence has is not a key."""
        if words not in self._asked and not words <= self._covered:
            need = (words | _vocabulary()) - self._covered
            by_word = self._by_word
            for i, found in enumerate(map(need.intersection, map(_WORDS, self.keys))):
                for w in found:
                    by_word[w].append(i)  # (a defaultdict: only words found become keys)
            self._covered = self._covered | need
        self._asked.add(words)  # (a scanner asks for the same set on every page)
        return self._by_word

    def numbers(self) -> dict:
        """The number of each of the document's sentences (its place in ``keys``)."""
        if self._number is None:
            self._number = {s: i for i, s in enumerate(self.sentences)}
        return self._number

    def key_of(self, sentence) -> Key:
        """The key of one of the document's sentences."""
        return self.keys[self.numbers()[sentence]]

    def holding(self, words: frozenset[str]) -> set[int]:
        """The sentences that have one of ``words`` (which must be among those
        :meth:`with_words` was given), worked out once per document."""
        out = self._holding.get(words)
        if out is None:
            out = set()
            by_word = self._by_word
            for w in words:
                hits = by_word.get(w)
                if hits is not None:
                    out.update(hits)
            self._holding[words] = out
        return out

    def containing(self, sub: str) -> list[int]:
        """Indices of the sentences whose folded text contains ``sub`` (a sentence or
        two more when ``sub`` runs over the join; never one less)."""
        out: list[int] = []
        starts = self._starts
        find = self.low.find
        i = find(sub)
        while i != -1:
            j = bisect.bisect_right(starts, i) - 1
            out.append(j)
            if j + 1 >= len(starts):
                break
            i = find(sub, starts[j + 1])
        return out


def doc_index(ctx, doc) -> DocIndex:
    """The document's :class:`DocIndex`, built once per run and shared by the checks."""
    return ctx.doc_memo(doc, "prefilter.index", lambda: DocIndex(list(doc.sentences())))


# ------------------------------------------------------------ splitting patterns


def split_alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source (``a|(?:b|c)|d`` -> a, (?:b|c), d)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 1
            if i < n and source[i] == "^":
                i += 1
            if i < n and source[i] == "]":
                i += 1
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            i += 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


# ---------------------------------------------------- what a match must contain

_MAX_STRINGS = 64  # largest set of literal strings followed through a pattern
_BOUND_AT = frozenset({_c.AT_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING,
                       _c.AT_END, _c.AT_END_STRING, _c.AT_BEGINNING_LINE, _c.AT_END_LINE})
_NONWORD_CATEGORIES = frozenset({_c.CATEGORY_SPACE, _c.CATEGORY_NOT_WORD,
                                 _c.CATEGORY_LINEBREAK})
_DIGIT_CATEGORIES = frozenset({_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT})
_ATOMIC = _c.ATOMIC_GROUP
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


def _isword(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Unsupported(Exception):
    pass


class _Node(NamedTuple):
    """What one regex node guarantees about the text it matches.

    ``strings``  the node always matches one of these literal strings (None: not a small
                 finite set)
    ``clauses``  CNF: each clause is a set of atoms, one of which every match contains;
                 an atom is ("w", word) or ("s", substring), both folded
    ``min``      fewest characters it matches
    ``left``/``right``  every character it can match at that edge is a non-word
                 character (vacuous when it matches nothing)
    ``zero``     zero-width; ``bound`` a zero-width assertion that the characters next
                 to it are non-word characters (\\b, ^, $) when they are word characters
    """

    strings: frozenset[str] | None
    clauses: tuple[frozenset, ...]
    min: int
    left: bool
    right: bool
    zero: bool = False
    bound: bool = False


def _chars_of_in(items) -> tuple[frozenset[str] | None, bool, bool]:
    """(the literal characters of a class, or None; True if it only matches non-word
    characters; True if it only matches digits)."""
    chars: set[str] = set()
    finite = True
    nonword = True
    digit = True
    for op, av in items:
        if op is _c.NEGATE:
            return None, False, False
        if op is _c.LITERAL:
            ch = chr(av)
            chars.add(ch)
            nonword &= not _isword(ch)
            digit &= "0" <= ch <= "9"
        elif op is _c.RANGE:
            lo, hi = av
            if hi - lo >= 8:
                finite = False
            else:
                chars.update(chr(x) for x in range(lo, hi + 1))
            nonword &= hi - lo < 512 and not any(_isword(chr(x)) for x in range(lo, hi + 1))
            digit &= 48 <= lo and hi <= 57
        elif op is _c.CATEGORY:
            finite = False
            nonword &= av in _NONWORD_CATEGORIES
            digit &= av in _DIGIT_CATEGORIES
        else:
            finite = False
            nonword = digit = False
    return (frozenset(chars) if finite else None), nonword, digit


def _product(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    if len(b) == 1:
        (y,) = b
        return frozenset(x + y for x in a) if y else a
    if len(a) * len(b) > _MAX_STRINGS:
        return None
    return frozenset(x + y for x in a for y in b)


class _Props(NamedTuple):
    min: int
    left: bool
    right: bool
    zero: bool = False
    bound: bool = False


_PROPS_MEMO: dict[int, tuple[object, _Props]] = {}
_RUNS_MEMO: dict[int, tuple[object, list]] = {}


_STR = object()  # a run of literal characters, see _literal_runs()


def _props(op, av) -> _Props:
    """What a node guarantees about its edges (see :class:`_Node`), without clauses."""
    if op is _STR:
        return _Props(len(av), not _isword(av[0]), not _isword(av[-1]))
    if op is _c.LITERAL or op is _c.AT:
        return _props_of(op, av)
    hit = _PROPS_MEMO.get(id(av))
    if hit is not None and hit[0] is av:
        return hit[1]
    out = _props_of(op, av)
    _PROPS_MEMO[id(av)] = (av, out)  # holds av, so its id is not reused meanwhile
    return out


def _props_of(op, av) -> _Props:
    if op is _c.LITERAL:
        nw = not _isword(chr(av))
        return _Props(1, nw, nw)
    if op in (_c.NOT_LITERAL, _c.ANY):
        return _Props(1, False, False)
    if op is _c.IN:
        nw = _chars_of_in(av)[1]
        return _Props(1, nw, nw)
    if op is _c.AT:
        return _Props(0, True, True, True, av in _BOUND_AT)
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return _Props(0, True, True, True)
    if op is _c.SUBPATTERN:
        return _seq_props(av[3])
    if op is _ATOMIC:
        return _seq_props(av)
    if op is _c.BRANCH:
        ps = [_seq_props(p) for p in av[1]]
        return _Props(min(p.min for p in ps), all(p.left for p in ps), all(p.right for p in ps))
    if op in _REPEATS:
        lo, hi, p = av
        bp = _seq_props(p)
        return _Props(lo * bp.min, bp.left, bp.right)
    raise _Unsupported(f"regex operation {op}")


def _seq_props(p) -> _Props:
    hit = _PROPS_MEMO.get(id(p))
    if hit is not None and hit[0] is p:
        return hit[1]
    out = _props_of_seq([_props(op, av) for op, av in _literal_runs(p)])
    _PROPS_MEMO[id(p)] = (p, out)
    return out


def _props_of_seq(ps: list[_Props]) -> _Props:
    left = right = True
    for q in ps:  # the first consuming node decides the left edge
        if q.zero:
            continue
        left = left and q.left
        if q.min > 0:
            break
    for q in reversed(ps):
        if q.zero:
            continue
        right = right and q.right
        if q.min > 0:
            break
    return _Props(sum(q.min for q in ps), left, right)


_DIGIT_ATOM = ("w", _DIGIT_WORD)  # the text has a digit (``\d``); see key()


def _node(op, av, lctx: bool, rctx: bool) -> _Node:
    """``lctx``/``rctx``: the character before/after the node is always a non-word
    character (or the edge of the text)."""
    if op is _STR:
        return _Node(frozenset({av}), (), len(av), not _isword(av[0]), not _isword(av[-1]))
    if op is _c.LITERAL:
        ch = chr(av)
        nw = not _isword(ch)
        return _Node(frozenset({ch}), (), 1, nw, nw)
    if op in (_c.NOT_LITERAL, _c.ANY):
        return _Node(None, (), 1, False, False)
    if op is _c.IN:
        chars, nw, digit = _chars_of_in(av)
        return _Node(chars, (frozenset({_DIGIT_ATOM}),) if digit and chars is None else (),
                     1, nw, nw)
    if op is _c.AT:
        return _Node(frozenset({""}), (), 0, True, True, zero=True, bound=av in _BOUND_AT)
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return _Node(frozenset({""}), (), 0, True, True, zero=True)
    if op is _c.SUBPATTERN:
        group, add_flags, del_flags, p = av
        if (add_flags | del_flags) & (re.ASCII | re.LOCALE):
            raise _Unsupported("ASCII or LOCALE flag inside the pattern")
        return _sequence(p, lctx, rctx)
    if op is _ATOMIC:
        return _sequence(av, lctx, rctx)
    if op is _c.BRANCH:
        branches = [_sequence(p, lctx, rctx) for p in av[1]]
        strings: frozenset[str] | None = frozenset()
        for b in branches:
            if strings is None or b.strings is None or len(strings | b.strings) > _MAX_STRINGS:
                strings = None
            else:
                strings = strings | b.strings
        clauses: tuple[frozenset, ...] = ()
        if all(b.clauses for b in branches):
            clauses = (frozenset().union(*(_best(b.clauses) for b in branches)),)
        return _Node(strings, clauses, min(b.min for b in branches),
                     all(b.left for b in branches), all(b.right for b in branches))
    if op in _REPEATS:
        lo, hi, p = av
        if hi > 1:  # a repetition's neighbour may be another repetition
            bp = _seq_props(p)
            lctx, rctx = lctx and bp.right, rctx and bp.left
        body = _sequence(p, lctx, rctx)
        strings = None
        if body.strings is not None and hi <= 3:
            acc: frozenset[str] | None = frozenset({""})
            options: set[str] = set()
            for k in range(hi + 1):
                if k >= lo:
                    options |= acc
                if k < hi:
                    acc = _product(acc, body.strings)
                    if acc is None:
                        options = set()
                        break
            strings = frozenset(options) if options and len(options) <= _MAX_STRINGS else None
        return _Node(strings, body.clauses if lo >= 1 else (), lo * body.min,
                     body.left, body.right)
    raise _Unsupported(f"regex operation {op}")


def _atoms(strings: frozenset[str], left: bool, right: bool) -> frozenset | None:
    """The clause a run of literal strings gives, or None when it gives none."""
    atoms = set()
    for s in strings:
        if not s:
            return None
        if not s.isascii() and any(ch.lower() != ch.upper() and not ch.isascii() for ch in s):
            return None  # a cased letter outside ASCII: leave it to the regex
        low = s.lower()
        if left and right and low.replace("_", "a").isalnum():  # all word characters
            atoms.add(("w", low))
        else:
            atoms.add(("s", low))
    return frozenset(atoms)


def _implied(strings: frozenset[str], left: bool, right: bool) -> frozenset | None:
    """A clause of whole words that a run of literal strings implies, or None: in
    "pain free", with a boundary before it, "pain" is a word of any text the run is in
    (a non-word character or the boundary on each side), so a sentence without the word
    "pain" (or the chosen word of each other string) cannot hold the run. Lets a
    scanner find such sentences by their words instead of searching the text."""
    words = set()
    plain = True  # every string is one whole word already (then nothing to add)
    for s in strings:
        low = s.lower()
        runs = []
        for m in _TOKEN.finditer(low):
            if (m.start() > 0 or left) and (m.end() < len(low) or right):
                runs.append(m.group(0))
        if not runs:
            return None
        if not (len(runs) == 1 and runs[0] == low):
            plain = False
        words.add(min(runs, key=lambda w: (_chance(("w", w)), -len(w), w)))
    if plain:
        return None
    return frozenset(("w", w) for w in words)


def _edge_bounded(props: list, i: int, step: int, lctx: bool, rctx: bool) -> bool:
    """True when the character next to node ``i`` (before it when ``step`` is -1, after
    it when +1) is always a non-word character or the edge of the text."""
    j = i + step
    while 0 <= j < len(props):
        nd = props[j]
        if nd.zero:
            if nd.bound:
                return True
            j += step
            continue
        edge = nd.right if step < 0 else nd.left
        if not edge:
            return False
        if nd.min > 0:
            return True
        j += step
    return lctx if step < 0 else rctx


_COMPOSITE = frozenset({_c.SUBPATTERN, _c.BRANCH, _ATOMIC, *_REPEATS})


def _literal_runs(p) -> list:
    """The items of a sequence with each run of literal characters made one string
    (("str", "safe") for LITERAL s, a, f, e): fewer nodes to walk."""
    hit = _RUNS_MEMO.get(id(p))
    if hit is not None and hit[0] is p:
        return hit[1]
    items: list = []
    chars: list[str] = []
    for op, av in getattr(p, "data", p):  # (SubPattern's own __getitem__ is slow)
        if op is _c.LITERAL:
            chars.append(chr(av))
            continue
        if chars:
            items.append((_STR, "".join(chars)))
            chars = []
        items.append((op, av))
    if chars:
        items.append((_STR, "".join(chars)))
    _RUNS_MEMO[id(p)] = (p, items)
    return items


def _sequence(p, lctx: bool = False, rctx: bool = False) -> _Node:
    items = _literal_runs(p)
    if len(items) == 1 and items[0][0] is _STR:  # a plain word, as in (?:heal|repair|...)
        word = items[0][1]
        clause = _atoms(frozenset({word}), lctx, rctx)
        implied = None if clause is None else _implied(frozenset({word}), lctx, rctx)
        return _Node(frozenset({word}), () if clause is None else
                     (clause,) if implied is None else (clause, implied), len(word),
                     not _isword(word[0]), not _isword(word[-1]))
    props = [_props(op, av) for op, av in items]
    nodes = [_node(op, av, _edge_bounded(props, i, -1, lctx, rctx),
                   _edge_bounded(props, i, +1, lctx, rctx))
             if op in _COMPOSITE else _node(op, av, False, False)
             for i, (op, av) in enumerate(items)]
    clauses: list[frozenset] = []
    for nd in nodes:
        clauses.extend(nd.clauses)
    # Runs of literal nodes make literal strings ("cur" + "e|es|ed|ing").
    finite = True  # every node has a small set of strings: so has the sequence
    strings: frozenset[str] | None = frozenset({""})
    i = 0
    n = len(nodes)
    while i < n:
        if nodes[i].strings is None or nodes[i].bound:
            finite = finite and nodes[i].strings is not None
            i += 1
            continue
        start = i
        acc: frozenset[str] = frozenset({""})
        while i < n and nodes[i].strings is not None and not nodes[i].bound:
            nxt = _product(acc, nodes[i].strings)
            if nxt is None:
                break
            acc = nxt
            i += 1
        if i == start:  # a single node too large to combine
            finite = False
            i += 1
            continue
        # Words need a boundary both sides; a run cut short by size has none known.
        cut = i < n and nodes[i].strings is not None and not nodes[i].bound
        if cut:
            finite = False
        elif finite and strings is not None:
            strings = _product(strings, acc)
        left = _edge_bounded(props, start, -1, lctx, rctx)
        right = not cut and _edge_bounded(props, i - 1, +1, lctx, rctx)
        clause = _atoms(acc, left, right)
        if clause is not None:
            clauses.append(clause)
            implied = _implied(acc, left, right)
            if implied is not None:
                clauses.append(implied)
    sp = _seq_props(p)
    return _Node(strings if finite else None, tuple(dict.fromkeys(clauses)), sp.min,
                 sp.left, sp.right)


# A rough chance that a sentence holds an atom, to pick each alternative's anchor
# clause (the one least likely to hold). Only speed depends on these numbers.
_VERY_COMMON = frozenset("""a all also an and any are as at be been but by can do does for
    from get has have if in is it its just more most no not of on one only or our so some
    than that the their them then there these they this those to was we were what when
    which who will with you your""".split())
_SUBJECT = frozenset("""pain back people patients patient treatment treatments injection
    injections doctor doctors therapy procedure relief""".split())
_FUNCTION_WORDS = frozenset("a and are as be for in is it of on or that the this to with you your"
                            .split())  # in nearly every other sentence


@functools.lru_cache(maxsize=None)  # a few hundred distinct atoms
def _chance(atom) -> float:
    kind, s = atom
    if atom == _DIGIT_ATOM:
        return 0.2
    if not s.replace("_", "a").isalnum() and not any(ch.isalnum() for ch in s):
        return 0.6  # punctuation
    if s in _FUNCTION_WORDS:
        return 0.6
    if s in _VERY_COMMON or s in _SUBJECT:
        return 0.3
    base = 0.15 if len(s) <= 2 else 0.04 if len(s) <= 4 else 0.01
    return base if kind == "w" else min(0.6, base * 3)  # a substring holds more often


def _best(clauses) -> frozenset:
    """The clause least likely to hold on ordinary text."""
    if len(clauses) == 1:
        return clauses[0]
    return min(clauses, key=lambda c: (min(1.0, sum(_chance(a) for a in c)), len(c)))


# --------------------------------------------------------------------- scanner


class _Alternative:
    __slots__ = ("source", "flags", "clauses", "rest", "_compiled")

    def __init__(self, source: str, flags: int, clauses: tuple[frozenset, ...]) -> None:
        self.source = source
        self.flags = flags
        self.clauses = clauses
        # The clauses besides the anchor (which found the sentence), as (words, strings,
        # whether scan() reads it from the index's word lists), the least likely to hold
        # first (the first that fails ends the test).
        anchor = _best(clauses) if clauses else None
        rest = [c for c in clauses if c is not anchor]
        rest.sort(key=lambda c: (not _indexed(c), min(1.0, sum(_chance(a) for a in c))))
        self.rest = tuple((frozenset(s for kind, s in c if kind == "w"),
                           tuple(s for kind, s in c if kind != "w"), _indexed(c))
                          for c in rest)
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = rulecache.compile_re(self.source, self.flags)
        return self._compiled


def _indexed(clause: frozenset) -> bool:
    """Whether scan() tests ``clause`` with the document index's lists of sentences per
    word: only for clauses of words that few sentences have (a common word's list
    costs more to build than testing the few sentences an anchor found)."""
    return all(kind == "w" and _chance((kind, s)) < _INDEX_BELOW for kind, s in clause)


_INDEX_BELOW = 0.02


def _holds_in(words, subs, k: Key) -> bool:
    """A clause given as (words, strings) holds for ``k``."""
    if not words or words.isdisjoint(k.words):
        low = k.low
        for s in subs:
            if s in low:
                return True
        return False
    return True


class Scanner:
    """A drop-in for ``re.compile(source, flags).finditer`` on short texts, with an exact
    pre-filter (see the module docstring). Analysis and compilation happen on first use."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        self.flags = flags
        self._ready = False
        self._whole: re.Pattern[str] | None = None
        _SCANNERS.append(self)

    # The full pattern, compiled: for callers that want a real re.Pattern.
    @property
    def compiled(self) -> re.Pattern[str]:
        if self._whole is None:
            self._whole = rulecache.compile_re(self.pattern, self.flags)
        return self._whole

    def _prepare(self) -> None:
        self._ready = True
        self._alts: list[_Alternative] | None = None
        self._always: list[int] = []  # alternatives with no derivable condition
        self._by_word: dict[str, list[int]] = {}
        self._by_sub: dict[str, list[int]] = {}
        analysis = _load_analysis(self.pattern, self.flags)
        if analysis is None:
            return
        alts = [_Alternative(src, self.flags, clauses) for src, clauses in analysis]
        for i, alt in enumerate(alts):
            if not alt.clauses:
                self._always.append(i)
                continue
            anchor = _best(alt.clauses)
            for kind, s in anchor:
                (self._by_word if kind == "w" else self._by_sub).setdefault(s, []).append(i)
        self._alts = alts
        self._word_keys = frozenset(self._by_word)
        self._word_items = tuple(self._by_word.items())
        # Every word the document index must list for scan(): anchors and the rest.
        self._index_words = self._word_keys.union(
            *(words for alt in alts for words, _, indexed in alt.rest if indexed))
        self._subs = tuple(self._by_sub.items())
        # A text holding none of the anchors as a substring cannot match: checked before
        # making its key, for texts that are not in a DocIndex.
        self._gate = (None if self._always or _DIGIT_WORD in self._word_keys
                      else tuple(sorted(self._word_keys | self._by_sub.keys())))

    def candidates(self, k: Key) -> list[int]:
        """Indices of the alternatives that can match a text with key ``k``, in order."""
        if not self._ready:
            self._prepare()
        alts = self._alts
        assert alts is not None
        seen = set(self._always)
        for w in self._word_keys & k.words:
            seen.update(self._by_word[w])
        low = k.low
        for s, idx in self._subs:
            if s in low:
                seen.update(idx)
        out = []
        kw = k.words
        for i in sorted(seen):  # (its anchor holds: that is how it was found)
            for words, subs, _ in alts[i].rest:
                if words.isdisjoint(kw) and not (subs and _holds_in((), subs, k)):
                    break
            else:
                out.append(i)
        return out

    def scan(self, index: DocIndex) -> list[tuple[int, list[int] | None]]:
        """(sentence number, alternatives to search) for each sentence of ``index`` that
        may match, in document order; every other sentence has no match. Alternatives
        None: search with the whole pattern."""
        if not self._ready:
            self._prepare()
        alts = self._alts
        if alts is None:
            return [(i, None) for i in range(len(index.keys))]
        # Per alternative, the sentences its anchor points to (a list shared with the
        # index, or a set once a second anchor adds to it).
        found: dict[int, list[int] | set[int]] = {}
        if self._always:
            every = range(len(index.keys))
            for a in self._always:
                found[a] = every

        def add(idx: list[int], hits: list[int]) -> None:
            for a in idx:
                have = found.get(a)
                if have is None:
                    found[a] = hits
                else:
                    if type(have) is not set:
                        have = found[a] = set(have)
                    have.update(hits)

        by_word = index.with_words(self._index_words)
        get = by_word.get
        for w, idx in self._word_items:
            hits = get(w)
            if hits is not None:
                add(idx, hits)
        low = index.low
        for s, idx in self._subs:
            if s in low:
                add(idx, index.containing(s))
        # Keep the sentences where the alternative's other clauses hold too, and list
        # the alternatives per sentence in pattern order.
        per: dict[int, list[int]] = {}
        holding = index.holding
        keys = index.keys
        for a in sorted(found):
            hits = found[a]
            for words, subs, indexed in alts[a].rest:
                if indexed and len(hits) > 2:
                    hits = holding(words).intersection(hits)
                elif subs:
                    hits = [i for i in hits if _holds_in(words, subs, keys[i])]
                else:
                    isdisjoint = words.isdisjoint
                    hits = [i for i in hits if not isdisjoint(keys[i].words)]
                if not hits:
                    break
            else:
                for i in hits:
                    have = per.get(i)
                    if have is None:
                        per[i] = [a]
                    else:
                        have.append(a)
        return [(i, per[i]) for i in sorted(per)]

    def finditer(self, text: str, k: Key | None = None) -> Iterator[re.Match[str]]:
        """The matches ``re.compile(pattern, flags).finditer(text)`` gives, in order."""
        if not self._ready:
            self._prepare()
        if self._alts is None:
            return self.compiled.finditer(text)
        if k is None:
            low = fold(text)
            if self._gate is not None and not any(s in low for s in self._gate):
                return iter(())
            k = key(text, low)
        return self.finditer_alternatives(text, self.candidates(k))

    def may_match(self, texts: list[str]) -> set[int] | range:
        """Indices of the ``texts`` that :meth:`finditer` may find something in: it finds
        nothing in the others (their folded text has none of the pattern's anchors)."""
        if not self._ready:
            self._prepare()
        gate = self._gate
        if self._alts is None or gate is None:
            return range(len(texts))
        joined = "\x00".join(texts)
        if not texts or joined.count("\x00") != len(texts) - 1:
            return {i for i, t in enumerate(texts) if any(s in fold(t) for s in gate)}
        low = fold(joined)  # as in DocIndex: the same as folding each text
        starts = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        out = set()
        find = low.find
        n = len(starts)
        for s in gate:
            i = find(s)
            while i != -1:
                j = bisect.bisect_right(starts, i) - 1
                out.add(j)  # (a string never runs over the separator)
                if j + 1 >= n:
                    break
                i = find(s, starts[j + 1])
        return out

    def finditer_alternatives(self, text: str,
                              idx: list[int] | None) -> Iterator[re.Match[str]]:
        """The matches of the pattern in ``text``, searching only the alternatives
        ``idx`` (from :meth:`scan` or :meth:`candidates`; None: the whole pattern)."""
        if idx is None:
            return self.compiled.finditer(text)
        if len(idx) == 1:  # one alternative: its own finditer is the alternation's
            alt = self._alts[idx[0]]
            return (alt._compiled or alt.compiled).finditer(text)
        if not idx:
            return iter(())
        return self._merged(text, idx)

    def _merged(self, text: str, idx: list[int]) -> Iterator[re.Match[str]]:
        """finditer of the alternatives ``idx`` together, as the alternation finds them."""
        alts = self._alts
        pats = [alts[i]._compiled or alts[i].compiled for i in idx]
        found: list[re.Match[str] | None] = [p.search(text) for p in pats]
        while True:
            best = None
            for m in found:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end()
            for j, m in enumerate(found):
                if m is not None and m.start() < pos:
                    found[j] = pats[j].search(text, pos)

    def search(self, text: str, k: Key | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, k), None)


_SCANNERS: list[Scanner] = []  # every scanner made, for their joint vocabulary
_VOCABULARY: tuple[int, frozenset[str]] = (-1, frozenset())


def _vocabulary() -> frozenset[str]:
    """The anchor words of every scanner (preparing them: a run uses them all)."""
    global _VOCABULARY
    if _VOCABULARY[0] != len(_SCANNERS):
        words: set[str] = set()
        for sc in list(_SCANNERS):
            if not sc._ready:
                sc._prepare()
            if sc._alts is not None:
                words |= sc._index_words
        _VOCABULARY = (len(_SCANNERS), frozenset(words))
    return _VOCABULARY[1]


def analyse(source: str, flags: int) -> list[tuple[str, tuple[frozenset, ...]]] | None:
    """(source, clauses) of each top-level alternative of a pattern, or None when the
    pattern cannot be scanned by alternatives (then it runs whole)."""
    sources = split_alternatives(source)
    if "|".join(sources) != source:  # pragma: no cover - splitter bug guard
        return None
    out = []
    try:
        for src in sources:
            parsed = _sre_parse.parse(src, flags)
            if parsed.getwidth()[0] == 0:
                return None  # an empty match would change finditer's stepping
            if parsed.state.groups > 1:  # (so no back-references either)
                return None  # groups would be renumbered by the split
            if parsed.state.flags & (re.ASCII | re.LOCALE) or (
                    (parsed.state.flags | re.UNICODE) != (flags | re.UNICODE)):
                return None  # inline global flags
            out.append((src, _sequence(parsed.data).clauses))
    except (_Unsupported, re.error, RecursionError):
        return None
    finally:
        _PROPS_MEMO.clear()
        _RUNS_MEMO.clear()
    return out


def _load_analysis(source: str, flags: int):
    """The analysis of a pattern, kept between runs (see :mod:`handbook_lint.rulecache`)."""
    parts = [str(flags), source]
    data = rulecache.load("prefilter", _HERE, parts)
    try:
        if data is None or "|".join(src for src, _ in data) != source:
            raise ValueError
        return data
    except (TypeError, ValueError):
        pass  # missing, or not what this code writes: work it out again
    data = analyse(source, flags)
    if data is not None:
        rulecache.store("prefilter", _HERE, parts, data)
    return data
