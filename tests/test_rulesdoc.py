"""RULES.md is generated from the rules' own documentation and must be kept current."""

from __future__ import annotations

from pathlib import Path

from handbook_lint.rules import iter_rule_meta
from handbook_lint.rulesdoc import generate

ROOT = Path(__file__).resolve().parents[1]


def test_rules_md_is_up_to_date():
    expected = generate(ROOT)
    actual = (ROOT / "RULES.md").read_text(encoding="utf-8")
    assert actual == expected, (
        "RULES.md is stale: run `python -m handbook_lint.rulesdoc > RULES.md`")


def test_rules_md_lists_every_rule_with_family_level_and_standard():
    text = (ROOT / "RULES.md").read_text(encoding="utf-8")
    for m in iter_rule_meta(ROOT):
        assert f"| [`{m.id}`]" in text and f"### {m.id}\n" in text, m.id
        row = next(line for line in text.splitlines() if line.startswith(f"| [`{m.id}`]"))
        assert f"| {m.family} | {m.level} |" in row, m.id
