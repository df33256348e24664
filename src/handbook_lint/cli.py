"""``handbook-lint`` command line: ``main(argv) -> int`` returns a named exit code."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence

from . import __version__
from .alert import FAMILIES, LEVELS, level_rank
from .config import ConfigError, find_project_root, load_settings

FORMATS = ("text", "json", "sarif", "github")

#: No error-level alert.
EXIT_OK = 0
#: At least one error-level alert.
EXIT_ALERTS = 1
#: Usage, configuration or input error (Vale's code for the same).
EXIT_ERROR = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _split(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="handbook-lint",
        description="Flag marketing language, unsupported absolutes and uncited claims in "
                    "MyST Markdown patient information.",
        epilog="Exit codes: 0 no error-level alert, 1 error-level alerts, 2 usage, "
               "configuration or input error. Defaults come from [tool.handbook-lint] in the "
               "nearest pyproject.toml; flags win.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (default: 'paths' from pyproject.toml)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    p.add_argument("--select", action="append", metavar="IDS",
                   help="only these rule ids, families or styles (comma-separated)")
    p.add_argument("--ignore", action="append", metavar="IDS",
                   help="skip these rule ids, families or styles (comma-separated)")
    p.add_argument("--min-level", choices=LEVELS, help="hide alerts below this level")
    p.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    p.add_argument("--explain", metavar="RULE",
                   help="print what a rule flags, why, its standard and examples")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="lint files in N processes")
    p.add_argument("--no-cache", action="store_true",
                   help="do not read or write .handbook-lint-cache/")
    p.add_argument("--version", action="version", version=f"handbook-lint {__version__}")
    return p


def _err(msg: str) -> None:
    print(msg.replace("\n", " "), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except _UsageError as exc:
        _err(f"handbook-lint: error: {exc} (see --help)")
        return EXIT_ERROR
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)

    if args.jobs is not None and args.jobs < 1:
        _err("handbook-lint: error: --jobs must be at least 1")
        return EXIT_ERROR
    overrides: dict[str, object] = {}
    if args.format:
        overrides["format"] = args.format
    if args.select:
        overrides["select"] = _split(args.select)
    if args.ignore:
        overrides["ignore"] = _split(args.ignore)
    if args.min_level:
        overrides["min-level"] = args.min_level
    if args.jobs:
        overrides["jobs"] = args.jobs
    if args.no_cache:
        overrides["cache"] = False

    from .api import run as run_lint
    from .report import render
    from .rules import SUPPRESSION_ID, explain, load_ruleset

    try:
        root = find_project_root()
        settings = load_settings(root)
        settings.update(overrides)
        fmt = settings.get("format", "text")
        if fmt not in FORMATS:
            _err(f"{root / 'pyproject.toml'}:1: format must be one of {', '.join(FORMATS)}")
            return EXIT_ERROR
        if args.list_rules or args.explain:
            metas = load_ruleset(root, settings).meta()
            if args.explain:
                found = [m for m in metas if m.id == args.explain]
                if not found:
                    _err(f"handbook-lint: error: unknown rule {args.explain!r} "
                         "(see --list-rules)")
                    return EXIT_ERROR
                sys.stdout.write(explain(found[0]))
                return EXIT_OK
            if fmt == "json":
                sys.stdout.write(json.dumps([m.__dict__ for m in metas], indent=2) + "\n")
            else:
                for m in metas:
                    sys.stdout.write(f"{m.id:34} {m.family:15} {m.level:10} {m.what}\n")
            return EXIT_OK
        if args.select or args.ignore:
            ruleset = load_ruleset(root, settings)
            ids = ruleset.styles.rule_ids | {c.id for c in [*ruleset.checks,
                                                             *ruleset.project_checks]}
            ids.add(SUPPRESSION_ID)
            for ident in _split(args.select) + _split(args.ignore):
                if ident not in FAMILIES and ident not in ids and not any(
                        i.startswith(ident + ".") for i in ids):
                    _err(f"handbook-lint: error: unknown rule, style or family {ident!r} "
                         "(see --list-rules)")
                    return EXIT_ERROR
        result = run_lint(args.paths or None, {**overrides, "root": str(root)})
    except ConfigError as exc:
        _err(str(exc))
        return EXIT_ERROR

    out = render(fmt, result.alerts, load_ruleset(root, settings).meta() if fmt == "sarif" else (),
                 root=root, errors=result.errors, tty=sys.stdout.isatty())
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    for e in result.errors:
        _err(e)
    if result.errors:
        return EXIT_ERROR
    if any(level_rank(a.severity) >= level_rank("error") for a in result.alerts):
        return EXIT_ALERTS
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    # A lint run allocates many short-lived objects (tokens, sentences) and keeps few:
    # Python's default thresholds would run the cycle collector, and its full passes
    # over every object of the run, far more often than such a heap needs.
    gc.set_threshold(10_000, 20, 20)
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`handbook-lint --list-rules | head`): not an error of
        # ours. Point stdout at devnull so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
