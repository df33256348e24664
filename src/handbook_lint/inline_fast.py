"""Inline tokens of a MyST block without markdown-it's inline parser, where that is exact.

Most prose in the handbook is plain text with soft line breaks and roles
(``{footcite:p}`key```). For such text the inline rules that :mod:`document` enables
produce only ``text``, ``softbreak``/``hardbreak`` and ``myst_role`` tokens, and the
rules can be followed step by step here at a fraction of the cost. Anything else
(emphasis, code, links, escapes, entities, HTML, substitutions) returns ``None`` and the
caller runs markdown-it's own inline parser.

Which characters a rule can start on (markdown-it-py 4, mdit-py-plugins 0.7, the rule
list in ``document._make_md``; with any other list, :func:`check_rules` turns it off):

=====================  =====================================================
rule                   starts on
=====================  =====================================================
text                   anything else (adds to the pending text)
newline                ``\\n``                         -> handled here
substitution_inline    ``{{``                         -> fall back
escape                 ``\\``                          -> fall back
myst_role              ``{name}`` + backticks          -> handled here
backticks              `````                           -> fall back
emphasis               ``*`` ``_``                     -> fall back
link, footnote_ref     ``[``                           -> fall back
image                  ``![`` (needs ``[``)            -> fall back
autolink, html_inline  ``<``                           -> fall back
entity                 ``&``                           -> fall back
=====================  =====================================================

The second-pass rules (``balance_pairs``, ``emphasis``, ``fragments_join``) and the core
``text_join`` only change delimiter runs, ``text_special`` tokens or adjacent text
tokens, none of which the fast path produces.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import inline as _core_inline
from markdown_it.rules_core import text_join as _core_text_join
from markdown_it.token import Token

__all__ = ["FastToken", "check_rules", "children_of", "fast_children", "inline_children"]

# The inline rules (in order) the fast path was derived from.
EXPECTED_INLINE = ["text", "newline", "substitution_inline", "escape", "myst_role",
                   "backticks", "emphasis", "link", "image", "footnote_ref", "autolink",
                   "html_inline", "entity"]
EXPECTED_INLINE2 = ["balance_pairs", "emphasis", "fragments_join"]

# "\n" and "{" are handled; every other character here sends the text to markdown-it.
_SPECIAL = re.compile(r"[\n{`\\*_\[<&]")
# mdit_py_plugins.myst_role.VALID_NAME_PATTERN, unanchored for match(src, pos)
_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9\_\-\+\:]+)\}")


def check_rules(md: MarkdownIt) -> bool:
    """Whether ``md``'s inline rules are the ones the fast path mirrors (another
    markdown-it version may differ: then markdown-it parses every inline run)."""
    active = md.inline.ruler.get_active_rules()
    active2 = md.inline.ruler2.get_active_rules()
    return active == EXPECTED_INLINE and active2 == EXPECTED_INLINE2 and not md.options["breaks"]


class FastToken:
    """A child token of the fast path: a light stand-in for ``markdown_it.token.Token``
    with the same fields and values (the ones it never sets are class defaults)."""

    __slots__ = ("type", "tag", "content", "meta")
    nesting = 0
    level = 0
    attrs: dict[str, Any] = {}
    map = None
    children = None
    markup = ""
    info = ""
    block = False
    hidden = False

    def __init__(self, type: str, tag: str = "", content: str = "",
                 meta: dict[str, Any] | None = None) -> None:
        self.type = type
        self.tag = tag
        self.content = content
        self.meta = {} if meta is None else meta

    def __repr__(self) -> str:
        return f"FastToken({self.type!r}, {self.tag!r}, {self.content!r}, {self.meta!r})"


def fast_children(src: str) -> list[FastToken] | None:
    """The children markdown-it's inline parser would make of ``src`` (a top-level inline
    token's content), or None when ``src`` needs the real parser."""
    toks: list[FastToken] = []
    pending = ""  # text since the last pushed token, as StateInline.pending
    pos = 0
    n = len(src)
    search = _SPECIAL.search
    while True:
        m = search(src, pos)
        if m is None:
            pending += src[pos:]
            break
        i = m.start()
        ch = src[i]
        if ch == "\n":
            # rules_inline.newline: trailing spaces of the pending text go; two or more
            # make a hard break. Spaces and tabs at the start of the next line are skipped.
            pending += src[pos:i]
            kept = pending.rstrip(" ")
            if kept:
                toks.append(FastToken("text", "", kept))
            toks.append(FastToken("hardbreak" if len(pending) - len(kept) >= 2 else "softbreak",
                                  "br"))
            pending = ""
            pos = i + 1
            while pos < n and src[pos] in " \t":
                pos += 1
            continue
        if ch == "{":
            if src.startswith("{", i + 1):
                return None  # substitution_inline may match "{{ ... }}"
            rm = _ROLE_NAME.match(src, i)
            if rm is not None:
                # mdit_py_plugins.myst_role.myst_role
                start = p = rm.end()
                while p < n and src[p] == "`":
                    p += 1
                ticks = p - start
                if ticks and p < n:
                    close = src.find("`" * ticks, p + 1)
                    if close != -1:
                        pending += src[pos:i]
                        if pending:
                            toks.append(FastToken("text", "", pending))
                            pending = ""
                        toks.append(FastToken("myst_role", "", src[p:close].replace("\n", " "),
                                              {"name": rm.group(1)}))
                        pos = close + ticks
                        continue
            # No role here: no rule matches "{", the parser adds it to the pending text.
            pending += src[pos : i + 1]
            pos = i + 1
            continue
        return None
    if pending:
        toks.append(FastToken("text", "", pending))
    return toks


def children_of(md: MarkdownIt, tok: Token, env: Any) -> list[Any]:
    """The children the full core pipeline would give ``tok`` (an ``inline`` token from a
    parse with the core ``inline`` and ``text_join`` rules disabled). Fast-path children
    are returned without being stored on ``tok``, so they are freed with the caller's
    list; markdown-it's rules store theirs on ``tok`` as usual."""
    if tok.children:
        return tok.children  # parsed already (by a parser that kept the core rules)
    children = fast_children(tok.content)
    if children is None:
        state = StateCore("", md, env, [tok])
        _core_inline(state)
        _core_text_join(state)
        children = tok.children or []
    return children


def inline_children(md: MarkdownIt, src: str, env: Any) -> list[Any]:
    """Children of ``src`` parsed as one inline run (what ``md.parseInline`` gives)."""
    return children_of(md, md.parseInline(src, env)[0], env)
