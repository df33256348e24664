"""The handbook's bibliography style: pybtex's ``alpha`` without the ``note`` field.

In ``docs/references.bib`` the ``note`` of an entry records where and how a reference
was checked. That is for writers; a patient reading the reference list needs the
authors, title, journal, year, DOI and address, which this style prints as ``alpha``
does. Registered as the pybtex style ``handbook`` (``bibtex_default_style``).
"""

from __future__ import annotations

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle

__all__ = ["HandbookStyle", "setup"]


class HandbookStyle(AlphaStyle):
    def format_entry(self, label, entry, bib_data=None):
        if "note" in entry.fields:
            fields = [(key, value) for key, value in entry.fields.items() if key.lower() != "note"]
            trimmed = Entry(entry.type, fields=fields, persons=entry.persons)
            trimmed.key = entry.key
            entry = trimmed
        return super().format_entry(label, entry, bib_data=bib_data)


def setup(app):
    register_plugin("pybtex.style.formatting", "handbook", HandbookStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
