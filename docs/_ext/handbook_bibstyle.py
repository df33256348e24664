"""The handbook's bibliography style: pybtex's ``alpha`` without the ``note`` field.

In ``docs/references.bib`` the ``note`` of an entry records where and how a reference
was checked. That is for writers; a patient reading the reference list needs the
authors, title, journal, year, DOI and address, which this style prints as ``alpha``
does. Registered as the pybtex style ``handbook`` (``bibtex_default_style``).
"""

from __future__ import annotations

import functools

import pybtex.plugin
from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle

__all__ = ["HandbookStyle", "setup"]


#: Formatted entries by (style options, label, entry): sphinxcontrib-bibtex formats an
#: entry again for every {footcite} of it. The entry is kept with its result, so a new
#: Entry object (a changed references.bib) is never served an old result.
_FORMATTED: dict = {}


class HandbookStyle(AlphaStyle):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self._options = (args, tuple(sorted(kwargs.items())))
            hash(self._options)
        except TypeError:
            self._options = None  # options that cannot be a key: format every time

    def format_entry(self, label, entry, bib_data=None):
        memo = (self._options, label, id(entry)) if self._options is not None else None
        if memo is not None and bib_data is None:
            hit = _FORMATTED.get(memo)
            if hit is not None and hit[0] is entry:
                return hit[1]
        original = entry
        if "note" in entry.fields:
            fields = [(key, value) for key, value in entry.fields.items() if key.lower() != "note"]
            trimmed = Entry(entry.type, fields=fields, persons=entry.persons)
            trimmed.key = entry.key
            entry = trimmed
        result = super().format_entry(label, entry, bib_data=bib_data)
        if memo is not None and bib_data is None:
            _FORMATTED[memo] = (original, result)
        return result


def _remember_entry_points() -> None:
    """pybtex finds its plugins with ``importlib.metadata.entry_points()`` for every
    citation and reference, which reads the metadata of every installed package each
    time: most of the HTML build's time. The installed packages do not change during a
    build, so each answer is remembered (plugins registered at run time, like ours, are
    still looked up first by pybtex)."""
    lookup = pybtex.plugin.entry_points
    if getattr(lookup, "remembered", False):
        return

    @functools.lru_cache(maxsize=None)
    def remembered(group, name):
        found = lookup(group=group) if name is None else lookup(group=group, name=name)
        return tuple(found)

    def entry_points(*, group, name=None):
        return remembered(group, name)

    entry_points.remembered = True
    pybtex.plugin.entry_points = entry_points


def setup(app):
    _remember_entry_points()
    register_plugin("pybtex.style.formatting", "handbook", HandbookStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
