"""The rule set of a run: Vale styles named by .vale.ini plus the registered Python checks.

:func:`iter_rule_meta` yields every rule's documentation (id, family, level, message,
link, what, why, standard, bad, good) in one shape for both kinds; ``--list-rules``,
``--explain`` and the generated ``RULES.md`` all come from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .checks import all_checks
from .checks.base import Check, ProjectCheck
from .config import ConfigError, find_project_root, load_settings, load_vale_ini
from .vale import RuleMeta, ValeStyles, load_styles, rule_meta

#: Ids of the linter's own alerts (suppression comments); they are in no style.
SUPPRESSION_ID = "HandbookLint.Suppression"


class RuleSet:
    """Vale styles plus Python checks. Both load lazily: a run served from the cache
    compiles no rule and imports no check module (see :meth:`registry`)."""

    def __init__(self, styles: ValeStyles, fingerprint: str, code_fingerprint: str) -> None:
        self.styles = styles
        self.fingerprint = fingerprint
        self.code_fingerprint = code_fingerprint
        self._checks: list[Check | ProjectCheck] | None = None

    def _all(self) -> list[Check | ProjectCheck]:
        if self._checks is None:
            try:
                self._checks = list(all_checks())
            except ValueError as exc:
                raise ConfigError("src/handbook_lint/checks/__init__.py", 1, str(exc)) from None
        return self._checks

    @property
    def checks(self) -> list[Check]:
        return [c for c in self._all() if isinstance(c, Check)]

    @property
    def project_checks(self) -> list[ProjectCheck]:
        return [c for c in self._all() if isinstance(c, ProjectCheck)]

    def registry(self, cache: Any = None) -> tuple[set[str], bool]:
        """Ids of the Python checks and whether any is a project check, from the cache
        when the package source is unchanged (importing the checks costs time)."""
        key = "registry-" + self.code_fingerprint
        hit = cache.get(key) if cache is not None and self._checks is None else None
        if hit is not None:
            return set(hit["ids"]), bool(hit["project"])
        ids = {c.id for c in self._all()}
        project = bool(self.project_checks)
        if cache is not None:
            cache.put(key, {"ids": sorted(ids), "project": project})
        return ids, project

    def meta(self) -> list[RuleMeta]:
        out = [rule_meta(r) for r in self.styles.rules]
        for c in [*self.checks, *self.project_checks]:
            out.append(check_meta(c))
        out.append(SUPPRESSION_META)
        return sorted(out, key=lambda m: m.id)

    def level_overrides(self, path: str) -> dict[str, str]:
        """.vale.ini overrides for ``path``: rule id -> "NO", "YES" or a level."""
        if self.styles.ini is None:
            return {}
        _styles, overrides = self.styles.ini.for_file(path)
        return overrides


SUPPRESSION_META = RuleMeta(
    id=SUPPRESSION_ID, family="structure", level="error",
    message="A suppression comment needs a reason and must suppress something.",
    link="",
    what="Flags a `<!-- handbook-lint: disable=... -->` comment without a reason=\"...\", "
         "naming an unknown rule, or suppressing nothing.",
    why="Suppressions hide alerts from every later reader; each must say why and stay "
        "only while it is needed.",
    standard="handbook-lint house rule",
    bad='<!-- handbook-lint: disable=Handbook.Hype -->',
    good='<!-- handbook-lint: disable=Handbook.Hype reason="quoted from the source" -->',
    kind="builtin", source="handbook_lint")


def check_meta(c: Check | ProjectCheck) -> RuleMeta:
    kind = "python-project" if isinstance(c, ProjectCheck) else "python"
    src = getattr(c.run, "__module__", "") or ""
    return RuleMeta(id=c.id, family=c.family, level=c.level, message=c.message, link=c.link,
                    what=c.what, why=c.why, standard=c.standard, bad=c.bad, good=c.good,
                    kind=kind, source=src)


def _code_fingerprint() -> str:
    """Hash of the package's own source (checks, their helpers, the parser, the engine):
    editing any of it must invalidate the cache, not only a version bump."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for f in sorted(pkg.rglob("*.py")):
        try:
            h.update(f.relative_to(pkg).as_posix().encode() + b"\0" + f.read_bytes())
        except OSError:
            h.update(str(f).encode())
    return h.hexdigest()


def load_ruleset(root: Path, settings: dict[str, Any]) -> RuleSet:
    """Load .vale.ini (setting ``vale-ini``) and its styles, and the Python checks.

    A missing .vale.ini means no Vale rules (the Python checks still run)."""
    ini_path = Path(settings.get("vale-ini", ".vale.ini"))
    if not ini_path.is_absolute():
        ini_path = root / ini_path
    ini = load_vale_ini(ini_path) if ini_path.is_file() else None
    styles = load_styles(ini, float(settings.get("regex-timeout", 2.0)))
    code_fp = _code_fingerprint()
    h = hashlib.sha256()
    h.update(styles.fingerprint.encode())
    h.update(code_fp.encode())
    h.update(__version__.encode())
    # The registered checks are part of the code: a monkeypatched or plugged-in list is
    # told apart by its ids only once imported, so the key also covers the MODULES tuple.
    from .checks import MODULES

    h.update(repr(MODULES).encode())
    return RuleSet(styles, h.hexdigest(), code_fp)


def iter_rule_meta(root: str | Path | None = None) -> Iterator[RuleMeta]:
    """Every rule's metadata (Vale + Python + built-in), sorted by id.

    ``root`` is the project folder (default: nearest pyproject.toml from cwd)."""
    r = find_project_root(Path(root) if root else None)
    rs = load_ruleset(r, load_settings(r))
    yield from rs.meta()


def explain(meta: RuleMeta) -> str:
    """The ``--explain`` text of one rule."""
    out = [f"{meta.id}  ({meta.family}, {meta.level}; {meta.kind} rule from {meta.source})", ""]
    for title, value in (("What it flags", meta.what), ("Why", meta.why),
                         ("Standard", meta.standard), ("Link", meta.link),
                         ("Message", meta.message)):
        if value:
            out += [f"{title}:", f"  {value}", ""]
    if meta.bad:
        out += ["Flagged (bad):"] + [f"  {line}" for line in meta.bad.split("\n")] + [""]
    if meta.good:
        out += ["Not flagged (good):"] + [f"  {line}" for line in meta.good.split("\n")] + [""]
    from .document import KNOWN_PROSE_DIRECTIVES

    out += ["Where rules look: prose the reader sees (paragraphs, headings, list items, table",
            "cells, quotes, footnotes, and the bodies of directives such as "
            + ", ".join(sorted(KNOWN_PROSE_DIRECTIVES)[:8]) + ", ...).",
            "A directive handbook-lint does not know is treated as prose when its body parses",
            "as Markdown. Code, math, URLs, role targets, options and comments are skipped."]
    return "\n".join(out).rstrip() + "\n"
