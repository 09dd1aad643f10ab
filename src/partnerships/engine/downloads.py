"""The report's data, one click away: a CSV per figure and table, the whole dataset as a zip.

A figure or table emitted by :mod:`partnerships.analysis.present` carries its data as
CSV text in a ``data-csv`` attribute. After numbering, :func:`figure_links` removes the
attribute and puts a download link (a ``data:`` URL: no script, nothing fetched) under the
figure; the file's first lines name the report, its edition and the figure ("Figure 3"),
then the figure's title and source lines the chapter wrote. :func:`dataset_zip` packs the
curated tables (``data/``) with their data dictionary and a suggested citation into one
zip, byte-identical for the same inputs (entries sorted, dated to the edition). The page
offers it as a link; the PDF carries it as an attachment (see ``render.render_pdf``).

Cells beginning with = + - @ were neutralised when the chapter wrote the CSV
(``present.safe_cell``); the lines added here are neutralised the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import zipfile

from partnerships import paths
from partnerships.files import is_junk

__all__ = ["figure_links", "dataset_zip", "dataset_filename", "data_url"]

_FIGURE = re.compile(r'<figure\b[^>]*\bdata-csv="[^"]*"[^>]*>')
_ATTR = re.compile(r'\s([\w:-]+)="([^"]*)"')
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def _safe(text: str) -> str:
    """A cell a spreadsheet will not read as a formula (plain numbers such as -3 stay numbers)."""
    return "'" + text if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text) else text


def _safe_csv(data: bytes) -> bytes:
    """A data table with its formula-like cells neutralised, as UTF-8 without a byte-order mark and
    with LF line endings (the same values give the same bytes however the file was saved)."""
    import csv

    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not any(_safe(c) != c for row in rows for c in row):
        return text.replace("\r\n", "\n").encode("utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[_safe(c) for c in row] for row in rows])
    return out.getvalue().encode("utf-8")


def data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def dataset_filename(meta: dict) -> str:
    return f"{meta.get('name') or 'report'}-data.zip"


def figure_links(chapter_html: str, meta: dict, edition: dt.date, citation: str) -> str:
    """Replace each figure's ``data-csv`` attribute by a CSV download link under it
    (``citation``: the report's suggested citation, as the cover gives it)."""
    name = meta.get("name") or "report"
    out, pos = [], 0
    for m in _FIGURE.finditer(chapter_html):
        attrs = dict(_ATTR.findall(m.group(0)))
        fid = attrs.get("id", "")
        kind = "Table" if attrs.get("data-kind") == "table" else "Figure"
        number = fid.split("-")[-1] if fid else ""
        label = f"{kind} {number}".strip()
        csv = html.unescape(attrs["data-csv"])
        head = (
            f"# {_safe(meta.get('title') or '')}, edition of {edition.isoformat()}: {label}\n"
            f"# Suggested citation: {_safe(citation)}\n"
        )
        tag = re.sub(r'\sdata-csv="[^"]*"', "", m.group(0))
        end = chapter_html.index("</figure>", m.end())
        link = (
            f'<p class="data-download"><a href="{data_url((head + csv).encode("utf-8"), "text/csv;charset=utf-8")}" '
            f'download="{name}-{kind.lower()}-{number}.csv">Download the data of {label} (CSV)</a></p>'
        )
        out.append(chapter_html[pos : m.start()] + tag + chapter_html[m.end() : end] + link)
        pos = end
    out.append(chapter_html[pos:])
    return "".join(out)


def dataset_zip(meta: dict, edition: dt.date, citation: str) -> bytes:
    """The curated tables (``data/``, data dictionary included) and CITATION.txt, as one zip.

    Entries in name order, each dated to the edition, compressed the same way: the same
    data give the same bytes."""
    root = paths.data_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file() and not is_junk(p.name))
    stamp = (edition.year, edition.month, edition.day, 0, 0, 0)
    cite = (
        f"{citation}\n\n"
        "The curated tables behind the report: one fact per row, each citing a source "
        "(sources.csv) and a locator; README.md is the data dictionary.\n"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        entries = [("CITATION.txt", cite.encode("utf-8"))] + [
            (
                "data/" + p.relative_to(root).as_posix(),
                _safe_csv(p.read_bytes()) if p.suffix == ".csv" else p.read_bytes(),
            )
            for p in files
        ]
        for arc, data in entries:
            info = zipfile.ZipInfo(arc, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data, compresslevel=9)
    return buf.getvalue()
