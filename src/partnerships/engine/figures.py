"""Charts stored as ``<img class="figure-svg" src="data:image/svg+xml;base64,...">`` go back
inline into the report as ``<svg role="img" aria-label="<alt>">`` (vector in the PDF, one
accessible name, ids made unique by the renderer).

Notebooks store the chart as a data-URL image so that JupyterLab shows it even in a
notebook it does not trust (its HTML sanitiser drops inline SVG but keeps images), and so
that a changed chart is one changed line of the notebook's JSON.
"""

from __future__ import annotations

import base64
import binascii
import html
import re

from partnerships.engine.values import user_cells
from partnerships.errors import RenderError

_IMG = re.compile(r"<img\b(?=[^>]*\bclass=\"figure-svg\")[^>]*>", re.I)
_SRC = re.compile(r'\bsrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]*)"')
_ALT = re.compile(r'\balt="([^"]*)"')


def inline_svg(page: str, where: str) -> str:
    """The HTML with each stored chart image replaced by its SVG, inline."""

    def one(m: re.Match) -> str:
        tag = m.group(0)
        src = _SRC.search(tag)
        if not src:
            raise RenderError(f"{where}: a chart image without an SVG data URL: {tag[:80]!r}")
        try:
            svg = base64.b64decode(src.group(1), validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise RenderError(f"{where}: a chart image whose SVG cannot be decoded ({exc})") from None
        start = svg.find("<svg")
        if start < 0:
            raise RenderError(f"{where}: a chart image that holds no <svg> element")
        svg = svg[start:]
        alt = _ALT.search(tag)
        label = html.unescape(alt.group(1)) if alt else ""
        attr = html.escape(label, quote=True)
        return re.sub(
            r"<svg\b([^>]*)>",
            lambda m: f'<svg role="img" aria-label="{attr}"{m.group(1)}><title>{html.escape(label)}</title>',
            svg,
            count=1,
        )

    return _IMG.sub(one, page)


def apply(nb, where: str) -> None:
    """Inline every stored chart in the notebook's ``text/html`` outputs (in place)."""
    for number, cell in user_cells(nb):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = data.get("text/html")
            if page is None:
                continue
            page = "".join(page) if isinstance(page, list) else page
            if "figure-svg" in page:
                data["text/html"] = inline_svg(page, f"{where}, cell {number}")
