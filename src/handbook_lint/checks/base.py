"""The record every Python check is, and the context it runs in.

A document check::

    from handbook_lint.checks.base import Check, make_alert

    def _run(doc, ctx):
        for sentence in doc.sentences():
            if "cures" in sentence.text:
                i = sentence.text.index("cures")
                yield CURES.alert(sentence, i, i + len("cures"))

    CURES = Check(
        id="Handbook.Cures", family="absolute", level="error",
        message="Say what the studies found instead of 'cures'.",
        link="https://...", what="Flags ...", why="...", standard="NHS ...",
        bad="This injection cures back pain.", good="Some people had less pain.",
        run=_run,
    )

and list it in the module's ``__register__ = (CURES,)``. A check that needs every
document (unused bibliography entries) is a :class:`ProjectCheck` whose
``run(docs, ctx)`` gets all parsed documents of the run.

Rules never read files: what they need from the project comes through :class:`Context`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..alert import Alert

if TYPE_CHECKING:
    from ..document import Block, Citation, Document, Sentence


@dataclass
class Context:
    """What a check may know about the run besides the document.

    ``root``      project root (folder of the nearest pyproject.toml, else cwd)
    ``settings``  the ``[tool.handbook-lint]`` table (keys as written, e.g.
                  ``"required-sections"``, ``"bibliography"``), after CLI overrides
    ``paths``     the files being linted, as given to the run
    """

    root: Path
    settings: dict[str, Any] = field(default_factory=dict)
    paths: tuple[str, ...] = ()
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _doc_memo: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary,
                                                 repr=False, compare=False)

    def setting(self, key: str, default: Any = None) -> Any:
        """A setting by its pyproject key; ``-`` and ``_`` are interchangeable."""
        for k in (key, key.replace("_", "-"), key.replace("-", "_")):
            if k in self.settings:
                return self.settings[k]
        return default

    def resolve(self, relative: str | Path) -> Path:
        """A project-relative path made absolute against ``root``."""
        p = Path(relative)
        return p if p.is_absolute() else self.root / p

    def read_text(self, relative: str | Path) -> str | None:
        """Text of a project file (e.g. the bibliography), read once per run; None if
        missing or unreadable."""
        p = self.resolve(relative)
        key = "file:" + str(p)
        if key not in self._memo:
            try:
                self._memo[key] = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._memo[key] = None
        return self._memo[key]

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute a per-run value once (parsed bibliography, glossary terms...)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def doc_memo(self, doc: Document, key: str, compute: Callable[[], Any]) -> Any:
        """Compute a per-document value once, shared by the checks that need it.

        Keyed on the Document object itself (never on ``id(doc)``, which a later
        document may reuse once this one is gone)."""
        store = self._doc_memo.get(doc)
        if store is None:
            store = self._doc_memo[doc] = {}
        if key not in store:
            store[key] = compute()
        return store[key]

    def __getstate__(self) -> dict[str, Any]:  # memos stay in their process
        return {"root": self.root, "settings": self.settings, "paths": self.paths,
                "_memo": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._doc_memo = weakref.WeakKeyDictionary()

    @property
    def glossary_terms(self) -> frozenset[str]:
        """Lower-cased terms defined by ``{glossary}`` in the glossary file (setting
        ``glossary``, default ``docs/glossary.md``)."""

        def compute() -> frozenset[str]:
            from ..document import InputError, parse_text

            rel = self.setting("glossary", "docs/glossary.md")
            text = self.read_text(rel)
            if text is None:
                return frozenset()
            try:
                doc = parse_text(text, str(rel))
            except InputError:
                return frozenset()
            return frozenset(t.lower() for t in doc.glossary_terms)

        return self.memo("glossary_terms", compute)


def _position(where: Block | Sentence | Document | Citation, start: int, end: int | None):
    from ..document import Citation, Document

    if isinstance(where, Document):
        return where.path, 1, 1, 1, ""
    if isinstance(where, Citation):
        doc = where.doc
        line, c0 = doc.line_col(where.offset)
        end_line, c1 = doc.line_col(max(where.end_offset - 1, where.offset))
        if end_line != line:
            c1 = max(c0, doc.line_length(line))
        return doc.path, line, c0, c1, doc.source[where.offset:where.end_offset]
    text = where.text
    end = len(text) if end is None else end
    line, c0, c1 = where.position(start, end)
    doc = where.block.doc if hasattr(where, "block") else where.doc
    return doc.path, line, c0, c1, text[start:end]


_TYPES: tuple = ()  # (Sentence, Block, Document), imported on first use


def _types() -> tuple:
    global _TYPES
    if not _TYPES:
        from ..document import Block, Document, Sentence

        _TYPES = (Sentence, Block, Document)
    return _TYPES


def make_alert(
    check: Check | ProjectCheck,
    where: Block | Sentence | Document,
    start: int = 0,
    end: int | None = None,
    *,
    message: str | None = None,
    match: str | None = None,
    line: int | None = None,
    action: dict[str, Any] | None = None,
    level: str | None = None,
) -> Alert:
    """An Alert for ``where.text[start:end]`` (a Block or Sentence) at its exact source
    line/column; for a Citation, at the whole role (``start``/``end`` ignored). For a
    Document, the alert points at ``line`` (default 1), column 1.
    ``message`` defaults to the check's; ``%s`` in it is replaced by the match."""
    sentence_type, block_type, document_type = _TYPES or _types()
    kind = type(where)
    if kind is sentence_type:  # the usual case, worked out as _position() does
        text = where.text
        end = len(text) if end is None else end
        block = where.block
        ln, c0, c1 = block.position(where.start + start, where.start + end)
        path = block.doc.path
        matched = text[start:end]
    elif kind is block_type:
        text = where.text
        end = len(text) if end is None else end
        ln, c0, c1 = where.position(start, end)
        path = where.doc.path
        matched = text[start:end]
    else:
        path, ln, c0, c1, matched = _position(where, start, end)
        if line is not None and isinstance(where, document_type):
            ln = line
    if match is not None:
        matched = match
    msg = check.message if message is None else message
    if "%s" in msg:
        msg = msg.replace("%s", matched, 1)
    return Alert(
        path=path,
        line=ln,
        span=(c0, c1),
        check=check.id,
        message=msg,
        severity=level or check.level,
        match=matched,
        link=check.link,
        action=action or {"Name": "", "Params": None},
        family=check.family,
    )


@dataclass(frozen=True)
class _RuleRecord:
    """What every Python check says about itself (the same fields as a Vale rule's
    comment header): id, family, level, message, link and the --explain text."""

    id: str
    family: str
    level: str
    message: str
    link: str
    what: str
    why: str
    standard: str
    bad: str
    good: str

    def alert(self, where: Block | Sentence | Document, start: int = 0, end: int | None = None,
              **kw: Any) -> Alert:
        return make_alert(self, where, start, end, **kw)


@dataclass(frozen=True)
class Check(_RuleRecord):
    """A document check: ``run(doc, ctx) -> Iterable[Alert]``."""

    run: Callable[[Document, Context], Iterable[Alert]] = field(repr=False, compare=False)


@dataclass(frozen=True)
class ProjectCheck(_RuleRecord):
    """A check over every document of the run: ``run(docs, ctx) -> Iterable[Alert]``."""

    run: Callable[[Sequence[Document], Context], Iterable[Alert]] = field(repr=False, compare=False)
