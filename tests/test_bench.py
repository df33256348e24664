"""The benchmark script works end to end in a tiny mode (no timing assertions here)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"


def _load_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_has_the_asked_size_in_chapter_sized_files(tmp_path):
    corpus = _load_corpus()
    manifest = corpus.build(20_000, out_dir=tmp_path, quiet=True)
    files = sorted((tmp_path / "20000").glob("*.md"))
    assert len(files) == 10 == len(manifest["files"])
    counts = [corpus.words(f.read_text(encoding="utf-8")) for f in files]
    assert 19_000 <= sum(counts) == manifest["words"] <= 21_500
    assert all(1_500 <= c <= 2_500 for c in counts)
    text = files[0].read_text(encoding="utf-8")
    assert "{cite:p}`" in text and "# " in text  # MyST with headings and citations
    # the same size gives the same files: timings compare like with like
    again = corpus.build(20_000, out_dir=tmp_path / "again", quiet=True)
    assert again["digest"] == manifest["digest"]
    assert (tmp_path / "again" / "20000" / files[3].name).read_text(encoding="utf-8") == \
        files[3].read_text(encoding="utf-8")


def test_tiny_run_writes_a_results_table(tmp_path):
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "2000", "--repeat", "1", "--tools",
         "handbook-lint", "--skip-build", "--output", str(out), "--corpus-dir",
         str(tmp_path / "corpus")],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "python benchmarks/run.py --sizes 2000" in text
    rows = [line for line in text.splitlines() if line.startswith("| 2k |")]
    assert [r.split("|")[2].strip() for r in rows] == [
        "handbook-lint --jobs 1", "handbook-lint --jobs 2"]
    for row in rows:
        cells = [c.strip() for c in row.split("|")[1:-1]]
        # median seconds and words per second are real numbers, not "missing"
        assert re.fullmatch(r"\d+\.\d+", cells[2]), row
        assert re.fullmatch(r"[\d,]+", cells[5]) and int(cells[5].replace(",", "")) > 0, row


def test_unknown_tool_is_a_usage_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(RUN), "--tools", "vale-ish", "--output", str(tmp_path / "r.md")],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "unknown tool 'vale-ish'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r.md").exists()
