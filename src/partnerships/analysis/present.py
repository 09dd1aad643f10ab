"""How a chapter shows things: numbered figures and tables with a source line, and findings.

Every figure and table a notebook shows goes through :func:`figure` or :func:`table`.
Each emits one ``text/html`` output shaped like::

    <figure class="report-figure" data-kind="figure" data-csv="...">
      <div class="figure-body"><svg role="img" aria-label="ALT"><title>ALT</title>...</svg></div>
      <figcaption><span class="caption-label"></span> <span class="caption-title">...</span></figcaption>
      <p class="source-line">Source: ...</p>
    </figure>

(a table carries its caption as the table's own ``<caption>``, so that screen readers and
the tagged PDF tie it to the table). ``data-csv`` holds the figure's or table's data as
CSV (:func:`csv_text`: title and source in the first lines, spreadsheet-safe cells); the
renderer fills ``caption-label`` with "Figure N" / "Table N", numbered across the whole
report, gives each a stable anchor and turns ``data-csv`` into a download link. A chart
function hands its data over with :func:`partnerships.analysis.charts.attach_data`.
Findings are Markdown generated from computed values.

The chart is stored as ``<img class="figure-svg" src="data:image/svg+xml;base64,...">``: JupyterLab
shows it in a notebook it does not trust (its sanitiser drops inline ``<svg>``), the stored JSON
changes by one line when a chart changes, and the renderer puts the SVG back inline.

``label="fig-..."`` / ``label="tbl-..."`` lets prose refer to a figure or table as ``@fig-...``;
``@label`` in a ``note`` becomes such a reference too. :func:`value` shows a computed value that
Markdown cells cite as ``{{name}}`` (see :mod:`partnerships.protocol`).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import math
import re
from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML, Markdown, display

from partnerships.protocol import LABEL_REF, VALUE_MIME, VALUE_NAME, check_label

__all__ = ["figure", "table", "value", "finding", "claim", "source_line", "fmt_int", "fmt_num", "csv_text", "safe_cell"]

#: A cell beginning with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def safe_cell(value):
    """A text cell a spreadsheet will show as text: one beginning with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. Numbers are left alone (-3 stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_text(df: pd.DataFrame, title: str, source: str, index: bool = False) -> str:
    """The data as CSV: '# title' and '# source' lines, then the header and the rows, every
    text cell (header included) neutralised with :func:`safe_cell`."""
    d = df.reset_index() if index else df.copy()
    d.columns = [safe_cell(str(c)) for c in d.columns]
    for c in d.columns:
        if not (pd.api.types.is_numeric_dtype(d[c]) or pd.api.types.is_bool_dtype(d[c])):
            d[c] = d[c].map(safe_cell)
    head = f"# {safe_cell(title)}\n# {safe_cell(source)}\n"
    return head + d.to_csv(index=False, lineterminator="\n")


def _csv_attr(df, title: str, source: str, index: bool = False) -> str:
    if df is None:
        return ""
    return f' data-csv="{html.escape(csv_text(df, title, source, index=index), quote=True)}"'


def source_line(source_ids: Iterable[str] | str, note: str | None = None, full: bool = False) -> str:
    """'Sources: Article A; SIPRI arms.' for the given source ids: their tags (data/sources.csv,
    paired with the full references in the references annex), so that the line under a figure
    stays one short line. ``full``: the short citations instead ("SIPRI Arms Transfers
    Database, trade register (2025)"), for a downloaded file that must stand on its own."""
    from partnerships import data  # local import: keeps this module light for tests

    if isinstance(source_ids, str):
        source_ids = [source_ids]
    ids = sorted({s for s in source_ids if isinstance(s, str) and s})
    if not ids and note:
        return note
    if not ids:  # a table the project compiles itself (e.g. the reference list): no source line
        return ""
    text = "; ".join(data.cite(i) for i in ids) if full else "; ".join(sorted({data.tag(i) for i in ids}))
    label = "Sources" if len(ids) > 1 else "Source"
    out = f"{label}: {text}."
    if note:
        out += f" {note}"
    return out


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    # keep only the <svg> element (drop the XML prolog and DOCTYPE)
    svg = svg[svg.index("<svg") :]
    return svg


def _label_attr(label: str | None, kind: str) -> str:
    return "" if label is None else f' data-label="{check_label(label, (kind,))}"'


def _with_refs(escaped: str) -> str:
    """``@label`` in already escaped text -> a cross-reference the renderer fills in."""
    return LABEL_REF.sub(lambda m: f'<a class="xref" href="#{m.group(1)}">@{m.group(1)}</a>', escaped)


def figure(
    fig,
    title: str,
    alt: str,
    sources: Iterable[str] | str,
    note: str | None = None,
    data: pd.DataFrame | None = None,
    label: str | None = None,
) -> None:
    """Show a matplotlib figure as a numbered report figure with alt text and a source line.

    ``alt`` says what the figure shows (screen readers, the tagged PDF's /Alt); ``data``
    (else what the chart function attached) is offered as a CSV download; ``label``
    ("fig-..."): prose refers to the figure as ``@fig-...``."""
    import matplotlib.pyplot as plt

    from partnerships.analysis import charts

    if not alt or not alt.strip() or alt.strip() == title.strip():
        raise ValueError(f"figure {title!r}: alt text must say what the figure shows (not repeat its title)")
    label_attr = _label_attr(label, "fig")
    if data is None:
        data = charts.attached_data(fig)
    if data is None:  # every figure offers its data (issue 14)
        raise ValueError(
            f"figure {title!r}: no data to offer as CSV: pass data= (a DataFrame) or draw it "
            "with a chart function that attaches its data (charts.attach_data)"
        )
    charts.check_figure(fig)  # one title (the caption), no hatching
    svg = _svg(fig)
    plt.close(fig)
    charts.check_print_sizes(svg)  # text as text, never under the house minimum on paper
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    src = source_line(sources, note)
    body = (
        f'<figure class="report-figure" data-kind="figure"{label_attr}{_csv_attr(data, title, source_line(sources, note, full=True))}>'
        f'<div class="figure-body"><img class="figure-svg" alt="{html.escape(alt, quote=True)}" '
        f'src="data:image/svg+xml;base64,{encoded}"></div>'
        f'<figcaption><span class="caption-label"></span> <span class="caption-title">{html.escape(title)}</span></figcaption>'
        f'<p class="source-line">{_with_refs(html.escape(src))}</p>'
        "</figure>"
    )
    display(HTML(body))


def table(
    df: pd.DataFrame,
    title: str,
    sources: Iterable[str] | str,
    note: str | None = None,
    index: bool = False,
    formatters: dict | None = None,
    label: str | None = None,
) -> None:
    """Show a DataFrame as a numbered report table (caption, header cells) with a source line
    and its data as CSV. Cell text is escaped.

    ``label`` ("tbl-..."): prose refers to the table as ``@tbl-...``.
    """
    label_attr = _label_attr(label, "tbl")
    body_html = df.to_html(
        index=index, escape=True, border=0, na_rep="–", formatters=formatters, classes="report-table"
    )
    body_html = re.sub(r' style="[^"]*"', "", body_html)
    caption = f'<caption><span class="caption-label"></span> <span class="caption-title">{html.escape(title)}</span></caption>'
    body_html = re.sub(r"(<table\b[^>]*>)", lambda m: m.group(1) + caption, body_html, count=1)
    src = source_line(sources, note)
    body = (
        f'<figure class="report-figure" data-kind="table"{label_attr}{_csv_attr(df, title, source_line(sources, note, full=True), index=index)}>'
        f'<div class="table-body" tabindex="0">{body_html}</div>'
        + (f'<p class="source-line">{_with_refs(html.escape(src))}</p>' if src else "")
        + "</figure>"
    )
    display(HTML(body))


def _json_safe(x):
    """A value as JSON can hold it: numpy/pandas scalars as Python numbers, dates as ISO text,
    NaN as None, sequences as lists."""
    if hasattr(x, "item") and getattr(x, "ndim", None) == 0:
        x = x.item()  # numpy scalar -> Python
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return None
        x = float(f"{x:.12g}")  # the last bits of a sum depend on its order: stored values must not
        return int(x) if x.is_integer() else x  # as JSON (and JupyterLab, on save) writes it: 947, not 947.0
    if x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, (_dt.date, _dt.datetime, pd.Timestamp)):
        return x.isoformat()
    if isinstance(x, dict):
        return {str(k): _json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set, pd.Series, pd.Index)):
        return [_json_safe(v) for v in (sorted(x) if isinstance(x, set) else list(x))]
    return str(x)


def value_text(x) -> str:
    """How a value reads in prose unless told otherwise: 12,345 for integers, 12,345.6 for
    other numbers, the text itself otherwise."""
    if hasattr(x, "item") and getattr(x, "ndim", 0) == 0 and not isinstance(x, str):
        x = x.item()
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        return f"{x:,.1f}"
    return str(x)


def value(
    name: str,
    value,
    text: str | None = None,
    unit: str | None = None,
    sources: Iterable[str] | str = (),
    label: str | None = None,
) -> None:
    """Show a computed value that Markdown cells of this chapter cite as ``{{name}}``.

    ``text`` is what the prose shows (default: :func:`value_text`); ``unit`` and ``label`` (a
    human description) and ``sources`` (source ids) travel with it for readers of the notebook.
    JupyterLab shows ``name = text`` under the cell; the report shows only the prose.
    """
    if not isinstance(name, str) or not VALUE_NAME.match(name):
        raise ValueError(f"value name {name!r} is not valid: use letters, digits and underscores (e.g. 'peak_month')")
    shown = value_text(value) if text is None else str(text)
    if "\n" in shown:
        raise ValueError(f"value {name!r}: its text must be one line, got {shown!r}")
    ids = [sources] if isinstance(sources, str) else sorted({s for s in sources if isinstance(s, str) and s})
    payload = {
        "name": name,
        "value": _json_safe(value),
        "text": shown,
        "unit": unit,
        "sources": ids,
        "label": label,
    }
    display({VALUE_MIME: payload, "text/plain": f"{name} = {shown}"}, raw=True)


def finding(text: str) -> None:
    """A sentence of finding, written from computed values (Markdown)."""
    display(Markdown(text))


def claim(condition: bool, message: str) -> None:
    """Assert a claim the prose states, so a data change that breaks it fails the build."""
    if not condition:
        raise AssertionError(f"claim no longer holds: {message}")


def fmt_int(x) -> str:
    """12345 -> '12,345'."""
    return f"{int(round(x)):,}"


def fmt_num(x, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


#: The mime type of a key judgment's record (read by the build into the edition's facts).
JUDGMENT_MIME = "application/vnd.partnerships.judgment+json"


def judgment(number: int, j) -> None:
    """Show one key judgment (an :class:`partnerships.analysis.judgments.Judgment`): the bottom
    line in bold with its confidence, the support, why the confidence, and links to the evidence."""
    # cross-references: the build writes the chapter's number (or a section's title) with its link,
    # and fails naming this cell if a label does not exist
    links = ", ".join(
        f'<a class="xref" href="#{check_label(label, ("ch", "sec"))}">@{label}</a>' for label in j.evidence
    )
    body = (
        f'<section class="judgment" id="judgment-{number}">'
        f'<p class="judgment-line"><strong>{number}. {html.escape(j.bottom_line)}</strong> '
        f'<span class="confidence confidence-{j.confidence}">({j.confidence} confidence)</span></p>'
        f'<p class="judgment-support">{html.escape(" ".join(j.support))}</p>'
        f'<p class="judgment-basis"><em>Why {j.confidence}:</em> {html.escape(j.why)} '
        f"<em>Evidence:</em> {links}.</p>"
        "</section>"
    )
    record = {
        "name": j.name,
        "number": number,
        "text": j.bottom_line,
        "support": list(j.support),
        "confidence": j.confidence,
        "sources": list(j.sources),
    }
    display(
        {
            "text/html": body,
            JUDGMENT_MIME: record,
            "text/plain": f"{number}. {j.bottom_line} ({j.confidence} confidence)",
        },
        raw=True,
    )
