"""Build PDF editions of the handbook from the ``singlehtml`` build.

    python tools/build_pdf.py SINGLEHTML_DIR OUTPUT.pdf [--paper a4|letter]
        [--large-print] [--clinic clinic.toml] [--css docs/_static/print.css]
    python tools/build_pdf.py SINGLEHTML_DIR --edition a4=handbook.pdf
        --edition letter=handbook-letter.pdf [--edition large-print=...] [--jobs N]

The first form builds one edition; the second builds several from one reading of the
sources: the print document is assembled and parsed once per distinct text (A4 and
Letter share theirs), then the editions are laid out in parallel, one process each
(``--jobs``, default: as many as there are editions and processors).

Each PDF is tagged PDF/UA-1 (title and language set), its fonts are embedded, and it is
written atomically: a temporary file next to OUTPUT is renamed over it only when
WeasyPrint has finished, so a failed build never leaves a half-written PDF (and an
older good one stays untouched). With ``SOURCE_DATE_EPOCH`` set, the same sources give
the same bytes. Errors are one line naming the file; exit status 2 for bad input, 1
when WeasyPrint reports a problem.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assemble import AssemblyError, Edition, assemble, read_singlehtml  # noqa: E402
from clinic import ClinicError, load_clinic  # noqa: E402

DEFAULT_CSS = Path(__file__).resolve().parent.parent / "docs" / "_static" / "print.css"
PAPERS = {"a4": "A4", "letter": "letter"}
# The editions `--edition NAME=PATH` knows: (paper, large print).
EDITIONS = {"a4": ("a4", False), "letter": ("letter", False), "large-print": ("a4", True)}


class _Collect(logging.Handler):
    """Keep WeasyPrint's warnings: a missing image or a bad style rule fails the build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def edition_css(paper: str, large_print: bool) -> str:
    css = f"@page {{ size: {PAPERS[paper]}; }}\n"
    if large_print:
        css += (
            "@page { margin: 18mm 16mm 22mm 16mm;"
            " @top-left { font-size: 13pt; } @top-right { content: none; }"
            " @bottom-center { font-size: 14pt; } }\n"
        )
    return css


def created_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


@dataclass
class _Job:
    """One PDF to write: its output, its paper, and the parsed document it is made from."""

    output: Path
    paper: str
    large_print: bool
    text: str  # the assembled HTML (its hash identifies the PDF)
    document: object = None  # weasyprint.HTML, parsed once per distinct text


def write_pdf(document_html: str, base_url: Path, output: Path, stylesheets: list) -> list[str]:
    """Render and write atomically; return WeasyPrint's warnings (empty when clean)."""
    from weasyprint import HTML  # imported late: slow, and not needed for --help

    job = _Job(output=output, paper="a4", large_print=False, text=document_html)
    job.document = HTML(string=document_html, base_url=str(base_url) + os.sep)
    return _render(job, stylesheets)


def _render(job: _Job, stylesheets: list) -> list[str]:
    from weasyprint import CSS

    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        sheets = [CSS(filename=str(s)) if isinstance(s, Path) else CSS(string=s) for s in stylesheets]
        rendered = job.document.render(stylesheets=sheets)
        if collect.messages:
            return collect.messages
        # A stable identifier keeps the bytes reproducible (WeasyPrint has none by default).
        identifier = hashlib.sha256(job.text.encode()).hexdigest()[:32].encode()
        output = job.output
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.stem}-", suffix=".pdf.tmp"
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                rendered.write_pdf(stream, pdf_variant="pdf/ua-1", pdf_identifier=identifier)
            os.chmod(temporary, 0o644)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        logger.removeHandler(collect)
    return collect.messages


# The jobs of this run, set before the worker processes are forked: they inherit the
# parsed documents instead of receiving them through a pipe.
_JOBS: list[_Job] = []
_CSS: Path = DEFAULT_CSS


def _run_job(index: int) -> tuple[int, list[str], str | None]:
    """Build one PDF; return (index, WeasyPrint's warnings, one-line error or None)."""
    job = _JOBS[index]
    try:
        warnings = _render(job, [_CSS, edition_css(job.paper, job.large_print)])
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        job.output.unlink(missing_ok=True)
        return index, [], f"{type(error).__name__}: {error}"
    return index, warnings, None


def _parse_editions(values: list[str]) -> list[tuple[str, Path]]:
    editions = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not path or name not in EDITIONS:
            raise argparse.ArgumentTypeError(
                f"--edition wants NAME=FILE.pdf with NAME one of {', '.join(EDITIONS)}; "
                f"got {value!r}"
            )
        editions.append((name, Path(path)))
    return editions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_pdf", description=__doc__.splitlines()[0])
    parser.add_argument("singlehtml", type=Path, help="folder of the singlehtml build")
    parser.add_argument("output", type=Path, nargs="?", help="PDF file to write (one edition)")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    parser.add_argument("--large-print", action="store_true")
    parser.add_argument(
        "--edition", action="append", default=[], metavar="NAME=FILE",
        help=f"an edition to write ({', '.join(EDITIONS)}); repeat for several",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=0, help="processes (default: one per edition, at most the processors)")
    parser.add_argument("--clinic", type=Path, help="clinic TOML (see docs/clinic.example.toml)")
    parser.add_argument("--css", type=Path, default=DEFAULT_CSS, help="print stylesheet")
    parser.add_argument("--html", type=Path, help="also write the assembled HTML here (one edition)")
    args = parser.parse_args(argv)
    try:
        editions = _parse_editions(args.edition)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    if args.output is not None:
        if editions:
            parser.error("give either OUTPUT or --edition, not both")
        jobs = [(args.output, args.paper, args.large_print)]
    elif editions:
        if args.html:
            parser.error("--html needs a single OUTPUT")
        jobs = [(path, *EDITIONS[name]) for name, path in editions]
    else:
        parser.error("give OUTPUT.pdf or at least one --edition NAME=FILE.pdf")
    outputs = [output for output, _, _ in jobs]
    try:
        return _build(args, jobs)
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        for output in outputs:
            output.unlink(missing_ok=True)
        names = ", ".join(str(output) for output in outputs)
        print(f"build_pdf: error: {names}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, wanted: list[tuple[Path, str, bool]]) -> int:
    global _CSS
    outputs = [output for output, _, _ in wanted]
    try:
        clinic = load_clinic(args.clinic) if args.clinic else None
        source = read_singlehtml(args.singlehtml)
        # One assembly per distinct text: only large print changes the document itself.
        texts: dict[bool, str] = {}
        for _, _, large_print in wanted:
            if large_print not in texts:
                edition = Edition(large_print=large_print, clinic=clinic, created=created_date())
                texts[large_print] = assemble(source, edition)
        if not args.css.is_file():
            raise AssemblyError(f"{args.css}: print stylesheet not found")
    except (ClinicError, AssemblyError) as error:
        # A failed build leaves no PDF behind, not even an older one.
        for output in outputs:
            output.unlink(missing_ok=True)
        print(f"build_pdf: error: {error}", file=sys.stderr)
        return 2
    if args.html:
        args.html.write_text(texts[wanted[0][2]], encoding="utf-8")

    from weasyprint import HTML

    base_url = str(args.singlehtml.resolve()) + os.sep
    parsed = {key: HTML(string=text, base_url=base_url) for key, text in texts.items()}
    _CSS = args.css
    _JOBS[:] = [
        _Job(output, paper, large_print, texts[large_print], parsed[large_print])
        for output, paper, large_print in wanted
    ]
    # WeasyPrint makes millions of small objects and few reference cycles. With Python's
    # default threshold (700 allocations) the cycle collector ran about 1,000 times per
    # edition and took about 12% of its time (1.9 s of 15 s, timed with gc.callbacks);
    # at 50,000 it runs a dozen times (0.3 s), for 50 MB more peak memory per edition.
    # What is parsed so far is frozen: never scanned again, and shared with the workers.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    # The slowest edition first, so that it does not start last on a free processor.
    order = sorted(range(len(_JOBS)), key=lambda i: not _JOBS[i].large_print)
    jobs = args.jobs or min(len(_JOBS), os.cpu_count() or 1)
    results = _run_all(order, max(1, jobs))

    status = 0
    for index in range(len(_JOBS)):
        _, warnings, error = results[index]
        output = _JOBS[index].output
        if error:
            print(f"build_pdf: error: {output}: {error}", file=sys.stderr)
            status = 1
        elif warnings:
            output.unlink(missing_ok=True)
            for message in warnings:
                print(f"build_pdf: error: {output.name}: {message}", file=sys.stderr)
            status = 1
        else:
            print(f"build_pdf: wrote {output}")
    return status


def _run_all(order: list[int], jobs: int) -> dict[int, tuple[int, list[str], str | None]]:
    if jobs == 1 or len(order) == 1:
        return {index: _run_job(index) for index in order}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers inherit the assembled and parsed documents (and the imports).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(order)), mp_context=context) as pool:
        return {result[0]: result for result in pool.map(_run_job, order)}


if __name__ == "__main__":
    sys.exit(main())
