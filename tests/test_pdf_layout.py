"""The Typst route lays out pages by the house rules (issue 11), on a report built to provoke them.

The fixture chapters put headings, tall charts and long tables at many positions on the page
(paragraphs of growing length shift everything down a little each time), give sections and a
chapter titles long enough to wrap in the contents, and include a chart taller than a page. The
PDF is then read with the same checks the real report is held to (tools/report_rules.py): no
heading or table caption alone at a page foot, no page less than a third full but a chapter's
last, every contents entry with its leader and page number on its title's last line. Besides:
floating figures keep their order, and a chart taller than a page is drawn to fit it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_render import _shower

from partnerships.analysis import charts, present
from partnerships.engine import typst_pdf
from partnerships.engine.page import render_html
from partnerships.engine.pdf import render_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import report_rules as rules  # noqa: E402

pytestmark = pytest.mark.needs_tool("pdftotext")

META = {"title": "Layout fixture", "subtitle": "Pages", "edition": "2026-05-01", "author": "Tests", "name": "layout"}
WORDS = (
    "Mongolia's partners train its officers, exercise with its units and supply its equipment, and the "
    "sources record each of these in their own way and for their own years, so that a reader compares "
    "like with like only where the text says so. "
).split()


def para(n: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n)).capitalize() + "."


def chart(height: float, values=(3, 5, 2)):
    fig, ax = charts.new(height=height)
    ax.bar(["a", "b", "c"], list(values))
    charts.finish(ax, ylabel="count")
    charts.attach_data(fig, pd.DataFrame({"bar": ["a", "b", "c"], "count": list(values)}))
    return fig


def table(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Partner": [f"Partner {i}" for i in range(rows)],
            "What the sources record": [para(6 + i % 9) for i in range(rows)],
            "Year": [1990 + i for i in range(rows)],
        }
    )


def _chapter(shown, title: str, sections: list) -> nbformat.NotebookNode:
    cells = [new_markdown_cell(f"# {title}\n\n{para(60)}")]
    for heading, body in sections:
        cells.append(new_markdown_cell(f"## {heading}"))
        for kind, arg in body:
            if kind == "p":
                cells.append(new_markdown_cell(para(arg)))
            elif kind == "fig":
                height, caption = arg
                out = shown(present.figure, chart(height), caption, alt=f"Bars: {caption}", sources="a")
                cells.append(new_code_cell("present.figure(...)", outputs=[out]))
            elif kind == "tab":
                rows, caption = arg
                out = shown(present.table, table(rows), caption, sources="a")
                cells.append(new_code_cell("present.table(...)", outputs=[out]))
    return new_notebook(cells=cells)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("layout")
    nb_dir = tmp / "executed"
    nb_dir.mkdir()
    n_fig = 0

    def fig(height):
        nonlocal n_fig
        n_fig += 1
        return ("fig", (height, f"Chart number {n_fig} of the fixture"))

    with pytest.MonkeyPatch.context() as mp:
        shown = _shower(mp)
        chapters = []
        # 1: headings at many heights, each followed by a tall chart (floats) or a long table
        sections = []
        for i in range(8):
            body = [("p", 40 + 23 * i)]
            body.append(fig(7.0) if i % 2 == 0 else ("tab", (24, f"A long table, number {i}")))
            body += [("p", 90), fig(2.6), ("p", 50)]
            sections.append((f"Section {i}: what do the sources record for this partner, year by year?", body))
        chapters.append(("01-tall", "Tall charts and long tables between sections", sections))
        # 2: short sections; the contents entries wrap; one chart taller than a page
        sections = [
            (
                f"Heading {i} "
                + "with a title long enough to need a second line in the contents of the report, or so we hope "
                * (i % 2),
                [("p", 30 + 17 * i)],
            )
            for i in range(14)
        ]
        sections.insert(5, ("A chart taller than the page", [("p", 30), fig(11.0), ("p", 60)]))
        title = "A chapter whose title is long enough to wrap onto a second line of the report's contents pages"
        chapters.append(("02-short", title, sections))
        # 3-18: short chapters whose titles grow letter by letter to the end of a contents line
        long_title = " ".join(WORDS)
        for i in range(16):
            chapters.append((f"{i + 3:02d}-title", long_title[: 84 + i].strip(), [("Why?", [("p", 20)])]))
        # 19-31: a long table after a page of text a little longer each time: its caption and first
        # rows reach the page foot at every height
        for i in range(13):
            sections = [("Text", [("p", 500 + 9 * i)]), (f"Rows at the foot, {i}", [("tab", (18, f"Rows {i}"))])]
            chapters.append((f"{19 + i}-foot", f"Foot {i}", sections))
        entries = []
        for cid, title, sections in chapters:
            nbformat.write(_chapter(shown, title, sections), nb_dir / f"{cid}.ipynb")
            entries.append({"id": cid, "notebook": nb_dir / f"{cid}.ipynb"})
    html = tmp / "out" / "layout.html"
    render_html(META, entries, html)
    pdf = tmp / "layout.pdf"
    render_pdf(html, pdf)
    return {"html": html.read_text(encoding="utf-8"), "pdf": pdf, "figures": n_fig}


def test_no_lonely_heading_or_caption_and_no_near_empty_page(laid_out):
    problems = rules.layout_problems(laid_out["pdf"], laid_out["html"])
    assert problems["heading alone at the foot of a page"] == []
    assert problems["page less than a third full"] == []


def test_contents_entries_wrap_their_titles_never_their_leaders(laid_out):
    entries = rules.contents_entries(laid_out["html"])
    assert any(len(t) > 90 for _, t in entries)  # some titles are longer than a contents line
    assert rules.layout_problems(laid_out["pdf"], laid_out["html"])["contents entry with its leader wrapped"] == []


def test_floating_figures_keep_their_order_and_stay_in_their_chapter(laid_out):
    pages = rules.pdf_pages(laid_out["pdf"])
    order = [
        int(m.group(1)) for p in pages for ln in p.lines for m in [re.match(r"Figure (\d+) Chart number", ln.text)] if m
    ]
    assert order == list(range(1, laid_out["figures"] + 1))
    second = rules.chapter_start_pages(laid_out["pdf"])[1]
    chapter_one = {
        int(m.group(1))
        for p in pages[: second - 1]
        for ln in p.lines
        for m in [re.match(r"Figure (\d+) Chart", ln.text)]
        if m
    }
    assert chapter_one == set(range(1, 13))  # chapter 1's twelve charts are all placed before chapter 2 starts


def test_a_chart_taller_than_the_page_is_drawn_to_fit_it(laid_out):
    pages = rules.pdf_pages(laid_out["pdf"])
    page = next(p for p in pages if any(ln.text.startswith("Figure 13 Chart") for ln in p.lines))
    geo = rules.geometry(page)
    caption = next(ln for ln in page.lines if ln.text.startswith("Figure 13 Chart"))
    assert caption.y1 < geo.bottom  # the caption (under the chart) is inside the text area
    assert typst_pdf.MAX_FIGURE_MM < typst_pdf.TEXT_HEIGHT_MM
    assert typst_pdf.svg_height_mm('<svg width="468pt" height="792pt">') > typst_pdf.MAX_FIGURE_MM
