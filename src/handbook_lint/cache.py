"""Content-hash cache of per-file results in ``.handbook-lint-cache/``.

A key covers the file's path and bytes, the fingerprint of every rule (Vale rule files,
vocabularies, .vale.ini, Python check sources), the settings that shape alerts, the
files checks read (bibliography, glossary) and the package version; so a change in any
of them is a miss, never a stale hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".handbook-lint-cache"
# Settings that only shape output or filtering after the cache; not part of the key.
_NOT_IN_KEY = {"format", "jobs", "cache", "paths", "select", "ignore", "min-level", "exclude"}


def settings_fingerprint(settings: dict[str, Any], extra_files: list[Path]) -> str:
    h = hashlib.sha256(__version__.encode())
    shaped = {k: v for k, v in settings.items() if k not in _NOT_IN_KEY}
    h.update(json.dumps(shaped, sort_keys=True, default=str).encode())
    for f in extra_files:
        h.update(str(f).encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def file_key(path: str, data: bytes, rules_fp: str, settings_fp: str) -> str:
    h = hashlib.sha256()
    for part in (__version__, rules_fp, settings_fp, path):
        h.update(part.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.dir = root / CACHE_DIR
        self.enabled = enabled

    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            return json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        if not self.enabled:
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only tree just runs without a cache
