"""Sphinx extension ``handbook_lint.sphinx``: lint MyST sources during the build, and the
``claim`` directive.

Add it to ``extensions`` in conf.py. Config values:

``handbook_lint_warn_levels``  alert levels that become Sphinx warnings (default
                               ``["error"]``, so only error-level alerts fail a ``-W``
                               build); other alerts are logged at verbose level.
``handbook_lint_enabled``      ``False`` turns linting off (the directive stays).

Each warning has type ``handbook-lint``, the rule id as subtype (so
``suppress_warnings = ["handbook-lint.Handbook.Hype"]`` works) and the MyST source line
as location.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import __version__
from .alert import LEVELS

logger = logging.getLogger(__name__)

VERDICTS = {
    "supported": ("Supported", "\u2713"),
    "unclear": ("Unclear", "?"),
    "not supported": ("Not supported", "\u2717"),
}
CSS_FILE = "handbook-lint-claim.css"
DATA_DIR = Path(__file__).parent / "data"


# ------------------------------------------------------------------ claim directive


def _verdict(value: str | None) -> str:
    v = " ".join((value or "").replace("-", " ").split()).lower()
    if v not in VERDICTS:
        raise ValueError(f"verdict must be one of: {', '.join(VERDICTS)}")
    return v


class ClaimDirective(SphinxDirective):
    """``{claim} "quoted words of the source"`` with ``:verdict:`` and a body that says
    what the evidence says."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"verdict": _verdict, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        verdict = self.options.get("verdict")
        if verdict is None:
            logger.warning("claim without :verdict: (supported, unclear or not supported)",
                           type="handbook-lint", subtype="claim", location=self.get_location())
            verdict = "unclear"
        label, symbol = VERDICTS[verdict]
        slug = verdict.replace(" ", "-")
        box = nodes.container(classes=["hl-claim", f"hl-claim--{slug}",
                                       *self.options.get("class", [])])
        self.set_source_info(box)

        page = nodes.container(classes=["hl-claim__page"])
        page += nodes.paragraph("", "", nodes.strong("", "What the page says"),
                                classes=["hl-claim__label"])
        quote_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        page += nodes.paragraph("", "", *quote_nodes, classes=["hl-claim__quote"])
        page += messages
        box += page

        evidence = nodes.container(classes=["hl-claim__evidence"])
        heading = nodes.paragraph("", "", nodes.strong("", "What the evidence says"),
                                  classes=["hl-claim__label"])
        heading += nodes.inline("", f"{symbol} Verdict: {label}",
                                classes=["hl-claim__badge", f"hl-claim__badge--{slug}"])
        evidence += heading
        evidence += self.parse_content_to_nodes()
        box += evidence
        return [box]


# ------------------------------------------------------------------ linting


def _check_config(app: Sphinx, config: Any) -> None:
    levels = config.handbook_lint_warn_levels
    if isinstance(levels, str):
        levels = [levels]
    if not isinstance(levels, (list, tuple)) or any(lv not in LEVELS for lv in levels):
        raise SphinxConfigError(
            f"handbook_lint_warn_levels must be a list of {', '.join(LEVELS)}; got {levels!r}")
    config.handbook_lint_warn_levels = list(levels)


def _lint_docs(app: Sphinx, env: Any, added: set[str], changed: set[str],
               removed: set[str]) -> list[str]:
    """Lint every MyST source about to be read; alerts become warnings at their line."""
    if not app.config.handbook_lint_enabled:
        return []
    from .api import run
    from .config import ConfigError, find_project_root

    by_path: dict[str, str] = {}
    for docname in sorted(added | changed):
        path = Path(env.doc2path(docname))
        if path.suffix == ".md":
            by_path[str(path.resolve())] = docname
    if not by_path:
        return []
    root = find_project_root(Path(app.srcdir))
    try:
        result = run(list(by_path), {"root": str(root), "jobs": 1})
    except ConfigError as exc:
        logger.warning(str(exc), type="handbook-lint", subtype="config")
        return []
    warn_levels = set(app.config.handbook_lint_warn_levels)
    for a in result.alerts:
        docname = by_path.get(str(Path(a.path).resolve()))
        location = (docname, a.line) if docname else None
        text = f"{a.check} ({a.family}, {a.severity}): {a.message}"
        if a.severity in warn_levels:
            logger.warning(text, type="handbook-lint", subtype=a.check, location=location)
        else:
            logger.verbose(text, location=location)
    for e in result.errors:
        logger.warning(e, type="handbook-lint", subtype="input")
    return []


# ------------------------------------------------------------------ setup


def _add_static(app: Sphinx, config: Any) -> None:
    if str(DATA_DIR) not in config.html_static_path:
        config.html_static_path.append(str(DATA_DIR))


def setup_claim(app: Sphinx) -> None:
    app.add_directive("claim", ClaimDirective)
    app.add_css_file(CSS_FILE)
    app.connect("config-inited", _add_static)


def setup_lint(app: Sphinx) -> None:
    app.add_config_value("handbook_lint_warn_levels", ["error"], "env", types=[list, tuple, str])
    app.add_config_value("handbook_lint_enabled", True, "env", types=[bool])
    app.connect("config-inited", _check_config)
    app.connect("env-get-outdated", _lint_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    setup_claim(app)
    setup_lint(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
