"""The content-hash cache in .handbook-lint-cache/: hits when nothing changed, never
stale after a change to the file, a rule, the vocabulary, the configuration or a file
the checks read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook_lint.api import run
from handbook_lint.cache import CACHE_DIR
from handbook_lint.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "vale"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "proj"
    shutil.copytree(FIXTURES, r, ignore=shutil.ignore_patterns("parity"))
    (r / "pyproject.toml").write_text('[tool.handbook-lint]\nselect = ["Test"]\n')
    (r / "a.md").write_text("# Guide\n\nA revolutionary and groundbreaking analgesic.\n")
    (r / "b.md").write_text("Plain words.\n")
    return r


def lint(root: Path, **config):
    return run([str(root / "a.md"), str(root / "b.md")], {"root": str(root), **config})


def summary(res) -> list[tuple[int, str, str]]:
    return [(a.line, a.check, a.match) for a in res.alerts]


def test_second_run_hits_the_cache_with_identical_alerts(root: Path) -> None:
    first = lint(root)
    assert first.cache_hits == 0 and (root / CACHE_DIR).is_dir()
    second = lint(root)
    assert second.cache_hits == 2
    assert second.alerts == first.alerts


def test_changed_file_is_relinted(root: Path) -> None:
    lint(root)
    (root / "b.md").write_text("A revolutionary idea.\n")
    res = lint(root)
    assert res.cache_hits == 1
    assert (1, "Test.Hype", "revolutionary") in summary(res)


def test_rule_change_invalidates(root: Path) -> None:
    assert (3, "Test.Hype", "groundbreaking") not in summary(lint(root))
    hype = root / "styles" / "Test" / "Hype.yml"
    hype.write_text(hype.read_text() + "  - groundbreaking\n")
    res = lint(root)
    assert res.cache_hits == 0
    assert (3, "Test.Hype", "groundbreaking") in summary(res)


def test_vocabulary_change_invalidates(root: Path) -> None:
    assert (3, "Test.Hype", "revolutionary") in summary(lint(root))
    accept = root / "styles" / "config" / "vocabularies" / "Test" / "accept.txt"
    accept.write_text(accept.read_text() + "revolutionary\n")
    res = lint(root)
    assert res.cache_hits == 0 and (3, "Test.Hype", "revolutionary") not in summary(res)


def test_config_change_invalidates(root: Path) -> None:
    assert any(a.check == "Test.Jargon" for a in lint(root).alerts)
    ini = root / ".vale.ini"
    ini.write_text(ini.read_text() + "Test.Jargon = NO\n")
    res = lint(root)
    assert res.cache_hits == 0 and not any(a.check == "Test.Jargon" for a in res.alerts)
    (root / "pyproject.toml").write_text(
        '[tool.handbook-lint]\nselect = ["Test"]\nregex-timeout = 5.0\n')
    assert lint(root).cache_hits == 0


def test_files_the_checks_read_are_part_of_the_key(root: Path) -> None:
    lint(root, bibliography="refs.bib")
    (root / "refs.bib").write_text("@article{a, title={T}}\n")
    assert lint(root, bibliography="refs.bib").cache_hits == 0


def test_filters_do_not_need_a_relint(root: Path) -> None:
    lint(root)
    res = lint(root, **{"min-level": "error"})
    assert res.cache_hits == 2 and {a.check for a in res.alerts} == {"Test.Hype"}


def test_no_cache_flag_neither_reads_nor_writes(root: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(root)
    assert main(["a.md", "--no-cache"]) == 1
    assert not (root / CACHE_DIR).exists()
    capsys.readouterr()


def test_corrupt_cache_entry_is_a_miss(root: Path) -> None:
    lint(root)
    for f in (root / CACHE_DIR).rglob("*.json"):
        f.write_text("{not json")
    res = lint(root)
    assert res.cache_hits == 0 and (3, "Test.Hype", "revolutionary") in summary(res)


def test_code_change_in_a_check_helper_invalidates(root: Path, monkeypatch) -> None:
    import handbook_lint.rules as rules

    lint(root)
    monkeypatch.setattr(rules, "_code_fingerprint", lambda: "edited-helper-module")
    assert lint(root).cache_hits == 0
