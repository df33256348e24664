# A tiny Sphinx site for tests/test_a11y.py: furo, a toctree with a caption and a
# bibliography, the two things whose HTML fails axe-core without docs/_ext/handbook_a11y.
# Build with `-t no_a11y` to leave the extension out.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "docs" / "_ext"))

project = "Accessibility fixture"
language = "en"
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
if not tags.has("no_a11y"):  # noqa: F821 - provided by Sphinx
    extensions.append("handbook_a11y")
bibtex_bibfiles = ["references.bib"]
html_theme = "furo"
html_static_path = [str(Path(__file__).resolve().parents[3] / "docs" / "_static" / "a11y.css")]
html_copy_source = False
html_show_sourcelink = False
