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
    """Before conversion, on one executed notebook (in place; Markdown already merged)."""
    where = f"chapter {chapter_id}: notebook {notebook_shown}"
    values.apply(nb, where)
    xrefs.prepare(nb, where, chapter_id, hidden=values.HIDDEN, not_users=values.NOT_USERS)
    figures.apply(nb, where)


def finish(chapters, xrefs: Xrefs, partial: bool = False) -> None:
    """After conversion, on the rendered chapters (objects with id, number, html; in place)."""
    xrefs.resolve(chapters, keep_missing=partial)


# ------------------------------------------------------------------ prose edits need no kernel
def code_digest(notebook_path) -> str:
    """A digest of what executing the notebook depends on: its code cells (id, source, tags),
    in order, and the notebook's kernel language. Markdown is left out, so editing prose
    never re-executes a chapter: :func:`merge_source` puts the current Markdown into the
    executed notebook instead."""
    import hashlib
    import json

    nb = json.loads(open(notebook_path, encoding="utf-8").read())
    code = [
        [
            c.get("id"),
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
            c.get("metadata", {}).get("tags", []),
        ]
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    ]
    payload = {"code": code, "nbformat": [nb.get("nbformat"), nb.get("nbformat_minor")]}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def merge_source(executed, source):
    """The executed notebook with the source notebook's Markdown and raw cells (in the
    source's order) and the executed code cells (matched by id, with their outputs).
    Returns ``executed`` unchanged when the code cells do not match one to one."""
    import copy

    by_id = {c.get("id"): c for c in executed.cells}
    injected = [c for c in executed.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    src_code = [c.get("id") for c in source.cells if c.get("cell_type") == "code"]
    exe_code = [
        c.get("id")
        for c in executed.cells
        if c.get("cell_type") == "code" and not set(c.get("metadata", {}).get("tags", [])) & {"injected-parameters"}
    ]
    if src_code != exe_code or len(set(src_code)) != len(src_code):
        return executed
    cells = []
    for c in source.cells:
        if c.get("cell_type") == "code":
            cells.append(by_id[c.get("id")])
            if "parameters" in c.get("metadata", {}).get("tags", []):
                cells.extend(injected)
                injected = []
        else:
            cells.append(copy.deepcopy(c))
    merged = copy.copy(executed)
    merged.cells = cells + injected
    return merged
