"""Inline values: ``{{name}}`` in a chapter's Markdown cells gets the text a code cell of the
same chapter showed with ``present.value(name, ...)`` (protocol: :mod:`partnerships.protocol`).

The renderer calls :func:`apply` on each executed notebook before converting it: the value
outputs are collected and removed (the report never shows them), then every Markdown cell
has its ``{{name}}`` replaced. An unknown name, a malformed ``{{...}}`` or a name shown twice
with different texts is a :class:`RenderError` naming the notebook and the cell.
"""

from __future__ import annotations

import re

from partnerships.errors import RenderError
from partnerships.protocol import VALUE_MIME, VALUE_NAME, VALUE_REF

#: Cells papermill adds; cell numbers in messages count the user's cells only, as in JupyterLab.
NOT_USERS = ("injected-parameters", "papermill-error-cell-tag")
#: Cells that never reach the report (their Markdown is not filled in).
HIDDEN = ("parameters", "injected-parameters", "remove-cell", "remove_cell")

# Markdown characters that would change the meaning of the text around an inserted value.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def user_cells(nb):
    """(number as the user sees it in JupyterLab, cell) for each cell the user wrote."""
    n = 0
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & set(NOT_USERS):
            continue
        n += 1
        yield n, cell


def _text(src) -> str:
    return "".join(src) if isinstance(src, list) else (src or "")


def collect(nb, where: str) -> dict[str, str]:
    """name -> text of every value output in the notebook (outputs left in place)."""
    found: dict[str, tuple[str, int]] = {}
    for number, cell in user_cells(nb):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(VALUE_MIME)
            if payload is None:
                continue
            name, text = payload.get("name"), payload.get("text")
            if not isinstance(name, str) or not VALUE_NAME.match(name) or not isinstance(text, str):
                raise RenderError(f"{where}, cell {number}: malformed value output {payload!r}")
            if name in found and found[name][0] != text:
                raise RenderError(
                    f"{where}, cell {number}: value {name!r} is shown twice with different texts "
                    f"({found[name][0]!r} in cell {found[name][1]}, {text!r} here); give each a name of its own"
                )
            found.setdefault(name, (text, number))
    return {k: v[0] for k, v in found.items()}


def escape(text: str) -> str:
    """A value's text made literal in Markdown (no emphasis, link or HTML can come from data)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def substitute(source: str, values: dict[str, str], where: str, markdown: bool = True) -> str:
    """``source`` with each ``{{name}}`` replaced by its value's text (escaped for Markdown
    unless ``markdown=False``). RenderError on an unknown or malformed name."""

    def one(m: re.Match) -> str:
        name = m.group(1)
        if not VALUE_NAME.match(name):
            raise RenderError(
                f"{where}: {m.group(0)!r} is not a value reference: write {{{{name}}}} with the name a code "
                "cell gave present.value(name, ...)"
            )
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise RenderError(
                f"{where}: unknown value {{{{{name}}}}}; values shown in this chapter: {known} "
                f"(a code cell must call present.value({name!r}, ...))"
            )
        return escape(values[name]) if markdown else values[name]

    return VALUE_REF.sub(one, source)


def apply(nb, where: str) -> dict[str, str]:
    """Fill ``{{name}}`` in the Markdown cells and drop the value outputs (in place).

    ``where`` names the chapter and notebook in messages ("chapter x: notebook y").
    Returns the values found.
    """
    values = collect(nb, where)
    for number, cell in user_cells(nb):
        if set(cell.get("metadata", {}).get("tags", [])) & set(HIDDEN):
            continue
        if cell.get("cell_type") == "markdown":
            cell["source"] = substitute(_text(cell.get("source")), values, f"{where}, cell {number} (Markdown)")
        elif cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if VALUE_MIME not in o.get("data", {})]
    return values
