"""The one thing every rule produces: an :class:`Alert`, shaped like Vale's JSON alerts.

Columns are 1-based and inclusive, as in Vale (``Span=(3, 7)`` covers columns 3..7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Alert levels, weakest first (Vale's names).
LEVELS: tuple[str, ...] = ("suggestion", "warning", "error")

#: Rule families; every alert carries exactly one.
FAMILIES: tuple[str, ...] = (
    "marketing",
    "absolute",
    "reference",
    "plain-language",
    "readability",
    "structure",
)


def level_rank(level: str) -> int:
    """0 for suggestion, 1 for warning, 2 for error; ValueError for anything else."""
    try:
        return LEVELS.index(level)
    except ValueError:
        raise ValueError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})") from None


def _copied(value: Any) -> Any:
    """A copy of nested dicts and lists (what asdict() does to a field's value)."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _no_action() -> dict[str, Any]:
    return {"Name": "", "Params": None}


_NO_ACTION = _no_action()  # compared with, never handed out


def _rebuild(path: str, line: int, c0: int, c1: int, check: str, message: str,
             severity: str, match: str, link: str, action: dict[str, Any] | None,
             family: str) -> Alert:
    """An Alert from what :meth:`Alert.__reduce__` gives (for pickle)."""
    return Alert(path, line, (c0, c1), check, message, severity, match, link,
                 _no_action() if action is None else action, family)


@dataclass(frozen=True, slots=True)  # slots: a 1M-word run holds ~70,000 of them
class Alert:
    """One finding at one place in one file."""

    path: str
    line: int
    span: tuple[int, int]
    check: str
    message: str
    severity: str = "warning"
    match: str = ""
    link: str = ""
    action: dict[str, Any] = field(default_factory=_no_action, hash=False, compare=False)
    family: str = ""

    def __reduce__(self) -> tuple:
        # --jobs workers send every alert to the main process: plain fields pickle
        # about twice as fast as the generic state of a slotted frozen dataclass.
        action = self.action
        return (_rebuild, (self.path, self.line, self.span[0], self.span[1], self.check,
                           self.message, self.severity, self.match, self.link,
                           None if action == _NO_ACTION else action, self.family))

    @property
    def col(self) -> int:
        """First column of the match (1-based)."""
        return self.span[0]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.span[0], self.check, self.message)

    def to_vale(self) -> dict[str, Any]:
        """The alert as one item of Vale's ``--output=JSON`` list, plus ``Family``."""
        return {
            "Action": dict(self.action),
            "Span": [self.span[0], self.span[1]],
            "Check": self.check,
            "Description": "",
            "Link": self.link,
            "Message": self.message,
            "Severity": self.severity,
            "Match": self.match,
            "Line": self.line,
            "Family": self.family,
        }

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict() gives (same keys, same order, action copied), built
        # directly: every alert of every file passes through here.
        return {"path": self.path, "line": self.line, "span": list(self.span),
                "check": self.check, "message": self.message, "severity": self.severity,
                "match": self.match, "link": self.link, "action": _copied(self.action),
                "family": self.family}
