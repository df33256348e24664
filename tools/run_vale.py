"""Run the real Vale over the handbook with the project's ``.vale.ini``.

    python tools/run_vale.py [PATH ...]

Vale is used from PATH when it is installed there; otherwise from the ``vale`` PyPI
package (the ``dev`` extra), which downloads the Vale binary on first use. Where that
download cannot happen (no internet), one line says so and the exit status is 0: the
same styles always run through ``handbook-lint``'s own engine (``make lint``).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def find_vale() -> tuple[str | None, str]:
    """Return (path to a working Vale binary or None, why not)."""
    on_path = shutil.which("vale")
    wrapper = Path(sys.executable).parent / "vale"
    if on_path and Path(on_path).resolve() != wrapper.resolve():
        return on_path, ""
    try:
        from vale import main as vale_wrapper
    except ImportError:
        return None, "the vale package is not installed (pip install -e '.[dev]')"
    try:
        # The wrapper narrates its download on stderr; keep the message to one line.
        with contextlib.redirect_stderr(io.StringIO()):
            return vale_wrapper.download_vale_if_missing(), ""
    except Exception as error:  # noqa: BLE001 - any download failure means "no Vale here"
        reason = getattr(error, "reason", None) or error
        return None, f"its binary could not be downloaded ({reason})"


def main(argv: list[str] | None = None) -> int:
    paths = list(sys.argv[1:] if argv is None else argv) or ["docs"]
    binary, why = find_vale()
    if binary is None:
        print(f"vale: skipped: {why}; `make lint` runs the same styles with handbook-lint.")
        return 0
    command = [binary, "--config", str(ROOT / ".vale.ini"), "--glob", "!**/_build/**", *paths]
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
