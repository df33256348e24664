"""The ``handbook-lint`` command, as a writer runs it (in-process through ``main``).

Project: a copy of tests/fixtures/vale (the tiny ``Test`` style) with this pyproject.toml
and docs/ below. ``select = ["Test", "HandbookLint"]`` keeps the project's own Python
checks out of these tests, which are about the machinery.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handbook_lint import cli
from handbook_lint.cli import EXIT_ALERTS, EXIT_ERROR, EXIT_OK, main

FIXTURES = Path(__file__).parent / "fixtures" / "vale"

GOOD = "# A guide\n\nThis page uses plain words.\n"
HYPE = "# A guide\n\nOur revolutionary cure.\n\nAsk about an analgesic.\n"  # error + warning
JARGON = "# A guide\n\nAsk about an analgesic.\n"  # warning only


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("parity"))
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.handbook-lint]
        paths = ["docs"]
        select = ["Test", "HandbookLint"]
        """))
    (root / "docs").mkdir()
    monkeypatch.chdir(root)
    return root


def write(root: Path, name: str, text: str | bytes) -> str:
    f = root / "docs" / name
    f.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text)
    return f"docs/{name}"


def test_exit_codes_are_named_and_pinned() -> None:
    assert (EXIT_OK, EXIT_ALERTS, EXIT_ERROR) == (0, 1, 2)


def test_text_output_and_exit_code_1_on_error_alert(proj: Path, capsys) -> None:
    p = write(proj, "a.md", HYPE)
    assert main([p]) == EXIT_ALERTS
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{p}:3:5: error Test.Hype Avoid 'revolutionary'; say what the treatment does.",
        f"{p}:5:14: warning Test.Jargon Use 'pain medicine' instead of 'analgesic'.",
    ]


def test_warnings_only_exit_0_and_clean_file_prints_nothing(proj: Path, capsys) -> None:
    assert main([write(proj, "a.md", JARGON)]) == EXIT_OK
    assert main([write(proj, "b.md", GOOD)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "b.md" not in out


def test_default_paths_come_from_pyproject(proj: Path, capsys) -> None:
    write(proj, "sub/a.md", HYPE)
    assert main([]) == EXIT_ALERTS
    assert "docs/sub/a.md:3:5: error Test.Hype" in capsys.readouterr().out


def test_json_is_vales_shape_plus_family(proj: Path, capsys) -> None:
    p = write(proj, "a.md", HYPE)
    main([p, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [p]
    first = data[p][0]
    assert {k: first[k] for k in ("Check", "Line", "Span", "Severity", "Match", "Family")} == {
        "Check": "Test.Hype", "Line": 3, "Span": [5, 17], "Severity": "error",
        "Match": "revolutionary", "Family": "marketing"}
    assert data[p][1]["Action"] == {"Name": "replace", "Params": ["pain medicine"]}
    assert first["Link"] == "https://example.org/hype"


def test_github_annotations(proj: Path, capsys) -> None:
    p = write(proj, "a.md", HYPE)
    main([p, "--format", "github"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (f"::error file={p},line=3,col=5,endColumn=17,title=Test.Hype::"
                        "Avoid 'revolutionary'; say what the treatment does. [marketing]")
    assert lines[1].startswith("::warning file=")


@pytest.mark.parametrize(
    ("flags", "checks"),
    [
        (["--select", "marketing"], {"Test.Hype"}),
        (["--select", "Test.Jargon"], {"Test.Jargon"}),
        (["--ignore", "marketing,Test.Long"], {"Test.Jargon"}),
        (["--ignore", "Test.Hype", "--ignore", "Test.Long"], {"Test.Jargon"}),
        (["--min-level", "error"], {"Test.Hype"}),
        (["--min-level", "suggestion"], {"Test.Hype", "Test.Jargon", "Test.Long"}),
    ],
)
def test_select_ignore_and_min_level(proj: Path, capsys, flags: list[str], checks: set[str]) -> None:
    p = write(proj, "a.md", HYPE + "\nThis last sentence has a great many words in it, more than twelve.\n")
    main([p, "--format", "json", *flags])
    data = json.loads(capsys.readouterr().out or "{}")
    assert {a["Check"] for alerts in data.values() for a in alerts} == checks


def test_pyproject_settings_are_defaults_and_flags_win(proj: Path, capsys) -> None:
    (proj / "pyproject.toml").write_text(
        '[tool.handbook-lint]\npaths = ["docs"]\nselect = ["Test"]\nmin-level = "error"\n'
        'format = "json"\n')
    p = write(proj, "a.md", HYPE)
    main([p])
    assert {a["Check"] for a in json.loads(capsys.readouterr().out)[p]} == {"Test.Hype"}
    main([p, "--min-level", "warning", "--format", "text"])
    out = capsys.readouterr().out
    assert "Test.Jargon" in out and out.startswith(p)


def test_list_rules_and_explain(proj: Path, capsys) -> None:
    assert main(["--list-rules"]) == EXIT_OK
    out = capsys.readouterr().out
    hype = next(line for line in out.splitlines() if line.startswith("Test.Hype"))
    assert hype.split()[:3] == ["Test.Hype", "marketing", "error"]
    assert main(["--explain", "Test.Hype"]) == EXIT_OK
    text = capsys.readouterr().out
    for part in ("Flags hype adjectives", "Hype sells a treatment; it does not tell",
                 "FTC Health Products Compliance Guidance", "https://example.org/hype",
                 "Our cutting-edge treatment.", "This treatment is newer"):
        assert part in text


def test_explain_a_python_check_and_unknown_rule(proj: Path, capsys) -> None:
    assert main(["--explain", "HandbookLint.Suppression"]) == EXIT_OK
    assert "reason=" in capsys.readouterr().out
    assert main(["--explain", "Test.Nope"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown rule 'Test.Nope'" in err


def test_version_and_help(proj: Path, capsys) -> None:
    from handbook_lint import __version__

    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"handbook-lint {__version__}"
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    for flag in ("--format", "--select", "--ignore", "--min-level", "--list-rules", "--explain",
                 "--jobs", "--no-cache", "--version"):
        assert flag in out


@pytest.mark.parametrize("flags", [["--format", "xml"], ["--bogus"], ["--jobs", "0"],
                                   ["--min-level", "fatal"]])
def test_usage_errors_are_one_line_exit_2(proj: Path, capsys, flags: list[str]) -> None:
    assert main(flags) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_input_errors_one_line_each_and_other_files_still_linted(proj: Path, capsys) -> None:
    good = write(proj, "a.md", HYPE)
    bad_utf8 = write(proj, "b.md", b"Fine.\n\nBad \xff here.\n")
    fence = write(proj, "c.md", "Text.\n\n```python\nnever closed\n")
    front = write(proj, "d.md", "---\ntitle: [oops\n---\nBody.\n")
    assert main([good, bad_utf8, fence, front, "docs/missing.md"]) == EXIT_ERROR
    cap = capsys.readouterr()
    assert f"{good}:3:5: error Test.Hype" in cap.out
    errors = cap.err.splitlines()
    assert sorted(e.split(": ")[0] for e in errors) == sorted(
        [f"{bad_utf8}:3", f"{fence}:3", f"{front}:2", "docs/missing.md:0"])
    assert "Traceback" not in cap.err


def test_bad_rule_file_is_a_config_error(proj: Path, capsys) -> None:
    (proj / "styles" / "Test" / "Broken.yml").write_text(
        "# family: marketing\nextends: existence\nmessage: x\ntokens:\n  - '(unclosed'\n")
    assert main([write(proj, "a.md", GOOD)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Broken.yml:5:" in err and "does not compile" in err


def test_jobs_gives_the_same_result(proj: Path, capsys) -> None:
    paths = [write(proj, f"f{i}.md", HYPE if i % 2 else JARGON) for i in range(4)]
    main([*paths, "--no-cache"])
    one = capsys.readouterr().out
    assert main([*paths, "--no-cache", "--jobs", "2"]) == EXIT_ALERTS
    assert capsys.readouterr().out == one


def test_empty_rule_set_runs_cleanly(tmp_path: Path, monkeypatch, capsys) -> None:
    """No .vale.ini and no Python checks (as before the styles land): a clean run."""
    monkeypatch.setattr("handbook_lint.rules.all_checks", lambda: [])
    (tmp_path / "pyproject.toml").write_text('[tool.handbook-lint]\npaths = ["docs"]\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(HYPE)
    monkeypatch.chdir(tmp_path)
    assert main([]) == EXIT_OK
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err == ""


def test_unknown_select_or_ignore_is_a_usage_error(proj: Path, capsys) -> None:
    assert main(["--select", "markting"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown rule, style or family 'markting'" in err


# ------------------------------------------------------------------ suppression


def test_suppression_with_reason_hides_until_enable(proj: Path, capsys) -> None:
    p = write(proj, "a.md", textwrap.dedent("""\
        <!-- handbook-lint: disable=Test.Hype reason="quoted from the clinic page" -->
        They call it revolutionary.

        Still revolutionary here.
        <!-- handbook-lint: enable=Test.Hype -->

        A revolutionary claim again.
        """))
    main([p])
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1] for line in out] == ["7"]


def test_suppression_without_enable_covers_the_next_block_only(proj: Path, capsys) -> None:
    p = write(proj, "a.md", textwrap.dedent("""\
        <!-- handbook-lint: disable=marketing reason="a quotation" -->
        They call it revolutionary.

        A revolutionary claim again.
        """))
    main([p])
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1] for line in out] == ["4"]


def test_suppression_without_reason_is_an_error_and_suppresses_nothing(proj: Path, capsys) -> None:
    p = write(proj, "a.md", "<!-- handbook-lint: disable=Test.Hype -->\nA revolutionary cure.\n")
    assert main([p]) == EXIT_ALERTS
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{p}:1:1: error HandbookLint.Suppression")
    assert "no reason" in out[0]
    assert out[1].startswith(f"{p}:2:3: error Test.Hype")


def test_unused_and_unknown_suppressions_are_reported(proj: Path, capsys) -> None:
    p = write(proj, "a.md", textwrap.dedent("""\
        <!-- handbook-lint: disable=Test.Hype reason="just in case" -->
        Plain words only.

        <!-- handbook-lint: disable=Test.Nope reason="typo" -->
        More plain words.
        """))
    main([p])
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{p}:1:1: warning HandbookLint.Suppression suppression of Test.Hype suppresses "
        "nothing; remove it",
        f"{p}:4:1: error HandbookLint.Suppression suppression names unknown rule Test.Nope",
    ]


def test_vale_comments_are_honoured(proj: Path, capsys) -> None:
    p = write(proj, "a.md", textwrap.dedent("""\
        <!-- vale off -->
        A revolutionary analgesic.
        <!-- vale on -->

        <!-- vale Test.Hype = NO -->
        A revolutionary analgesic.
        <!-- vale Test.Hype = YES -->

        A revolutionary analgesic.
        """))
    main([p])
    out = [(line.split(":")[1], line.split()[2]) for line in capsys.readouterr().out.splitlines()]
    assert out == [("6", "Test.Jargon"), ("9", "Test.Hype"), ("9", "Test.Jargon")]


def test_python_m_and_console_script(proj: Path) -> None:
    p = write(proj, "a.md", HYPE)
    for cmd in ([sys.executable, "-m", "handbook_lint"],
                [str(Path(sys.executable).parent / "handbook-lint")]):
        res = subprocess.run([*cmd, p, "--no-cache"], capture_output=True, text=True, cwd=proj)
        assert res.returncode == EXIT_ALERTS, res.stderr
        assert res.stdout.startswith(f"{p}:3:5: error Test.Hype")


def test_tty_output_is_grouped_and_coloured(proj: Path, capsys, monkeypatch) -> None:
    p = write(proj, "a.md", HYPE)
    monkeypatch.setattr(cli.sys.stdout, "isatty", lambda: True, raising=False)
    main([p])
    out = capsys.readouterr().out
    assert "\033[31merror" in out and out.count(p) == 1
    assert "1 errors, 1 warnings and 0 suggestions in 1 files." in out


def test_list_rules_as_json_carries_every_metadata_field(proj: Path, capsys) -> None:
    assert main(["--list-rules", "--format", "json"]) == EXIT_OK
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    hype = rules["Test.Hype"]
    assert {k: hype[k] for k in ("family", "level", "kind", "link", "standard", "bad", "good")} == {
        "family": "marketing", "level": "error", "kind": "existence",
        "link": "https://example.org/hype", "standard": "FTC Health Products Compliance Guidance",
        "bad": "Our cutting-edge treatment.", "good": "This treatment is newer and has been studied less."}
    assert rules["Test.Long"]["family"] == "readability"


def test_enable_without_disable_is_reported(proj: Path, capsys) -> None:
    p = write(proj, "a.md", "Plain words.\n\n<!-- handbook-lint: enable=Test.Hype -->\n")
    assert main([p]) == EXIT_ALERTS
    assert capsys.readouterr().out == (
        f"{p}:3:1: error HandbookLint.Suppression enable=Test.Hype has no disable before it; "
        "remove it\n")


@pytest.mark.parametrize("args", [["--list-rules"], ["--explain", "Handbook.Hype"]])
def test_a_closed_pipe_is_not_a_traceback(args: list[str]) -> None:
    # `handbook-lint --list-rules | head -1`: the reader is gone before the output is.
    proc = subprocess.Popen([sys.executable, "-m", "handbook_lint", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=Path(__file__).parents[1])
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_OK
    assert b"Traceback" not in err and b"BrokenPipe" not in err
