"""Run one Sphinx build so that it either succeeds completely or leaves nothing.

    python tools/sphinx_build.py BUILDER SOURCEDIR OUTDIR --conf CONFDIR
        --doctrees DIR [--downloads PDFDIR] [-- EXTRA SPHINX ARGS]

Sphinx writes its output into a fresh folder next to OUTDIR with ``-W --keep-going``
(every warning is reported, with its file and line, and any warning fails the build);
only a clean build replaces OUTDIR. A failed build removes OUTDIR as well, so nobody
opens yesterday's pages thinking they are today's, and removes the doctree cache,
because Sphinx would otherwise skip the broken file next time and report success.

``--downloads`` copies the PDFs found there into ``OUTDIR/pdf/`` so that the home
page's "Download the PDF" links work from the built site.

The HTML and singlehtml builds may share one doctree folder: the second reuses what
the first read (the print tag changes only how pages are written). Builds that share
it take turns: each holds a lock on ``DOCTREES.lock`` while Sphinx runs.
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def copy_downloads(pdf_dir: Path, html_dir: Path) -> None:
    pdfs = sorted(pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else []
    if not pdfs:
        return
    target = html_dir / "pdf"
    target.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:
        shutil.copy2(pdf, target / pdf.name)


def build(
    builder: str,
    source: Path,
    output: Path,
    conf: Path,
    doctrees: Path,
    extra: list[str],
    downloads: Path | None = None,
) -> int:
    # Unique names: two builds into the same folder at once must not mix their files.
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}-", suffix=".tmp"))
    previous = staging.with_suffix(".old")
    command = [
        sys.executable, "-m", "sphinx",
        "-b", builder, "-W", "--keep-going", "-q",
        "-c", str(conf), "-d", str(doctrees),
        str(source), str(staging), *extra,
    ]  # fmt: skip
    # The lock file sits next to the doctree folder, which a failed build removes.
    doctrees.parent.mkdir(parents=True, exist_ok=True)
    with open(doctrees.with_name(doctrees.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        result = subprocess.run(command)
        if result.returncode != 0:
            _remove(doctrees)
    if result.returncode != 0:
        _remove(staging)
        _remove(output)
        print(
            f"sphinx_build: the {builder} build failed (see the file:line messages above); "
            f"nothing was left in {output}",
            file=sys.stderr,
        )
        return 1
    if downloads is not None:
        copy_downloads(downloads, staging)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    _remove(previous)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(prog="sphinx_build", description=__doc__.splitlines()[0])
    parser.add_argument("builder")
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--conf", type=Path, required=True)
    parser.add_argument("--doctrees", type=Path, required=True)
    parser.add_argument("--downloads", type=Path)
    args = parser.parse_args(argv)
    return build(
        args.builder, args.source, args.output, args.conf, args.doctrees, extra, args.downloads
    )


if __name__ == "__main__":
    sys.exit(main())
