"""Profile handbook-lint on a benchmark corpus with cProfile (one process, no cache).

    python benchmarks/profile_lint.py                 # the 100k-word corpus
    python benchmarks/profile_lint.py --size 10000 --sort cumulative --limit 40
    python benchmarks/profile_lint.py --out /tmp/hl.prof   # for snakeviz / pstats

Runs the real command line (``handbook_lint.cli.main``) in this process with
``--jobs 1 --no-cache`` so every file is parsed and every rule runs here.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="corpus size in words")
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative", "ncalls"])
    parser.add_argument("--limit", type=int, default=30, help="rows to print")
    parser.add_argument("--out", type=Path, help="also save the raw profile here")
    args = parser.parse_args(argv)
    try:
        from handbook_lint import cli
    except ImportError as exc:
        print(f"profile_lint: cannot import handbook_lint: {exc}", file=sys.stderr)
        return 2
    manifest = corpus.build(args.size, quiet=True)
    files = [str(corpus.CORPUS_DIR / str(args.size) / f) for f in manifest["files"]]
    cli_args = ["--jobs", "1", "--no-cache", *files]
    profiler = cProfile.Profile()
    sink = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        profiler.enable()
        try:
            code = cli.main(cli_args)
        except SystemExit as exc:  # a CLI that exits instead of returning
            code = exc.code
        finally:
            profiler.disable()
    wall = time.perf_counter() - start
    print(f"{manifest['words']:,} words in {len(files)} files: {wall:.2f} s under cProfile "
          f"(exit {code}, {sink.getvalue().count(chr(10)):,} output lines)")
    if args.out:
        profiler.dump_stats(args.out)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
