"""MyST Markdown -> :class:`Document`: the prose a reader sees, with exact positions.

Public API (stable; rules code against it)::

    from handbook_lint.document import parse, parse_text, InputError

    doc = parse("docs/chapters/001-prolotherapy.md")   # raises InputError(path, line, message)
    doc = parse_text(text, path="x.md")                  # same, from a string

    doc.path            str, as given
    doc.source          the file text ("\\r\\n" normalised to "\\n", BOM dropped)
    doc.front_matter    dict from the leading ``---`` YAML block ({} if none)
    doc.front_matter_line  1-based line of the opening ``---`` (0 if none)
    doc.blocks          [Block] in document order (all prose, at any depth)
    doc.sections        [Section] one per heading outside directives, in order
    doc.citations       [Citation] every {cite}/{cite:p}/{cite:t}/{footcite}... role
    doc.claims          [Claim] every ``{claim}`` directive
    doc.comments        [Comment] every HTML comment (for suppression comments)
    doc.glossary_terms  [str] terms defined by a ``{glossary}`` directive in this file
    doc.title           text of the first H1 ("" if none)
    doc.sentences()     iterator over every Sentence of every Block
    doc.line_col(offset) -> (line, col), both 1-based, for an offset into doc.source

    Block                one run of prose: a paragraph, heading, table cell, term,
                         directive title, claim argument...
      .kind              "heading" | "paragraph" | "table.header" | "table.cell" | "term"
                         | "glossary.term" | "directive.argument" | "claim.argument"
      .text              the visible prose; markup, inline code, URLs, role targets,
                         footnote refs and substitutions are removed. A textual citation
                         ({cite:t}, {footcite:t}) stands as the word "Authors" so the
                         sentence keeps its subject. {term}/{abbr} content is kept.
      .offsets           sequence of int (an ``array('i')``, a ninth of a list's memory),
                         len == len(text): source offset of each character
      .line              1-based line of the first character
      .level             heading level 1-6 (0 for other blocks)
      .containers        tuple of enclosing containers, outermost first: "list",
                         "blockquote", "footnote", "definition", "directive:<name>"
      .directives        tuple of enclosing directive names, outermost first
      .attributed        True for text quoted from a source (the claim argument);
                         marketing/absolute rules skip it
      .scopes            frozenset of Vale scope names the block belongs to
      .section           the innermost Section containing the block (or None)
      .citations         [Citation] inside this block
      .roles             [Role] every role inside this block (name, content, text range)
      .sentences         [Sentence]
      .position(start, end) -> (line, start_col, end_col) for a text range [start, end)

    Sentence             .block, .start, .end (range in block.text), .text, .line, .col,
                         .citations (citations in the sentence or right after its end
                         punctuation), .position(start, end) relative to the sentence
    Section              .title, .level, .line, .heading (Block), .blocks (every Block up
                         to the next heading of the same or a higher level, subsections
                         included, heading excluded), .parent (Section or None)
    Citation             .role, .keys (tuple[str]), .line, .col, .offset, .end_offset,
                         .block (None when the block holds nothing else), .doc,
                         .index (position in block.text where it stood)
    Claim                .line, .end_line, .argument (Block, attributed), .verdict (str,
                         "" if missing), .verdict_line, .body (list[Block])
    Comment              .line, .end_line, .offset, .text (the whole ``<!-- ... -->``)
    Role                 .name, .content, .start, .end (range in block.text), .offset

Plain ``.txt`` files become one paragraph Block per run of non-blank lines.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator
from itertools import accumulate
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import make_fence_rule
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

from .inline_fast import check_rules, children_of, inline_children

__all__ = [
    "Block",
    "Citation",
    "Claim",
    "Comment",
    "Document",
    "InputError",
    "Role",
    "Section",
    "Sentence",
    "parse",
    "parse_text",
    "split_sentences",
]


class InputError(Exception):
    """A file the linter cannot read as MyST: reported as ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def __reduce__(self):  # picklable across --jobs worker processes
        return (type(self), (self.path, self.line, self.message))


# --------------------------------------------------------------------------- data


@dataclass(eq=False, slots=True)
class Citation:
    role: str
    keys: tuple[str, ...]
    line: int
    col: int
    offset: int
    end_offset: int
    block: Block | None = field(default=None, repr=False)
    index: int = 0
    doc: Document | None = field(default=None, repr=False)


@dataclass(eq=False, slots=True)
class Role:
    name: str
    content: str
    start: int
    end: int
    offset: int


@dataclass(eq=False)
class Comment:
    line: int
    end_line: int
    offset: int
    text: str


@dataclass(eq=False, slots=True)  # slots: a run can hold millions of these
class Sentence:
    block: Block = field(repr=False)
    start: int
    end: int
    citations: list[Citation] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def line(self) -> int:
        return self.block.position(self.start, self.start + 1)[0]

    @property
    def col(self) -> int:
        return self.block.position(self.start, self.start + 1)[1]

    def position(self, start: int = 0, end: int | None = None) -> tuple[int, int, int]:
        """(line, start_col, end_col) of ``text[start:end]`` of this sentence."""
        end = len(self.text) if end is None else end
        return self.block.position(self.start + start, self.start + end)


@dataclass(eq=False, slots=True)
class Block:
    doc: Document = field(repr=False)
    kind: str
    text: str
    offsets: list[int] = field(repr=False)
    level: int = 0
    containers: tuple[str, ...] = ()
    attributed: bool = False
    citations: list[Citation] = field(default_factory=list, repr=False)
    roles: list[Role] = field(default_factory=list, repr=False)
    sentences: list[Sentence] = field(default_factory=list, repr=False)
    section: Section | None = field(default=None, repr=False)
    scopes: frozenset[str] = frozenset()

    @property
    def directives(self) -> tuple[str, ...]:
        return tuple(c[10:] for c in self.containers if c.startswith("directive:"))

    @property
    def line(self) -> int:
        if not self.offsets:
            return 1
        return self.doc.line_col(self.offsets[0])[0]

    def position(self, start: int, end: int) -> tuple[int, int, int]:
        """(line, start_col, end_col) for ``text[start:end]``; columns 1-based, inclusive.

        A range that runs onto a later source line ends at the end of its first line.
        """
        if not self.offsets:
            return (1, 1, 1)
        n = len(self.offsets)
        start = min(max(start, 0), n - 1)
        end = min(max(end, start + 1), n)
        line, col = self.doc.line_col(self.offsets[start])
        end_line, end_col = self.doc.line_col(self.offsets[end - 1])
        if end_line != line:
            end_col = self.doc.line_length(line)
        width = max(self.doc.line_length(line), 1)  # a soft break maps past the last column
        col = min(col, width)
        return (line, col, min(max(col, end_col), width))


@dataclass(eq=False)
class Section:
    title: str
    level: int
    heading: Block = field(repr=False)
    blocks: list[Block] = field(default_factory=list, repr=False)
    parent: Section | None = field(default=None, repr=False)

    @property
    def line(self) -> int:
        return self.heading.line


@dataclass(eq=False)
class Claim:
    line: int
    end_line: int
    argument: Block | None
    verdict: str = ""
    verdict_line: int = 0
    body: list[Block] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class Document:
    path: str
    source: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_line: int = 0
    blocks: list[Block] = field(default_factory=list, repr=False)
    sections: list[Section] = field(default_factory=list, repr=False)
    citations: list[Citation] = field(default_factory=list, repr=False)
    claims: list[Claim] = field(default_factory=list, repr=False)
    comments: list[Comment] = field(default_factory=list, repr=False)
    glossary_terms: list[str] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self._line_starts:
            self._line_starts = _line_starts(self.source.split("\n"))

    @property
    def title(self) -> str:
        for b in self.blocks:
            if b.kind == "heading" and b.level == 1:
                return b.text.strip()
        return ""

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def sentences(self) -> Iterator[Sentence]:
        for block in self.blocks:
            yield from block.sentences

    def outline(self) -> Document:
        """The document without its parse tree (blocks, sections, claims, comments):
        what project checks read (path, source, front matter, citations, glossary
        terms). A run keeps only this of each file, and --jobs workers send only this
        back, so memory does not grow with a parse tree per file."""
        from dataclasses import replace

        return Document(path=self.path, source=self.source, front_matter=self.front_matter,
                        front_matter_line=self.front_matter_line,
                        citations=[replace(c, block=None, doc=None) for c in self.citations],
                        glossary_terms=self.glossary_terms, _line_starts=self._line_starts)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset (clamped into the file)."""
        offset = min(max(offset, 0), max(len(self.source) - 1, 0))
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return (i + 1, offset - self._line_starts[i] + 1)

    def line_text(self, line: int) -> str:
        i = line - 1
        if i < 0 or i >= len(self._line_starts):
            return ""
        start = self._line_starts[i]
        end = self._line_starts[i + 1] - 1 if i + 1 < len(self._line_starts) else len(self.source)
        return self.source[start:end]

    def line_length(self, line: int) -> int:
        return len(self.line_text(line))


def _line_starts(lines: list[str]) -> list[int]:
    """Offset of the first character of each line (``lines`` from ``source.split("\\n")``)."""
    return list(accumulate([len(line) + 1 for line in lines[:-1]], initial=0))


# ------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    """dr mr mrs ms mx prof st sr jr vs etc e.g eg i.e ie al fig figs no nos approx ca cf
    inc ltd co corp dept est min max mg ml kg mm cm vol ref refs ed eds p pp ch sec
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k a.m p.m ph.d m.d d.o
    r.n n.p b.a m.a""".split()
)
# Abbreviations that often end a sentence too: split when a capital follows.
_MAY_END = frozenset({"etc", "al", "u.s", "u.k", "a.m", "p.m", "inc", "ltd", "co"})
_SENT_END = re.compile(r"[.!?]+['\"\u2019\u201d)\]]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LETTERS_DOTS = re.compile(r"[A-Za-z.]*")  # matched on the reversed text: the run before
_NEXT_NONSPACE = re.compile(r"\S")
# _SENT_END, and (group 1) the first character after it that is not a space
_SENT_END_NEXT = re.compile(_SENT_END.pattern + r"(?=\s*(\S?))")
# Text before a full stop that is blank or only a list marker ("1", "(2", "a").
_BLANK_OR_MARKER = re.compile(r"\s*(?:(?:\(?\d{1,3}|[a-z])\s*)?")
_OPENERS = "\"'\u201c\u2018([{*_"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges [start, end) in ``text`` (end punctuation included).

    Does not split after abbreviations (Dr., e.g., i.e., et al.), initials ("J. Smith"),
    inside decimals ("2.5"), or after a list number ("1. ").
    """
    out: list[tuple[int, int]] = []
    first = _NEXT_NONSPACE.search(text)
    if first is None:
        return out
    n = len(text)
    start = 0  # end of the last sentence
    trimmed = first.start()  # start of the next sentence, whitespace skipped
    rev = ""
    for m in _SENT_END_NEXT.finditer(text):
        end = m.end()
        ms = m.start()
        if text[ms] == ".":
            if _BLANK_OR_MARKER.fullmatch(text, start, ms):
                continue  # nothing before it, or a "1. " / "a." list marker
            # The word before the full stop; a longer run than the tail searched is no
            # abbreviation or initial either way.
            lo = max(start, ms - 64)
            if text[ms - 1 : ms] == "\n":  # "$" also matches before a final newline
                wm = _WORD_BEFORE.search(text, lo, ms)
                shown = wm.group(1) if wm else ""
            else:
                # Same word as _WORD_BEFORE.search(text, lo, ms), without trying every
                # start: the run of letters and dots that ends at the full stop (read
                # backwards), from its first letter.
                if not rev:
                    rev = text[::-1]
                k = n - ms
                run = _LETTERS_DOTS.match(rev, k, n - lo).end() - k
                shown = text[ms - run : ms].lstrip(".")
            nxt = m.group(1)  # the next character that is not a space ("" at the end)
            if shown:
                word = shown.lower()
                base = word.rstrip(".")
                if word in _ABBREVIATIONS or base in _ABBREVIATIONS:
                    if not (base in _MAY_END and nxt.isupper()):
                        continue
                elif len(word) == 1 and shown.isupper():
                    continue  # an initial: "J. Smith"
            if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
                continue  # "e.g. this" style: lower-case continuation
        # The match ends in punctuation, so the sentence is never blank and needs no
        # trimming at its end.
        out.append((trimmed, end))
        start = end
        trimmed = m.start(1)
    if trimmed < n:
        out.append((trimmed, len(text.rstrip())))
    return out


# ---------------------------------------------------------------------- parser


def _make_md(front_matter: bool) -> MarkdownIt:
    """markdown-it configured as myst-parser configures it (plus colon_fence, deflist,
    substitution, which the handbook's conf.py enables)."""
    md = MarkdownIt("commonmark").enable("table")
    if front_matter:
        md.use(front_matter_plugin)
    md.use(myst_block_plugin).use(myst_role_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.block.ruler.before(
        "fence",
        "colon_fence",
        make_fence_rule(markers=(":",), token_type="colon_fence", exact_match=False),
        {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]},
    )
    md.use(deflist_plugin).use(substitution_plugin)
    # Inline tokens get their children when the walk reaches them (children_of): plain
    # text and roles without markdown-it's inline parser, the rest with it.
    if check_rules(md):
        md.core.ruler.disable(["inline", "text_join"])
        if md.core.ruler.get_active_rules() != ["normalize", "block"]:
            # Core rules this code does not know run after inline: keep the whole
            # pipeline (slower, and exact whatever the version of markdown-it).
            md.core.ruler.enable(["inline", "text_join"])
    return md


_MD_DOC = _make_md(True)
_MD_FRAGMENT = _make_md(False)

# Block rules that cannot match a given text are switched off for it: each is tried at
# every block start (and most as paragraph terminators on every line), so a parser
# without them is faster and, where they cannot match, gives the same tokens. Every
# condition below is a necessary condition for the rule to match anywhere in the text,
# at any depth (content starts after list, quote and definition markers and spaces;
# footnote definitions, which can start a block after "[^x]:", need "]:" too).
_PARSERS: dict[tuple[bool, tuple[str, ...]], MarkdownIt] = {(True, ()): _MD_DOC,
                                                            (False, ()): _MD_FRAGMENT}
_MAX_PARSERS = 128
# Characters that can stand before the start of a block on its line: spaces, and quote,
# list and definition markers
_BLOCK_PREFIX = re.compile(r"[ \t>*+\-0-9.):~]*")
_PCT_OR_LT = re.compile(r"[%<]")
_BLOCK_BREAK = re.compile(r"\+[ \t]*\+[ \t]*\+")
_LINE_ENDS_IN_DASH_OR_EQUALS = re.compile(r"[-=][ \t]*$", re.M)
_UNDERLINE = re.compile(r"[ \t>*+\-0-9.):~]*(?:-+|=+)[ \t]*")  # fullmatch on one line


def _rules_off(src: str) -> tuple[str, ...]:
    """Names of the block rules that cannot match anywhere in ``src``."""
    off = []
    if "    " not in src and "\t" not in src:
        off.append("code")  # indented code needs 4 columns of indentation
    refs = "]:" in src
    if not refs:
        off += ["reference", "footnote_def"]  # "[label]: ..." and "[^label]: ..."
    if "{{" not in src:
        off.append("substitution_block")  # "{{ name }}"
    if ")=" not in src:
        off.append("myst_target")  # "(label)="
    if "|" not in src:
        off.append("table")  # the header row needs a "|"
    if "+" not in src or not _BLOCK_BREAK.search(src):
        off.append("myst_block_break")  # "+++" (spaces allowed between)
    pct = lt = refs  # after "[^x]: " anything can start a block: keep both
    if not refs and ("%" in src or "<" in src):
        # a "%" or "<" with only block prefix characters before it on its line
        for m in _PCT_OR_LT.finditer(src):
            i = m.start()
            if _BLOCK_PREFIX.fullmatch(src, src.rfind("\n", 0, i) + 1, i):
                if src[i] == "%":
                    pct = True
                else:
                    lt = True
                if pct and lt:
                    break
    if not pct:
        off.append("myst_line_comment")  # "% comment"
    if not lt:
        off.append("html_block")  # "<tag" / "<!--"
    return tuple(off)


def _parser(front_matter: bool, off: tuple[str, ...]) -> MarkdownIt:
    """The parser without the block rules in ``off`` (built once; past _MAX_PARSERS
    sets, the parser with every rule on, which is always right)."""
    key = (front_matter, off)
    md = _PARSERS.get(key)
    if md is None:
        if len(_PARSERS) >= _MAX_PARSERS:
            return _MD_DOC if front_matter else _MD_FRAGMENT
        md = _make_md(front_matter)
        md.block.ruler.disable(list(off))
        _PARSERS[key] = md
    return md


def _underline_lines(src: str) -> list[int]:
    """Numbers (0-based) of the lines after the first that could underline a setext
    heading ("===" or "---" after markers and spaces), in order."""
    out: list[int] = []
    first = src.find("\n")
    if first == -1:
        return out
    line, pos = 0, 0
    for m in _LINE_ENDS_IN_DASH_OR_EQUALS.finditer(src, first + 1):
        start = src.rfind("\n", 0, m.start()) + 1
        if _UNDERLINE.fullmatch(src, start, m.end()):
            line += src.count("\n", pos, start)
            pos = start
            out.append(line)
    return out


def _parse_blocks(src: str, env: dict[str, Any], front_matter: bool) -> tuple[MarkdownIt, list[Token]]:
    """Block tokens of ``src`` (inline children not yet parsed) and the parser used;
    ``env`` must be empty (a fresh dict)."""
    off = _rules_off(src)
    # The setext-heading rule scans every paragraph to its end looking for an underline,
    # before the paragraph rule scans it again. Without a line that could be one (the
    # first line never is), it cannot match. A file whose only such line is the closing
    # "---" of its front matter is parsed without it too, if the front matter token does
    # cover that line (the front matter rule runs first, the same with or without it);
    # otherwise it is parsed again with the rule.
    under = _underline_lines(src)
    if not under or (front_matter and len(under) == 1 and src.startswith("---")):
        md = _parser(front_matter, off + ("lheading",))
        tokens = md.parse(src, env)
        if not under or (tokens and tokens[0].type == "front_matter"
                         and tokens[0].map is not None and tokens[0].map[1] > under[0]):
            return md, tokens
        env.clear()
    md = _parser(front_matter, off)
    return md, md.parse(src, env)

_CITE_ROLE = re.compile(r"^(?:foot)?cite(?::[a-z]+)?$")
_TEXTUAL_CITE = re.compile(r"^(?:foot)?cite:(?:t|ts|ct|cts)$")
_PROSE_ROLES = frozenset(
    {"term", "abbr", "sub", "sup", "subscript", "superscript", "guilabel", "menuselection",
     "dfn", "emphasis", "strong", "title-reference", "title", "t"}
)
_TITLED_ROLES = frozenset({"ref", "doc", "numref", "any", "download", "external", "eq"})
_NON_PROSE_DIRECTIVES = frozenset(
    {"code-block", "code", "code-cell", "sourcecode", "literalinclude", "include", "math",
     "raw", "eval-rst", "mermaid", "graphviz", "toctree", "bibliography",
     "footbibliography", "image", "csv-table", "highlight", "index", "literal",
     "parsed-literal", "tabularcolumns", "only-code", "jupyter-execute"}
)
_ARG_NOT_PROSE = frozenset(
    {"grid", "figure", "image", "include", "literalinclude", "code-block", "code",
     "code-cell", "sourcecode", "bibliography", "toctree", "raw", "math", "eval-rst",
     "highlight", "mermaid", "graphviz", "only", "ifconfig", "button-link", "button-ref",
     "card-carousel", "tab-set", "footbibliography", "glossary", "div", "container",
     "rubric-not", "index"}
)
# Known directives whose bodies are prose; anything else is treated as prose too when
# its body parses as Markdown (see --explain).
KNOWN_PROSE_DIRECTIVES = frozenset(
    {"note", "warning", "tip", "important", "hint", "caution", "attention", "danger",
     "error", "seealso", "admonition", "dropdown", "card", "grid", "grid-item",
     "grid-item-card", "tab-set", "tab-item", "glossary", "claim", "figure", "topic",
     "sidebar", "epigraph", "pull-quote", "rubric", "list-table", "table", "div",
     "container", "margin", "versionadded", "versionchanged", "deprecated", "only"}
)
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]|\b[\w.+-]+@[\w-]+\.[\w.-]+\w")
# Markup that may stand before prose on a line (list, quote, table, footnote markers)
_MARKUP_RUN = re.compile(r"(?:[\s>|:#*+-]|\d{1,9}[.)]|\[\^[^\]]*\]:)*")
_DIRECTIVE_INFO = re.compile(r"^\{([A-Za-z0-9_:.+-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:([A-Za-z0-9_-]+):(?:\s+(.*))?$")
_MAX_DEPTH = 40
_IDENTITY = array("i", range(1 << 16))


def _identity(n: int) -> array:
    """An array ``a`` with ``a[i] == i`` for every ``i < n``: source offsets of a run of
    characters are one slice of it."""
    global _IDENTITY
    if len(_IDENTITY) < n:
        _IDENTITY = array("i", range(max(n, 2 * len(_IDENTITY))))
    return _IDENTITY


_OPENS = {"bullet_list_open": "list", "ordered_list_open": "list", "blockquote_open": "blockquote",
          "footnote_reference_open": "footnote", "footnote_open": "footnote",
          "dd_open": "definition"}
_CLOSES = frozenset({"bullet_list_close", "ordered_list_close", "blockquote_close",
                     "footnote_reference_close", "footnote_close", "dd_close"})
# Every token type _Builder.walk acts on
_WALKED = frozenset(_OPENS) | _CLOSES | {"heading_open", "paragraph_open", "th_open", "td_open",
                                          "dt_open", "fence", "colon_fence", "html_block"}
# Inline tokens that do not count as dropping text (see "pain {cite:p}`k`.")
_KEEPS_TEXT = frozenset({"text", "softbreak", "hardbreak", "em_open", "em_close",
                         "strong_open", "strong_close"})
_ALNUM = re.compile(r"[^\W_]")  # str.isalnum(), as a search
_SCOPES: dict[tuple[str, int, tuple[str, ...]], frozenset[str]] = {}  # _scopes_for by key


class _Builder:
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.lines = source.split("\n")
        self.doc = Document(path=path, source=source, _line_starts=_line_starts(self.lines))
        self.cursor: dict[int, int] = {}
        self.ident = _identity(len(source) + 1)

    # ---- helpers
    def err(self, line: int, message: str) -> InputError:
        return InputError(self.path, line, message)

    def line_start(self, i: int) -> int:
        return self.doc._line_starts[min(i, len(self.doc._line_starts) - 1)]

    def locate(self, abs_line: int, content: str) -> int:
        """Column (0-based) where ``content`` sits on source line ``abs_line``."""
        if abs_line >= len(self.lines):
            return 0
        src = self.lines[abs_line]
        cur = self.cursor.get(abs_line, 0)
        if not content:
            return cur
        first = -1
        pos = src.find(content, cur)
        while pos != -1:
            if first == -1:
                first = pos
            if _MARKUP_RUN.fullmatch(src, cur, pos):  # only markup between cursor and pos
                return pos
            pos = src.find(content, pos + 1)
        if first != -1:
            return first
        stripped = content.strip()
        if stripped and stripped != content:
            pos = src.find(stripped, cur)
            if pos != -1:
                return pos
        return min(cur, len(src))

    def map_raw(self, content: str, abs_lines: list[int]) -> array:
        """Source offset of each character of an inline token's raw content."""
        offs = array("i")
        ident = self.ident
        lines = self.lines
        last_line = len(lines) - 1
        starts = self.doc._line_starts
        last_start = len(starts) - 1
        cursor = self.cursor
        locate = self.locate
        last_abs = len(abs_lines) - 1
        parts = content.split("\n")
        last_part = len(parts) - 1
        for j, part in enumerate(parts):
            li = abs_lines[j if j < last_abs else last_abs] if abs_lines else 0
            if li > last_line:
                li = last_line
            col = locate(li, part)
            base = starts[li if li < last_start else last_start]
            line_len = len(lines[li])
            n = len(part)
            # offset of character k is base + min(col + k, last column): one range, then
            # the last column repeated (same values as a per-character loop, faster)
            fit = max(0, min(n, max(line_len - 1, 0) - col + 1))
            offs += ident[base + col : base + col + fit]
            if n > fit:
                offs += array("i", (base + max(line_len - 1, 0),)) * (n - fit)
            cursor[li] = min(col + n, line_len)
            if j < last_part:
                offs.append(base + line_len)  # the newline
        return offs

    # ---- block making
    def make_block(self, kind: str, text: str, offsets: list[int], *, level: int = 0,
                   containers: tuple[str, ...] = (), attributed: bool = False,
                   citations: list[Citation] | None = None,
                   roles: list[Role] | None = None) -> Block | None:
        if _ALNUM.search(text) is None:
            # No words (empty, or a card's "^^^" separator): not prose. Keep citations
            # even when a block holds nothing else.
            for c in citations or []:
                self.doc.citations.append(c)
            return None
        # An array, not a list: project checks keep every Document of a run in memory.
        if type(offsets) is not array:
            offsets = array("i", offsets)
        block = Block(self.doc, kind, text, offsets, level, containers, attributed,
                      citations or [], roles or [])
        key = (kind, level, containers)
        scopes = _SCOPES.get(key)
        if scopes is None:
            scopes = _SCOPES[key] = _scopes_for(block)
        block.scopes = scopes
        if citations:
            self.doc.citations.extend(citations)
            for c in citations:
                c.block = block
        spans = split_sentences(text)
        block.sentences = [Sentence(block, s, e) for s, e in spans]
        if citations and spans:
            starts = [s for s, _ in spans]
            for c in block.citations:
                i = max(bisect.bisect_right(starts, c.index) - 1, 0)
                # A citation between sentences belongs to the one before it.
                if i > 0 and c.index <= block.sentences[i].start and not _TEXTUAL_CITE.match(
                        c.role) and not text[
                        block.sentences[i - 1].end:c.index].strip(" .!?)\u201d\"'"):
                    i -= 1
                block.sentences[i].citations.append(c)
        self.doc.blocks.append(block)
        return block

    def inline_block(self, kind: str, raw: str, children: list[Any], abs_lines: list[int],
                     level: int = 0, containers: tuple[str, ...] = (),
                     attributed: bool = False) -> Block | None:
        """A Block of an ``inline`` token's prose: ``raw`` its content, ``children`` its
        inline tokens."""
        roff = self.map_raw(raw, abs_lines)
        text, offsets, cits, roles = self.inline(raw, roff, children)
        return self.make_block(kind, text, offsets, level=level, containers=containers,
                               attributed=attributed, citations=cits, roles=roles)

    def inline(self, raw: str, roff: array, children: list[Token]):
        """(text, offsets, citations, roles) of an inline token's children; ``raw`` is the
        token's content and ``roff`` the source offset of each of its characters."""
        out: list[str] = []  # pieces of text, never empty; len(offs) is the text length
        offs = array("i")
        cits: list[Citation] = []
        roles: list[Role] = []
        cur = 0
        n = len(raw)
        nroff = len(roff)
        dropped = False  # the last inline token left nothing in the text

        def at(i: int) -> int:
            if not nroff:
                return 0
            return roff[min(max(i, 0), nroff - 1)]

        def emit_aligned(s: str) -> None:
            nonlocal cur, dropped
            # "pain {cite:p}`k`." reads "pain." once the citation is gone.
            if dropped and s[:1] in ".,;:!?)" and out and out[-1][-1] == " ":
                last = out[-1][:-1]
                if last:
                    out[-1] = last
                else:
                    out.pop()
                offs.pop()
            dropped = False
            if not s:
                return
            ls = len(s)
            idx = raw.find(s, cur)
            if idx != -1:
                if idx + ls <= nroff:
                    positions = roff[idx : idx + ls]
                else:
                    positions = array("i", [at(idx + k) for k in range(ls)])
                cur = idx + ls
            else:
                positions = array("i")
                for ch in s:
                    j = raw.find(ch, cur)
                    if j == -1:
                        positions.append(at(cur))
                    else:
                        positions.append(at(j))
                        cur = j + 1
            # Bare URLs and e-mail addresses are not prose.
            # The common case: no URL (every match holds one of these), keep every character.
            if not ("@" in s or "://" in s or "www." in s) or not _URL.search(s):
                out.append(s)
                offs.extend(positions)
                return
            prev = 0
            for m in _URL.finditer(s):
                if m.start() > prev:
                    out.append(s[prev : m.start()])
                    offs.extend(positions[prev : m.start()])
                prev = max(prev, m.end())
            if prev < ls:
                out.append(s[prev:])
                offs.extend(positions[prev:])

        def emit_at(s: str, raw_start: int) -> None:
            if s:
                out.append(s)
                offs.extend([at(raw_start + k) for k in range(len(s))])

        def skip_past(s: str) -> int:
            nonlocal cur
            j = raw.find(s, cur) if s else -1
            if j != -1:
                cur = j + len(s)
            return j

        def skip_link_tail() -> None:
            nonlocal cur
            j = raw.find("]", cur)
            if j == -1:
                return
            k = j + 1
            if k < n and raw[k] == "(":
                depth = 0
                while k < n:
                    if raw[k] == "(":
                        depth += 1
                    elif raw[k] == ")":
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
                cur = min(k + 1, n)
            elif k < n and raw[k] == "[":
                e = raw.find("]", k)
                cur = e + 1 if e != -1 else k
            else:
                cur = k

        skip_depth = 0
        for t in children:
            tp = t.type
            if tp == "text":
                if not skip_depth:
                    emit_aligned(t.content)
                continue
            if tp not in _KEEPS_TEXT:
                dropped = True
            if skip_depth:
                if tp == "link_close":
                    skip_depth -= 1
                    skip_past(">")
                continue
            if tp == "softbreak" or tp == "hardbreak":
                j = raw.find("\n", cur)
                out.append(" ")
                if j == -1:
                    offs.append(at(cur))
                else:
                    offs.append(at(j))
                    cur = j + 1
            elif tp == "code_inline":
                j = raw.find(t.markup, cur)
                if j != -1:
                    k = raw.find(t.markup, j + len(t.markup) + max(len(t.content) - 2, 0))
                    cur = (k + len(t.markup)) if k != -1 else j + len(t.markup)
            elif tp == "myst_role":
                name = t.meta.get("name", "")
                j = raw.find("{" + name + "}", cur)
                start_raw = j if j != -1 else cur
                body_start = start_raw + len(name) + 2
                ticks = 0
                while body_start + ticks < n and raw[body_start + ticks] == "`":
                    ticks += 1
                content_start = body_start + ticks
                close = raw.find("`" * max(ticks, 1), content_start + len(t.content)) if ticks else -1
                end_raw = close + ticks if close != -1 else min(content_start + len(t.content), n)
                cur = max(cur, end_raw)
                text_index = len(offs)
                content = t.content
                role_offset = at(start_raw)
                if _CITE_ROLE.match(name):
                    keys = tuple(filter(None, map(str.strip, content.split(","))))
                    line, col = self.doc.line_col(role_offset)
                    cits.append(Citation(role=name, keys=keys, line=line, col=col,
                                         offset=role_offset, end_offset=at(end_raw - 1) + 1,
                                         index=text_index, doc=self.doc))
                    if _TEXTUAL_CITE.match(name):
                        emit_at("Authors", start_raw)
                elif name in _PROSE_ROLES or name in _TITLED_ROLES:
                    m = re.match(r"^(.*?)\s*<[^<>]*>\s*$", content, re.S)
                    if m:
                        emit_at(m.group(1), content_start)
                    elif name in _PROSE_ROLES:
                        shown = content
                        if name == "abbr":
                            shown = re.sub(r"\s*\(.*\)\s*$", "", content, flags=re.S)
                        emit_at(shown, content_start)
                roles.append(Role(name=name, content=content, start=text_index,
                                  end=len(offs), offset=role_offset))
            elif tp == "link_open":
                if t.markup in ("autolink", "linkify"):
                    skip_depth += 1
                    skip_past("<")
                else:
                    skip_past("[")
            elif tp == "link_close":
                skip_link_tail()
            elif tp == "image":
                j = raw.find("![", cur)
                if j != -1:
                    cur = j + 2
                    skip_link_tail()
            elif tp == "html_inline":
                j = skip_past(t.content)
                if t.content.startswith("<!--") and j != -1:
                    line, _ = self.doc.line_col(at(j))
                    end_line, _ = self.doc.line_col(at(j + len(t.content) - 1))
                    self.doc.comments.append(Comment(line, end_line, at(j), t.content))
            elif tp == "footnote_ref":
                skip_past("]")
            elif tp == "substitution_inline":
                if skip_past("{{") != -1:
                    skip_past("}}")
            elif tp in ("em_open", "em_close", "strong_open", "strong_close"):
                continue
            elif t.children:
                for c in t.children:
                    if c.type == "text":
                        emit_aligned(c.content)
        return "".join(out), offs, cits, roles

    # ---- walking block tokens
    def walk(self, tokens: list[Token], line_map: list[int], containers: tuple[str, ...],
             depth: int, fragment_lines: list[str] | None = None,
             md: MarkdownIt = _MD_FRAGMENT, env: dict[str, Any] | None = None) -> None:
        if env is None:
            env = {}
        def abs_lines(tmap: list[int] | None) -> list[int]:
            if not tmap:
                return [line_map[0]] if line_map else [0]
            a, b = tmap
            b = max(b, a + 1)
            return [line_map[min(i, len(line_map) - 1)] for i in range(a, b)]

        stack: list[str] = []
        cont = containers  # containers + tuple(stack)
        i = 0
        ntok = len(tokens)
        while i < ntok:
            t = tokens[i]
            tp = t.type
            if tp not in _WALKED:  # closing tags of paragraphs, items, rows...
                i += 1
                continue
            opened = _OPENS.get(tp)
            if opened is not None:
                stack.append(opened)
                cont = containers + tuple(stack)
            elif tp in _CLOSES:
                if stack:
                    stack.pop()
                    cont = containers + tuple(stack)
            elif tp == "heading_open":
                inl = tokens[i + 1]
                level = int(t.tag[1:]) if t.tag[1:].isdigit() else 1
                self.inline_block("heading", inl.content, children_of(md, inl, env),
                                  abs_lines(inl.map or t.map), level=level,
                                  containers=cont)
                i += 1
            elif tp == "paragraph_open":
                inl = tokens[i + 1]
                if inl.type == "inline":
                    self.inline_block("paragraph", inl.content, children_of(md, inl, env),
                                      abs_lines(inl.map or t.map),
                                      containers=cont)
                    i += 1
            elif tp in ("th_open", "td_open", "dt_open"):
                inl = tokens[i + 1]
                if inl.type == "inline":
                    kind = {"th_open": "table.header", "td_open": "table.cell",
                            "dt_open": "term"}[tp]
                    self.inline_block(kind, inl.content, children_of(md, inl, env),
                                      abs_lines(inl.map), containers=cont)
                    i += 1
            elif tp in ("fence", "colon_fence"):
                self.fence(t, line_map, cont, depth, fragment_lines)
            elif tp == "html_block":
                self.html_comments(t, abs_lines(t.map))
            i += 1

    def html_comments(self, t: Token, lines: list[int]) -> None:
        content = t.content
        for m in re.finditer(r"<!--.*?-->", content, re.S):
            before = content[: m.start()]
            rel_line = before.count("\n")
            li = lines[min(rel_line, len(lines) - 1)]
            col = self.locate(li, m.group(0).split("\n")[0])
            off = self.line_start(li) + col
            end_li = lines[min(rel_line + m.group(0).count("\n"), len(lines) - 1)]
            self.doc.comments.append(Comment(li + 1, end_li + 1, off, m.group(0)))

    def fence(self, t: Token, line_map: list[int], containers: tuple[str, ...], depth: int,
              fragment_lines: list[str] | None) -> None:
        a, b = t.map or (0, 1)
        open_abs = line_map[min(a, len(line_map) - 1)]
        # Unterminated fence: its last line is not a closing marker.
        flines = fragment_lines if fragment_lines is not None else self.lines
        last = flines[b - 1].strip() if 0 < b <= len(flines) else ""
        marker = t.markup[0] if t.markup else "`"
        if b - a < 2 or not (last.startswith(t.markup) and set(last) <= {marker}):
            shown = t.markup if len(t.markup) <= 8 else t.markup[:8] + "..."
            raise self.err(open_abs + 1, f"unterminated fence {shown!r} opened here; "
                                         f"close it with a line of {t.markup[0]!r} characters")
        m = _DIRECTIVE_INFO.match(t.info.strip())
        if not m:
            return  # a code fence: not prose
        name, arg = m.group(1), m.group(2).strip()
        if name in _NON_PROSE_DIRECTIVES or depth >= _MAX_DEPTH:
            return
        body = t.content.split("\n")
        if body and body[-1] == "":
            body.pop()
        body_abs = [line_map[min(a + 1 + k, len(line_map) - 1)] for k in range(len(body))]
        options: dict[str, tuple[str, int]] = {}
        k = 0
        if body and body[0].strip() == "---":
            end = next((j for j in range(1, len(body)) if body[j].strip() == "---"), None)
            if end is None:
                raise self.err(body_abs[0] + 1, f"directive {{{name}}}: option block not closed")
            try:
                data = yaml.safe_load("\n".join(body[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                ln = body_abs[min(1 + (mark.line if mark else 0), len(body_abs) - 1)] + 1
                raise self.err(ln, f"directive {{{name}}}: bad option YAML") from None
            if isinstance(data, dict):
                for key, val in data.items():
                    options[str(key)] = (str(val), body_abs[0] + 1)
            k = end + 1
        else:
            while k < len(body):
                om = _OPTION.match(body[k].strip())
                if not om:
                    break
                options[om.group(1)] = ((om.group(2) or "").strip(), body_abs[k] + 1)
                k += 1
        inner = containers + ("directive:" + name,)
        arg_block = None
        if arg and name not in _ARG_NOT_PROSE:
            kind = "claim.argument" if name == "claim" else "directive.argument"
            self.cursor[open_abs] = self.lines[open_abs].find("}") + 1 if open_abs < len(self.lines) else 0
            tokens = _MD_FRAGMENT.parseInline(arg)
            inl = tokens[0] if tokens else Token("inline", "", 0, content=arg, children=[])
            arg_block = self.inline_block(kind, inl.content, children_of(_MD_FRAGMENT, inl, {}),
                                          [open_abs], containers=inner,
                                          attributed=(name == "claim"))
        first_body = len(self.doc.blocks)
        rest = body[k:]
        rest_abs = body_abs[k:]
        if name == "glossary":
            self.glossary(rest, rest_abs, inner, depth)
        elif rest:
            if name in ("card", "grid-item-card"):
                # sphinx-design splits header / body / footer at "^^^" and "+++" lines.
                rest = ["" if re.fullmatch(r"\s*(?:\^{3,}|\+{3,})\s*", x) else x for x in rest]
            frag = "\n".join(rest) + "\n"
            env: dict[str, Any] = {}
            md, tokens = _parse_blocks(frag, env, False)
            self.walk(tokens, rest_abs + [rest_abs[-1]], inner, depth + 1, rest, md, env)
        if name == "claim":
            verdict, vline = options.get("verdict", ("", 0))
            self.doc.claims.append(Claim(line=open_abs + 1, end_line=line_map[min(b - 1, len(line_map) - 1)] + 1,
                                         argument=arg_block, verdict=verdict.strip().strip("\"'"),
                                         verdict_line=vline,
                                         body=self.doc.blocks[first_body:]))

    def glossary(self, lines: list[str], abs_lines: list[int], containers: tuple[str, ...],
                 depth: int) -> None:
        """Body of ``{glossary}``: unindented lines are terms, indented lines define them."""
        j = 0
        while j < len(lines):
            line = lines[j]
            if not line.strip():
                j += 1
                continue
            if not line[:1].isspace():
                term = line.strip()
                self.doc.glossary_terms.append(term)
                self.inline_block("glossary.term", term, inline_children(_MD_FRAGMENT, term, {}),
                                  [abs_lines[j]], containers=containers)
                j += 1
                continue
            k = j
            while k < len(lines) and (not lines[k].strip() or lines[k][:1].isspace()):
                k += 1
            chunk = lines[j:k]
            indent = min(len(x) - len(x.lstrip()) for x in chunk if x.strip())
            frag = "\n".join(x[indent:] for x in chunk) + "\n"
            env: dict[str, Any] = {}
            md, tokens = _parse_blocks(frag, env, False)
            sub_abs = abs_lines[j:k]
            self.walk(tokens, sub_abs + [sub_abs[-1]], containers + ("definition",), depth + 1,
                      [x[indent:] for x in chunk], md, env)
            j = k

    def sections(self) -> None:
        stack: list[Section] = []
        current: list[Section] = []
        for block in self.doc.blocks:
            if block.kind == "heading" and not block.directives:
                while stack and stack[-1].level >= block.level:
                    stack.pop()
                sec = Section(title=block.text.strip(), level=block.level, heading=block,
                              parent=stack[-1] if stack else None)
                block.section = sec
                self.doc.sections.append(sec)
                stack.append(sec)
                current = list(stack)
                continue
            block.section = stack[-1] if stack else None
            for sec in current:
                if sec in stack:
                    sec.blocks.append(block)


def _scopes_for(block: Block) -> frozenset[str]:
    scopes = {"text", block.kind}
    if block.kind == "heading":
        scopes.add(f"heading.h{block.level}")
    if block.kind.startswith("table."):
        scopes.add("table")
    if block.kind in ("directive.argument", "claim.argument", "glossary.term", "term"):
        scopes.add("heading" if block.kind == "directive.argument" else "paragraph")
    for c in block.containers:
        if c in ("list", "blockquote", "footnote", "definition"):
            scopes.add(c)
    return frozenset(scopes)


def _decode(path: str, data: bytes) -> str:
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InputError(path, line, "binary file (NUL byte); not linted")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})") from None
    return text


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Front matter of "key: value" lines only, values plain words/dates/numbers or double-quoted
# text without escapes: for these libyaml's scanner gives the same events as PyYAML's
# (the values are built by the same SafeConstructor), at a sixth of the time.
_SIMPLE_YAML = re.compile(
    r'(?:[A-Za-z_][A-Za-z0-9_-]*:(?: +(?:[A-Za-z0-9_][A-Za-z0-9 _.,/-]*'
    r'|"[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*"))? *(?:\n|\Z))*')
_CSafeLoader = getattr(yaml, "CSafeLoader", None)


def _load_yaml(block: str) -> Any:
    """yaml.safe_load(block), with libyaml when the block is simple enough that it gives
    the same result (anything else, and any error, goes through PyYAML as before)."""
    if _CSafeLoader is not None and _SIMPLE_YAML.fullmatch(block):
        try:
            return yaml.load(block, Loader=_CSafeLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(block)


def _front_matter(path: str, text: str) -> tuple[dict[str, Any], int]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise InputError(path, 1, "front matter opened with '---' is never closed")
    block = "\n".join(lines[1:end])
    try:
        data = _load_yaml(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(path, line, f"front matter: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(path, 2, "front matter must be a YAML mapping (key: value)")
    return data, 1


def parse_text(text: str, path: str = "<string>") -> Document:
    """Parse MyST (or plain text when ``path`` ends in ``.txt``) into a Document."""
    text = _normalise(text)
    if path.endswith(".txt"):
        return _parse_plain(text, path)
    fm, fm_line = _front_matter(path, text)
    b = _Builder(path, text)
    b.doc.front_matter = fm
    b.doc.front_matter_line = fm_line
    env: dict[str, Any] = {}
    try:
        md, tokens = _parse_blocks(text, env, True)
        b.walk(tokens, list(range(len(b.lines))) + [max(len(b.lines) - 1, 0)], (), 0, None,
               md, env)
    except RecursionError:
        raise InputError(path, 1, "markup nested too deeply to parse") from None
    b.sections()
    b.doc.comments.sort(key=lambda c: c.offset)
    return b.doc


def _parse_plain(text: str, path: str) -> Document:
    b = _Builder(path, text)
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        chunk = m.group(0).rstrip("\n")
        offs = list(range(m.start(), m.start() + len(chunk)))
        b.make_block("paragraph", chunk.replace("\n", " "), offs)
    return b.doc


def parse(path: str | Path) -> Document:
    """Read and parse a file; raises InputError (path, line, message) on bad input."""
    p = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(p, 0, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, 0, "is a directory") from None
    except OSError as exc:
        raise InputError(p, 0, f"cannot read: {exc.strerror or exc}") from None
    return parse_text(_decode(p, data), p)
