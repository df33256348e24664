"""The MyST document model: what is prose, where it sits, sentences, and bad input.

Fixture tests/fixtures/document/myst.md; the table below says where each piece of
prose must be found (line, column of its first character) and in which kind of block.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook_lint.document import _SIMPLE_YAML, InputError, parse, parse_text, split_sentences

FIX = Path(__file__).parent / "fixtures" / "document"

# text that must be prose -> (line, col, block kind, a container it must sit in or "")
PROSE = {
    "Prolotherapy at a glance": (8, 3, "heading", ""),
    "Dr. Lee et al. found pain": (11, 1, "paragraph", ""),
    "It did not last.": (11, 73, "paragraph", ""),
    "A list item with": (13, 3, "paragraph", "list"),
    "emphasis": (13, 34, "paragraph", "list"),
    "link text": (14, 6, "paragraph", "list"),
    "Second line of the item.": (15, 3, "paragraph", "list"),
    "A quote in a block quote.": (17, 3, "paragraph", "blockquote"),
    "Column two": (19, 16, "table.header", ""),
    "cell": (21, 3, "table.cell", ""),
    "Term": (23, 1, "term", ""),
    "Definition of the term.": (24, 3, "paragraph", "definition"),
    "The footnote text.": (28, 10, "paragraph", "footnote"),
    "What the dropdown says": (30, 16, "directive.argument", "directive:dropdown"),
    "Dropdown body paragraph.": (33, 1, "paragraph", "directive:dropdown"),
    "Nested note inside the dropdown.": (36, 1, "paragraph", "directive:note"),
    '"The page said it cures pain."': (44, 12, "claim.argument", "directive:claim"),
    "The evidence says otherwise": (46, 1, "paragraph", "directive:claim"),
    "Prolotherapy uses PRP sometimes.": (49, 8, "paragraph", ""),
    "Risks and side effects": (53, 4, "heading", ""),
}

NOT_PROSE = ["kind", "treatment", "sec-intro", "MyST comment", "lee2020", "example.org",
             "code b", "not_prose", "python", ":open:", "verdict", "smith2021",
             "an html comment", "platelet-rich", "<prolotherapy>", "note]"]


@pytest.fixture(scope="module")
def doc():
    return parse(FIX / "myst.md")


@pytest.mark.parametrize("phrase", list(PROSE))
def test_prose_is_found_at_its_source_line_and_column(doc, phrase: str) -> None:
    line, col, kind, container = PROSE[phrase]
    found = [(b, b.text.find(phrase)) for b in doc.blocks if phrase in b.text]
    assert found, f"{phrase!r} is not in any block"
    block, i = found[0]
    assert block.position(i, i + len(phrase))[:2] == (line, col)
    assert block.kind == kind
    assert not container or container in block.containers


@pytest.mark.parametrize("text", NOT_PROSE)
def test_markup_code_targets_and_comments_are_not_prose(doc, text: str) -> None:
    assert all(text not in b.text for b in doc.blocks)


def test_every_prose_character_maps_to_the_same_source_character(doc) -> None:
    for b in doc.blocks:
        for i, ch in enumerate(b.text):
            if ch.isalnum():
                assert doc.source[b.offsets[i]] == ch, (b.text, i)


def test_front_matter_sections_citations_claims_comments(doc) -> None:
    assert doc.front_matter["kind"] == "treatment"
    assert str(doc.front_matter["last_reviewed"]) == "2026-11-23"
    assert doc.title == "Prolotherapy at a glance"
    assert [(s.title, s.level, s.line) for s in doc.sections] == [
        ("Prolotherapy at a glance", 1, 8), ("Risks and side effects", 2, 53)]
    h1, risks = doc.sections
    assert risks.parent is h1 and risks.blocks[0].text == "The risks are listed here."
    assert all(b in h1.blocks for b in risks.blocks)  # subsections belong to the parent
    assert [(c.role, c.keys, c.line, c.col) for c in doc.citations] == [
        ("cite:p", ("lee2020", "kim2019"), 11, 46), ("footcite:p", ("smith2021",), 46, 29)]
    first = doc.blocks[1]
    assert [len(s.citations) for s in first.sentences] == [1, 0]
    (claim,) = doc.claims
    assert claim.verdict == "not supported" and claim.argument.attributed
    assert claim.body[0].citations[0].keys == ("smith2021",)
    assert [c.line for c in doc.comments] == [51]


def test_textual_citation_keeps_the_sentence_subject() -> None:
    d = parse_text("Earlier work. {cite:t}`smith2020` found less pain.\n", "x.md")
    (b,) = d.blocks
    assert [s.text for s in b.sentences] == ["Earlier work.", "Authors found less pain."]
    assert b.sentences[1].citations[0].keys == ("smith2020",)


def test_citation_after_the_full_stop_belongs_to_the_sentence_before() -> None:
    d = parse_text("Pain fell by half. {cite:p}`a` Next sentence here.\n", "x.md")
    s1, s2 = d.blocks[0].sentences
    assert [c.keys for c in s1.citations] == [("a",)] and s2.citations == []


def test_glossary_terms_and_definitions() -> None:
    g = parse(FIX / "glossary.md")
    assert g.glossary_terms == ["Prolotherapy", "Analgesic"]
    defs = [b for b in g.blocks if b.kind == "paragraph"]
    assert defs[0].text == "An injection of an irritant solution. It aims to make tissue heal."
    assert defs[0].position(0, 2)[:2] == (5, 3)
    assert defs[1].position(0, 1)[:2] == (9, 3)


def test_plain_text_files() -> None:
    d = parse(FIX / "plain.txt")
    assert [(b.line, b.text) for b in d.blocks] == [
        (1, "A plain text file. It has two lines."), (4, "And a second paragraph.")]


def test_commonmark_file_without_myst_features() -> None:
    d = parse_text("Title\n=====\n\nSome *text*.\n", "x.md")
    assert [(b.kind, b.text, b.line) for b in d.blocks] == [
        ("heading", "Title", 1), ("paragraph", "Some text.", 4)]


def test_backtick_and_colon_fences_nest() -> None:
    d = parse_text(
        "````{tab-set}\n```{tab-item} First\nInside *one*.\n```\n````\n\n"
        "::::{grid} 1 2\n:::{grid-item-card} Card title\nCard body.\n:::\n::::\n", "x.md")
    got = [(b.kind, b.text, b.line, b.directives) for b in d.blocks]
    assert got == [
        ("directive.argument", "First", 2, ("tab-set", "tab-item")),
        ("paragraph", "Inside one.", 3, ("tab-set", "tab-item")),
        ("directive.argument", "Card title", 8, ("grid", "grid-item-card")),
        ("paragraph", "Card body.", 9, ("grid", "grid-item-card")),
    ]


def test_unknown_directive_body_is_prose() -> None:
    d = parse_text("```{mystery} Arg\nHidden words.\n```\n", "x.md")
    assert "Hidden words." in [b.text for b in d.blocks]


def test_directive_options_in_yaml_block_are_not_prose() -> None:
    d = parse_text("```{note}\n---\nclass: tip\n---\nThe body.\n```\n", "x.md")
    assert [(b.text, b.line) for b in d.blocks] == [("The body.", 5)]


def test_substitutions_are_not_prose() -> None:
    d = parse_text("Edition {{ edition_date }} today.\n", "x.md")
    assert d.blocks[0].text == "Edition  today."


# ------------------------------------------------------------------ sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Dr. Smith saw her. She felt better.", ["Dr. Smith saw her.", "She felt better."]),
        ("Pain fell by 2.5 points. Then it rose.", ["Pain fell by 2.5 points.", "Then it rose."]),
        ("Some drugs, e.g. ibuprofen, help. Others do not.",
         ["Some drugs, e.g. ibuprofen, help.", "Others do not."]),
        ("Lee et al. found this. We agree.", ["Lee et al. found this.", "We agree."]),
        ("That is, i.e. the spine. Yes.", ["That is, i.e. the spine.", "Yes."]),
        ("J. R. Smith wrote it. Really?", ["J. R. Smith wrote it.", "Really?"]),
        ("1. First step is rest.", ["1. First step is rest."]),
        ("Is it safe? Nobody knows! Ask.", ["Is it safe?", "Nobody knows!", "Ask."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("Costs vary (about $500). Ask first.", ["Costs vary (about $500).", "Ask first."]),
        ("No end punctuation", ["No end punctuation"]),
    ],
)
def test_sentence_splitter(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


_SENTENCE_PIECES = ["Dr", "e.g", "i.e", "et al", "etc", "U.S", "J", "1", "(2", "a", "B", ".",
                    ". ", "? ", "! ", "...", " ", "\n", "\u00a0", "Pain", "pain", '"', "\u201d",
                    ")", "(", "2.5", "\t", "É", "ph.d", "A."]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=25).map("".join))
def test_sentences_cover_every_visible_character_once(text: str) -> None:
    spans = split_sentences(text)
    covered = [i for s, e in spans for i in range(s, e)]
    assert covered == sorted(set(covered))  # in order, no overlap
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= set(covered)


def test_sentence_positions_across_lines() -> None:
    d = parse_text("First sentence\ncontinues here. Second\none.\n", "x.md")
    s1, s2 = d.blocks[0].sentences
    assert (s1.line, s1.col, s2.line, s2.col) == (1, 1, 2, 17)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"Fine line.\nBad \xff byte.\n", 2, "invalid UTF-8"),
        (b"Some\x00binary", 1, "binary file"),
        (b"Text.\n\n```python\ncode never closed\n", 3, "unterminated fence"),
        (b"Text.\n\n:::{note}\nnever closed\n", 3, "unterminated fence"),
        (b"---\ntitle: x\n", 1, "never closed"),
        (b"---\ntitle: [x\nnext: 1\n---\nBody.\n", 3, "front matter"),
        (b"---\n- a list\n---\n", 2, "mapping"),
    ],
)
def test_bad_input_is_one_error_with_file_and_line(tmp_path: Path, data: bytes, line: int,
                                                   words: str) -> None:
    f = tmp_path / "bad.md"
    f.write_bytes(data)
    with pytest.raises(InputError) as exc:
        parse(f)
    assert exc.value.line == line and words in exc.value.message
    assert str(exc.value).startswith(f"{f}:{line}: ")
    assert "\n" not in str(exc.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse(tmp_path / "nope.md")


def test_crlf_and_bom_keep_columns() -> None:
    d = parse_text("\ufeff# Title\r\n\r\nBody text.\r\n", "x.md")
    assert [(b.text, b.line, b.position(0, 1)[1]) for b in d.blocks] == [
        ("Title", 1, 3), ("Body text.", 3, 1)]


def test_card_header_and_footer_separators_are_not_prose() -> None:
    d = parse_text("```{card} Title\nHeader\n^^^\nBody text.\n+++\nFooter\n```\n", "x.md")
    assert [b.text for b in d.blocks] == ["Title", "Header", "Body text.", "Footer"]


# ------------------------------------------------------------------ front matter YAML


@settings(max_examples=200, deadline=None)
@given(st.from_regex(_SIMPLE_YAML, fullmatch=True))
def test_simple_front_matter_reads_the_same_with_libyaml(block: str) -> None:
    import yaml

    def load(loader):
        try:
            return ("ok", yaml.load(block, Loader=loader))  # noqa: S506 - safe loaders
        except yaml.YAMLError as exc:
            return ("error", type(exc).__name__)

    assert load(yaml.CSafeLoader) == load(yaml.SafeLoader)


def test_front_matter_values_and_errors() -> None:
    d = parse_text('---\nkind: treatment\nsource: "A: title"\nlast_reviewed: 2026-11-23\n'
                   "count: 3\n---\nBody.\n", "x.md")
    assert d.front_matter == {"kind": "treatment", "source": "A: title", "count": 3,
                              "last_reviewed": __import__("datetime").date(2026, 11, 23)}
    with pytest.raises(InputError, match="front matter") as exc:
        parse_text('---\nkind: "open\n---\n', "x.md")
    assert exc.value.line == 2
