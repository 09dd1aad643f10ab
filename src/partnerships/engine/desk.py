"""The analyst's desk in the renderer: what happens to an executed notebook before it is
converted, and to the report once every chapter is converted (one hook each, so the
renderer's own passes stay as they are).

- :mod:`values`: ``{{name}}`` in Markdown gets the text of ``present.value(name, ...)``;
  value outputs are removed;
- :mod:`xref`: heading labels become anchors, ``@label`` becomes a reference that
  :func:`finish` fills in with "Figure 12", "Table 3", "Chapter 7" or a section's title;
- :mod:`figures`: charts stored as data-URL images go back inline as SVG.
"""

from __future__ import annotations

from partnerships.engine import figures, values
from partnerships.engine.xref import Xrefs

__all__ = ["Xrefs", "prepare", "finish"]


def prepare(nb, chapter_id: str, notebook_shown: str, xrefs: Xrefs) -> None:
    """Before conversion, on one executed notebook (in place)."""
    where = f"chapter {chapter_id}: notebook {notebook_shown}"
    values.apply(nb, where)
    xrefs.prepare(nb, where, chapter_id, hidden=values.HIDDEN, not_users=values.NOT_USERS)
    figures.apply(nb, where)


def finish(chapters, xrefs: Xrefs, partial: bool = False) -> None:
    """After conversion, on the rendered chapters (objects with id, number, html; in place)."""
    xrefs.resolve(chapters, keep_missing=partial)
