"""The native Vale engine: rule types and keys with Vale's semantics, strict loading,
regex timeouts, and parity with Vale's JSON on fixtures (tests/fixtures/vale/)."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from handbook_lint.api import run
from handbook_lint.config import ConfigError, load_vale_ini
from handbook_lint.document import parse_text
from handbook_lint.vale import load_rule, load_styles, parse_metadata, run_rules

FIXTURES = Path(__file__).parent / "fixtures" / "vale"
PARITY = FIXTURES / "parity"
VALE_FIELDS = ("Action", "Span", "Check", "Link", "Message", "Severity", "Match", "Line")


def project(tmp_path: Path) -> Path:
    """A copy of the fixture project (Test style, accept.txt) with a pyproject.toml."""
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES, root)
    (root / "pyproject.toml").write_text('[tool.handbook-lint]\npaths = ["."]\n')
    return root


def lint_text(root: Path, text: str, name: str = "doc.md") -> list:
    f = root / name
    f.write_text(textwrap.dedent(text))
    res = run([str(f)], {"root": str(root), "cache": False, "select": ["Test"]})
    assert res.errors == []
    return res.alerts


def rule_file(tmp_path: Path, body: str, name: str = "Rule.yml") -> Path:
    f = tmp_path / name
    f.write_text("# family: marketing\n" + textwrap.dedent(body))
    return f


# ------------------------------------------------------------------ parity


@pytest.mark.parametrize("md", sorted(p for p in PARITY.glob("*.md") if p.stem != "README"), ids=lambda p: p.stem)
def test_native_engine_reproduces_expected_vale_json(md: Path) -> None:
    expected = json.loads(md.with_suffix(".json").read_text())
    res = run([str(md)], {"root": str(FIXTURES), "cache": False, "select": ["Test"]})
    got = [{k: a.to_vale()[k] for k in VALE_FIELDS} for a in res.alerts]
    assert got == expected


def _working_vale() -> bool:
    """A real Vale binary runs here. The `vale` PyPI wrapper on PATH does not count until
    it has downloaded its binary, which it cannot do without internet."""
    if shutil.which("vale") is None:
        return False
    try:
        out = subprocess.run(["vale", "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.startswith("vale version")


@pytest.mark.skipif(not _working_vale(),
                    reason="no working `vale` binary on PATH (its download cannot happen here)")
@pytest.mark.parametrize("md", sorted(p for p in PARITY.glob("*.md") if p.stem != "README"), ids=lambda p: p.stem)
def test_real_vale_agrees_with_the_fixtures(md: Path) -> None:
    out = subprocess.run(["vale", "--output=JSON", "--config", str(FIXTURES / ".vale.ini"),
                          str(md)], capture_output=True, text=True, cwd=FIXTURES)
    data = json.loads(out.stdout or "{}")
    got = [{k: a.get(k) for k in VALE_FIELDS} for alerts in data.values() for a in alerts]
    expected = json.loads(md.with_suffix(".json").read_text())
    key = lambda a: (a["Line"], a["Span"][0], a["Check"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)


# ------------------------------------------------------------------ rule types & keys


def test_existence_tokens_are_word_bounded_and_ignorecase(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), "A Revolutionary idea; unrevolutionary is a word.\n")
    assert [(a.check, a.match, a.span) for a in alerts] == [("Test.Hype", "Revolutionary", (3, 15))]


def test_existence_raw_is_prepended_to_tokens(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), "It is safe. It is completely safe.\n")
    assert [a.match for a in alerts if a.check == "Test.Absolute"] == ["completely safe"]


def test_accept_vocabulary_is_an_exception(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), "A knife-edge call, not a cutting-edge one.\n")
    assert [a.match for a in alerts] == ["cutting-edge"]


def test_substitution_message_and_replace_action(tmp_path: Path) -> None:
    (alert,) = lint_text(project(tmp_path), "Ask about an Analgesic.\n")
    assert alert.message == "Use 'pain medicine' instead of 'Analgesic'."
    assert alert.action == {"Name": "replace", "Params": ["pain medicine"]}
    assert alert.family == "plain-language" and alert.severity == "warning"


def test_nonword_drops_word_boundaries(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "x"
        nonword: true
        tokens: [edge]
        """)
    rule = load_rule(f, "S", [])
    doc = parse_text("knife-edge and cuttingedge\n", "d.md")
    alerts, problems = run_rules(doc, [(rule, "warning")])
    assert [a.span for a in alerts] == [(7, 10), (23, 26)] and problems == []


def test_append_puts_raw_after_tokens(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        append: true
        tokens: [pain]
        raw: ['\\s+free']
        """)
    rule = load_rule(f, "S", [])
    alerts, _ = run_rules(parse_text("Pain free. It is pain free.\n", "d.md"), [(rule, "error")])
    assert [a.match for a in alerts] == ["pain free"]


def test_limit_caps_alerts_per_file_and_scope_heading(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        scope: heading
        limit: 1
        ignorecase: true
        tokens: [best]
        """)
    rule = load_rule(f, "S", [])
    doc = parse_text("# Best\n\nbest text\n\n## Best again\n", "d.md")
    alerts, _ = run_rules(doc, [(rule, "error")])
    assert [(a.line, a.match) for a in alerts] == [(1, "Best")]


def test_negated_scope_skips_headings(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        scope: ~heading
        ignorecase: true
        tokens: [best]
        """)
    rule = load_rule(f, "S", [])
    alerts, _ = run_rules(parse_text("# Best\n\nbest text\n", "d.md"), [(rule, "error")])
    assert [a.line for a in alerts] == [3]


def test_list_and_table_cell_scopes(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        scope: [list, table.cell]
        tokens: [best]
        """)
    rule = load_rule(f, "S", [])
    doc = parse_text("best\n\n- best\n\n| h |\n|---|\n| best |\n\n| best |\n|--|\n", "d.md")
    alerts, _ = run_rules(doc, [(rule, "error")])
    assert [a.line for a in alerts] == [3, 7]


def test_raw_scope_sees_markup(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        scope: raw
        nonword: true
        tokens: ['\\*\\*']
        """)
    rule = load_rule(f, "S", [])
    alerts, _ = run_rules(parse_text("Some **bold** words.\n", "d.md"), [(rule, "error")])
    assert [a.span for a in alerts] == [(6, 7), (12, 13)]


def test_substitution_with_capture_group_reference(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        swap:
          '(\\d+) percent': $1%
        """)
    rule = load_rule(f, "S", [])
    alerts, _ = run_rules(parse_text("About 40 percent improved.\n", "d.md"), [(rule, "error")])
    assert [a.message for a in alerts] == ["Use '40%' instead of '40 percent'."]


def test_occurrence_min_alerts_when_too_few(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: occurrence
        message: "Only %s citations."
        scope: paragraph
        min: 1
        token: 'cite'
        """)
    rule = load_rule(f, "S", [])
    alerts, _ = run_rules(parse_text("No source here.\n\nA cite here.\n", "d.md"), [(rule, "warning")])
    assert [(a.line, a.message) for a in alerts] == [(1, "Only 0 citations.")]


def test_conditional_needs_a_definition_earlier_in_the_file(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), """\
        Ask about ESI.

        Epidural Steroid Injection (ESI) is common. ESI helps some people. The FDA agrees.
        """)
    acr = [(a.line, a.match) for a in alerts if a.check == "Test.Acronym"]
    assert acr == [(1, "ESI")]


def test_consistency_flags_the_second_spelling_only(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), "Aging discs.\n\nMore aging.\n\nAgeing bones.\n")
    assert [(a.line, a.match) for a in alerts if a.check == "Test.Spelling"] == [(5, "Ageing")]


def test_capitalization_sentence_case_passes(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), "# What the research shows about MRI\n")
    assert [a for a in alerts if a.check == "Test.Headings"] == []


def test_code_and_urls_are_not_linted(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), """\
        See `revolutionary` and https://example.org/revolutionary for more.

        ```python
        revolutionary = True
        ```

        ```{math}
        revolutionary
        ```

        Inline {math}`revolutionary` math.
        """)
    assert [a.match for a in alerts if a.check == "Test.Hype"] == []


def test_claim_argument_is_exempt_from_marketing_but_body_is_not(tmp_path: Path) -> None:
    alerts = lint_text(project(tmp_path), """\
        :::{claim} "A revolutionary cure"
        :verdict: not supported
        No revolutionary result was found.
        :::
        """)
    assert [(a.line, a.match) for a in alerts if a.check == "Test.Hype"] == [(3, "revolutionary")]


# ------------------------------------------------------------------ .vale.ini


def test_vale_ini_rule_override_and_min_alert_level(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / ".vale.ini").write_text(
        "StylesPath = styles\nMinAlertLevel = warning\nVocab = Test\n\n"
        "[*.md]\nBasedOnStyles = Test\nTest.Hype = NO\nTest.Jargon = error\n")
    alerts = lint_text(root, "# A Revolutionary Analgesic Guide\n")
    assert {(a.check, a.severity) for a in alerts} == {("Test.Jargon", "error")}


def test_vale_ini_unknown_key_is_an_error_with_line(tmp_path: Path) -> None:
    ini = tmp_path / ".vale.ini"
    ini.write_text("StylesPath = styles\nMinAlertLevl = error\n")
    with pytest.raises(ConfigError) as exc:
        load_vale_ini(ini)
    assert exc.value.line == 2 and "MinAlertLevl" in str(exc.value)


def test_missing_vocabulary_is_an_error(tmp_path: Path) -> None:
    ini = tmp_path / ".vale.ini"
    (tmp_path / "styles").mkdir()
    ini.write_text("StylesPath = styles\nVocab = Nope\n[*.md]\nBasedOnStyles =\n")
    with pytest.raises(ConfigError, match="vocabulary 'Nope' not found"):
        load_styles(load_vale_ini(ini))


# ------------------------------------------------------------------ strict loading


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("extends: existence\nmessage: x\ntokens: [a]\ncolour: red\n", 5, "unknown key 'colour'"),
        ("extends: existance\nmessage: x\n", 2, "'extends' must be one of"),
        ("extends: spelling\nmessage: x\n", 2, "not supported"),
        ("extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n", 4, "'level' must be"),
        ("extends: existence\nmessage: x\ntokens:\n  - ok\n  - 'bad(('\n", 6, "does not compile"),
        ("extends: substitution\nmessage: x\nswap:\n  ok: fine\n  'x[': y\n", 6, "does not compile"),
        ("extends: existence\nmessage: [unclosed\n", 4, "YAML error"),
        ("extends: existence\nmessage: x\nscope: footer\ntokens: [a]\n", 4, "not a valid scope"),
        ("extends: existence\ntokens: [a]\n", 1, "'message'"),
    ],
)
def test_bad_rule_files_fail_with_file_and_line(tmp_path: Path, body: str, line: int,
                                                words: str) -> None:
    f = tmp_path / "Bad.yml"
    f.write_text("# family: marketing\n" + body)
    with pytest.raises(ConfigError) as exc:
        load_rule(f, "S", [])
    assert exc.value.path == str(f)
    assert exc.value.line == line, str(exc.value)
    assert words in exc.value.message


def test_rule_without_family_metadata_is_a_load_error(tmp_path: Path) -> None:
    f = tmp_path / "NoFamily.yml"
    f.write_text("# what: something\nextends: existence\nmessage: x\ntokens: [a]\n")
    with pytest.raises(ConfigError, match=r"NoFamily.yml:1: missing '# family"):
        load_rule(f, "S", [])


def test_metadata_comment_block_with_continuation_lines() -> None:
    meta, lines = parse_metadata(
        "# family: absolute\n# what: Flags safety\n#   promises.\n# bad: It is safe.\n"
        "#   It is painless.\nextends: existence\n", "X.yml")
    assert meta["what"] == "Flags safety promises."
    assert meta["bad"] == "It is safe.\nIt is painless."
    assert lines["bad"] == 4


def test_pathological_regex_times_out_and_is_reported(tmp_path: Path) -> None:
    f = rule_file(tmp_path, """\
        extends: existence
        message: "%s"
        nonword: true
        tokens: ['(?:a|aa)+$', 'line!']
        """)
    rule = load_rule(f, "S", [], timeout=0.2)
    doc = parse_text("a" * 40 + "b\n\nShort line!\n", "d.md")
    alerts, problems = run_rules(doc, [(rule, "error")])
    assert len(problems) == 1 and "timed out" in problems[0] and "d.md:1" in problems[0]
    assert [a.line for a in alerts] == [3]  # the rest of the file was still checked


def test_builtin_vale_style_uses_accept_and_reject(tmp_path: Path) -> None:
    root = project(tmp_path)
    vocab = root / "styles" / "config" / "vocabularies" / "Test"
    (vocab / "reject.txt").write_text("game-changer\n")
    (vocab / "accept.txt").write_text("knife-edge\nMyST\n")
    (root / ".vale.ini").write_text(
        "StylesPath = styles\nVocab = Test\n\n[*.md]\nBasedOnStyles = Vale\n"
        "Vale.Spelling = NO\n")
    f = root / "doc.md"
    f.write_text("A game-changer written in myst, and the the end.\n")
    res = run([str(f)], {"root": str(root), "cache": False, "select": ["Vale"]})
    assert [(a.check, a.match, a.message) for a in res.alerts] == [
        ("Vale.Avoid", "game-changer", "Avoid using 'game-changer'."),
        ("Vale.Terms", "myst", "Use 'MyST' instead of 'myst'."),
        ("Vale.Repetition", "the the", "'the' is repeated!"),
    ]


def test_builtin_spelling_must_be_turned_off(tmp_path: Path) -> None:
    ini = tmp_path / ".vale.ini"
    (tmp_path / "styles").mkdir()
    ini.write_text("StylesPath = styles\n\n[*.md]\nBasedOnStyles = Vale\n")
    with pytest.raises(ConfigError, match=r":4: the built-in Vale.Spelling"):
        load_styles(load_vale_ini(ini))


@pytest.mark.parametrize("line", ["Packages = Google", "IgnoredScopes = code, tt",
                                  "WordTemplate = \\b(?:%s)\\b"])
def test_vale_ini_keys_we_do_not_implement_are_errors(tmp_path: Path, line: str) -> None:
    ini = tmp_path / ".vale.ini"
    ini.write_text(f"StylesPath = styles\n{line}\n")
    with pytest.raises(ConfigError, match=r"not supported by handbook-lint") as exc:
        load_vale_ini(ini)
    assert exc.value.line == 2


def test_word_list_timeout_keeps_the_matches_found_before_it(tmp_path: Path) -> None:
    f = tmp_path / "Slow.yml"
    f.write_text("# family: marketing\nextends: existence\nmessage: \"'%s'\"\n"
                 "tokens:\n  - good\n  - 'a(?:a|aa)+c'\n")
    rule = load_rule(f, "S", [], timeout=0.05)
    assert rule.keyed is not None  # a word list: scanned through its keys
    doc = parse_text("good news, " + "a" * 40 + " and good.\n", "x.md")
    alerts, problems = run_rules(doc, [(rule, "warning")])
    # The first "good" comes before the slow entry gives up; the rest of the
    # paragraph is skipped, and the writer is told which rule to simplify.
    assert [a.match for a in alerts] == ["good"]
    assert len(problems) == 1 and "S.Slow timed out" in problems[0]


@pytest.mark.parametrize(("msg", "subs", "expected"), [
    ("Avoid '%s'.", ("best",), "Avoid 'best'."),
    ("Use '%s' instead of '%s'.", ("about", "approximately"),
     "Use 'about' instead of 'approximately'."),
    ("'%s' and '%s'", ("one",), "'one' and ''"),  # a missing value prints nothing
    ("100%% sure about '%s'?", ("x",), "100% sure about 'x'?"),  # %% is a literal %
    ("No verbs here.", ("x",), "No verbs here."),
    ("%d stays as written: %s", ("x",), "%d stays as written: x"),
])
def test_messages_fill_their_verbs_left_to_right(msg, subs, expected) -> None:
    from handbook_lint.vale import format_message

    assert format_message(msg, *subs) == expected
