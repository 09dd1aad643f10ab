"""The report HTML -> PDF with WeasyPrint (print CSS: cover, contents with page numbers,
running header, "Page X of Y", bookmarks per chapter and H2 section, internal links).

The cover is page 1 and carries no header or footer. Only ``file:`` and ``data:`` URLs
may be fetched, so nothing ever leaves the machine. The PDF's dates come from the edition
date in the HTML's ``dcterms`` metadata, and ``SOURCE_DATE_EPOCH`` is set to that date
(midnight UTC) while rendering, so that any part of the chain that stamps the clock (font
subsetting did, WeasyPrint #1553) stamps the edition instead: the same HTML gives the same
PDF bytes.

A figure WeasyPrint cannot draw stops the build (it would otherwise leave it out and log a
line), and so does Ctrl-C, even when it lands while WeasyPrint draws an SVG (which catches
the interruption as if the image were broken).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from partnerships.engine.page import edition_date
from partnerships.errors import RenderError


def engine() -> str:
    """The PDF route: "typst" (default: the whole report in seconds, tagged PDF/UA-1, see
    :mod:`.typst_pdf`) or "weasyprint" (``PARTNERSHIPS_PDF_ENGINE=weasyprint``: the print-CSS
    route, about ten times slower)."""
    from partnerships.errors import UserError

    value = os.environ.get("PARTNERSHIPS_PDF_ENGINE", "typst")
    if value not in ("typst", "weasyprint"):
        raise UserError(f"PARTNERSHIPS_PDF_ENGINE must be typst or weasyprint, not {value!r}")
    return value


def dataset_in(text: str):
    """(file name, bytes, description) of the dataset zip the HTML links to, or None."""
    import base64

    z = re.search(
        r'<a class="screen-only" id="report-dataset" href="data:application/zip;base64,([^"]+)" download="([^"]+)"',
        text,
    )
    if not z:
        return None
    return (
        z.group(2),
        base64.b64decode(z.group(1)),
        "The report's curated data tables, data dictionary and suggested citation",
    )


def render_pdf(html_path: Path, out_pdf: Path) -> None:
    """Render the report HTML to PDF (Typst by default, else WeasyPrint fetching only file:
    and data: URLs), tagged and PDF/UA-1 identified, the dataset attached."""
    html_path = Path(html_path)
    text = html_path.read_text(encoding="utf-8")
    if engine() == "typst":
        from partnerships.engine import fonts, typst_pdf

        z = dataset_in(text)
        typst_pdf.render_pdf(html_path, out_pdf, fonts.FONTS, attachments=[z] if z else [])
        return
    import weasyprint

    m = re.search(r'<meta name="dcterms\.created" content="(\d{4}-\d{2}-\d{2})">', text)
    edition = edition_date(m.group(1) if m else None)
    epoch = int(dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.UTC).timestamp())
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"), timeout=5)
    attachments = []
    z = dataset_in(text)
    if z:
        when = dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.UTC)
        attachments.append(
            weasyprint.Attachment(
                string=z[1],
                name=z[0],
                description=z[2],
                created=when,
                modified=when,
                relationship="Data",
                url_fetcher=fetcher,
            )
        )
    logger = logging.getLogger("weasyprint")
    quiet, failures = _SvgStyleNoise(), _ImageFailures()
    logger.addFilter(quiet)
    logger.addHandler(failures)
    level = logger.level
    logger.setLevel(logging.DEBUG)  # WeasyPrint logs why an image failed at debug level
    try:
        with _environ(SOURCE_DATE_EPOCH=str(epoch)), _interrupts_seen() as interrupted:
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
            # tagged PDF (structure tree, /Alt for figures, table headers), PDF/UA-1 identified
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments)
    finally:
        logger.removeFilter(quiet)
        logger.removeHandler(failures)
        logger.setLevel(level)
    if interrupted:  # WeasyPrint took the KeyboardInterrupt for a broken image: stop anyway
        raise KeyboardInterrupt
    if failures.messages:
        raise RenderError(
            f"the PDF could not draw {len(failures.messages)} image(s) ({failures.messages[0]}); "
            "a figure is never left out silently: check the chapter's figure, then build again"
        )
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)


class _ImageFailures(logging.Handler):
    """WeasyPrint logs an image it cannot draw (and goes on without it): collect those."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.levelno >= logging.ERROR and text.startswith("Failed to render SVG image"):
            self.messages.append("an SVG figure")  # WeasyPrint names the page's URL, not the figure
        elif record.levelno >= logging.ERROR and text.startswith("Failed to load image"):
            self.messages.append("an image")
        elif record.exc_info and self.messages and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            self.messages[-1] += f": {type(exc).__name__}: {exc}" if str(exc) else f": {type(exc).__name__}"


@contextmanager
def _interrupts_seen():
    """Ctrl-C and SIGTERM raise KeyboardInterrupt as usual and are also remembered (main
    thread only), because WeasyPrint's SVG drawing catches BaseException."""
    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def on_signal(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield seen
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


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
