"""Accessibility fixes for the handbook's HTML output.

docutils writes a bibliography as ``<div role="list">`` holding entries with
``role="doc-biblioentry"``. That DPUB-ARIA role is deprecated and is not a list item,
so the list has no valid items (screen readers may announce it as empty or skip the
entries) and axe-core reports a critical ``aria-required-children`` violation on every
page with a reference list. Here each entry
becomes ``role="listitem"`` (same element, same classes, same styling), which is what
DPUB-ARIA 1.1 recommends instead.

Sphinx writes each toctree caption ("Part 1: Start here") as
``<p class="caption" role="heading">`` with no ``aria-level``; a heading role without a
level is invalid (axe-core: critical ``aria-required-attr``), and screen readers guess
its level. Here captions get ``aria-level="2"``: they group the pages below the page's
``<h1>``, in the body and in the navigation sidebar alike.

The extension also adds ``_static/a11y.css`` (focus outlines, link underlines, dark-mode
and phone fixes) to the web pages, not to the print edition built with ``-t print``.
Nothing here changes any text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

__all__ = ["setup"]


def visit_citation(self, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def visit_title(self, node: nodes.title) -> None:
    parent = node.parent
    if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
        self.body.append(
            self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **{"aria-level": "2"})
        )
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")
        self.add_secnumber(node)
        self.add_fignumber(parent)
    else:
        type(self).visit_title(self, node)  # the translator's own method


def depart_title(self, node: nodes.title) -> None:
    type(self).depart_title(self, node)


def _add_css(app) -> None:
    # Web pages only: the print edition (``-t print``) has its own stylesheet.
    if app.builder.format == "html" and not app.tags.has("print"):
        app.add_css_file("a11y.css")


def setup(app):
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
    app.connect("builder-inited", _add_css)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
