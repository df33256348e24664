"""The Python API ``handbook_lint.lint(paths, config)`` that the CLI and the Sphinx
extension share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import handbook_lint
from handbook_lint import Alert, LintError, lint
from handbook_lint.api import run
from handbook_lint.checks.base import Check, Context, ProjectCheck
from handbook_lint.config import ConfigError

FIXTURES = Path(__file__).parent / "fixtures" / "vale"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "proj"
    shutil.copytree(FIXTURES, r, ignore=shutil.ignore_patterns("parity"))
    (r / "pyproject.toml").write_text('[tool.handbook-lint]\nselect = ["Test"]\ncache = false\n')
    (r / "a.md").write_text("# Guide\n\nA revolutionary analgesic.\n")
    (r / "b.md").write_text("Plain words.\n")
    return r


def test_lint_returns_sorted_alerts(root: Path) -> None:
    alerts = lint([root / "b.md", root / "a.md"], {"root": str(root)})
    assert all(isinstance(a, Alert) for a in alerts)
    assert [(Path(a.path).name, a.line, a.span, a.check, a.family) for a in alerts] == [
        ("a.md", 3, (3, 15), "Test.Hype", "marketing"),
        ("a.md", 3, (17, 25), "Test.Jargon", "plain-language"),
    ]
    assert handbook_lint.lint is lint


def test_config_overrides_pyproject(root: Path) -> None:
    alerts = lint(str(root / "a.md"), {"root": str(root), "min-level": "error"})
    assert [a.check for a in alerts] == ["Test.Hype"]
    alerts = lint(str(root / "a.md"), {"root": str(root), "ignore": ["marketing"]})
    assert [a.check for a in alerts] == ["Test.Jargon"]


def test_bad_input_raises_lint_error_with_the_other_results(root: Path) -> None:
    with pytest.raises(LintError) as exc:
        lint([root / "a.md", root / "missing.md"], {"root": str(root)})
    assert exc.value.result.errors == [f"{root / 'missing.md'}:0: no such file or directory"]
    assert [a.check for a in exc.value.result.alerts] == ["Test.Hype", "Test.Jargon"]


def test_bad_config_raises_config_error(root: Path) -> None:
    (root / ".vale.ini").write_text("StylesPath = styles\nBogus = 1\n")
    with pytest.raises(ConfigError, match=r"\.vale\.ini:2: unknown key 'Bogus'"):
        lint([root / "a.md"], {"root": str(root)})


def _fake_checks(monkeypatch: pytest.MonkeyPatch, checks: list) -> None:
    monkeypatch.setattr("handbook_lint.rules.all_checks", lambda: checks)


def test_python_document_and_project_checks_run_with_context(root: Path, monkeypatch) -> None:
    seen: dict = {}

    def words(doc, ctx: Context):
        seen["ctx"] = ctx
        for s in doc.sentences():
            i = s.text.find("Plain")
            if i >= 0:
                yield WORDS.alert(s, i, i + 5)

    def project(docs, ctx):
        seen["docs"] = sorted(Path(d.path).name for d in docs)
        yield PROJECT.alert(docs[0], message="seen %d docs" % len(docs))

    WORDS = Check("Py.Words", "structure", "warning", "Found %s.", "https://e.org", "w", "y",
                  "s", "Plain.", "Other.", words)
    PROJECT = ProjectCheck("Py.Project", "reference", "suggestion", "m", "", "w", "y", "s",
                           "b", "g", project)
    _fake_checks(monkeypatch, [WORDS, PROJECT])
    res = run([str(root / "a.md"), str(root / "b.md")],
              {"root": str(root), "select": ["Py"], "custom-key": 3})
    assert res.errors == []
    assert [(Path(a.path).name, a.line, a.span, a.check, a.message) for a in res.alerts] == [
        ("a.md", 1, (1, 1), "Py.Project", "seen 2 docs"),
        ("b.md", 1, (1, 5), "Py.Words", "Found Plain."),
    ]
    assert seen["docs"] == ["a.md", "b.md"]
    assert seen["ctx"].setting("custom_key") == 3 and seen["ctx"].root == root


def test_vale_ini_override_applies_to_python_checks(root: Path, monkeypatch) -> None:
    def always(doc, ctx):
        yield ALWAYS.alert(doc.blocks[0])

    ALWAYS = Check("Py.Always", "structure", "warning", "m", "", "", "", "", "", "", always)
    _fake_checks(monkeypatch, [ALWAYS])
    ini = root / ".vale.ini"
    ini.write_text(ini.read_text() + "Py.Always = error\n")
    (a,) = lint([root / "b.md"], {"root": str(root), "select": ["Py"]})
    assert a.severity == "error"
    ini.write_text(ini.read_text().replace("Py.Always = error", "Py.Always = NO"))
    assert lint([root / "b.md"], {"root": str(root), "select": ["Py"]}) == []


def test_a_crashing_check_is_reported_not_raised(root: Path, monkeypatch) -> None:
    def boom(doc, ctx):
        raise ZeroDivisionError("oops")
        yield

    _fake_checks(monkeypatch, [Check("Py.Boom", "structure", "error", "m", "", "", "", "", "",
                                     "", boom)])
    res = run([str(root / "b.md")], {"root": str(root)})
    assert res.errors == [f"{root / 'b.md'}:1: check Py.Boom failed: ZeroDivisionError: oops"]


def test_doc_memo_is_per_document_object() -> None:
    from handbook_lint.document import parse_text

    ctx = Context(root=Path("."))
    calls = []
    for text in ("One.", "Two.", "Three."):
        doc = parse_text(text, "x.md")
        got = ctx.doc_memo(doc, "k", lambda d=doc: calls.append(1) or d.blocks[0].text)
        assert got == text and ctx.doc_memo(doc, "k", lambda: "again") == text
        del doc  # a later document may reuse this id(); it must not see this value
    assert len(calls) == 3


def test_every_check_a_module_defines_is_registered() -> None:
    """proselint's habit: a Check defined but missing from ``__register__`` never runs."""
    import importlib

    from handbook_lint.alert import FAMILIES, LEVELS
    from handbook_lint.checks import MODULES, all_checks

    for name in MODULES:
        module = importlib.import_module(f"handbook_lint.checks.{name}")
        defined = {id(v) for v in vars(module).values() if isinstance(v, (Check, ProjectCheck))}
        registered = {id(c) for c in getattr(module, "__register__", ())}
        assert defined <= registered, f"checks/{name}.py defines checks it does not register"
    for c in all_checks():
        assert c.family in FAMILIES and c.level in LEVELS, c.id
        assert c.id.count(".") == 1, c.id


def test_rule_metadata_has_one_shape_for_vale_and_python_rules(root: Path, monkeypatch) -> None:
    from handbook_lint.rules import iter_rule_meta

    def none(doc, ctx):
        return []

    monkeypatch.setattr("handbook_lint.rules.all_checks", lambda: [
        Check("Py.Words", "structure", "warning", "m", "https://e.org", "What.", "Why.",
              "Std.", "Bad.", "Good.", none)])
    metas = {m.id: m for m in iter_rule_meta(root)}
    assert {"Test.Hype", "Py.Words", "HandbookLint.Suppression"} <= set(metas)
    hype, py = metas["Test.Hype"], metas["Py.Words"]
    assert (hype.kind, hype.family, hype.standard) == (
        "existence", "marketing", "FTC Health Products Compliance Guidance")
    assert hype.why.startswith("Hype sells a treatment; it does not tell the reader what")
    assert (py.kind, py.what, py.good) == ("python", "What.", "Good.")


def test_exclude_filters_folder_walks_but_not_what_is_named(root: Path) -> None:
    (root / "pyproject.toml").write_text(
        '[tool.handbook-lint]\nselect = ["Test"]\ncache = false\nexclude = ["out/**"]\n')
    out = root / "out" / "run1"
    out.mkdir(parents=True)
    (out / "c.md").write_text("A revolutionary idea.\n")

    def linted(*paths: Path) -> set[str]:
        return {Path(a.path).name for a in lint(list(paths), {"root": str(root)})}

    # Walking the project skips the excluded folder ...
    assert linted(root) == {"a.md"}
    # ... but a folder inside it, or a file in it, named on purpose, is linted.
    assert linted(out) == {"c.md"}
    assert linted(out / "c.md") == {"c.md"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_project_checks_see_every_documents_citations(root: Path, monkeypatch, jobs) -> None:
    # --jobs workers send back only an outline of each document (path, front matter,
    # citations); a project check must see the same as in one process.
    def project(docs, ctx):
        keys = sorted(k for d in docs for c in d.citations for k in c.keys)
        yield PROJECT.alert(docs[0], message="cited: " + " ".join(keys))

    PROJECT = ProjectCheck("Py.Cited", "reference", "suggestion", "m", "", "w", "y", "s",
                           "b", "g", project)
    _fake_checks(monkeypatch, [PROJECT])
    (root / "a.md").write_text("# Guide\n\nOne {cite:p}`smith2020`.\n\nTwo {cite:t}`lee2019`.\n")
    (root / "b.md").write_text("Plain {cite:p}`wong2021,smith2020`.\n")
    res = run([str(root / "a.md"), str(root / "b.md")],
              {"root": str(root), "select": ["Py"], "jobs": jobs})
    assert [a.message for a in res.alerts] == ["cited: lee2019 smith2020 smith2020 wong2021"]


def test_a_document_is_freed_after_its_file_even_if_a_check_memoised_it(root: Path, monkeypatch) -> None:
    # A memo that holds the document's sentences points back at the document; kept
    # for the whole run, it would keep every parsed file in memory (1M words: GBs).
    import gc
    import weakref

    seen: list = []
    alive_before: list[int] = []

    def memo_user(doc, ctx: Context):
        ctx.doc_memo(doc, "sentences", lambda: list(doc.sentences()))
        gc.collect()
        alive_before.append(sum(1 for ref in seen if ref() is not None))
        seen.append(weakref.ref(doc))
        return iter(())

    MEMO = Check("Py.Memo", "structure", "warning", "m", "", "", "", "", "", "", memo_user)
    _fake_checks(monkeypatch, [MEMO])
    paths = []
    for i in range(4):
        (root / f"m{i}.md").write_text(f"# Page {i}\n\nSome words here.\n")
        paths.append(str(root / f"m{i}.md"))
    run(paths, {"root": str(root), "select": ["Py"]})
    assert alive_before == [0, 0, 0, 0]


def test_alerts_cross_processes_unchanged() -> None:
    """--jobs workers pickle their alerts to the main process: every field survives,
    and a rule's own action is kept apart from the shared default."""
    import pickle

    from handbook_lint.alert import Alert

    fixed = Alert("a.md", 3, (5, 9), "Handbook.Hype", "Avoid 'best'.", "error", "best",
                  "https://example.org", {"Name": "replace", "Params": ["good"]}, "marketing")
    plain = Alert("a.md", 1, (1, 1), "Handbook.Other", "m")
    for alert in (fixed, plain):
        back = pickle.loads(pickle.dumps(alert, protocol=pickle.HIGHEST_PROTOCOL))
        assert back.to_dict() == alert.to_dict()
    twins = pickle.loads(pickle.dumps([plain, Alert("a.md", 2, (1, 1), "Handbook.Other", "m")]))
    twins[0].action["Params"] = ["changed"]  # each alert owns its action
    assert twins[1].action == {"Name": "", "Params": None}
