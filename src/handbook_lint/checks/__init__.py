"""Python checks, one module per family, each listing its checks in ``__register__``.

To add a module: create ``checks/<name>.py`` with ``__register__ = (CHECK, ...)`` and
add ``"<name>"`` to :data:`MODULES` below (one line).
"""

from __future__ import annotations

import importlib

from .base import Check, Context, ProjectCheck, make_alert

__all__ = ["MODULES", "Check", "Context", "ProjectCheck", "all_checks", "make_alert"]

#: Modules whose ``__register__`` tuples make up the Python rule set.
MODULES: tuple[str, ...] = (
    "absolute", "reference", "readability", "structure",
)


def all_checks() -> list[Check | ProjectCheck]:
    """Every registered check, in module order; duplicate ids are an error."""
    out: list[Check | ProjectCheck] = []
    seen: set[str] = set()
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for check in getattr(module, "__register__", ()):
            if check.id in seen:
                raise ValueError(f"duplicate check id {check.id} in checks/{name}.py")
            seen.add(check.id)
            out.append(check)
    return out
