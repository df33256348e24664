"""Builds of the real handbook, shared by every test file that checks them.

Each build runs once per test session, into a temporary folder, through the same
tools the Makefile uses (``tools/sphinx_build.py``, ``tools/build_pdf.py``). A build
that fails makes the tests that need it fail with Sphinx's own file:line messages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _rule_cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory):
    """Tests analyse many made-up word lists: keep their rule-cache entries out of the
    user's ~/.cache (the tests of the cache itself point it elsewhere again)."""
    import os

    old = os.environ.get("HANDBOOK_LINT_RULE_CACHE")
    os.environ["HANDBOOK_LINT_RULE_CACHE"] = str(tmp_path_factory.mktemp("rule-cache"))
    yield
    if old is None:
        os.environ.pop("HANDBOOK_LINT_RULE_CACHE", None)
    else:
        os.environ["HANDBOOK_LINT_RULE_CACHE"] = old
DOCS = ROOT / "docs"
TOOLS = ROOT / "tools"
# Fixed, so that the reproducibility test and the edition date do not depend on `git`.
SOURCE_DATE_EPOCH = "1795392000"  # 2026-11-23


def build_env(**extra: str) -> dict[str, str]:
    import os

    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    env.update(extra)
    return env


def sphinx(builder: str, source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run tools/sphinx_build.py (the Makefile's HTML/singlehtml step)."""
    return subprocess.run(
        [
            sys.executable, str(TOOLS / "sphinx_build.py"), builder, str(source), str(out),
            "--conf", str(DOCS), "--doctrees", str(out.parent / f"doctrees-{out.name}"),
            *(["--", *extra] if extra else []),
        ],
        capture_output=True, text=True, cwd=ROOT, env=build_env(),
    )  # fmt: skip


def build_pdf(singlehtml: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    """Run tools/build_pdf.py (the Makefile's PDF step)."""
    return subprocess.run(
        [sys.executable, str(TOOLS / "build_pdf.py"), str(singlehtml), str(out), *options],
        capture_output=True, text=True, cwd=ROOT, env=build_env(),
    )


def _require(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")


@pytest.fixture(scope="session")
def handbook_html(tmp_path_factory) -> Path:
    """The web site (furo theme), built from docs/ with -W."""
    out = tmp_path_factory.mktemp("handbook") / "html"
    _require(sphinx("html", DOCS, out), "the HTML build of docs/")
    return out


@pytest.fixture(scope="session")
def handbook_singlehtml(tmp_path_factory) -> Path:
    """The one-page build the PDF is made from (``-t print``)."""
    out = tmp_path_factory.mktemp("handbook") / "singlehtml"
    _require(sphinx("singlehtml", DOCS, out, "-t", "print"), "the singlehtml build of docs/")
    return out


@pytest.fixture(scope="session")
def handbook_pdf(handbook_singlehtml) -> Path:
    """The A4 edition of the real handbook."""
    out = handbook_singlehtml.parent / "pdf" / "handbook.pdf"
    _require(build_pdf(handbook_singlehtml, out, "--paper", "a4"), "the PDF build of docs/")
    return out
