"""The build, as a writer uses it: `make html`, `make pdf`, and what happens on bad input.

Most tests run the Makefile on the small fixture project in
tests/fixtures/build/good (with ``SOURCEDIR``, ``CONFDIR=docs`` and a temporary
``BUILDDIR``), so they exercise the real conf.py, templates and tools without the cost
of building the whole handbook. The two broken pages live in
tests/fixtures/build/variants:

=========================  =====================================================
file                       the build must fail with
=========================  =====================================================
broken-myst.md             ``broken-myst.md:5`` and "Unknown directive type"
missing-citation.md        ``missing-citation.md:3`` and the key ``nosuchkey2099``
=========================  =====================================================
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE_DATE_EPOCH

pytestmark = pytest.mark.slow

FIXTURES = ROOT / "tests" / "fixtures" / "build"


def make(*args: str, source: Path, build: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args,
         f"SOURCEDIR={source}", "CONFDIR=docs", f"BUILDDIR={build}"],
        capture_output=True, text=True, cwd=ROOT,
        env=dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH),
    )  # fmt: skip


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the fixture project that a test may break."""
    copy = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", copy)
    return copy


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The fixture project built once with `make html pdf PAPER=a4`."""
    build = tmp_path_factory.mktemp("built") / "_build"
    result = make("html", "pdf", "PAPER=a4", source=FIXTURES / "good", build=build)
    assert result.returncode == 0, result.stdout + result.stderr
    return build, result


def test_make_html_and_pdf_say_where_their_outputs_are(built):
    build, result = built
    assert f"Web site: {build}/html/index.html" in result.stdout
    assert f"PDF: {build}/pdf/handbook.pdf" in result.stdout
    assert (build / "html" / "index.html").is_file()
    assert (build / "pdf" / "handbook.pdf").read_bytes().startswith(b"%PDF")


def test_html_has_every_tab_and_the_download_link(built):
    build, _ = built
    chapter = (build / "html" / "chapters" / "001-walking.html").read_text()
    assert "Marigold harbor lantern" in chapter  # the second tab
    home = (build / "html" / "index.html").read_text()
    assert 'href="pdf/handbook.pdf"' in home and "Download the PDF" in home
    assert (build / "html" / "pdf" / "handbook.pdf").is_file()  # the link works
    assert (build / "html" / "search.html").is_file()


def test_nothing_to_do_when_nothing_changed(built):
    build, _ = built
    again = make("html", "pdf", "PAPER=a4", source=FIXTURES / "good", build=build)
    assert again.returncode == 0, again.stderr
    assert "sphinx_build.py" not in again.stdout and "build_pdf.py" not in again.stdout


@pytest.mark.parametrize(
    ("variant", "location", "message"),
    [
        ("broken-myst.md", "broken-myst.md:5", "Unknown directive type"),
        ("missing-citation.md", "missing-citation.md:3", "nosuchkey2099"),
    ],
)
def test_bad_page_fails_with_file_and_line_and_leaves_no_output(
    project, tmp_path, variant, location, message
):
    build = tmp_path / "_build"
    assert make("html", "pdf", "PAPER=a4", source=project, build=build).returncode == 0
    shutil.copy(FIXTURES / "variants" / variant, project / "chapters" / variant)

    html = make("html", source=project, build=build)
    assert html.returncode != 0
    line = next(line for line in html.stderr.splitlines() if location in line)
    assert message in line
    assert not (build / "html").exists()

    pdf = make("pdf", "PAPER=a4", source=project, build=build)
    assert pdf.returncode != 0
    assert location in pdf.stderr
    assert not (build / "singlehtml").exists()
    assert not (build / "pdf" / "handbook.pdf").exists()
    leftovers = [p.name for p in build.rglob("*") if p.name.endswith((".tmp", ".old"))]
    assert leftovers == []


def test_fixing_the_page_builds_again(project, tmp_path):
    """A failed build is not remembered as a success (Sphinx's cache is dropped)."""
    build = tmp_path / "_build"
    page = project / "chapters" / "missing-citation.md"
    shutil.copy(FIXTURES / "variants" / "missing-citation.md", page)
    assert make("html", source=project, build=build).returncode != 0
    assert make("html", source=project, build=build).returncode != 0  # still broken
    page.write_text(page.read_text().replace("nosuchkey2099", "qaseem2017"))
    fixed = make("html", source=project, build=build)
    assert fixed.returncode == 0, fixed.stderr


def test_pdf_paper_must_be_a_known_size(tmp_path):
    result = make("pdf", "PAPER=a5", source=FIXTURES / "good", build=tmp_path)
    assert result.returncode != 0
    assert "PAPER must be a4, letter or large-print" in result.stderr


def test_make_builds_the_site_and_the_a4_and_letter_pdfs(tmp_path):
    """A plain `make` (its steps run side by side): the site, A4 and Letter, links working."""
    build = tmp_path / "_build"
    result = make(source=FIXTURES / "good", build=build)
    assert result.returncode == 0, result.stdout + result.stderr
    both = ["handbook-letter.pdf", "handbook.pdf"]
    assert sorted(p.name for p in (build / "pdf").glob("*.pdf")) == both
    assert sorted(p.name for p in (build / "html" / "pdf").glob("*.pdf")) == both
    for name in both:
        assert f"PDF:      {build}/pdf/{name}" in result.stdout
        assert (build / "pdf" / name).read_bytes().startswith(b"%PDF")
    # The home page offers what was built, and no large-print link to a missing file.
    home = (build / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/handbook.pdf"' in home and 'href="pdf/handbook-letter.pdf"' in home
    assert "handbook-large-print.pdf" not in home


def test_pdf_all_adds_the_large_print_edition(tmp_path):
    build = tmp_path / "_build"
    result = make("pdf-all", source=FIXTURES / "good", build=build)
    assert result.returncode == 0, result.stdout + result.stderr
    names = ["handbook-large-print.pdf", "handbook-letter.pdf", "handbook.pdf"]
    assert sorted(p.name for p in (build / "pdf").glob("*.pdf")) == names
    # ... and the site offers all three, each link to a file that is there.
    home = (build / "html" / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert f'href="pdf/{name}"' in home and (build / "html" / "pdf" / name).is_file()
    refused = make("pdf-all", "PAPER=a4", source=FIXTURES / "good", build=build)
    assert refused.returncode != 0
    assert "pdf-all builds every edition" in refused.stderr


def test_clinic_edition_goes_to_its_own_folder(project, tmp_path):
    example = ROOT / "docs" / "clinic.example.toml"
    build = tmp_path / "_build"
    result = make("pdf", "PAPER=a4", f"CLINIC={example}", source=project, build=build)
    assert result.returncode == 0, result.stderr
    assert (build / "pdf" / "clinic.example" / "handbook.pdf").is_file()
    assert not (build / "pdf" / "handbook.pdf").exists()


def test_vale_runs_or_says_in_one_line_why_not():
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "vale"], capture_output=True, text=True, cwd=ROOT
    )
    if "vale: skipped:" in result.stdout:
        assert result.returncode == 0
        assert result.stdout.count("\n") == 1 and result.stderr == ""
    else:  # a real Vale ran; its exit status is the verdict on the styles
        assert "Traceback" not in result.stderr


def test_help_lists_every_target():
    result = subprocess.run(["make", "help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    for target in ("setup", "lint", "vale", "spelling", "html", "pdf", "test", "clean"):
        assert f"  {target} " in result.stdout


def test_handbook_web_site_has_every_page_the_download_link_and_search(handbook_html):
    docs = ROOT / "docs"
    pages = [p for p in docs.rglob("*.md") if "_build" not in p.parts]
    assert len(pages) >= 6
    for page in pages:
        built = handbook_html / page.relative_to(docs).with_suffix(".html")
        assert built.is_file(), f"{page.relative_to(ROOT)} has no web page"
    home = (handbook_html / "index.html").read_text(encoding="utf-8")
    assert "Download the PDF" in home
    for name in ("handbook.pdf", "handbook-letter.pdf", "handbook-large-print.pdf"):
        assert f'href="pdf/{name}"' in home
    assert (handbook_html / "search.html").is_file()
    assert (handbook_html / "searchindex.js").is_file()
