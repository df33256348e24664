"""The Python API: ``lint(paths, config) -> list[Alert]``; the CLI and the Sphinx
extension both run through :func:`run`.

Data flows one way: file -> Document (parsed once) -> Vale rules + Python checks ->
suppressions -> select/ignore/min-level -> sorted alerts.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .alert import Alert, level_rank
from .cache import Cache, file_key, settings_fingerprint
from .checks.base import Context
from .config import ConfigError, find_project_root, load_settings, validate_settings
from .rules import SUPPRESSION_ID, RuleSet, load_ruleset
from .suppress import Suppression, apply_suppressions, find_suppressions

if TYPE_CHECKING:  # the parser and engine load only when a file is not in the cache
    from .document import Document

__all__ = ["LintError", "LintResult", "lint", "run", "expand_paths"]

#: File types linted when a folder is given.
FOLDER_SUFFIXES = (".md",)
#: File types linted when named explicitly.
FILE_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass
class LintResult:
    alerts: list[Alert] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "path:line: message", one per problem
    files: list[str] = field(default_factory=list)
    cache_hits: int = 0


class LintError(Exception):
    """Raised by :func:`lint` when a file or the configuration could not be read."""

    def __init__(self, result: LintResult) -> None:
        super().__init__("; ".join(result.errors))
        self.result = result


# ------------------------------------------------------------------ paths


def expand_paths(paths: Iterable[str], root: Path, exclude: Sequence[str]) -> tuple[list[str], list[str]]:
    """Files to lint (sorted, de-duplicated) and one error line per unusable path.

    ``exclude`` filters what a folder walk finds. A path named on the command line is
    never excluded, nor is a folder walk that starts inside an excluded area: the
    writer asked for it by name.
    """
    files: list[str] = []
    errors: list[str] = []

    def excluded(p: Path) -> bool:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = p.as_posix()
        return any(fnmatch.fnmatch(rel, pat) for pat in exclude)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in FOLDER_SUFFIXES and f.is_file())
            walk_excludes = not excluded(p)
            files.extend(str(f) for f in found if not (walk_excludes and excluded(f)))
        elif p.is_file():
            if p.suffix not in FILE_SUFFIXES:
                errors.append(f"{raw}:0: not a Markdown or text file; not linted")
            else:
                files.append(str(p))
        else:
            errors.append(f"{raw}:0: no such file or directory")
    seen: set[str] = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]
    return unique, errors


# ------------------------------------------------------------------ per file

_WORKER: dict[str, Any] = {}


def _init_worker(root: str, settings: dict[str, Any], paths: tuple[str, ...],
                 token: str = "") -> None:
    if token and _WORKER.get("token") == token:
        return  # forked from the run that set this up: its rules are loaded and compiled
    r = Path(root)
    _WORKER["ruleset"] = load_ruleset(r, settings)
    _WORKER["ctx"] = Context(root=r, settings=settings, paths=paths)


def _check_alerts(doc: Document, ruleset: RuleSet, ctx: Context) -> tuple[list[Alert], list[str]]:
    from .vale import run_rules

    alerts: list[Alert] = []
    problems: list[str] = []
    vale_alerts, timeouts = run_rules(doc, ruleset.styles.rules_for(doc.path))
    alerts.extend(a for a in vale_alerts if not _glossary_term(a, ctx))
    problems.extend(timeouts)
    for check in ruleset.checks:
        try:
            alerts.extend(_clamp(a, doc) for a in check.run(doc, ctx))
        except Exception as exc:  # a broken check must not hide the other rules
            problems.append(f"{doc.path}:1: check {check.id} failed: "
                            f"{type(exc).__name__}: {exc}")
    return alerts, problems


def _glossary_term(a: Alert, ctx: Context) -> bool:
    """Plain-language rules allow a term the glossary defines (the handbook's contract)."""
    if a.family != "plain-language":
        return False
    terms = ctx.glossary_terms
    m = a.match.lower()
    if not terms:
        return False
    if m in terms or m.rstrip("s") in terms or m + "s" in terms:
        return True
    # A word defined as part of a longer term ("subchondral" in "Subchondral bone").
    return m in _term_words(terms)


@functools.lru_cache(maxsize=4)
def _term_words(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(w for t in terms for w in t.split())


def _clamp(a: Alert, doc: Document) -> Alert:
    """Keep a check's alert inside its file: a span running past the end of its line
    ends at the end of the line (as Vale does for a match over two lines)."""
    if a.path != doc.path:
        return a
    line = min(max(a.line, 1), doc.line_count)
    width = max(doc.line_length(line), 1)
    c0 = min(max(a.span[0], 1), width)
    c1 = min(max(a.span[1], c0), width)
    if (line, (c0, c1)) == (a.line, tuple(a.span)):
        return a
    from dataclasses import replace

    return replace(a, line=line, span=(c0, c1))


def _process(path: str, data: bytes, keep_doc: bool) -> dict[str, Any]:
    """Lint one file in this process: raw alerts (before suppression), suppressions,
    problems, and the Document when project checks need it."""
    from .document import InputError, _decode, parse_text

    ruleset: RuleSet = _WORKER["ruleset"]
    ctx: Context = _WORKER["ctx"]
    try:
        doc = parse_text(_decode(path, data), path)
    except InputError as exc:
        return {"alerts": [], "sups": [], "errors": [str(exc)], "doc": None}
    except RecursionError:
        return {"alerts": [], "sups": [], "errors": [f"{path}:1: markup nested too deeply"],
                "doc": None}
    try:
        alerts, problems = _check_alerts(doc, ruleset, ctx)
    finally:
        # Values the checks computed for this document (doc_memo) can point back at it,
        # which would keep every document of the run alive: drop them with the file.
        memo = getattr(ctx, "_doc_memo", None)
        if memo is not None:
            memo.pop(doc, None)
    return {
        "alerts": alerts,  # Alert objects (dicts only in the cache)
        "sups": [s.to_json() for s in find_suppressions(doc)],
        "errors": problems,
        "doc": doc.outline() if keep_doc else None,
    }


_WARM_UP = """\
---
kind: treatment
---
# A treatment

A cutting-edge clinic says studies show that 90% of patients feel better at once,
and it is safe and painless {cite:p}`key`. Our caring team offers the best care!

- Book your free consultation today.
- Is this the answer you have been looking for?

```{note}
Experts agree the injection cures pain for good.
```
""".encode()


def _alert_from(d: dict[str, Any]) -> Alert:
    d = dict(d)
    d["span"] = tuple(d["span"])
    return Alert(**d)


# ------------------------------------------------------------------ run


def _settings(root: Path, config: dict[str, Any] | None) -> dict[str, Any]:
    settings = load_settings(root)
    if config:
        settings.update({k.replace("_", "-"): v for k, v in config.items() if k != "root"})
        validate_settings(settings, "config")
    return settings


def _selected(alert: Alert, select: Sequence[str], ignore: Sequence[str]) -> bool:
    def hit(ident: str) -> bool:
        return (alert.check == ident or alert.family == ident
                or alert.check.startswith(ident + "."))

    if select and not any(hit(i) for i in select):
        return False
    return not any(hit(i) for i in ignore)


def run(paths: Iterable[str] | None = None, config: dict[str, Any] | None = None) -> LintResult:
    """Lint files and folders; never raises for bad input, it lands in ``errors``.

    ``config`` overrides ``[tool.handbook-lint]`` settings (same keys; ``root`` picks
    the project folder, default: nearest pyproject.toml above the current directory).
    A ConfigError (bad .vale.ini or rule file) is raised: nothing can be linted then.
    """
    config = dict(config or {})
    root = Path(config["root"]) if config.get("root") else find_project_root()
    settings = _settings(root, config)
    ruleset = load_ruleset(root, settings)
    path_list = list(paths) if paths else [str(root / p) if not Path(p).exists() else p
                                           for p in settings["paths"]]
    files, errors = expand_paths(path_list, root, settings.get("exclude", []))
    result = LintResult(errors=errors, files=files)

    extra = [root / str(settings.get(k, "")) for k in ("bibliography", "glossary")
             if settings.get(k)]
    settings_fp = settings_fingerprint(settings, extra)
    cache = Cache(root, bool(settings.get("cache", True)))
    ctx = Context(root=root, settings=settings, paths=tuple(files))
    check_ids, need_docs = ruleset.registry(cache)

    # Read every file once; the key covers content + rules + settings + version.
    blobs: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for f in files:
        try:
            blobs[f] = Path(f).read_bytes()
        except OSError as exc:
            result.errors.append(f"{f}:0: cannot read: {exc.strerror or exc}")
            continue
        keys[f] = file_key(f, blobs[f], ruleset.fingerprint, settings_fp)

    project_key = None
    project_cached = None
    if need_docs:
        import hashlib

        h = hashlib.sha256(b"project\0")
        for f in sorted(keys):
            h.update(keys[f].encode())
        project_key = h.hexdigest()
        project_cached = cache.get(project_key)

    per_file: dict[str, dict[str, Any]] = {}
    todo: list[str] = []
    docs: dict[str, Document] = {}
    for f in keys:
        hit = cache.get(keys[f])
        if hit is not None:
            hit["alerts"] = [_alert_from(a) for a in hit["alerts"]]
            per_file[f] = hit
            result.cache_hits += 1
            if need_docs and project_cached is None:
                # Project checks need this document; its own alerts are cached.
                from .document import InputError, _decode, parse_text

                try:
                    docs[f] = parse_text(_decode(f, blobs[f]), f).outline()
                except (InputError, RecursionError):
                    pass
        else:
            todo.append(f)

    jobs = max(1, int(settings.get("jobs", 1) or 1))
    if todo:
        ruleset.styles.rules  # compile here: a broken rule is a ConfigError before any work
        ruleset.checks  # and import the checks once, before --jobs workers fork
        if jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor

            token = f"{os.getpid()}:{id(ruleset)}"
            _WORKER.update(ruleset=ruleset, ctx=ctx, token=token)
            # Lint a small sample here first: what rules work out on first use (compiled
            # entries, scanner tables, the glossary) is then done once and shared with
            # the forked workers, instead of once in each.
            _process("<warm-up>.md", _WARM_UP, False)
            # What the workers inherit (modules, rules, compiled patterns) stays out of
            # their cycle collections, and its memory pages stay shared (see gc.freeze).
            gc.freeze()
            try:
                with ProcessPoolExecutor(max_workers=min(jobs, len(todo)),
                                         initializer=_init_worker,
                                         initargs=(str(root), settings, tuple(files),
                                                   token)) as pool:
                    outs = list(pool.map(_process, todo, [blobs[f] for f in todo],
                                         [need_docs] * len(todo), chunksize=1))
            finally:
                gc.unfreeze()
        else:
            _WORKER["ruleset"] = ruleset
            _WORKER["ctx"] = ctx
            outs = [_process(f, blobs[f], need_docs) for f in todo]
        for f, out in zip(todo, outs):
            doc = out.pop("doc", None)
            if doc is not None:
                docs[f] = doc
            per_file[f] = out
            if cache.enabled:
                cache.put(keys[f], {**out, "alerts": [a.to_dict() for a in out["alerts"]]})

    # Project checks see every document of the run.
    project_alerts: list[Alert] = []
    if need_docs:
        if project_cached is not None:
            project_alerts = [_alert_from(a) for a in project_cached["alerts"]]
            result.errors.extend(project_cached["errors"])
        else:
            p_errors: list[str] = []
            all_docs = [docs[f] for f in files if f in docs]
            for check in ruleset.project_checks:
                try:
                    project_alerts.extend(check.run(all_docs, ctx))
                except Exception as exc:
                    p_errors.append(f"{check.id}:1: project check failed: "
                                    f"{type(exc).__name__}: {exc}")
            result.errors.extend(p_errors)
            if project_key:
                cache.put(project_key, {"alerts": [a.to_dict() for a in project_alerts],
                                        "errors": p_errors})

    vale_ids = ruleset.styles.rule_ids
    known_ids = vale_ids | check_ids | {SUPPRESSION_ID}
    by_path: dict[str, list[Alert]] = {}
    for a in project_alerts:
        by_path.setdefault(a.path, []).append(a)
    alerts: list[Alert] = []
    for f in files:
        out = per_file.get(f)
        if out is None:
            continue
        result.errors.extend(out["errors"])
        raw = out["alerts"] + by_path.pop(f, [])
        raw = _apply_overrides(raw, ruleset, f)
        sups = [Suppression.from_json(s) for s in out["sups"]]
        alerts.extend(apply_suppressions(f, raw, sups, known_ids, vale_ids, SUPPRESSION_ID))
    for rest in by_path.values():  # project alerts on files outside the run (e.g. .bib)
        alerts.extend(_apply_overrides(rest, ruleset, rest[0].path))

    min_rank = level_rank(settings.get("min-level", "suggestion"))
    select = settings.get("select") or []
    ignore = settings.get("ignore") or []
    result.alerts = sorted(
        (a for a in alerts if level_rank(a.severity) >= min_rank and _selected(a, select, ignore)),
        key=Alert.sort_key,
    )
    return result


def _apply_overrides(alerts: list[Alert], ruleset: RuleSet, path: str) -> list[Alert]:
    """.vale.ini ``Style.Rule = NO|level`` applies to Python checks too."""
    from dataclasses import replace

    vale_ids = ruleset.styles.rule_ids
    out = []
    overrides = ruleset.level_overrides(path)  # once per file, not once per alert
    for a in alerts:
        if a.check in vale_ids:
            out.append(a)
            continue
        ov = overrides.get(a.check)
        if ov is None or ov.upper() == "YES":
            out.append(a)
        elif ov.upper() != "NO":
            out.append(replace(a, severity=ov))
    return out


def lint(paths: Iterable[str] | str | None = None, config: dict[str, Any] | None = None) -> list[Alert]:
    """Lint files or folders and return the alerts, sorted by path, line and column.

    ``config``: settings overriding ``[tool.handbook-lint]`` (e.g. ``{"min-level":
    "error", "select": ["marketing"], "root": "/path/to/project"}``).
    Raises :class:`LintError` when a file could not be linted (missing, not UTF-8,
    broken front matter...) and :class:`ConfigError` for a bad rule or .vale.ini.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    result = run([str(p) for p in paths] if paths is not None else None, config)
    if result.errors:
        raise LintError(result)
    return result.alerts


def alerts_to_json(alerts: Sequence[Alert]) -> str:
    return json.dumps([a.to_dict() for a in alerts])


__all__ += ["ConfigError"]
