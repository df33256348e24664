"""Write fingerprints of the source pages: hashes of their normalized 8-word runs.

The source pages are other people's words, so the repository keeps only these
hashes. The content test compares them with the 8-word runs of the handbook.

Usage (from the repository root, where ../shared/sources exists):
    python tests/data/make_fingerprints.py [SOURCES_DIR]
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

RUN = 8
HERE = Path(__file__).resolve().parent
OUT = HERE / "source_fingerprints.txt"
DEFAULT_SOURCES = HERE.parents[2] / "shared" / "sources"


def words(text: str) -> list[str]:
    """Lowercase words; apostrophes dropped so "you’re" and "you're" match."""
    text = text.lower().replace("\u2019", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def run_hashes(text: str, run: int = RUN) -> set[str]:
    """Short SHA-256 hashes of every run of `run` consecutive words."""
    ws = words(text)
    return {
        hashlib.sha256(" ".join(ws[i : i + run]).encode()).hexdigest()[:16]
        for i in range(len(ws) - run + 1)
    }


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else DEFAULT_SOURCES
    files = sorted(src.glob("*.txt")) if src.is_dir() else []
    if not files:
        print(f"{src}: no source pages (*.txt) found", file=sys.stderr)
        return 2
    lines = ["# 8-word-run fingerprints of the handbook's source pages (see make_fingerprints.py)"]
    for f in files:
        hashes = run_hashes(f.read_text(encoding="utf-8"))
        lines.append(f"## {f.name} {len(hashes)}")
        lines.extend(sorted(hashes))
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT}: {len(files)} source pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
