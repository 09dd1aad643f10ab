"""The plain-text view committed beside each notebook (notebooks/NN-x.txt)."""

from __future__ import annotations

import difflib
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from partnerships.analysis import charts, present
from partnerships.engine import textview

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_text_view_matches_the_notebook(nb_path):
    txt = textview.text_path(nb_path)
    assert txt.exists(), (
        f"{txt.name} is missing: run `make outputs` (or partnerships outputs {nb_path.relative_to(ROOT)})"
    )
    expected = textview.render(nbformat.read(nb_path, as_version=4))
    assert txt.read_text(encoding="utf-8") == expected, f"{txt.name} is stale: run `make outputs`"


@pytest.fixture
def show(monkeypatch):
    captured = []
    monkeypatch.setattr(present, "display", lambda obj, raw=False: captured.append((obj, raw)))
    monkeypatch.setattr(present, "source_line", lambda ids, note=None, full=False: "Source: IPI (2014).")

    def take(fn, *args, **kw):
        fn(*args, **kw)
        obj, raw = captured.pop()
        if raw:
            return new_output("display_data", data=obj)
        mime = "text/markdown" if type(obj).__name__ == "Markdown" else "text/html"
        return new_output("display_data", data={mime: obj.data, "text/plain": "<object>"})

    return take


def _chapter(show, peak: int):
    fig, ax = charts.new(height=1.5)
    ax.plot([1, 2, 3], [1, peak, 2])
    charts.attach_data(fig, pd.DataFrame({"x": [1, 2, 3], "y": [1, peak, 2]}))
    years = pd.DataFrame({"Year": [2012, 2013, 2014], "Peak": [938, peak, 939]})
    return new_notebook(
        cells=[
            new_markdown_cell("# Peacekeeping {#ch-pk}\n\nHow many served?\nA second line of the same paragraph."),
            new_code_cell(
                "x", outputs=[show(present.value, "peak", peak), new_output("stream", name="stdout", text="noise\n")]
            ),
            new_markdown_cell("## By year\n\nThe peak was **{{peak}}** (@fig-pk)."),
            new_code_cell(
                "f",
                outputs=[
                    show(
                        present.figure,
                        fig,
                        "Personnel by month",
                        alt=f"Line peaking at {peak}",
                        sources=[],
                        label="fig-pk",
                    )
                ],
            ),
            new_code_cell("t", outputs=[show(present.table, years, "Peak by year", sources=[])]),
            new_code_cell("m", outputs=[show(present.finding, f"It rose to {peak:,}.")]),
        ]
    )


def test_text_view_reads_like_the_chapter(show):
    text = textview.render(_chapter(show, 947))
    assert text == (
        "# Peacekeeping {#ch-pk}\n\n"
        "How many served? A second line of the same paragraph.\n\n"
        "## By year\n\n"
        "The peak was **947** (@fig-pk).\n\n"
        "[Figure] Personnel by month\n"
        "  Alt: Line peaking at 947\n"
        "  Source: IPI (2014).\n\n"
        "[Table] Peak by year\n"
        "  Year | Peak\n"
        "  2012 | 938\n"
        "  2013 | 947\n"
        "  2014 | 939\n"
        "  Source: IPI (2014).\n\n"
        "It rose to 947.\n"
    )


def test_one_changed_number_is_one_changed_line_per_place_it_is_shown(show):
    before = textview.render(_chapter(show, 947)).splitlines()
    after = textview.render(_chapter(show, 1947)).splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    # prose, alt text, table row, finding: four places show the number, one line each
    assert len([c for c in changed if c.startswith("+")]) == 4, changed
    assert "+  2013 | 1947" in changed and "+The peak was **1,947** (@fig-pk)." in changed
