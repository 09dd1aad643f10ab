"""How a chapter shows things: numbered figures and tables with a source line, and findings.

Every figure and table a notebook shows goes through :func:`figure` or :func:`table`.
Each emits one ``text/html`` output shaped like::

    <figure class="report-figure" data-kind="figure">
      <div class="figure-body"><svg ...></svg></div>
      <figcaption><span class="caption-label"></span> <span class="caption-title">...</span></figcaption>
      <p class="source-line">Source: ...</p>
    </figure>

The renderer fills ``caption-label`` with "Figure N" / "Table N", numbered across the whole
report, and gives each a stable anchor. Findings are Markdown generated from computed values.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML, Markdown, display

__all__ = ["figure", "table", "finding", "claim", "source_line", "fmt_int", "fmt_num"]


def source_line(source_ids: Iterable[str] | str, note: str | None = None) -> str:
    """'Source: <titles>' for the given source ids (looked up in data/sources.csv)."""
    from partnerships import data  # local import: keeps this module light for tests

    if isinstance(source_ids, str):
        source_ids = [source_ids]
    ids = sorted({s for s in source_ids if isinstance(s, str) and s})
    if not ids and note:
        return note
    text = "; ".join(data.cite(i) for i in ids) if ids else "no source listed"
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


def figure(fig, title: str, alt: str, sources: Iterable[str] | str, note: str | None = None) -> None:
    """Show a matplotlib figure as a numbered report figure with alt text and a source line."""
    import matplotlib.pyplot as plt

    from partnerships.analysis import charts

    svg = _svg(fig)
    plt.close(fig)
    charts.check_print_sizes(svg)  # text as text, never under the house minimum on paper
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt, quote=True)}" ', 1)
    body = (
        '<figure class="report-figure" data-kind="figure">'
        f'<div class="figure-body">{svg}</div>'
        f'<figcaption><span class="caption-label"></span> <span class="caption-title">{html.escape(title)}</span></figcaption>'
        f'<p class="source-line">{html.escape(source_line(sources, note))}</p>'
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
) -> None:
    """Show a DataFrame as a numbered report table with a source line. Cell text is escaped."""
    body_html = df.to_html(index=index, escape=True, border=0, na_rep="–", formatters=formatters, classes="report-table")
    body_html = re.sub(r' style="[^"]*"', "", body_html)
    body = (
        '<figure class="report-figure" data-kind="table">'
        f'<figcaption><span class="caption-label"></span> <span class="caption-title">{html.escape(title)}</span></figcaption>'
        f'<div class="table-body">{body_html}</div>'
        f'<p class="source-line">{html.escape(source_line(sources, note))}</p>'
        "</figure>"
    )
    display(HTML(body))


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
