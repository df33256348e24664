"""The Sphinx extension: alerts become warnings at MyST source lines during the build,
only the chosen levels warn, and the `claim` directive renders its box.

Project: tests/fixtures/sphinx (conf.py, two pages) inside a copy of the Test style
project, so alerts come from tests/fixtures/vale/styles/Test.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIX / "vale", root, ignore=shutil.ignore_patterns("parity"))
    (root / "pyproject.toml").write_text(
        '[tool.handbook-lint]\nselect = ["Test"]\ncache = false\n')
    shutil.copytree(FIX / "sphinx", root / "docs")
    return root / "docs"


def build(srcdir: Path, **conf) -> tuple[str, Path]:
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=conf, status=io.StringIO(),
                        warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue()), Path(app.outdir)


def test_error_alerts_become_warnings_at_the_source_line(srcdir: Path) -> None:
    warnings, _ = build(srcdir)
    lines = [w for w in warnings.splitlines() if "WARNING" in w]
    assert len(lines) == 1, warnings
    assert f"{srcdir / 'index.md'}:3: WARNING: Test.Hype (marketing, error): Avoid " in lines[0]
    assert lines[0].endswith("[handbook-lint.Test.Hype]")


def test_warn_levels_config_value(srcdir: Path) -> None:
    warnings, _ = build(srcdir, handbook_lint_warn_levels=["error", "warning"])
    assert f"{srcdir / 'index.md'}:5: WARNING: Test.Jargon" in warnings
    warnings, _ = build(srcdir, handbook_lint_warn_levels=[])
    assert "WARNING" not in warnings


def test_bad_warn_levels_is_a_config_error(srcdir: Path) -> None:
    with pytest.raises(ConfigError, match="handbook_lint_warn_levels"):
        build(srcdir, handbook_lint_warn_levels=["fatal"])


def test_dash_w_fails_only_on_error_level_alerts(srcdir: Path, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(srcdir)]
    bad = subprocess.run([*cmd, str(tmp_path / "out1")], capture_output=True, text=True,
                         cwd=srcdir)
    assert bad.returncode != 0 and "Test.Hype" in bad.stderr
    (srcdir / "index.md").write_text((srcdir / "index.md").read_text().replace(
        "Our revolutionary care.", "Our care."))
    ok = subprocess.run([*cmd, str(tmp_path / "out2")], capture_output=True, text=True,
                        cwd=srcdir)
    assert ok.returncode == 0, ok.stderr


def test_claim_box_renders_with_text_verdict_and_css(srcdir: Path) -> None:
    _, out = build(srcdir)
    html = (out / "index.html").read_text()
    assert 'class="hl-claim hl-claim--not-supported' in html
    for text in ("What the page says", "A revolutionary cure for back pain",
                 "What the evidence says", "Verdict: Not supported",
                 "No study found that it cures back pain."):
        assert text in html
    assert "Verdict: Supported" in (out / "clean.html").read_text()
    assert "handbook-lint-claim.css" in html
    css = (out / "_static" / "handbook-lint-claim.css").read_text()
    assert ".hl-claim--not-supported .hl-claim__badge" in css


def test_claim_with_bad_verdict_warns_at_its_line(srcdir: Path) -> None:
    (srcdir / "clean.md").write_text(
        '# Clean\n\n:::{claim} "x"\n:verdict: maybe\nBody.\n:::\n')
    warnings, _ = build(srcdir)
    assert f"{srcdir / 'clean.md'}:3:" in warnings and "verdict must be one of" in warnings
