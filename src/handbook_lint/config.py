"""Configuration: ``[tool.handbook-lint]`` in the nearest pyproject.toml, and ``.vale.ini``.

Settings (pyproject keys; CLI flags win over them):

``paths``            files or folders linted when none are given (default ``["docs"]``)
``exclude``          glob patterns (relative to the project root) never linted
``min-level``        suggestion | warning | error
``select``/``ignore`` rule ids, families or style names
``format``           text | json | sarif | github
``jobs``             worker processes (default 1)
``cache``            true/false: the content-hash cache in ``.handbook-lint-cache/``
``vale-ini``         path of the Vale config (default ``.vale.ini``)
``regex-timeout``    seconds one rule may spend on one piece of text (default 2.0)
``bibliography``, ``glossary``, ``required-sections``, ...  read by the checks
"""

from __future__ import annotations

import configparser
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .alert import LEVELS

DEFAULTS: dict[str, Any] = {
    "paths": ["docs"],
    "exclude": ["**/_build/**"],
    "min-level": "suggestion",
    "select": [],
    "ignore": [],
    "format": "text",
    "jobs": 1,
    "cache": True,
    "vale-ini": ".vale.ini",
    "regex-timeout": 2.0,
    "bibliography": "docs/references.bib",
    "glossary": "docs/glossary.md",
}


class ConfigError(Exception):
    """A configuration or rule-file problem: reported as ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message

    def __reduce__(self):  # picklable across --jobs worker processes
        return (type(self), (self.path, self.line, self.message))


def find_project_root(start: Path | None = None) -> Path:
    """Folder of the nearest pyproject.toml at or above ``start`` (else ``start``)."""
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for d in (here, *here.parents):
        if (d / "pyproject.toml").is_file():
            return d
    return here


def load_settings(root: Path) -> dict[str, Any]:
    """``DEFAULTS`` updated with ``[tool.handbook-lint]`` of ``root/pyproject.toml``."""
    settings = dict(DEFAULTS)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise ConfigError(str(pyproject), int(m.group(1)) if m else 1,
                              f"invalid TOML: {exc}") from None
        table = data.get("tool", {}).get("handbook-lint", {})
        if not isinstance(table, dict):
            raise ConfigError(str(pyproject), 1, "[tool.handbook-lint] must be a table")
        settings.update(table)
    validate_settings(settings, str(pyproject))
    return settings


def validate_settings(settings: dict[str, Any], where: str) -> None:
    level = settings.get("min-level")
    if level not in LEVELS:
        raise ConfigError(where, 1, f"min-level must be one of {', '.join(LEVELS)}, not {level!r}")
    for key in ("paths", "exclude", "select", "ignore"):
        val = settings.get(key)
        if isinstance(val, str):
            settings[key] = [val]
        elif not isinstance(val, list):
            raise ConfigError(where, 1, f"{key} must be a list of strings")


# ------------------------------------------------------------------- .vale.ini


@dataclass
class ValeIni:
    """What we use of a ``.vale.ini``."""

    path: Path | None = None
    styles_path: Path | None = None
    min_level: str = "suggestion"
    vocab: list[str] = field(default_factory=list)
    # (glob, {"BasedOnStyles": [...], "Style.Rule": "NO"|"YES"|level, ...}), in file order
    sections: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def for_file(self, path: str) -> tuple[list[str], dict[str, str]]:
        """Styles and rule overrides that apply to ``path`` (later sections win)."""
        styles: list[str] = []
        overrides: dict[str, str] = {}
        name = Path(path).name
        for glob, values in self.sections:
            if not _glob_match(glob, path, name):
                continue
            if "BasedOnStyles" in values:
                styles = [s.strip() for s in values["BasedOnStyles"].split(",") if s.strip()]
            for k, v in values.items():
                if "." in k:
                    overrides[k] = v.strip()
        return styles, overrides

    def all_styles(self) -> list[str]:
        out: list[str] = []
        for _glob, values in self.sections:
            for s in values.get("BasedOnStyles", "").split(","):
                if s.strip() and s.strip() not in out:
                    out.append(s.strip())
        return out


def _expand_braces(glob: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", glob)
    if not m:
        return [glob]
    out = []
    for alt in m.group(1).split(","):
        out.extend(_expand_braces(glob[: m.start()] + alt + glob[m.end():]))
    return out


def _glob_match(glob: str, path: str, name: str) -> bool:
    for g in _expand_braces(glob):
        if fnmatch.fnmatch(name, g) or fnmatch.fnmatch(path.replace("\\", "/"), g):
            return True
    return False


_KNOWN_GLOBAL = {"StylesPath", "MinAlertLevel", "Vocab", "Packages", "IgnoredScopes",
                 "SkippedScopes", "WordTemplate", "IgnoredClasses", "NLPEndpoint"}
_KNOWN_SECTION = {"BasedOnStyles", "BlockIgnores", "TokenIgnores", "Transform", "Lang"}
# Vale keys we know but do not implement: an error, never silently ignored.
_UNSUPPORTED = {"Packages", "BlockIgnores", "TokenIgnores", "Transform", "NLPEndpoint",
                "IgnoredScopes", "SkippedScopes", "WordTemplate", "IgnoredClasses", "Lang"}


def load_vale_ini(path: Path) -> ValeIni:
    """Parse a .vale.ini strictly: unknown or unsupported keys are a ConfigError."""
    ini = ValeIni(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), 0, "no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), 1, "not valid UTF-8") from None
    section = None
    values: dict[str, str] = {}
    global_values: dict[str, str] = {}
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            if section is not None:
                ini.sections.append((section, values))
            section, values = m.group(1).strip(), {}
            continue
        if "=" not in line:
            raise ConfigError(str(path), lineno, f"expected 'Key = value', got {line!r}")
        key, val = (s.strip() for s in line.split("=", 1))
        ini.lines[key if section is None else f"{section}:{key}"] = lineno
        if section is None:
            if key not in _KNOWN_GLOBAL:
                raise ConfigError(str(path), lineno, f"unknown key {key!r}")
            if key in _UNSUPPORTED:
                raise ConfigError(str(path), lineno, f"{key} is not supported by handbook-lint")
            global_values[key] = val
        else:
            if "." not in key and key not in _KNOWN_SECTION:
                raise ConfigError(str(path), lineno, f"unknown key {key!r} in [{section}]")
            if key in _UNSUPPORTED:
                raise ConfigError(str(path), lineno, f"{key} is not supported by handbook-lint")
            if "." in key and val.upper() not in ("YES", "NO") and val not in LEVELS:
                raise ConfigError(str(path), lineno,
                                  f"{key} must be YES, NO or one of {', '.join(LEVELS)}")
            values[key] = val
    if section is not None:
        ini.sections.append((section, values))
    base = path.parent
    ini.styles_path = (base / global_values.get("StylesPath", "styles")).resolve()
    level = global_values.get("MinAlertLevel", "suggestion")
    if level not in LEVELS:
        raise ConfigError(str(path), ini.lines.get("MinAlertLevel", 1),
                          f"MinAlertLevel must be one of {', '.join(LEVELS)}")
    ini.min_level = level
    ini.vocab = [v.strip() for v in global_values.get("Vocab", "").split(",") if v.strip()]
    return ini
