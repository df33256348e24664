"""Suppression comments: ours (with a mandatory reason) and Vale's.

``<!-- handbook-lint: disable=Handbook.Rule[,family...] reason="..." -->`` suppresses
those rules (ids, families or style names) until ``<!-- handbook-lint:
enable=Handbook.Rule -->``, or, with no matching enable, to the end of the next block of
prose. A suppression without a reason, naming no known rule, or suppressing nothing is
reported as ``HandbookLint.Suppression``.

``<!-- vale off -->`` ... ``<!-- vale on -->`` and ``<!-- vale Style.Rule = NO -->`` ...
``<!-- vale Style.Rule = YES -->`` are honoured for Vale rules, as Vale does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .alert import Alert

if TYPE_CHECKING:
    from .document import Document

_OURS = re.compile(r"^<!--\s*handbook-lint\s*:(.*?)-->$", re.S)
_ACTION = re.compile(r"^\s*(disable|enable)\s*=\s*([\w.,\-*]+)\s*(.*?)\s*$", re.S)
_REASON = re.compile(r"""^reason\s*=\s*(?:"([^"]*)"|'([^']*)')$""", re.S)
_VALE = re.compile(r"^<!--\s*vale\s+(.*?)\s*-->$", re.S)


@dataclass
class Suppression:
    kind: str  # "handbook" | "vale"
    ids: tuple[str, ...]
    line: int  # comment line
    start: int
    end: int  # last line covered (inclusive)
    reason: str = ""
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ids": list(self.ids), "line": self.line,
                "start": self.start, "end": self.end, "reason": self.reason,
                "problem": self.problem}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Suppression:
        return cls(d["kind"], tuple(d["ids"]), d["line"], d["start"], d["end"], d["reason"],
                   d["problem"])


def _next_block_end(doc: Document, line: int) -> int:
    for b in doc.blocks:
        if b.line > line:
            return doc.line_col(b.offsets[-1])[0]
    return line


def find_suppressions(doc: Document) -> list[Suppression]:
    out: list[Suppression] = []
    open_ours: dict[str, Suppression] = {}
    vale_open: dict[str, Suppression] = {}
    last_line = doc.line_count
    for c in doc.comments:
        text = c.text.strip()
        m = _OURS.match(text)
        if m:
            a = _ACTION.match(m.group(1))
            if not a:
                out.append(Suppression("handbook", (), c.line, c.line, c.line,
                                       problem="malformed handbook-lint comment; write "
                                       "disable=RULE reason=\"...\" or enable=RULE"))
                continue
            action, ids_s, rest = a.group(1), a.group(2), a.group(3)
            ids = tuple(i for i in ids_s.split(",") if i)
            if action == "disable":
                rm = _REASON.match(rest) if rest else None
                reason = (rm.group(1) if rm.group(1) is not None else rm.group(2)) if rm else ""
                s = Suppression("handbook", ids, c.line, c.line, _next_block_end(doc, c.end_line),
                                reason=reason.strip())
                if not s.reason:
                    s.problem = (f"suppression of {', '.join(ids)} has no reason; add "
                                 "reason=\"...\" saying why the text must stay")
                elif rest and not rm:
                    s.problem = "could not read reason=\"...\" in suppression comment"
                out.append(s)
                for i in ids:
                    open_ours[i] = s
            else:
                orphans = []
                for i in ids:
                    s = open_ours.pop(i, None)
                    if s is not None:
                        s.end = c.line
                    else:
                        orphans.append(i)
                if orphans:
                    out.append(Suppression("handbook", tuple(orphans), c.line, c.line, c.line,
                                           problem=f"enable={','.join(orphans)} has no "
                                           "disable before it; remove it"))
            continue
        m = _VALE.match(text)
        if m:
            body = m.group(1)
            if body in ("off", "on"):
                key = "*"
                on = body == "on"
            else:
                vm = re.match(r"^([\w.]+)\s*=\s*(YES|NO)$", body)
                if not vm:
                    continue
                key, on = vm.group(1), vm.group(2) == "YES"
            if not on and key not in vale_open:
                s = Suppression("vale", (key,), c.line, c.line, last_line, reason="vale comment")
                vale_open[key] = s
                out.append(s)
            elif on and key in vale_open:
                vale_open.pop(key).end = c.line
    return out


def _matches(ident: str, alert: Alert) -> bool:
    return (ident in ("*", "all") or alert.check == ident or alert.family == ident
            or alert.check.startswith(ident + "."))


def apply_suppressions(
    path: str,
    alerts: list[Alert],
    sups: list[Suppression],
    known_ids: set[str],
    vale_ids: set[str],
    suppression_id: str,
) -> list[Alert]:
    """Alerts left after suppression, plus alerts about bad or unused suppressions."""
    kept: list[Alert] = []
    used: set[int] = set()
    for a in alerts:
        hidden = False
        for n, s in enumerate(sups):
            if s.problem or not (s.start <= a.line <= s.end):
                continue
            if s.kind == "vale" and a.check not in vale_ids:
                continue
            if any(_matches(i, a) for i in s.ids):
                hidden = True
                used.add(n)
        if not hidden:
            kept.append(a)
    families = {"marketing", "absolute", "reference", "plain-language", "readability",
                "structure"}
    for n, s in enumerate(sups):
        if s.kind != "handbook":
            continue

        def meta(msg: str, level: str) -> Alert:
            return Alert(path=path, line=s.line, span=(1, 1), check=suppression_id,
                         message=msg, severity=level, family="structure")

        if s.problem:
            kept.append(meta(s.problem, "error"))
            continue
        unknown = [i for i in s.ids if i not in families and i not in known_ids
                   and not any(k.startswith(i + ".") for k in known_ids)]
        if unknown:
            kept.append(meta(f"suppression names unknown rule {', '.join(unknown)}", "error"))
        elif n not in used:
            kept.append(meta(f"suppression of {', '.join(s.ids)} suppresses nothing; remove it",
                             "warning"))
    return kept
