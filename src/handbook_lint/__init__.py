"""handbook-lint: keep patient information neutral, qualified and referenced."""

__version__ = "0.1.0"
