"""Alerts -> text | json | sarif | github. Reports know alerts and rule metadata, never
rules themselves."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .alert import Alert

if TYPE_CHECKING:
    from .vale import RuleMeta

FORMATS = ("text", "json", "sarif", "github")
INFORMATION_URI = "https://github.com/handbook-lint/handbook-lint"

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "suggestion": "\033[36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def format_text(alerts: Sequence[Alert], tty: bool = False) -> str:
    """``path:line:col: level Rule message`` per alert; grouped by file and coloured when
    writing to a terminal."""
    if not tty:
        return "".join(
            f"{a.path}:{a.line}:{a.span[0]}: {a.severity} {a.check} {a.message}\n" for a in alerts
        )
    out: list[str] = []
    current = None
    counts = {"error": 0, "warning": 0, "suggestion": 0}
    for a in alerts:
        if a.path != current:
            current = a.path
            out.append(f"\n{_BOLD}{a.path}{_RESET}\n")
        counts[a.severity] = counts.get(a.severity, 0) + 1
        colour = _COLOURS.get(a.severity, "")
        out.append(f"  {_DIM}{a.line}:{a.span[0]}{_RESET}\t{colour}{a.severity}{_RESET}\t"
                   f"{a.check}\t{a.message}\n")
    files = len({a.path for a in alerts})
    out.append(f"\n{counts['error']} errors, {counts['warning']} warnings and "
               f"{counts['suggestion']} suggestions in {files} files.\n")
    return "".join(out)


def format_json(alerts: Sequence[Alert]) -> str:
    """Vale's ``--output=JSON`` shape (object keyed by path), plus ``Family``."""
    data: dict[str, list[dict[str, Any]]] = {}
    for a in alerts:
        data.setdefault(a.path, []).append(a.to_vale())
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def _uri(path: str, root: Path | None) -> str:
    p = Path(path)
    if root is not None:
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return p.as_posix()


def sarif_log(alerts: Sequence[Alert], rules: Sequence[RuleMeta], root: Path | None = None,
              errors: Sequence[str] = ()) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run."""
    used = sorted({a.check for a in alerts})
    by_id = {m.id: m for m in rules}
    rule_objs = []
    index: dict[str, int] = {}
    for rid in used:
        m = by_id.get(rid)
        obj: dict[str, Any] = {"id": rid, "name": rid.replace(".", "")}
        if m is not None:
            if m.what:
                obj["shortDescription"] = {"text": m.what}
            if m.why:
                obj["fullDescription"] = {"text": m.why}
            if m.link:
                obj["helpUri"] = m.link
            help_text = "\n".join(x for x in (m.message, m.standard and f"Standard: {m.standard}") if x)
            if help_text:
                obj["help"] = {"text": help_text}
            obj["defaultConfiguration"] = {"level": _SARIF_LEVEL[m.level]}
            obj["properties"] = {"family": m.family}
        index[rid] = len(rule_objs)
        rule_objs.append(obj)
    results = []
    for a in alerts:
        results.append({
            "ruleId": a.check,
            "ruleIndex": index[a.check],
            "level": _SARIF_LEVEL.get(a.severity, "warning"),
            "message": {"text": a.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(a.path, root)},
                    "region": {"startLine": max(a.line, 1), "startColumn": max(a.span[0], 1),
                               "endColumn": max(a.span[1], a.span[0]) + 1},
                }
            }],
            "properties": {"family": a.family},
        })
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "handbook-lint", "version": __version__,
                            "informationUri": INFORMATION_URI, "rules": rule_objs}},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "invocations": [{
            "executionSuccessful": not errors,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": e}} for e in errors
            ],
        }],
    }
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }


def format_sarif(alerts: Sequence[Alert], rules: Sequence[RuleMeta], root: Path | None = None,
                 errors: Sequence[str] = ()) -> str:
    return json.dumps(sarif_log(alerts, rules, root, errors), indent=2, ensure_ascii=False) + "\n"


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


_GH_LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}


def format_github(alerts: Sequence[Alert]) -> str:
    """GitHub Actions workflow commands: ``::error file=...,line=...::message``."""
    out = []
    for a in alerts:
        props = (f"file={_gh_escape(a.path, True)},line={a.line},col={a.span[0]},"
                 f"endColumn={a.span[1]},title={_gh_escape(a.check, True)}")
        out.append(f"::{_GH_LEVEL.get(a.severity, 'warning')} {props}::"
                   f"{_gh_escape(a.message)} [{a.family}]\n")
    return "".join(out)


def render(fmt: str, alerts: Sequence[Alert], rules: Sequence[RuleMeta] = (),
           root: Path | None = None, errors: Sequence[str] = (), tty: bool | None = None) -> str:
    if fmt == "json":
        return format_json(alerts)
    if fmt == "sarif":
        return format_sarif(alerts, rules, root, errors)
    if fmt == "github":
        return format_github(alerts)
    if tty is None:
        tty = False
    return format_text(alerts, tty=tty and not os.environ.get("NO_COLOR"))
