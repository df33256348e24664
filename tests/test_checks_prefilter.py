"""The checks' fast pattern scanner finds exactly what the full regex finds.

The absolute and reference checks scan sentences with :class:`Scanner`, which only runs
the alternatives of a pattern whose required words occur in the sentence. These tests
hold it to the regex: for a text built to match every alternative (and its branches),
in upper case and with the odd characters that ``re`` folds to ASCII letters, and for
random word salad, the matches are the same; and the checks still alert on those texts
through the public ``lint()``.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from handbook_lint import lint
from handbook_lint.checks import absolute, reference, structure
from handbook_lint.checks._prefilter import (DocIndex, Scanner, analyse, fold, key,
                                             split_alternatives)

try:
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

SCANNERS = {f"{mod.__name__.rsplit('.', 1)[1]}.{name}": obj
            for mod in (absolute, reference, structure) for name, obj in vars(mod).items()
            if isinstance(obj, Scanner)}


def test_the_big_patterns_are_scanners() -> None:
    assert len(SCANNERS) >= 11
    for name, sc in SCANNERS.items():
        assert analyse(sc.pattern, sc.flags) is not None, f"{name} runs whole (no filter)"


# ------------------------------------------------------------ example texts


def _char_for(items) -> str:
    """A character the class ``items`` matches."""
    if items and items[0][0] is C.NEGATE:
        for ch in "x1 q":
            if not _in_items(ch, items[1:]):
                return ch
        return "x"
    op, av = items[0]
    if op is C.LITERAL:
        return chr(av)
    if op is C.RANGE:
        return chr(av[0])
    if op is C.CATEGORY:
        return {C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " ", C.CATEGORY_WORD: "a",
                C.CATEGORY_NOT_WORD: " ", C.CATEGORY_NOT_SPACE: "a",
                C.CATEGORY_NOT_DIGIT: "a"}.get(av, "a")
    return "a"


def _in_items(ch: str, items) -> bool:
    for op, av in items:
        if op is C.LITERAL and chr(av) == ch:
            return True
        if op is C.RANGE and av[0] <= ord(ch) <= av[1]:
            return True
        if op is C.CATEGORY and re.fullmatch({C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s",
                                               C.CATEGORY_WORD: r"\w"}.get(av, r"\W"), ch):
            return True
    return False


def _example(data, choice: int) -> str:
    """A text the parsed ``data`` should match: branch ``choice`` (or the last one) at
    every alternation, the fewest repetitions (at least one)."""
    out = []
    for op, av in data:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.NOT_LITERAL:
            out.append("x" if chr(av) != "x" else "y")
        elif op is C.ANY:
            out.append("x")
        elif op is C.IN:
            out.append(_char_for(av))
        elif op is C.BRANCH:
            branches = av[1]
            out.append(_example(branches[min(choice, len(branches) - 1)], choice))
        elif op is C.SUBPATTERN:
            out.append(_example(av[3], choice))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, p = av
            out.append(_example(p, choice) * max(lo, min(1, hi)))
    return "".join(out)


def _examples(sc: Scanner) -> list[tuple[str, str]]:
    """(alternative, text it matches) for as many alternatives as we can build."""
    found = []
    for alt in split_alternatives(sc.pattern):
        compiled = re.compile(alt, sc.flags)
        parsed = P.parse(alt, sc.flags)
        for choice in range(12):
            ex = _example(parsed, choice)
            for text in (f"So {ex} now.", ex, f"{ex}."):
                if compiled.search(text):
                    found.append((alt, text))
                    break
    return found


def _variants(text: str) -> list[str]:
    # The characters re folds to ASCII letters under IGNORECASE: long s, Kelvin sign,
    # dotless i, capital I with dot.
    odd = text.replace("s", "\u017f").replace("k", "\u212a").replace("i", "\u0131")
    return [text, text.upper(), text.title(), odd, text.replace("i", "\u0130"),
            f"{text} {text}", f"({text}; {text.upper()})"]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("name", sorted(SCANNERS))
def test_scanner_finds_what_the_regex_finds_for_every_alternative(name: str) -> None:
    sc = SCANNERS[name]
    full = sc.compiled
    examples = _examples(sc)
    covered = {alt for alt, _ in examples}
    alternatives = split_alternatives(sc.pattern)
    # Nearly every alternative gets a text built to match it (lookarounds defeat a few).
    assert len(covered) >= 0.85 * len(alternatives), (name, len(covered), len(alternatives))
    for _, text in examples:
        for variant in _variants(text):
            assert _spans(sc.finditer(variant)) == _spans(full.finditer(variant)), (name, variant)
            assert _spans(sc.finditer(variant, key(variant))) == _spans(full.finditer(variant))


def _salad(n: int = 400) -> list[str]:
    words = sorted({w.lower() for sc in SCANNERS.values()
                    for w in re.findall(r"[A-Za-z]{2,}", sc.pattern)} - {"w", "s", "d"})
    glue = [" ", " ", " ", ", ", "-", "’", "'", ". ", "% ", " 30 ", " 1 in 5 ", "; "]
    rng = random.Random(20261123)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(3, 14)):
            w = rng.choice(words)
            parts.append(w.upper() if rng.random() < 0.1 else w)
            parts.append(rng.choice(glue))
        texts.append("".join(parts))
    return texts


def test_scanner_agrees_with_the_regex_on_random_word_salad() -> None:
    texts = _salad()
    for sc in SCANNERS.values():
        full = sc.compiled
        for text in texts:
            assert _spans(sc.finditer(text)) == _spans(full.finditer(text)), text


@pytest.mark.parametrize("name", sorted(SCANNERS))
def test_scanning_a_whole_document_finds_what_the_regex_finds_in_each_sentence(
        name: str) -> None:
    sc = SCANNERS[name]
    texts = [v for _, t in _examples(sc) for v in _variants(t)] + _salad(100) + ["", "x"]
    index = DocIndex([SimpleNamespace(text=t) for t in texts])
    found = {i: _spans(sc.finditer_alternatives(texts[i], alts)) for i, alts in sc.scan(index)}
    for i, text in enumerate(texts):
        assert found.get(i, []) == _spans(sc.compiled.finditer(text)), (name, text)


def test_a_document_index_finds_every_sentence_holding_a_string() -> None:
    rng = random.Random(7)
    texts = ["".join(rng.choice("abA ") for _ in range(rng.randint(0, 6))) for _ in range(300)]
    index = DocIndex([SimpleNamespace(text=t) for t in texts])
    for sub in ["a", "b", "ab", "ba", "aa", "a b", "bab", "abab", " "]:
        assert index.containing(sub) == [i for i, t in enumerate(texts) if sub in t.lower()]
    assert index.with_words(frozenset({"ab"}))["ab"] == [
        i for i, t in enumerate(texts) if "ab" in t.lower().split()]
    assert "zz" not in index.with_words(frozenset({"zz"}))  # no sentence has it


def test_glossary_terms_count_as_one_word_in_any_case() -> None:
    glossary = frozenset({"prolotherapy", "bone marrow", "bone marrow aspirate", "prp",
                          "platelet-rich plasma", "sacroiliac joint", "nsaid", "pain pump"})
    _check_glossary_words(glossary,
                          ["Two PAIN PUMPS and a pain pump, but pain pumping is not one."])
    # A term outside ASCII turns the shortcut off; the counts stay the same.
    _check_glossary_words(glossary | {"caf\u00e9 au lait"},
                          ["CAF\u00c9 AU LAIT spots, caf\u00e9 au laits."])


def _check_glossary_words(glossary: frozenset[str], texts: list[str] = ()) -> None:
    from handbook_lint.checks import readability

    def plain(text: str) -> list[str]:  # every term substituted, longest first
        for t in sorted(glossary, key=len, reverse=True):
            text = re.sub(r"\b" + re.escape(t) + r"s?\b", " it ", text, flags=re.IGNORECASE)
        return readability._WORD.findall(text)

    for text in ["PROLOTHERAPY and Prolotherapies are not prolotherapy-like.",
                 "Bone marrow aspirate, BONE MARROW and bone marrows.",
                 "PRP (platelet-rich plasma) and NSAIDs near the sacroiliac joints.",
                 "The \u212aelvin-sign nsa\u0131d and pro\u017fotherapy stay words.",
                 "Nothing here is a term.", "prp" * 3 + " prps", *texts]:
        assert readability._words(text, glossary) == plain(text), text
        assert readability._words(text, glossary, key(text).words) == plain(text), text


def test_fold_maps_every_character_re_matches_to_an_ascii_letter() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    folded = fold(everything)
    assert len(folded) == len(everything)  # one character per character
    # Word characters stay word characters, so \b and \w see the same places.
    assert re.sub(r"\w", "w", re.sub(r"\W", ".", folded)) == \
        re.sub(r"\w", "w", re.sub(r"\W", ".", everything))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for ch in re.findall(letter, everything, re.IGNORECASE):
            assert fold(ch) == letter, (hex(ord(ch)), letter)


def test_split_alternatives_keeps_groups_classes_and_escapes_whole() -> None:
    assert split_alternatives(r"a|(?:b|c)|[|)]|\||d") == ["a", "(?:b|c)", "[|)]", r"\|", "d"]
    assert split_alternatives(r"[]|]x|y") == ["[]|]x", "y"]
    assert split_alternatives(r"[^]|]x|(?<!\bto\s)y") == ["[^]|]x", r"(?<!\bto\s)y"]


def test_a_pattern_the_filter_cannot_reason_about_runs_whole() -> None:
    sc = Scanner(r"(a)\1|b", re.IGNORECASE)  # a back-reference: groups must not be split
    assert analyse(sc.pattern, sc.flags) is None
    assert _spans(sc.finditer("xAa b")) == [(1, 3), (4, 5)]
    empty = Scanner(r"x?|y")  # an alternative that matches nothing
    assert _spans(empty.finditer("ayx")) == _spans(re.finditer(r"x?|y", "ayx"))


def test_checks_still_alert_in_capitals_and_on_folded_letters(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "THIS INJECTION CURES BACK PAIN.\n\n"
        "The procedure is completely \u017fafe.\n\n"  # long s: re reads it as "safe"
        "\u212aids get instant relief.\n\n"  # Kelvin sign K
        "80% OF PEOPLE WILL HAVE BACK PAIN AT SOME POINT.\n\n"
        "Studies show that prolotherapy is effective for chronic back pain.\n",
        encoding="utf-8")
    checks = {(a.line, a.check) for a in lint([str(page)])}
    assert (3, "Handbook.CureClaim") in checks
    assert (5, "Handbook.SafetyClaim") in checks
    assert (7, "Handbook.InstantRelief") in checks
    assert (9, "Handbook.UncitedStatistic") in checks
    assert (11, "Handbook.UncitedResearch") in checks


def test_regulatory_status_reads_product_names_and_status_in_any_case(tmp_path: Path) -> None:
    silent = tmp_path / "silent.md"
    silent.write_text("# Page\n\nThe clinic injects STEM CELLS from your BONE MARROW.\n",
                      encoding="utf-8")
    assert {(a.line, a.match) for a in lint([str(silent)])
            if a.check == "Handbook.RegulatoryStatus"} == {(3, "STEM CELLS")}
    stated = tmp_path / "stated.md"
    stated.write_text("# Page\n\nThe clinic injects Stem Cells.\n\n"
                      "The fda has NOT APPROVED any stem cell product for back pain.\n",
                      encoding="utf-8")
    assert not [a for a in lint([str(stated)]) if a.check == "Handbook.RegulatoryStatus"]


def test_the_analysis_is_kept_between_runs_and_a_bad_copy_is_redone(
        tmp_path: Path, monkeypatch) -> None:
    from handbook_lint.checks import _prefilter

    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path / "rules"))
    source, flags = r"\bcur(?:e|es)\b|\bsafe\s+and\s+sound\b", re.IGNORECASE
    fresh = _prefilter._load_analysis(source, flags)
    assert fresh == analyse(source, flags)
    (stored,) = (tmp_path / "rules").iterdir()
    # The next run reads it instead of analysing again.
    monkeypatch.setattr(_prefilter, "analyse", lambda *a: pytest.fail("analysed again"))
    assert _prefilter._load_analysis(source, flags) == fresh
    monkeypatch.undo()
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", str(tmp_path / "rules"))
    # A damaged or foreign entry is not trusted: the pattern is analysed again.
    for junk in (b"\x00garbage", b"N", b"i\x01\x00\x00\x00"):
        stored.write_bytes(junk)
        assert _prefilter._load_analysis(source, flags) == fresh
    # Scanning with it still finds what the regex finds.
    sc = Scanner(source, flags)
    assert _spans(sc.finditer("It CURES. Safe and sound.")) == [(3, 8), (10, 24)]
    # Turned off, nothing is written.
    monkeypatch.setenv("HANDBOOK_LINT_RULE_CACHE", "off")
    assert _prefilter._load_analysis(source + "|x", flags) == analyse(source + "|x", flags)
    assert len(list((tmp_path / "rules").iterdir())) == 1


def test_readability_counts_the_same_words_in_one_pass_as_sentence_by_sentence() -> None:
    from handbook_lint.checks import readability

    plain_word = re.compile(r"[A-Za-z]+(?:[’'][A-Za-z]+)*|\d+(?:[.,]\d+)*")
    sentences = ["Don't stop: it's 3.5 or 1,000,000 times (or ٣٤) rock'n'roll.",
                 "Ends with an apostrophe' and a dot 12.", "12", "'quoted' words’ and o’clock",
                 "", "No-one knows; x2y3 4.5.6 and a.b.", *_salad(50)]
    per_sentence = [w for s in sentences for w in plain_word.findall(s)]
    assert readability._WORD.findall("\n".join(sentences)) == per_sentence
    fk, smog, n = readability.grades(sentences)
    assert n == len(per_sentence)
    syl = [readability.syllables(w) for w in per_sentence]
    assert fk == round(0.39 * (n / len(sentences)) + 11.8 * (sum(syl) / n) - 15.59, 1)


def _old_parse_bib(text: str) -> list[tuple]:
    """The bibliography reader before it jumped from brace to brace (kept to compare)."""
    entry = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]+)\s*,")
    field = re.compile(r"\b([A-Za-z_-]+)\s*=\s*")

    def values(body: str) -> dict[str, str]:
        out: dict[str, str] = {}
        i = 0
        while True:
            m = field.search(body, i)
            if not m:
                return out
            j = m.end()
            if j >= len(body):
                return out
            if body[j] == "{":
                depth, k = 0, j
                while k < len(body):
                    if body[k] == "{":
                        depth += 1
                    elif body[k] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
                value = body[j + 1 : k]
                i = k + 1
            elif body[j] == '"':
                k = body.find('"', j + 1)
                k = len(body) if k == -1 else k
                value = body[j + 1 : k]
                i = k + 1
            else:
                mm = re.match(r"[^,}\s]*", body[j:])
                value = mm.group(0) if mm else ""
                i = j + max(len(value), 1)
            out[m.group(1).lower()] = value.strip()

    entries = []
    for m in entry.finditer(text):
        kind = m.group(1).lower()
        if kind in ("comment", "string", "preamble"):
            continue
        depth, k = 1, m.end()
        while k < len(text) and depth:
            if text[k] in "{(":
                depth += 1
            elif text[k] in "})":
                depth -= 1
            k += 1
        body = text[m.end() : k - 1]
        entries.append((m.group(2), kind, text.count("\n", 0, m.start()) + 1, values(body)))
    return entries


def test_bibliography_entries_fields_and_lines_are_read_as_before() -> None:
    from handbook_lint.checks.reference import parse_bib

    bib = Path(__file__).resolve().parents[1] / "docs" / "references.bib"
    texts = [bib.read_text(encoding="utf-8")] if bib.exists() else []
    texts += [
        "@article{a, title = {Nested {Braces} and (parens)}, year = 2020, doi = \"10.1/x\"}\n"
        "@comment{skip me}\n@book(b, author = {A and B}, note = {unclosed\n"
        "@misc{c, url = {http://x.org/a_(b)}, pmid=123 , }\n",
        "@article{d, title = {never closed",
        "@article{e,\n  title = \"quoted, with comma\",\n  year={2001}}\n\n@string{x = {y}}\n"
        "@article{f, bare = word}rest} @article{g, t = {x}}",
        "", "no entries here at all",
    ]
    for text in texts:
        assert [(e.key, e.kind, e.line, e.fields) for e in parse_bib(text)] == \
            _old_parse_bib(text)


def test_scanning_tests_an_alternatives_other_words_in_the_same_sentence_only() -> None:
    # "... times as likely" needs a number and "likely" in one sentence: many sentences
    # with a number (the anchor), the other words only in sentences next to them.
    sc = Scanner(r"\b\d+\s+times\s+as\s+likely\b|\bno\s+known\s+risks\b", re.IGNORECASE)
    texts = ["We saw 3 patients.", "Times as likely.", "It is 2 times as likely.",
             "No known risks here.", "In 1999 no one knew.", "Known risks: 4.",
             "THEY ARE 10 TIMES AS LIKELY, with no known risks.", "Likely as not, 5 of them."]
    index = DocIndex([SimpleNamespace(text=t) for t in texts])
    found = {i: _spans(sc.finditer_alternatives(texts[i], alts)) for i, alts in sc.scan(index)}
    assert {i: s for i, s in found.items() if s} == {
        i: _spans(sc.compiled.finditer(t)) for i, t in enumerate(texts)
        if sc.compiled.search(t)}
    assert set(found) <= {2, 3, 6}  # the others lack a word of each alternative


def test_readability_grades_are_the_same_with_and_without_the_word_shortcut() -> None:
    from handbook_lint.checks import readability

    glossary = frozenset({"prolotherapy", "bone marrow aspirate", "bone marrow", "prp"})
    sentences = ["Prolotherapy and PROLOTHERAPIES are injections.",
                 "Bone marrow aspirate is taken from the hip; bone marrows differ.",
                 "Nothing here is a term, but it is a fairly complicated sentence.",
                 "PRP, prp-like and prps.", "", "Marrow alone is not a term."]
    tokens = [key(s).words for s in sentences]
    plain = readability.grades(sentences, glossary)
    assert readability.grades(sentences, glossary, tokens) == plain
    # The terms count as short words: the grade is lower than with no glossary.
    assert plain[0] < readability.grades(sentences)[0]


def test_alerts_on_a_sentence_point_where_the_block_alert_points(tmp_path: Path) -> None:
    from handbook_lint.checks.base import _position, make_alert
    from handbook_lint.document import parse_text

    doc = parse_text("# T\n\nFirst one. It is\nsafe and *very* easy.\n\n- A cure.\n",
                     str(tmp_path / "p.md"))
    check = absolute.SAFETY_CLAIM
    for block in doc.blocks:
        for s in block.sentences:
            for start, end in ((0, None), (0, 2), (3, len(s.text))):
                a = make_alert(check, s, start, end)
                stop = len(s.text) if end is None else end
                b = make_alert(check, block, s.start + start, s.start + stop)
                assert (a.path, a.line, a.span, a.match, a.message) == (
                    b.path, b.line, b.span, b.match, b.message)
                assert (a.path, a.line, *a.span, a.match) == _position(s, start, end)
    assert make_alert(check, doc, line=4).line == 4


def test_a_document_index_folds_and_splits_as_sentence_by_sentence() -> None:
    # Folded once per document; the same keys as folding each sentence alone, with
    # Greek final sigma, dotted capital I, digits in other scripts and a stray separator.
    rng = random.Random(11)
    alphabet = "aAΣσςΣ'’ 1٣\u0130\u017f\u212aİıx.-K\x00"
    for _ in range(500):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
                 for _ in range(rng.randint(0, 6))]
        index = DocIndex([SimpleNamespace(text=t) for t in texts])
        assert index.keys == [key(t) for t in texts], texts
        assert index.low == "\x00".join(key(t).low for t in texts)
        assert index.texts == texts


def test_a_scanner_skips_only_texts_it_cannot_match() -> None:
    rng = random.Random(12)
    words = ["stem", "cell", "cells", "STEM", "prp", "Platelet", "rich", "plasma",
             "exosomes", "cord", "blood", "safe", "is", "\x00", "Σ", "\u017ftem", "amniotic",
             " ", "-", "."]
    for _ in range(300):
        texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
                 for _ in range(rng.randint(0, 6))]
        for sc in (structure._REGEN, structure._STATUS, absolute._SAFETY):
            may = sc.may_match(texts)
            assert [i for i, t in enumerate(texts) if sc.compiled.search(t)] == [
                i for i, t in enumerate(texts) if i in may and sc.compiled.search(t)]


def test_glossary_terms_sharing_words_are_counted_as_one_word_each() -> None:
    # Only the terms whose longest word a sentence has are tried; random sentences of
    # overlapping terms count the same words as trying every term, longest first.
    glossary = frozenset({"bone marrow", "bone marrow aspirate", "marrow", "aspirate",
                          "bone", "stem cells", "stem cell therapy", "cell", "pain pump",
                          "pump", "it band"})
    parts = ["bone", "marrow", "marrows", "aspirate", "BONE", "stem", "cell", "cells",
             "therapy", "pain", "pump", "pumps", "it", "band", "the", "-", ",", "it's"]
    rng = random.Random(13)
    texts = [" ".join(rng.choice(parts) for _ in range(rng.randint(1, 9)))
             for _ in range(300)]
    _check_glossary_words(glossary, texts)


def test_words_inside_a_phrase_are_required_only_where_they_are_whole_words() -> None:
    # "pain free" between boundaries needs the words "pain" and "free"; "xpain free" with
    # no boundary after it needs "xpain" but not "free" ("xpain freedom" matches).
    sc = Scanner(r"\bpain[- ]free\b|\bxpain free|side[- ]effect-free\b", re.IGNORECASE)
    (first, second, third) = analyse(sc.pattern, sc.flags)
    assert frozenset({("w", "free")}) in first[1] or frozenset({("w", "pain")}) in first[1]
    assert frozenset({("w", "xpain")}) in second[1]
    assert not any(("w", "free") in c for c in second[1])
    assert not any(("w", "side") in c for c in third[1])  # "inside-effect-free" matches
    texts = ["It is PAIN-FREE.", "painfree", "pain, free", "The xpain freedom.",
             "XPAIN FREE", "a pain free day", "inside-effect-free", "Side effect-free",
             "pain-freedom", "\u017fide-effect-free"]
    for text in texts:
        assert _spans(sc.finditer(text)) == _spans(sc.compiled.finditer(text)), text
    index = DocIndex([SimpleNamespace(text=t) for t in texts])
    found = {i: _spans(sc.finditer_alternatives(texts[i], alts)) for i, alts in sc.scan(index)}
    for i, text in enumerate(texts):
        assert found.get(i, []) == _spans(sc.compiled.finditer(text)), text


def test_words_of_ascii_sentences_split_as_the_word_regex_finds_them() -> None:
    from handbook_lint.checks._prefilter import _word_sets

    every = "".join(chr(c) for c in range(1, 128))
    assert _word_sets([every]) == [frozenset(re.findall(r"\w+", every))]
    assert _word_sets([]) == []
    assert key("a\x00b c_d").words == frozenset({"a", "b", "c_d"})
    rng = random.Random(14)
    alphabet = "ab_1 \t\n\x0b\x0c\x1c\x1f\x85\xa0\u00e9\u2014.,-'\u2019"
    for _ in range(2000):  # ASCII and non-ASCII sentences mixed, as on a page
        lows = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
                for _ in range(rng.randint(0, 5))]
        assert _word_sets(lows) == [frozenset(re.findall(r"\w+", t)) for t in lows], lows
        for t in lows:
            assert key(t).words - {"\x00digit"} == frozenset(re.findall(r"\w+", fold(t)))


def test_readability_finds_the_same_words_by_splitting_ascii_text() -> None:
    from handbook_lint.checks import readability

    rng = random.Random(15)
    alphabet = "aZ09 '\u2019.,-_\n\t\x00\u00e9\u2014x"
    for _ in range(3000):
        sentences = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
                     for _ in range(rng.randint(0, 4))]
        expected = sorted(w for s in sentences for w in readability._WORD.findall(s))
        assert sorted(readability._all_words(sentences)) == expected, sentences
    mixed = ["Don't stop: 1,000.5 rock'n'roll, end.", "Caf\u00e9 o\u2019clock 12.", "_x_ y."]
    assert readability.grades(mixed)[2] == len(readability._WORD.findall("\n".join(mixed)))
