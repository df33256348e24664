"""Sphinx configuration for the patient handbook.

The same file configures the web site (furo theme) and the print edition: the PDF
route builds ``singlehtml`` with ``-t print``, which switches to the plain ``basic``
theme so that ``tools/build.py`` can assemble a clean document for WeasyPrint.
"""

from __future__ import annotations

import os
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))  # local extensions

# -- Project -----------------------------------------------------------------------

project = "Chronic back pain treatments"
subtitle = "A patient handbook"
author = "The handbook team"
language = "en"

try:
    release = metadata.version("handbook-lint")
except metadata.PackageNotFoundError:  # running from a tree that was never installed
    release = "0.0.0"
version = release

# The edition date: SOURCE_DATE_EPOCH (set by the Makefile from the last commit) keeps
# rebuilds byte-identical; Sphinx itself also honours it for the copyright year.
_epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
today = time.strftime("%B %-d, %Y", time.gmtime(_epoch))
copyright = f"{time.gmtime(_epoch).tm_year}, {author}"

# -- Sources -----------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "handbook_lint.sphinx",  # lints every page during the build; the `claim` box
    "handbook_a11y",  # ARIA fixes + _static/a11y.css for the web pages (tests/test_a11y.py)
    "handbook_bibstyle",  # reference lists without the writers' `note` field
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "_static", "README.md", "**/.*"]

myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
myst_substitutions = {"edition_date": today, "handbook_version": release}

bibtex_bibfiles = ["references.bib"]
# "handbook" is pybtex's "alpha" without the `note` field (docs/_ext/handbook_bibstyle.py).
# Alpha keys, unlike numbers, never clash between chapters that each list their own
# references with {bibliography}; the style sheets hide them. {footcite} numbers its
# footnotes per chapter.
bibtex_default_style = "handbook"
bibtex_reference_style = "author_year"

# -- Web site ----------------------------------------------------------------------

templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["handbook.css"]
html_js_files = ["print-open.js"]
html_title = f"{project}: {subtitle.lower()}"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_context = {
    # The PDF editions the home page offers; the Makefile passes the ones it builds.
    "pdf_editions": "a4 letter large-print",
    "handbook_subtitle": subtitle,
    "handbook_edition_date": today,
    "handbook_author": author,
}

html_theme = "furo"
html_theme_options = {
    # Furo's defaults are already high-contrast; we enlarge the type and keep a
    # comfortable line length for readers who are older or in pain.
    "light_css_variables": {
        "font-stack": '"Open Sans", "DejaVu Sans", Arial, sans-serif',
        "color-brand-primary": "#0b4f8a",
        "color-brand-content": "#0b4f8a",
    },
    "dark_css_variables": {
        "color-brand-primary": "#8cc4ff",
        "color-brand-content": "#8cc4ff",
    },
    "top_of_page_buttons": [],
    "navigation_with_keys": False,
}

if tags.has("print"):  # noqa: F821 - `tags` is provided by Sphinx
    # The print edition: a plain HTML body that tools/build.py reshapes for print.
    html_theme = "basic"
    html_theme_options = {}
    html_css_files = []
    html_js_files = []
    html_sidebars = {"**": []}


def _bibfiles_next_to_sources(app, config):
    """Read ``references.bib`` from the source folder, not the conf folder.

    sphinxcontrib-bibtex resolves ``bibtex_bibfiles`` against the conf folder; the
    test suite builds small fixture projects with ``-c docs``, whose bibliography
    lives with their sources.
    """
    config.bibtex_bibfiles = [
        os.path.relpath(os.path.join(app.srcdir, name), app.confdir)
        for name in config.bibtex_bibfiles
    ]


def setup(app):
    # Runs before sphinxcontrib-bibtex reads the setting (its handler has priority 500).
    app.connect("config-inited", _bibfiles_next_to_sources, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
