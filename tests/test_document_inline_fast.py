"""The inline fast path (plain text and roles without markdown-it's inline parser) gives
the same tokens, and so the same prose, offsets and citations, as the full parser."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from handbook_lint import inline_fast
from handbook_lint.document import _make_md, parse_text


def _full_md():
    md = _make_md(False)
    md.core.ruler.enable(["inline", "text_join"])  # markdown-it's own pipeline
    return md


FULL = _full_md()


def full_children(src: str):
    return FULL.parseInline(src, {})[0].children


def fields(tokens):
    """Every field of markdown-it's Token, for each token."""
    names = [f.name for f in dataclasses.fields(Token)]
    return [{name: getattr(t, name) for name in names} for t in tokens]


# Pieces that start (or almost start) an inline rule, mixed with plain words.
PIECES = ["pain", " ", "  ", "\n", "\t", " \n", "  \n", "\n  ", "{", "}", "{{", "}}",
          "{cite:p}", "{footcite:t}", "{term}", "{bad name}", "`", "``", "```", "k1,k2",
          "*", "_", "[", "]", "(", ")", "![", "[^1]", "<", ">", "&", "&amp;", "\\", ":",
          "!", "~", "$", "#", "-", "1.", "e.g.", "\u00a0", "\u201c"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_fast_path_tokens_equal_markdown_it(src: str) -> None:
    fast = inline_fast.fast_children(src)
    if fast is not None:
        assert fields(fast) == fields(full_children(src))


@pytest.mark.parametrize(
    "src",
    [
        "Plain text only.",
        "Two lines\nof text.",
        "Hard break  \nnext line.",
        "Trailing tab\t\n\t leading tab.",
        "Pain fell {cite:p}`lee2020,kim2019`.",
        "{footcite:t}`smith2021` found less pain.",
        "A {term}`role with\nnewline` inside.",
        "Double {abbr}``x`y`` ticks.",
        "Braces {not a role} and {x} and } alone.",
        "A role at the end {cite}",
        "",
    ],
)
def test_fast_path_covers_plain_text_and_roles(src: str) -> None:
    fast = inline_fast.fast_children(src)
    assert fast is not None
    assert fields(fast) == fields(full_children(src))


@pytest.mark.parametrize(
    "src",
    ["Some *emphasis*.", "A [link](https://example.org).", "Code `x`.", "Escaped \\*.",
     "Edition {{ date }}.", "An &amp; entity.", "<b>html</b>", "Note[^1].",
     "Unclosed {cite}`key"],
)
def test_other_markup_goes_to_markdown_it(src: str) -> None:
    assert inline_fast.fast_children(src) is None


def _shape(doc):
    return ([(b.kind, b.text, list(b.offsets), b.containers,
              [(s.start, s.end, [c.keys for c in s.citations]) for s in b.sentences],
              [(r.name, r.content, r.start, r.end, r.offset) for r in b.roles])
             for b in doc.blocks],
            [(c.role, c.keys, c.line, c.col, c.offset, c.end_offset) for c in doc.citations])


FIX = Path(__file__).parent / "fixtures" / "document"
DOC = (
    "# Pain  \nrelief {term}`PRP`\n\n"
    "Plain line one\nline two  \nline three.\n\n"
    "Pain fell {cite:p}`a,b`. {footcite:t}`c` agreed.\n\n"
    "*Pain* fell [a lot](https://x.org) {cite:p}`a`.\n\n"
    "| Col {term}`x` | Two |\n|---|---|\n| cell `code` | {abbr}`PRP (platelet)` |\n\n"
    ":::{note} Arg {cite:p}`d`\nBody {cite}`e`\nmore.\n:::\n"
)


@pytest.mark.parametrize("name", ["inline", "myst.md", "glossary.md"])
def test_document_is_the_same_with_and_without_the_fast_path(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOC if name == "inline" else (FIX / name).read_text()
    fast = _shape(parse_text(text, "x.md"))
    monkeypatch.setattr(inline_fast, "fast_children", lambda src: None)
    assert _shape(parse_text(text, "x.md")) == fast


def test_offsets_of_plain_and_marked_up_sentences() -> None:
    d = parse_text("Pain fell a lot {cite:p}`a`.\nIt *did* not [last](https://x.org).\n",
                   "x.md")
    (b,) = d.blocks
    assert b.text == "Pain fell a lot. It did not last."
    assert [s.text for s in b.sentences] == ["Pain fell a lot.", "It did not last."]
    # (line, col) of "a lot", "did" and "last" in the source
    for word, pos in [("a lot", (1, 11)), ("did", (2, 5)), ("last", (2, 15))]:
        i = b.text.index(word)
        assert b.position(i, i + len(word))[:2] == pos, word
    (cit,) = d.citations
    assert (cit.keys, cit.line, cit.col) == (("a",), 1, 17)
    assert b.sentences[0].citations == [cit]


def test_other_inline_rules_turn_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A markdown-it whose inline rules differ (another version) is not mirrored: the
    parser keeps markdown-it's whole pipeline, and no run is parsed twice."""
    monkeypatch.setattr(inline_fast, "EXPECTED_INLINE", ["text", "newline"])
    md = _make_md(False)
    assert md.core.ruler.get_active_rules()[-2:] == ["inline", "text_join"]
    src = "Pain *fell* a lot {cite:p}`a`.\nSee [this](https://x.org)."
    (tok,) = [t for t in md.parse(src, {}) if t.type == "inline"]
    children = inline_fast.children_of(md, tok, {})
    assert fields(children) == fields(full_children(src))
    assert inline_fast.children_of(md, tok, {}) is children  # not parsed again
