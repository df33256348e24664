"""A cache of rule analysis: what the linter works out from its patterns at start-up.

Working out the word keys of a long word list, or the anchor words of a claim
pattern, takes a few tenths of a second: more than linting a chapter. The result
depends only on the pattern text, the code that analyses it and the Python version, so
it is kept between runs, like Python's bytecode, in the user's cache folder:
``$HANDBOOK_LINT_RULE_CACHE``, else ``$XDG_CACHE_HOME/handbook-lint/rules``, else
``~/.cache/handbook-lint/rules``. Set ``HANDBOOK_LINT_RULE_CACHE=off`` to turn it off.

This is not the results cache (``.handbook-lint-cache/``, ``--no-cache``): nothing about
the files being linted is stored here, so it can never give a stale alert. A missing,
unreadable or damaged entry is simply worked out again; a folder that cannot be written
is not an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

_OFF = {"", "0", "off", "no", "false"}


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is turned off."""
    env = os.environ.get("HANDBOOK_LINT_RULE_CACHE")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "handbook-lint" / "rules"


def _path(kind: str, code: Path, parts: list[str]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256(f"{sys.version}\0".encode())
    try:
        h.update(code.read_bytes())
    except OSError:
        return None
    for part in parts:
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return folder / f"{kind}.{h.hexdigest()[:32]}.marshal"


def load(kind: str, code: Path, parts: list[str]) -> Any | None:
    """The entry for ``parts`` analysed by the module at ``code``, or None."""
    path = _path(kind, code, parts)
    if path is None:
        return None
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store(kind: str, code: Path, parts: list[str], value: Any) -> None:
    """Keep ``value`` (marshal types only); written atomically, errors ignored."""
    path = _path(kind, code, parts)
    if path is None:
        return
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            _prune(path.parent)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        pass  # a read-only home, a full disk: analyse again next time


#: Entries kept; past this, the least recently written go (each rule edit adds one).
MAX_ENTRIES = 256


def _prune(folder: Path) -> None:
    try:
        entries = [(e.stat().st_mtime, e) for e in folder.glob("*.marshal")]
    except OSError:
        return
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort()
    for _mtime, e in entries[: len(entries) - MAX_ENTRIES]:
        try:
            e.unlink()
        except OSError:
            pass
