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

import atexit
import hashlib
import marshal
import os
import re
import re._compiler as _re_compiler
import re._parser as _re_parser
import sys
import tempfile
from pathlib import Path
from typing import Any

import _sre

_HERE = Path(__file__)

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


# ------------------------------------------------------------ compiled patterns

#: The programs `re` compiled patterns to in earlier runs: (pattern, flags) ->
#: (flags, code, groups, groupindex, indexgroup), loaded on first use.
_PROGRAMS: dict[tuple[str, int], tuple] | None = None
_ADDED: list[bool] = [False]
#: Patterns kept; a word list compiles a few hundred of its entries as a run needs them.
MAX_PROGRAMS = 8192


def compile_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with the compiled program kept in this cache.

    Rules compile hundreds of small patterns as the text needs them; parsing and
    compiling them is most of what linting a few pages costs. `re` builds a program
    (a list of integers) from the pattern and hands it to its C engine, which checks
    it; the program depends only on the pattern, the flags and the Python version, so
    it is kept like the rest of this cache. Anything unexpected (another Python's
    internals, a damaged entry) falls back to ``re.compile``. Errors in the pattern
    are raised as ``re.compile`` raises them."""
    global _PROGRAMS
    flags = int(flags)
    if _PROGRAMS is None:
        _PROGRAMS = _load_programs()
    key = (pattern, flags)
    entry = _PROGRAMS.get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001 - a damaged or foreign entry: compile anew
            del _PROGRAMS[key]
    try:
        parsed = _re_parser.parse(pattern, flags)
        code = list(map(int, _re_compiler._code(parsed, flags)))  # plain ints: marshal
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, i in state.groupdict.items():
            indexgroup[i] = name
        entry = (flags | state.flags, code, state.groups - 1, dict(state.groupdict),
                 tuple(indexgroup))
        compiled = _sre.compile(pattern, *entry)
    except (re.error, OverflowError, RecursionError, ValueError):
        raise
    except Exception:  # noqa: BLE001 - internals of another Python: the public way
        return re.compile(pattern, flags)
    if len(_PROGRAMS) < MAX_PROGRAMS and cache_dir() is not None:
        _PROGRAMS[key] = entry
        if not _ADDED[0]:
            _ADDED[0] = True
            atexit.register(_store_programs)
    return compiled


def _programs_parts() -> list[str]:
    return ["re-programs", str(getattr(_sre, "MAGIC", ""))]


def _load_programs() -> dict[tuple[str, int], tuple]:
    data = load("programs", _HERE, _programs_parts())
    return data if isinstance(data, dict) else {}


def _store_programs() -> None:
    if _PROGRAMS:
        # Another run may have added its own since: keep both.
        on_disk = _load_programs()
        on_disk.update(_PROGRAMS)
        if len(on_disk) > MAX_PROGRAMS:
            on_disk = dict(_PROGRAMS)
        store("programs", _HERE, _programs_parts(), on_disk)
