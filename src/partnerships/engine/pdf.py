"""The report HTML -> PDF with WeasyPrint (print CSS: cover, contents with page numbers,
running header, "Page X of Y", bookmarks per chapter and H2 section, internal links).

The cover is page 1 and carries no header or footer. Only ``file:`` and ``data:`` URLs
may be fetched, so nothing ever leaves the machine. The PDF's dates come from the edition
date in the HTML's ``dcterms`` metadata, and ``SOURCE_DATE_EPOCH`` is set to that date
(midnight UTC) while rendering, so that any part of the chain that stamps the clock (font
subsetting did, WeasyPrint #1553) stamps the edition instead: the same HTML gives the same
PDF bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path

from partnerships.engine.page import edition_date


def render_pdf(html_path: Path, out_pdf: Path) -> None:
    """Render the report HTML to PDF with WeasyPrint, fetching only file: and data: URLs."""
    import weasyprint

    html_path = Path(html_path)
    text = html_path.read_text(encoding="utf-8")
    m = re.search(r'<meta name="dcterms\.created" content="(\d{4}-\d{2}-\d{2})">', text)
    edition = edition_date(m.group(1) if m else None)
    epoch = int(dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.timezone.utc).timestamp())
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"), timeout=5)
    logger = logging.getLogger("weasyprint")
    quiet = _SvgStyleNoise()
    logger.addFilter(quiet)
    try:
        with _environ(SOURCE_DATE_EPOCH=str(epoch)):
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
            pdf = document.write_pdf()
    finally:
        logger.removeFilter(quiet)
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)


class _SvgStyleNoise(logging.Filter):
    """WeasyPrint's HTML CSS parser also reads the style="" of inline SVG elements and warns
    about every SVG-only property (fill, stroke...). Its SVG renderer applies them anyway;
    drop those warnings so that real CSS warnings stay visible."""

    _NOISE = re.compile(
        r"^Ignored `(?:fill|stroke|stop|marker|paint-order|shape-rendering|vector-effect|clip-rule|"
        r"color-interpolation|dominant-baseline|text-anchor)[-\w]*\s*:.*unknown property"
    )

    def filter(self, record: logging.LogRecord) -> bool:
        return not self._NOISE.match(record.getMessage())


@contextmanager
def _environ(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
