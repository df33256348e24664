"""The PDF editions: what a clinic prints and a patient reads.

The real handbook (docs/) is built once as A4 (conftest.py); the smaller checks of
editions (Letter, large print, clinic, reproducibility, failures) use the fixture
project in tests/fixtures/build/good, which has a tab set whose second tab holds
"Marigold harbor lantern", a dropdown holding "Quince orchard sentence", a card
grid, a table, an image with alternative text and two chapters with references.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import DOCS, ROOT, build_env, build_pdf, sphinx

pytestmark = pytest.mark.slow

FIXTURE = ROOT / "tests" / "fixtures" / "build" / "good"
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


# -- Helpers: what a reader of the PDF sees --------------------------------------------


def page_texts(pdf: Path, *, body_only: bool = False, raw: bool = False) -> list[str]:
    """Text of each page; with body_only, the running header and footer are cut off.

    raw keeps the order in which the text was drawn (the document order) instead of
    pdftotext's guess at columns, which reads a grid of cards column by column.
    """
    reader = PdfReader(pdf)
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        crop = ["-x", "0", "-y", "50", "-W", str(int(width)), "-H", str(int(height) - 110)]
        result = subprocess.run(
            ["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8",
             "-f", str(number), "-l", str(number),
             *(crop if body_only else []), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        texts.append(result.stdout)
    return texts


def words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.lower())


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """Bookmarks as (level, title, 1-based page)."""
    reader = PdfReader(pdf)
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def contents_entries(pdf: Path) -> list[tuple[str, int]]:
    """The entries of the printed contents pages (running header "Contents")."""
    entries = []
    for text in page_texts(pdf):
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines or lines[0].strip() != "Contents":
            continue
        for line in lines:
            match = re.match(r"^\s*(.+?)[\s.]*\.\s*(\d+)\s*$", line)
            if match:
                entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


def body_font_size(pdf: Path) -> float:
    """The font size (pt) of most of the characters on the chapter pages."""
    reader = PdfReader(pdf)
    sizes: Counter[float] = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * tm[3] * cm[3], 1)] += len(text.strip())

    for page in reader.pages[2:]:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def structure_tags(pdf: Path) -> list[tuple[str, object]]:
    """(tag, alternative text) for every element of the PDF's structure tree."""
    root = PdfReader(pdf).trailer["/Root"]
    found: list[tuple[str, object]] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                found.append((str(node["/S"]), node.get("/Alt")))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return found


def html_words(singlehtml: Path) -> list[list[str]]:
    """The words of the one-page HTML, in reading order, one list per part.

    The parts are each included page, the home page's own text, and the home page's
    footnotes (which singlehtml writes at the very end; the PDF prints them with the
    home page's text). Within a part the PDF must keep the order.
    """
    soup = BeautifulSoup((singlehtml / "index.html").read_text(encoding="utf-8"), "html.parser")
    body = soup.find("div", class_="body")
    # Not printed on purpose: the "¶" anchors, reference keys such as "QWM+17" (the
    # in-text citation names author and year instead) and footnotes' links back to
    # the text.
    for tag in body.select("a.headerlink, div.citation > span.label, span.backrefs"):
        tag.decompose()
    # Words run on across inline tags ("{term}`review`s" is "reviews"), not across blocks.
    blocks = "p li dt dd h1 h2 h3 h4 h5 h6 div td th section aside label summary br pre"
    for tag in body.find_all(blocks.split()):
        tag.insert_after(" ")
        tag.insert(0, " ")
    parts = []
    for marker in body.find_all("span", id=re.compile("^document-")):
        section = marker.find_next_sibling("section")
        trailing = []
        for sibling in section.find_next_siblings():
            if sibling.name in ("span", "section"):
                break
            trailing.append(sibling.extract())
        parts.append(words(section.extract().get_text("") + " ".join(t.get_text("") for t in trailing)))
    for sibling in body.find("section").find_next_siblings():
        parts.append(words(sibling.extract().get_text("")))
    parts.append(words(body.get_text("")))
    return [part for part in parts if part]


def missing_words(html: list[str], pdf: list[str]) -> list[str]:
    """The HTML words that do not appear, in order, in the PDF (empty when all do).

    The PDF side is one string without spaces, because pdftotext joins a word broken
    at a line end with a hyphen ("pay-" + "attention" in a long address).
    """
    stream = "".join(pdf)
    position = 0
    for index, word in enumerate(html):
        found = stream.find(word, position)
        if found < 0:
            return html[max(0, index - 8) : index + 8]
        position = found + len(word)
    return []


def chapter_titles() -> list[str]:
    """The H1 title of every page of the handbook except the home page."""
    titles = []
    for path in sorted(DOCS.rglob("*.md")):
        if "_build" in path.parts or path.name in ("index.md", "README.md"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles.append(line[2:].strip())
                break
    return titles


@pytest.fixture(scope="module")
def fixture_singlehtml(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "singlehtml"
    result = sphinx("singlehtml", FIXTURE, out, "-t", "print")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def fixture_pdf(fixture_singlehtml) -> Path:
    out = fixture_singlehtml.parent / "pdf" / "handbook.pdf"
    result = build_pdf(fixture_singlehtml, out, "--paper", "a4")
    assert result.returncode == 0, result.stderr
    return out


# -- The real handbook ------------------------------------------------------------------


def test_handbook_pdf_is_a_tagged_a4_pdf_with_title_and_language(handbook_pdf):
    reader = PdfReader(handbook_pdf)
    assert handbook_pdf.read_bytes().startswith(b"%PDF-1.7")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title.startswith("Chronic back pain treatments")
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    page = reader.pages[0]
    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4


def test_every_chapter_title_is_in_the_pdf(handbook_pdf):
    text = " ".join(" ".join(page_texts(handbook_pdf)).split())
    titles = chapter_titles()
    assert len(titles) >= 5
    for title in titles:
        plain = re.sub(r"[*`]|\{[a-z:]+\}", "", title)
        assert " ".join(plain.split()) in text, f"chapter {title!r} is not in the PDF"


def test_every_word_of_the_html_is_in_the_pdf(handbook_singlehtml, handbook_pdf):
    """Nothing is lost on paper: not the second tab, not a closed dropdown."""
    pdf = words(" ".join(page_texts(handbook_pdf, body_only=True, raw=True)))
    parts = html_words(handbook_singlehtml)
    assert len(parts) >= 8
    for part in parts:
        assert missing_words(part, pdf) == []


def test_contents_page_numbers_are_the_pages_where_chapters_and_sections_start(handbook_pdf):
    entries = contents_entries(handbook_pdf)
    bookmarks = {(title, page) for _, title, page in outline(handbook_pdf)}
    assert len(entries) >= 10
    for title, page in entries:
        assert (title, page) in bookmarks, f"contents says {title!r} is on page {page}"
    pages = page_texts(handbook_pdf, body_only=True)
    for level, title, page in outline(handbook_pdf):
        if level == 1:  # a chapter starts on a new page, with its title at the top
            first_line = pages[page - 1].strip().splitlines()[0]
            assert " ".join(title.split()).startswith(" ".join(first_line.split()))


def test_bookmarks_hold_every_chapter_and_its_sections(handbook_pdf):
    marks = outline(handbook_pdf)
    chapters = [title for level, title, _ in marks if level == 1]
    for title in chapter_titles():
        plain = " ".join(re.sub(r"[*`]|\{[a-z:]+\}", "", title).split())
        assert plain in chapters
    treatment = next(t for t in chapters if t.lower().startswith("intraosseous therapy"))
    after = marks[[m[1] for m in marks].index(treatment) + 1 :]
    sections = [title for level, title, _ in after[: next(
        (i for i, m in enumerate(after) if m[0] == 1), len(after))]]  # fmt: skip
    assert "What it is" in sections and "Risks and side effects" in sections


def test_pages_are_numbered_page_n_of_m_under_a_running_chapter_header(handbook_pdf):
    pages = page_texts(handbook_pdf)
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    marks = [(title, page) for level, title, page in outline(handbook_pdf) if level == 1]
    for (title, first), (_, following) in zip(marks, marks[1:]):
        if following - first >= 2:  # a chapter of two pages or more
            header = pages[first].strip().splitlines()[0]
            assert header.startswith(title[:30]), f"page {first + 1} header: {header!r}"
            break
    else:
        pytest.fail("no chapter is longer than one page")


def test_no_heading_is_left_alone_at_the_foot_of_a_page(handbook_pdf):
    pages = page_texts(handbook_pdf, body_only=True)
    for _, title, page in outline(handbook_pdf):
        if title == "Notes":  # the care-team page: ruled lines (not text) follow it
            continue
        lines = [line.strip() for line in pages[page - 1].splitlines() if line.strip()]
        assert lines[-1] != title.strip(), f"{title!r} is the last line of page {page}"


def test_no_line_breaks_after_a_lone_short_word(handbook_pdf):
    """A line holding only "by" or "the", with its sentence going on below, reads as a
    misprint (WeasyPrint did this once when link markup was unwrapped for speed)."""
    for number, page in enumerate(page_texts(handbook_pdf, body_only=True), 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for line, after in zip(lines, lines[1:]):
            assert not (re.fullmatch(r"[a-z]{1,3}", line) and after[:1].islower()), (
                f"page {number}: {line!r} alone on a line before {after[:40]!r}")


def test_cover_has_title_edition_date_and_version(handbook_pdf):
    cover = " ".join(page_texts(handbook_pdf)[0].split())
    assert "Chronic back pain treatments" in cover
    assert "Edition of November 23, 2026" in cover
    assert re.search(r"Version \d+\.\d+\.\d+", cover)


def test_fonts_are_embedded(handbook_pdf):
    listing = subprocess.run(
        ["pdffonts", str(handbook_pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "no fonts listed"
    for line in listing:
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line), line


# -- Editions, on the small fixture project --------------------------------------------


def test_fixture_second_tab_and_dropdown_are_printed(fixture_pdf):
    text = " ".join(" ".join(page_texts(fixture_pdf)).split())
    assert "Longer walks Marigold harbor lantern: the second tab holds this sentence." in text
    assert "What to wear Comfortable shoes with a soft sole. Quince orchard sentence." in text


def test_links_and_dois_are_printed_in_full(fixture_pdf):
    text = "".join("".join(page_texts(fixture_pdf)).split())
    assert "doi:10.1016/S0140-6736(18)30480-X" in text
    assert "https://www.acpjournals.org/doi/10.7326/M16-2367" in text
    # A cross-reference says on which page its target is.
    page = next(page for _, title, page in outline(fixture_pdf) if title == "Walking programs")
    assert f"SeeWalkingprograms(page{page})foranotheroption" in text


def test_pages_are_black_and_white(fixture_pdf, tmp_path):
    """No meaning can hang on colour: the print edition uses none."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(fixture_pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    for page in pages:
        colours = Image.open(page).convert("RGB").getcolors(maxcolors=1 << 24)
        coloured = [rgb for _, rgb in colours if max(rgb) - min(rgb) > 24]
        assert coloured == [], f"{page.name} has colour, e.g. {coloured[:3]}"


def test_images_carry_their_alternative_text(fixture_pdf):
    figures = [alt for tag, alt in structure_tags(fixture_pdf) if tag == "/Figure"]
    assert figures == ["A warm pack resting on a towel"]


def test_letter_edition_is_us_letter(fixture_singlehtml, tmp_path):
    out = tmp_path / "handbook-letter.pdf"
    assert build_pdf(fixture_singlehtml, out, "--paper", "letter").returncode == 0
    page = PdfReader(out).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER


def test_large_print_body_is_at_least_16_point(fixture_singlehtml, fixture_pdf, tmp_path):
    out = tmp_path / "handbook-large-print.pdf"
    assert build_pdf(fixture_singlehtml, out, "--large-print").returncode == 0
    assert body_font_size(out) >= 16
    assert body_font_size(fixture_pdf) < 16  # the ordinary edition is not large print
    assert "Large-print edition" in page_texts(out)[0]


def test_same_sources_give_the_same_bytes(fixture_pdf, tmp_path):
    """A second build from scratch (Sphinx and WeasyPrint) gives the same file."""
    single = tmp_path / "singlehtml"
    assert sphinx("singlehtml", FIXTURE, single, "-t", "print").returncode == 0
    again = tmp_path / "again.pdf"
    assert build_pdf(single, again).returncode == 0
    assert again.read_bytes() == fixture_pdf.read_bytes()


def test_editions_built_together_are_the_editions_built_alone(
    fixture_singlehtml, fixture_pdf, tmp_path
):
    """`make` writes several editions in one run, in parallel; each is the same PDF."""
    a4, letter, large = (tmp_path / f"{n}.pdf" for n in ("a4", "letter", "large"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_pdf.py"), str(fixture_singlehtml),
         "--edition", f"a4={a4}", "--edition", f"letter={letter}",
         "--edition", f"large-print={large}", "--jobs", "2"],
        capture_output=True, text=True, cwd=ROOT, env=build_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert a4.read_bytes() == fixture_pdf.read_bytes()
    page = PdfReader(letter).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER
    assert body_font_size(large) >= 16
    assert "Large-print edition" in page_texts(large)[0]


def test_unknown_edition_is_refused_and_writes_nothing(fixture_singlehtml, tmp_path):
    out = tmp_path / "handbook-a5.pdf"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_pdf.py"), str(fixture_singlehtml),
         "--edition", f"a5={out}"],
        capture_output=True, text=True, cwd=ROOT, env=build_env(),
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "NAME one of a4, letter, large-print" in result.stderr
    assert not out.exists()


CLINIC_TOML = """\
name = "Riverside Spine Clinic"
address = "12 Mill Lane\\nSpringfield, IL 62701"
phone = "(217) 555-0142"
website = "https://riverside-spine.example.org"
logo = "logo.svg"
"""
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
    '<rect width="200" height="60" fill="none" stroke="black" stroke-width="6"/></svg>'
)


def test_clinic_edition_prints_the_clinic_on_the_cover_and_care_team_page(
    fixture_singlehtml, tmp_path
):
    (tmp_path / "logo.svg").write_text(LOGO)
    (tmp_path / "clinic.toml").write_text(CLINIC_TOML)
    out = tmp_path / "clinic.pdf"
    result = build_pdf(fixture_singlehtml, out, "--clinic", str(tmp_path / "clinic.toml"))
    assert result.returncode == 0, result.stderr
    pages = [" ".join(t.split()) for t in page_texts(out)]
    care = next(p for p in pages if "Your care team" in p and "Notes" in p)
    for page in (pages[0], care):
        for field in ("Riverside Spine Clinic", "12 Mill Lane", "Springfield, IL 62701",
                      "(217) 555-0142", "https://riverside-spine.example.org"):  # fmt: skip
            assert field in page
    assert ("/Figure", "Logo of Riverside Spine Clinic") in structure_tags(out)


def test_clinic_field_left_out_is_left_out_cleanly(fixture_singlehtml, tmp_path):
    (tmp_path / "clinic.toml").write_text('name = "Lakeside Practice"\n')
    out = tmp_path / "clinic.pdf"
    assert build_pdf(fixture_singlehtml, out, "--clinic", str(tmp_path / "clinic.toml")).returncode == 0
    cover = " ".join(page_texts(out)[0].split())
    assert "Lakeside Practice" in cover
    assert "Phone" not in cover and "Website" not in cover


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('name = "A"\nfax = "123"\n', "unknown key 'fax'"),
        ("name = 42\n", "key 'name' must be text"),
        ('name = "A"\nlogo = "nowhere.png"\n', "logo file not found"),
        ('name = "A\n', "invalid TOML"),
    ],
)
def test_bad_clinic_file_is_one_line_naming_the_file_and_leaves_no_pdf(
    fixture_singlehtml, tmp_path, toml, message
):
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(toml)
    out = tmp_path / "handbook.pdf"
    out.write_bytes(b"%PDF- an older edition")
    result = build_pdf(fixture_singlehtml, out, "--clinic", str(clinic))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(clinic) in result.stderr and message in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_image_without_alternative_text_fails_the_pdf(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    page = project / "chapters" / "002-heat.md"
    page.write_text(page.read_text().replace("![A warm pack resting on a towel]", "![]"))
    single = tmp_path / "singlehtml"
    assert sphinx("singlehtml", project, single, "-t", "print").returncode == 0
    result = build_pdf(single, tmp_path / "handbook.pdf")
    assert result.returncode == 2
    assert "chapters/002-heat.md: image" in result.stderr and "alternative text" in result.stderr
    assert not (tmp_path / "handbook.pdf").exists()
