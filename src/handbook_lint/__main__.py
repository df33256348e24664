"""``python -m handbook_lint``: same as the ``handbook-lint`` command."""

from .cli import run

run()
