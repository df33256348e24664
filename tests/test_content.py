"""The handbook's content: no copied source text, complete chapters, usable references.

These tests read only the repository: the source pages are represented by hashes of
their 8-word runs in ``tests/data/source_fingerprints.txt`` (made by
``tests/data/make_fingerprints.py``), never by their text.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHAPTERS = DOCS / "chapters"
BIB = DOCS / "references.bib"
DATA = Path(__file__).resolve().parent / "data"

REQUIRED_SECTIONS = [
    "What it is",
    "What it is used for",
    "How it is done",
    "What the research shows",
    "Possible benefits",
    "Risks and side effects",
    "Cost and insurance",
    "Other options",
    "Questions to ask your doctor",
    "What the source page claimed",
    "References",
]
FRONT_MATTER_FIELDS = ["kind", "source", "organisation", "source_file", "last_reviewed"]
VERDICTS = {"supported", "unclear", "not supported"}
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[pt])?\}`([^`]+)`")
CLAIM_OPEN = re.compile(r'^:{3,}\{claim\}\s*(.*)$')


def _load_fingerprint_module():
    spec = importlib.util.spec_from_file_location("make_fingerprints", DATA / "make_fingerprints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FP = _load_fingerprint_module()


def markdown_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)


def chapter_pages() -> list[Path]:
    return sorted(CHAPTERS.glob("[0-9][0-9][0-9]-*.md"))


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}, text[end + 5 :]


def prose_for_copy_check(text: str) -> str:
    """The page without front matter and without the quoted claim arguments."""
    _, body = split_front_matter(text)
    return "\n".join(line for line in body.splitlines() if not CLAIM_OPEN.match(line))


def source_fingerprints() -> dict[str, set[str]]:
    sources: dict[str, set[str]] = {}
    current = None
    for line in (DATA / "source_fingerprints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line.split()[1]
            sources[current] = set()
        elif line and not line.startswith("#") and current:
            sources[current].add(line)
    return sources


def bib_entries() -> dict[str, str]:
    """Map each BibTeX key in docs/references.bib to the text of its entry."""
    text = BIB.read_text(encoding="utf-8")
    starts = list(re.finditer(r"^@\w+\{([^,\s]+),", text, flags=re.M))
    return {
        m.group(1): text[m.start() : (starts[i + 1].start() if i + 1 < len(starts) else len(text))]
        for i, m in enumerate(starts)
    }


def cited_keys(text: str) -> list[str]:
    return [key.strip() for m in CITE_ROLE.finditer(text) for key in m.group(1).split(",")]


# -- The copy check ------------------------------------------------------------------


def test_fingerprints_cover_all_five_sources():
    sources = source_fingerprints()
    assert len(sources) == 5
    assert all(len(hashes) > 100 for hashes in sources.values())


def test_fingerprint_hashing_finds_a_shared_run():
    # The check must catch a copied run even with different case, punctuation and apostrophes.
    original = "You’re not alone: the quick brown fox jumps over the lazy dog today."
    copied = "you're NOT alone the quick brown fox, jumps over the lazy dog"
    assert FP.run_hashes(original) & FP.run_hashes(copied)
    assert not FP.run_hashes("the quick brown fox jumps over a lazy dog") & FP.run_hashes(original)


def test_fingerprint_script_without_sources_is_one_line_and_writes_nothing(tmp_path, capsys):
    before = (DATA / "source_fingerprints.txt").read_bytes()
    assert FP.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(tmp_path) in err
    assert (DATA / "source_fingerprints.txt").read_bytes() == before


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_run_of_eight_words_copied_from_a_source(page):
    ours = FP.run_hashes(prose_for_copy_check(page.read_text(encoding="utf-8")))
    for source, hashes in source_fingerprints().items():
        shared = ours & hashes
        assert not shared, f"{page.name} shares {len(shared)} 8-word run(s) with {source}"


# -- Chapters ----------------------------------------------------------------------------


def test_there_is_one_chapter_per_source_page():
    files = [split_front_matter(p.read_text(encoding="utf-8"))[0].get("source_file") for p in chapter_pages()]
    assert sorted(files) == sorted(source_fingerprints())


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.name)
def test_chapter_front_matter(page):
    meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
    missing = [field for field in FRONT_MATTER_FIELDS if not meta.get(field)]
    assert not missing, f"{page.name}: missing front matter {missing}"
    assert meta["kind"] == "treatment"
    assert meta["source_file"].startswith(page.name[:3] + "_")
    assert str(meta["last_reviewed"]) == "2026-11-23"


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.name)
def test_chapter_sections_in_order(page):
    _, body = split_front_matter(page.read_text(encoding="utf-8"))
    h2 = [line[3:].strip() for line in body.splitlines() if line.startswith("## ")]
    assert [h.lower() for h in h2] == [s.lower() for s in REQUIRED_SECTIONS]


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.name)
def test_chapter_opens_with_at_a_glance_grid(page):
    _, body = split_front_matter(page.read_text(encoding="utf-8"))
    lines = [line for line in body.splitlines() if line.strip()]
    h1 = next(i for i, line in enumerate(lines) if line.startswith("# "))
    assert lines[h1 + 1].startswith("::::{grid}"), f"{page.name}: no card grid after the title"
    grid_end = lines.index("::::", h1 + 1)
    grid = "\n".join(lines[h1 + 1 : grid_end])
    assert grid.count("{grid-item-card}") >= 4
    assert re.search(r"\*\*(Good|Some|Little|No published) evidence", grid), "no evidence label"


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.name)
def test_every_claim_box_has_a_verdict_and_a_citation(page):
    _, body = split_front_matter(page.read_text(encoding="utf-8"))
    boxes = re.findall(r'^:{3}\{claim\} "([^\n]+)"\n:verdict: ([^\n]+)\n(.*?)^:{3}$', body, flags=re.M | re.S)
    opened = sum(1 for line in body.splitlines() if CLAIM_OPEN.match(line))
    assert boxes and len(boxes) == opened, f"{page.name}: a claim box is malformed or missing"
    for quote, verdict, text in boxes:
        assert verdict.strip() in VERDICTS, f"{page.name}: bad verdict for {quote!r}"
        assert cited_keys(text), f"{page.name}: no citation in the answer to {quote!r}"


# -- References --------------------------------------------------------------------------


def test_every_cited_key_is_in_the_bibliography():
    known = set(bib_entries())
    missing = {
        (page.name, key)
        for page in markdown_pages()
        for key in cited_keys(page.read_text(encoding="utf-8"))
        if key not in known
    }
    assert not missing


def test_every_reference_is_cited_somewhere():
    cited = {key for page in markdown_pages() for key in cited_keys(page.read_text(encoding="utf-8"))}
    assert not set(bib_entries()) - cited


@pytest.mark.parametrize("key", sorted(bib_entries()))
def test_every_reference_has_a_doi_pmid_or_url(key):
    entry = bib_entries()[key]
    assert re.search(r"^\s*(doi|pmid|url)\s*=\s*\{\S", entry, flags=re.M | re.I), key


# -- The handbook passes its own linter -------------------------------------------------


def test_the_handbook_has_no_error_level_alert_and_reads_at_grade_8_or_lower():
    from handbook_lint.api import run

    result = run([str(DOCS)], {"root": str(ROOT), "cache": False})
    assert not result.errors
    problems = [
        f"{a.path}:{a.line}: {a.check} {a.message}"
        for a in result.alerts
        if a.severity == "error" or a.check == "Handbook.GradeLevel"
    ]
    assert not problems, "\n".join(problems)
