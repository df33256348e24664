"""Block rules switched off for a text they cannot match leave its parse unchanged: same
tokens as the parser with every rule on, and so the same prose for the linter."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from handbook_lint import document
from handbook_lint.document import _MD_DOC, _MD_FRAGMENT, _parse_blocks, _rules_off

NAMES = [f.name for f in dataclasses.fields(Token) if f.name != "children"]


def fields(tokens):
    return [{name: getattr(t, name) for name in NAMES} for t in tokens]


PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "\t", "> ", ">", "> > ", "- ", "1. ",
            "2) ", "* ", "+ ", ": ", "~ ", "[^1]: ", "-     ", ">     ", "  - "]
CONTENTS = ["% comment", "%", "<div>", "</div>", "<!-- note -->", "<b>x</b>", "(target)=",
            "()=", "+++", "+ + +", "++", "{{ name }}", "{{x}}", "[a]: /url", "[a]:",
            "[^n]: note", "[a", "b]: /u", "| a | b |", "|---|---|", "a | b", "--|--",
            "---", "===", "***", "text", "more text", "50% of people", "x < y", "```",
            ":::{note}", ":::", "", "", "# Heading", "Term", ": def", "code"]


# Front matter (or what looks like it) decides whether the setext-heading rule can be off.
HEADS = ["", "", "---\nkind: x\n---\n", "---\n---\n", "---\na: b\n...\n", "----\nx\n----\n",
         "---\nTitle\n", "---\n"]


@st.composite
def markdown(draw):
    lines = draw(st.lists(st.tuples(st.sampled_from(PREFIXES), st.sampled_from(CONTENTS)),
                          max_size=12))
    return (draw(st.sampled_from(HEADS)) + "\n".join(p + c for p, c in lines)
            + draw(st.sampled_from(["", "\n"])))


@settings(max_examples=800, deadline=None)
@given(markdown(), st.booleans())
def test_parser_without_impossible_rules_gives_the_same_tokens(src: str, doc: bool) -> None:
    full = _MD_DOC if doc else _MD_FRAGMENT
    env: dict = {}
    _, tokens = _parse_blocks(src, env, doc)
    full_env: dict = {}
    assert fields(tokens) == fields(full.parse(src, full_env))
    assert env == full_env  # reference definitions found once, as with every rule on


@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("Plain text.\n", []),
        ("    indented code\n", ["code"]),
        ("\tcode\n", ["code"]),
        ("[a]: https://example.org\n", ["reference", "footnote_def", "myst_line_comment",
                                     "html_block"]),
        ("{{ name }}\n", ["substitution_block"]),
        ("(label)=\n# Title\n", ["myst_target"]),
        ("| a |\n|---|\n", ["table"]),
        ("+++\n", ["myst_block_break"]),
        ("% a comment\n", ["myst_line_comment"]),
        ("> - <div>\n", ["html_block"]),
        ("Costs 50% more.\n", []),
    ],
)
def test_a_rule_stays_on_when_its_marker_is_in_the_text(src: str, kept: list[str]) -> None:
    every = {"code", "reference", "footnote_def", "substitution_block", "myst_target",
             "table", "myst_block_break", "myst_line_comment", "html_block"}
    assert set(_rules_off(src)) == every - set(kept)


@pytest.mark.parametrize(
    ("src", "heading"),
    [
        ("---\nkind: x\n---\nTitle\n=====\n\nBody.\n", "Title"),
        ("---\nkind: x\n---\n\nBody text\n---\n", "Body text"),  # setext h2 after front matter
        ("Intro line\n---\n\nBody.\n", "Intro line"),
        ("---\na: b\n...\nTitle\n=====\n", "Title"),  # front matter closed by "..."
        # "----" opens front matter that "---" cannot close: a rule, then a setext heading
        ("----\nTitle\n---\n", "Title"),
    ],
)
def test_setext_headings_are_found_with_and_without_front_matter(src: str, heading: str) -> None:
    d = document.parse_text(src, "x.md")
    assert [b.text for b in d.blocks if b.kind == "heading"] == [heading]


def test_setext_heading_table_and_comment_still_found() -> None:
    d = document.parse_text(
        "Title\n=====\n\n<!-- handbook-lint: disable=Handbook.Hype reason=\"x\" -->\n"
        "| Col |\n|-----|\n| cell text |\n\n% not prose\n\nBody.\n", "x.md")
    assert [(b.kind, b.text) for b in d.blocks] == [
        ("heading", "Title"), ("table.header", "Col"), ("table.cell", "cell text"),
        ("paragraph", "Body.")]
    assert [c.line for c in d.comments] == [4]


def test_past_the_parser_limit_the_full_parser_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    src = "Title\n=====\n\n{{ unusual }}\n\n(target)=\n+ + +\n\nText.\n"
    monkeypatch.setattr(document, "_MAX_PARSERS", len(document._PARSERS))
    before = dict(document._PARSERS)
    md, tokens = _parse_blocks(src, {}, False)
    assert document._PARSERS == before  # nothing new built
    assert fields(tokens) == fields(_MD_FRAGMENT.parse(src, {}))
