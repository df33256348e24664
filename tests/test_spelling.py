"""Spelling of the built handbook: pyspelling + aspell (US English) over the HTML text.

`make spelling` checks docs/_build/singlehtml/index.html with .pyspelling.yml; words
that are right but not in the dictionary go in docs/spelling_wordlist.txt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DATE_EPOCH

pytestmark = pytest.mark.slow

FIXTURES = ROOT / "tests" / "fixtures" / "build"


def pyspelling(build: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the project's .pyspelling.yml against a build folder instead of docs/_build."""
    config = tmp_path / "pyspelling.yml"
    config.write_text((ROOT / ".pyspelling.yml").read_text().replace("docs/_build/", f"{build}/"))
    return subprocess.run(
        [sys.executable, "-m", "pyspelling", "--config", str(config)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip


def make_spelling(source: Path, build: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "spelling",
         f"SOURCEDIR={source}", "CONFDIR=docs", f"BUILDDIR={build}"],
        capture_output=True, text=True, cwd=ROOT,
        env=dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH),
    )  # fmt: skip


def test_the_handbook_is_spelled_right(handbook_singlehtml, tmp_path):
    result = pyspelling(handbook_singlehtml.parent, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Spelling check passed" in result.stdout


def test_make_spelling_passes_on_a_clean_project_and_fails_on_a_misspelled_word(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    build = tmp_path / "_build"
    clean = make_spelling(project, build)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-2000:]

    shutil.copy(FIXTURES / "variants" / "misspelled.md", project / "chapters")
    result = make_spelling(project, build)
    assert result.returncode != 0
    assert "recieve" in result.stdout
    # Only the misspelled word is reported, not the words around it.
    reported = result.stdout.split("Misspelled words:", 1)[1]
    assert "leaflet" not in reported


def test_text_inside_tabs_and_image_descriptions_is_checked(tmp_path):
    """The capture is `div.body *`: text deep inside tabs and alt text are checked too."""
    build = tmp_path / "_build" / "singlehtml"
    build.mkdir(parents=True)
    (build / "index.html").write_text(
        '<html><body><div class="body"><section><div class="sd-tab-set">'
        '<div class="sd-tab-content"><p>A shoert walk.</p></div></div>'
        '<img alt="A warm pakc" src="x.png"></section></div></body></html>'
    )
    result = pyspelling(build.parent, tmp_path)
    assert result.returncode != 0
    assert "shoert" in result.stdout and "pakc" in result.stdout
