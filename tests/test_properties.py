"""Property tests: random and mutated MyST through the parser and the rules.

Whatever the input: parsing returns a Document or raises InputError (one line); every
position stays inside the file; linting the same text twice gives the same alerts; a
pathological regex cannot hang the run.
"""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook_lint.api import _check_alerts
from handbook_lint.checks.base import Context
from handbook_lint.config import load_settings
from handbook_lint.document import Document, InputError, parse_text
from handbook_lint.rules import load_ruleset
from handbook_lint.suppress import find_suppressions
from handbook_lint.vale import load_rule, run_rules

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures"
SEED = (FIX / "document" / "myst.md").read_text()

# The project's real rule set (Vale styles + Python checks) and the Test style.
_SETTINGS = load_settings(ROOT)
RULESET = load_ruleset(ROOT, _SETTINGS)
CTX = Context(root=ROOT, settings=_SETTINGS, paths=())

LINES = [
    "# Heading", "## Risks and side effects", "Plain sentence. Another one!", "Dr. Lee et al.",
    "- item", "1. step", "> quote", "| a | b |", "|---|---|", "```", "```{note} Title",
    "````{tab-set}", ":::", "::::", ":::{claim} \"It cures everything\"", ":verdict: unclear",
    ":open:", "---", "title: x", "{cite:p}`a,b` text", "{term}`Word <w>`", "`code`",
    "<!-- handbook-lint: disable=Handbook.Hype reason=\"x\" -->",
    "<!-- handbook-lint: enable=Handbook.Hype -->", "<!-- vale off -->", "<!-- vale on -->",
    "[^1]: foot", "Term", ": definition", "{{ sub }}", "https://example.org/x", "", "    indented",
    "It is completely safe and painless.", "80% of people improved.", "Schedule today!",
    "```{glossary}", "Term", "  Definition.", "$5,000 \u2013 \u00e9\u00e8 \u4e2d\u6587 \U0001F600",
]

myst_text = st.lists(
    st.one_of(st.sampled_from(LINES), st.text(max_size=40)), max_size=30
).map("\n".join)


@st.composite
def mutated_seed(draw) -> str:
    text = SEED
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 80)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(LINES + ["`", "{", "}", ":", "\n"])) + text[i:]
    return text


def lint(doc: Document):
    alerts, problems = _check_alerts(doc, RULESET, CTX)
    sups = find_suppressions(doc)
    return alerts, problems, sups


def check_properties(text: str) -> None:
    try:
        doc = parse_text(text, "docs/chapters/000-x.md")
    except InputError as exc:
        assert "\n" not in str(exc) and exc.line >= 0
        return
    n = len(doc.source)
    for b in doc.blocks:
        assert len(b.offsets) == len(b.text)
        assert all(0 <= o <= n for o in b.offsets)
        for s in b.sentences:
            assert 0 <= s.start < s.end <= len(b.text)
    alerts, problems, sups = lint(doc)
    assert problems == []
    lines = doc.source.split("\n")
    for a in alerts:
        assert 1 <= a.line <= len(lines), a
        assert 1 <= a.span[0] <= a.span[1] <= max(len(lines[a.line - 1]), 1), a
    for s in sups:
        assert 1 <= s.start <= s.end <= len(lines)
    again = parse_text(text, "docs/chapters/000-x.md")
    assert lint(again)[0] == alerts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(myst_text)
def test_random_myst(text: str) -> None:
    check_properties(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_seed())
def test_mutated_myst(text: str) -> None:
    check_properties(text)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ab \n", min_size=20, max_size=200))
def test_pathological_regex_never_hangs(tmp_path_factory, text: str) -> None:
    f = tmp_path_factory.mktemp("rule") / "Slow.yml"
    f.write_text("# family: marketing\nextends: existence\nmessage: '%s'\nnonword: true\n"
                 "tokens:\n  - '(?:a|aa)+$'\n")
    rule = load_rule(f, "S", [], timeout=0.05)
    doc = parse_text("a" * 60 + "b\n\n" + text, "x.md")
    start = time.monotonic()
    alerts, problems = run_rules(doc, [(rule, "error")])
    assert time.monotonic() - start < 5
    assert problems and "timed out" in problems[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), myst_text.map(lambda t: t.encode("utf-8"))))
def test_any_bytes_through_the_api(tmp_path_factory, data: bytes) -> None:
    """Whatever a file holds, run() returns alerts and one-line errors; nothing raises."""
    from handbook_lint.api import run

    d = tmp_path_factory.mktemp("any")
    (d / "pyproject.toml").write_text("[tool.handbook-lint]\ncache = false\n")
    (d / "x.md").write_bytes(data)
    res = run([str(d / "x.md")], {"root": str(d)})
    assert all("\n" not in e and e.startswith(str(d / "x.md") + ":") for e in res.errors)
    n_lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    assert all(a.path == str(d / "x.md") and 1 <= a.line <= n_lines for a in res.alerts)
