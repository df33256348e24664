"""handbook-lint: keep patient information neutral, qualified and referenced."""

__version__ = "0.1.0"

from .alert import Alert  # noqa: E402
from .api import LintError, lint  # noqa: E402

__all__ = ["Alert", "LintError", "__version__", "lint"]
