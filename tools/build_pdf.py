"""Build one PDF edition of the handbook from the ``singlehtml`` build.

    python tools/build_pdf.py SINGLEHTML_DIR OUTPUT.pdf [--paper a4|letter]
        [--large-print] [--clinic clinic.toml] [--css docs/_static/print.css]

The PDF is tagged PDF/UA-1 (title and language set), its fonts are embedded, and it is
written atomically: a temporary file next to OUTPUT is renamed over it only when
WeasyPrint has finished, so a failed build never leaves a half-written PDF (and an
older good one stays untouched). With ``SOURCE_DATE_EPOCH`` set, the same sources give
the same bytes. Errors are one line naming the file; exit status 2 for bad input, 1
when WeasyPrint reports a problem.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assemble import AssemblyError, Edition, assemble, read_singlehtml  # noqa: E402
from clinic import ClinicError, load_clinic  # noqa: E402

DEFAULT_CSS = Path(__file__).resolve().parent.parent / "docs" / "_static" / "print.css"
PAPERS = {"a4": "A4", "letter": "letter"}


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


def write_pdf(document_html: str, base_url: Path, output: Path, stylesheets: list) -> list[str]:
    """Render and write atomically; return WeasyPrint's warnings (empty when clean)."""
    from weasyprint import CSS, HTML  # imported late: slow, and not needed for --help

    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = HTML(string=document_html, base_url=str(base_url) + os.sep)
        sheets = [CSS(filename=str(s)) if isinstance(s, Path) else CSS(string=s) for s in stylesheets]
        rendered = document.render(stylesheets=sheets)
        if collect.messages:
            return collect.messages
        # A stable identifier keeps the bytes reproducible (WeasyPrint has none by default).
        identifier = hashlib.sha256(document_html.encode()).hexdigest()[:32].encode()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_pdf", description=__doc__.splitlines()[0])
    parser.add_argument("singlehtml", type=Path, help="folder of the singlehtml build")
    parser.add_argument("output", type=Path, help="PDF file to write")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    parser.add_argument("--large-print", action="store_true")
    parser.add_argument("--clinic", type=Path, help="clinic TOML (see docs/clinic.example.toml)")
    parser.add_argument("--css", type=Path, default=DEFAULT_CSS, help="print stylesheet")
    parser.add_argument("--html", type=Path, help="also write the assembled HTML here")
    args = parser.parse_args(argv)
    try:
        return _build(args)
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        args.output.unlink(missing_ok=True)
        print(f"build_pdf: error: {args.output}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace) -> int:
    try:
        clinic = load_clinic(args.clinic) if args.clinic else None
        edition = Edition(
            paper=args.paper, large_print=args.large_print, clinic=clinic, created=created_date()
        )
        document = assemble(read_singlehtml(args.singlehtml), edition)
        if not args.css.is_file():
            raise AssemblyError(f"{args.css}: print stylesheet not found")
    except (ClinicError, AssemblyError) as error:
        # A failed build leaves no PDF behind, not even an older one.
        args.output.unlink(missing_ok=True)
        print(f"build_pdf: error: {error}", file=sys.stderr)
        return 2
    if args.html:
        args.html.write_text(document, encoding="utf-8")

    warnings = write_pdf(
        document,
        args.singlehtml.resolve(),
        args.output,
        [args.css, edition_css(args.paper, args.large_print)],
    )
    if warnings:
        args.output.unlink(missing_ok=True)
        for message in warnings:
            print(f"build_pdf: error: {args.output.name}: {message}", file=sys.stderr)
        return 1
    print(f"build_pdf: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
