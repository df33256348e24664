"""handbook-lint: keep patient information neutral, qualified and referenced.

``handbook_lint.lint(paths, config=None) -> list[Alert]`` is the Python API (see
:mod:`handbook_lint.api`); names load on first use so ``--version`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Alert", "LintError", "__version__", "lint"]

if TYPE_CHECKING:
    from .alert import Alert
    from .api import LintError, lint


def __getattr__(name: str) -> Any:
    if name == "Alert":
        from .alert import Alert

        return Alert
    if name in ("lint", "LintError"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'handbook_lint' has no attribute {name!r}")
