"""The word-key pre-filter gives exactly the matches of a full scan, only faster."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook_lint import rulecache, wordkeys
from handbook_lint.wordkeys import alternative_keys, build, fold


def test_keys_of_common_alternatives():
    # (first word's key, next word's key or "*" for any)
    assert alternative_keys("cutting[- ]edge") == {("cutt", "edge")}
    assert alternative_keys("(?:the )?latest (?:[\\w-]+ )?technology") == {
        ("the", "late"), ("late", "*"), ("late", "tech")}
    assert alternative_keys("you(?:['’]re| are) not alone") == {("you", "re"), ("you", "are")}
    assert alternative_keys("a\\s+b") == {("a", "b")}
    assert alternative_keys("revolutioni[sz](?:e|es)") == {("revo", "*")}
    assert alternative_keys("(?:is|an?) cheap") == {("is", "chea"), ("a", "chea"), ("an", "chea")}
    assert alternative_keys("pain\\w*") == {("pain", "*")}  # a long first key is enough


def test_alternatives_without_exact_keys():
    assert alternative_keys("#1 choice") is None  # starts with punctuation
    assert alternative_keys("x?") is None  # can match nothing
    assert alternative_keys("\\w+ing") is None  # any word
    assert alternative_keys("ab\\w") is None  # an unknown letter within the first key
    assert alternative_keys("\\p{Lu}x") is None  # syntax only `regex` knows
    assert alternative_keys("caf\u00e9") is None  # a non-ASCII letter in the key


def test_candidates_are_the_words_a_list_starts_with_and_the_next_words_key():
    keyed = build(["our clinic", "miracles?"], lambda p: regex.compile(p, regex.I | regex.M),
                  ignorecase=True)
    words = wordkeys.Words("Our clinic, our  TEAM.\nMiracle cures? Our clinic")
    # "our TEAM" is no candidate: "our" starts only "our clinic" here.
    assert words.candidates(keyed) == [(0, "our", "clin"), (23, "mira", "cure"),
                                       (38, "our", "clin")]
    assert [(s, e) for s, e, _ in keyed.scan(words, 1.0)] == [(0, 10), (23, 30), (38, 48)]


def test_fold_agrees_with_regex_ignorecase_for_ascii_letters():
    # Every character `regex` matches case-insensitively with an ASCII letter must get
    # that letter as its key, or the index would miss a match in such a word.
    letters = regex.compile("[a-z]", regex.IGNORECASE)
    for cp in range(0x110000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or not letters.fullmatch(c):
            continue
        (letter,) = [x for x in "abcdefghijklmnopqrstuvwxyz"
                     if regex.fullmatch(x, c, regex.IGNORECASE)]
        assert fold(c) == letter, (hex(cp), c, letter)


def _full_scan(alternatives, text, flags):
    pattern = regex.compile(r"\b(?:" + "|".join(alternatives) + r")\b", flags | regex.M)
    return [m.span() for m in pattern.finditer(text)]


def _keyed_scan(alternatives, text, flags):
    keyed = build(alternatives, lambda p: regex.compile(p, flags | regex.M),
                  ignorecase=bool(flags & regex.IGNORECASE))
    if keyed is None:
        return None
    return [(s, e) for s, e, _ in keyed.scan(wordkeys.Words(text), 1.0)]


WORDS = ["the", "The", "best", "best-in-class", "care", "miracle", "miracles", "our",
         "clinic", "#1", "choice", "top", "Top", "choice!", "you", "you're", "not",
         "alone", "ſtrong", "strong", "pain", "free", "pain-free", "100%", "off", "a",
         "an", "is", "cheap", "café", "Kind", "\u212aind", "ok.", "\n", "—", "1"]
ALTERNATIVES = ["best(?:-in-class)?", "miracles?", "our clinic", "(?:#1|top) choice",
                "you(?:'re| are) not alone", "strong", "pain[- ]free", "\\d+% off",
                "(?:is|an?) cheap", "the best", "kind", "choice", "caf\u00e9", "top",
                # repeats and classes: spelled out into strings in backtracking order
                "(?:the |our ){0,2}best", "(?:the |our )??best", "best(?:[ -]care)?",
                "(?:top|the)(?: best)*", "pain[- ]?free", "our[ ,]+clinic", "ok\\.",
                "(?:a|an)\\s+cheap", "o(?:k|ur)", "[Tt]op choice", "[a-c]\\w*"]


@settings(max_examples=600, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=40),
       seps=st.lists(st.sampled_from([" ", " ", ", ", ". ", "\n"]), min_size=40, max_size=40),
       alts=st.lists(st.sampled_from(ALTERNATIVES), min_size=1, max_size=8, unique=True),
       ignorecase=st.booleans())
def test_keyed_scan_equals_full_scan(words, seps, alts, ignorecase):
    text = "".join(w + s for w, s in zip(words, seps))
    flags = regex.IGNORECASE if ignorecase else 0
    keyed = _keyed_scan(alts, text, flags)
    if keyed is not None:
        assert keyed == _full_scan(alts, text, flags)


def test_list_order_decides_between_a_keyed_and_a_keyless_alternative():
    text = "Our #1 choice and top choice."
    for alts in (["(?:#1|top) choice", "top"], ["top", "(?:#1|top) choice"]):
        assert _keyed_scan(alts, text, regex.I) == _full_scan(alts, text, regex.I)


def test_required_char():
    assert wordkeys.required_char(r"[A-Za-z0-9)]!+(?:\s|$)") == "!"
    assert wordkeys.required_char(r"(?:why wait|are you \w+)\?") == "?"
    assert wordkeys.required_char(r"why wait\?|are you") == " "  # in both branches
    assert wordkeys.required_char(r"wait!?") is None  # "!" is optional
    assert wordkeys.required_char(r"Wait|stop") is None  # letters depend on case


def test_required_strings():
    rs = wordkeys.required_strings
    # Every match holds one of them; the set whose shortest string is longest wins.
    assert rs(r"(?:^|[.!?] )(?:Discover|rediscover|grab) (?:your|a)", True) == \
        ["discover", "grab"]  # "rediscover" holds "discover"; lower case for ignorecase
    assert rs(r"\d+ ?% off|\$0 down") == ["$0 down", "% off"]  # sorted
    assert rs(r"(?:\d+|two) (?:consecutive|straight) years") == ["consecutive", "straight"]
    assert rs(r"Top choice") == ["Top choice"]  # case kept when case matters
    assert rs(r"ab|cde") is None  # "ab" is too short to be worth a check
    assert rs(r"(?:best)?\w+ care") == [" care"]  # optional parts require nothing
    assert rs(r"(?:best)?\w+") is None
    assert rs(r"[[:alpha:]]+ness") is None  # syntax Python's parser reads differently
    assert rs(r"caf\u00e9 time", True) is None  # not ASCII: cannot compare lowered text


def test_keyless_entries_are_found_only_where_their_strings_are():
    alts = ["top", "(?:#1|top) choice", "\\d+% off"]
    keyed = build(alts, lambda p: regex.compile(p, regex.I | regex.M), ignorecase=True)
    # Every keyless match holds " choice" or "% off" (the text is lower-cased first).
    assert keyed.rest_needs.search("a top choice") and keyed.rest_needs.search("20% off")
    assert not keyed.rest_needs.search("#1 for care, 20% discount")
    for text in ("Our #1 CHOICE.", "Save 20% OFF today", "top care", "#1 for care"):
        assert _keyed_scan(alts, text, regex.I) == _full_scan(alts, text, regex.I), text


def test_nested_repeats_keep_the_time_limit():
    assert wordkeys.nested_repeat(r"(?:a+)+b")
    assert wordkeys.nested_repeat(r"\p{L}")  # cannot be parsed here: keep the limit
    assert not wordkeys.nested_repeat(r"best(?: [\w-]+){0,2} care")
    assert wordkeys.nested_repeat(r"a(?:a|aa)+c")  # choices inside a long repeat
    assert wordkeys.nested_repeat(r"(?:ab?)+c")
    assert not wordkeys.nested_repeat(r"(?:the|our) (?:best|top)")


def test_analysis_is_kept_between_runs_and_rebuilt_when_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path))
    alts = ["miracles?", "our clinic", "#1 choice"]
    fresh = [(a.keys, a.can_be_empty) for a in wordkeys.analyse(alts, True)]
    (kept,) = tmp_path.glob("wordkeys.*.marshal")
    reloaded = wordkeys.analyse(alts, True)
    again = [(a.keys, a.can_be_empty) for a in reloaded]
    assert again == fresh == [(frozenset({("mira", "*")}), False),
                              (frozenset({("our", "clin")}), False), (None, False)]
    # The spelled-out strings come back too, in the order regex tries them.
    assert [x[0] for x in reloaded[0].keyed_strings] == ["miracles", "miracle"]
    assert reloaded[1].keyed_strings == [("our clinic", True, "our", "clin")]
    kept.write_bytes(b"not marshal")  # a damaged entry is worked out and written again
    assert [(a.keys, a.can_be_empty) for a in wordkeys.analyse(alts, True)] == fresh
    assert kept.read_bytes() != b"not marshal"
    # Another list, or the same list with other flags, has its own entry.
    wordkeys.analyse(alts, False)
    assert len(list(tmp_path.glob("wordkeys.*.marshal"))) == 2


def test_rule_cache_can_be_turned_off_and_never_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", "off")
    assert [a.keys for a in wordkeys.analyse(["miracles?"], True)] == [frozenset({("mira", "*")})]
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(blocked / "rules"))
    assert [a.keys for a in wordkeys.analyse(["miracles?"], True)] == [frozenset({("mira", "*")})]
    monkeypatch.delenv("HANDBOOK_LINT_RULE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    wordkeys.analyse(["miracles?"], True)
    assert list((tmp_path / "xdg" / "handbook-lint" / "rules").glob("wordkeys.*"))


def test_rule_cache_keeps_a_bounded_number_of_entries(tmp_path, monkeypatch):
    from handbook_lint import rulecache

    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path))
    monkeypatch.setattr(rulecache, "MAX_ENTRIES", 3)
    for word in ("alpha", "beta", "gamma", "delta", "epsilon"):
        wordkeys.analyse([word], True)
    assert len(list(tmp_path.glob("wordkeys.*.marshal"))) == 3


PATTERNS = [(r"\b(?:best|top)(?: choice)?\b", re.IGNORECASE | re.MULTILINE),
            (r"(?P<word>\w+)-(\d+)", 0), (r"caf\u00e9|na\u00efve", re.IGNORECASE),
            (r"^(?:a|aa)+$", re.MULTILINE), (r"(?<!\bno\s)\bpain(?=\W)", 0)]
TEXTS = ["Top choice! best", "care-12 x-7", "CAFÉ naïve", "aaa\naa", "no pain. pain-free"]


def test_compiled_patterns_behave_as_re_compiles_them(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path))
    monkeypatch.setattr(rulecache, "_PROGRAMS", None)
    for pattern, flags in PATTERNS:
        ours, theirs = rulecache.compile_re(pattern, flags), re.compile(pattern, flags)
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == \
            (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        for text in TEXTS:
            assert [m.span() for m in ours.finditer(text)] == \
                [m.span() for m in theirs.finditer(text)]
    with pytest.raises(re.error):
        rulecache.compile_re(r"(unclosed", 0)  # the caller names the rule and line


def test_compiled_programs_are_kept_between_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path))
    monkeypatch.setattr(rulecache, "_PROGRAMS", None)
    for pattern, flags in PATTERNS:
        rulecache.compile_re(pattern, flags)
    rulecache._store_programs()  # what the end of a run does
    (kept,) = tmp_path.glob("programs.*.marshal")

    # The next run reads the programs back instead of parsing the patterns again.
    parsed = []

    class Parser:
        @staticmethod
        def parse(pattern, flags):
            parsed.append(pattern)
            return re._parser.parse(pattern, flags)

    monkeypatch.setattr(rulecache, "_PROGRAMS", None)
    monkeypatch.setattr(rulecache, "_re_parser", Parser)
    for pattern, flags in PATTERNS:
        assert rulecache.compile_re(pattern, flags).pattern == pattern
    assert parsed == []
    rulecache.compile_re("a new one", 0)
    assert parsed == ["a new one"]

    # A damaged program is compiled anew; an unreadable file is worked out again.
    pattern, flags = PATTERNS[0]
    entry = rulecache._PROGRAMS[(pattern, flags)]
    rulecache._PROGRAMS[(pattern, flags)] = (entry[0], [999, 1, 2], *entry[2:])
    assert [m.span() for m in rulecache.compile_re(pattern, flags).finditer(TEXTS[0])] == \
        [(0, 10), (12, 16)]
    kept.write_bytes(b"not marshal")
    monkeypatch.setattr(rulecache, "_PROGRAMS", None)
    assert rulecache.compile_re(pattern, flags).search("the BEST").span() == (4, 8)


def test_lists_dropped_while_the_candidate_table_is_built():
    """A rule's word list can be freed by the cycle collector at any allocation, even
    while the table of every list's keys is being built; its finalizer then edits the
    lists being read. The scan goes on, with the lists still alive."""

    def compile_list(p):
        return regex.compile(p, regex.M)

    keep = build(["alpha", "beta gamma"], compile_list)
    doomed = [build(["beta gamma", f"delta{i}", "alpha"], compile_list) for i in range(20)]

    class Dropping(set):
        """keep's keys that accept any next word; reading them frees the doomed lists
        (as the collector would, mid-build)."""

        def __contains__(self, key):
            while doomed:
                gone = doomed.pop()
                wordkeys._forget([(k, gone.ref) for k in gone.first_keys])
            return set.__contains__(self, key)

    keep.any_next = Dropping(keep.any_next)
    wordkeys._LISTS[0] += 1  # as when a list is added: the table is built again
    words = wordkeys.Words("alpha and beta gamma.")
    assert [c[0] for c in words.candidates(keep)] == [0, 10]
