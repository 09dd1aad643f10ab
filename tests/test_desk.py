"""Inline values ({{name}}) and cross-references (@label) through the real renderer.

Notebooks are built here as papermill would leave them; value, figure and table outputs
come from the real ``present`` functions (only ``display`` is captured).
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from partnerships.analysis import charts, present
from partnerships.engine.page import render_html
from partnerships.errors import RenderError
from partnerships.protocol import VALUE_MIME

META = {"title": "T", "subtitle": "S", "edition": "2026-05-01", "author": "A", "name": "t"}


@pytest.fixture
def show(monkeypatch):
    """Call a present function; return the output it displays, as stored in a notebook."""
    captured = []
    monkeypatch.setattr(present, "display", lambda obj, raw=False: captured.append((obj, raw)))
    monkeypatch.setattr(
        present, "source_line", lambda ids, note=None, full=False: f"Source: Test. {note or ''}".strip()
    )

    def take(fn, *args, **kw):
        fn(*args, **kw)
        obj, raw = captured.pop()
        if raw:
            return new_output("display_data", data=obj)
        mime = "text/markdown" if type(obj).__name__ == "Markdown" else "text/html"
        return new_output("display_data", data={mime: obj.data, "text/plain": "<object>"})

    return take


def _fig():
    fig, ax = charts.new(height=1.5)
    ax.bar(["A", "B"], [1, 2])
    charts.attach_data(fig, pd.DataFrame({"bar": ["A", "B"], "value": [1, 2]}))
    return fig


def render(tmp_path, *notebooks, partial=False) -> str:
    chapters = []
    for i, nb in enumerate(notebooks, start=1):
        path = tmp_path / f"0{i}-ch.ipynb"
        nbformat.write(nb, path)
        chapters.append({"id": f"0{i}-ch", "notebook": path, "source": tmp_path / f"notebooks/0{i}-ch.ipynb"})
    out = tmp_path / "r.html"
    render_html(META, chapters, out, partial=partial)
    return out.read_text(encoding="utf-8")


def text_of(doc: str) -> str:
    doc = re.sub(r"<(svg|style)\b.*?</\1>", " ", doc, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", doc).split())


# ------------------------------------------------------------------ present.value
def test_value_output_has_the_two_mime_types(show):
    out = show(present.value, "peak", 947, unit="people", sources=["ipi", "ipi"], label="Peak deployment")
    assert out["data"] == {
        VALUE_MIME: {
            "name": "peak",
            "value": 947,
            "text": "947",
            "unit": "people",
            "sources": ["ipi"],
            "label": "Peak deployment",
        },
        "text/plain": "peak = 947",
    }
    import numpy as np

    assert show(present.value, "big", np.int64(12345))["data"]["text/plain"] == "big = 12,345"
    assert show(present.value, "share", 0.456 * 100)["data"]["text/plain"] == "share = 45.6"
    month = show(present.value, "month", pd.Timestamp("2013-03-31"), text="March 2013")["data"][VALUE_MIME]
    assert (month["value"], month["text"]) == ("2013-03-31T00:00:00", "March 2013")
    assert show(present.value, "nan", float("nan"), text="n/a")["data"][VALUE_MIME]["value"] is None
    # 12 significant digits: the last bits of a float sum depend on the order of the terms
    assert show(present.value, "s", 91.78145926440764)["data"][VALUE_MIME]["value"] == 91.7814592644
    assert show(present.value, "s", 91.78145926440763)["data"][VALUE_MIME]["value"] == 91.7814592644


@pytest.mark.parametrize("name", ["peak month", "1st", "a-b", ""])
def test_value_name_must_be_an_identifier(show, name):
    with pytest.raises(ValueError, match="is not valid"):
        present.value(name, 1)


# ------------------------------------------------------------------ {{name}}
def _values_chapter(show, markdown: str):
    return new_notebook(
        cells=[
            new_markdown_cell("# Peacekeeping\n\nThe peak of {{ peak }} came in {{peak_month}}."),
            new_code_cell(
                "x", outputs=[show(present.value, "peak", 947), show(present.value, "peak_month", "March 2013")]
            ),
            new_markdown_cell(markdown),
        ]
    )


def test_values_fill_markdown_and_value_outputs_are_not_shown(tmp_path, show):
    nb = _values_chapter(show, "Later: **{{peak}}** people, {{star}}.")
    nb.cells[1].outputs.append(show(present.value, "star", "a *b* <i>c</i>"))
    import html as htmllib

    text = htmllib.unescape(text_of(render(tmp_path, nb)))
    assert "The peak of 947 came in March 2013." in text  # before the code cell too
    assert "Later: 947 people, a *b* <i>c</i>." in text  # data text is literal...
    doc = render(tmp_path, nb)
    assert "a *b* &lt;i&gt;c&lt;/i&gt;" in doc and "<i>c</i>" not in doc  # ...never markup
    assert "<strong>947</strong>" in doc
    assert "peak = 947" not in doc and "{{" not in doc


def test_unknown_value_names_notebook_and_cell(tmp_path, show):
    nb = _values_chapter(show, "The end: {{ peek }}.")
    with pytest.raises(RenderError) as e:
        render(tmp_path, nb)
    assert str(e.value) == (
        "chapter 01-ch: notebook 01-ch.ipynb, cell 3 (Markdown): unknown value {{peek}}; values shown in this "
        "chapter: peak, peak_month (a code cell must call present.value('peek', ...))"
    )
    assert e.value.exit_code == 2


def test_malformed_reference_and_conflicting_values_are_errors(tmp_path, show):
    with pytest.raises(RenderError, match=r"cell 3 \(Markdown\): '\{\{peak\[0\]\}\}' is not a value reference"):
        render(tmp_path, _values_chapter(show, "{{peak[0]}}"))
    nb = _values_chapter(show, "ok")
    nb.cells.append(new_code_cell("y", outputs=[show(present.value, "peak", 948)]))
    with pytest.raises(
        RenderError, match=r"cell 4: value 'peak' is shown twice with different texts \('947' in cell 2, '948' here\)"
    ):
        render(tmp_path, nb)


def test_parameter_cells_are_not_counted_in_cell_numbers(tmp_path, show):
    nb = _values_chapter(show, "{{nope}}")
    injected = new_code_cell("partner = 'x'", metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(1, injected)
    with pytest.raises(RenderError, match=r"cell 3 \(Markdown\): unknown value"):
        render(tmp_path, nb)


# ------------------------------------------------------------------ @label
def _xref_chapters(show, prose: str):
    one = new_notebook(
        cells=[
            new_markdown_cell("# Spending, forces and equipment {#ch-spending}\n\nSee @fig-spending, @tbl-deals."),
            new_code_cell("f", outputs=[show(present.figure, _fig(), "Spending", alt="bars", sources=[])]),
            new_markdown_cell("## Did spending recover? {#sec-recovery}"),
            new_code_cell(
                "f",
                outputs=[show(present.figure, _fig(), "Spending again", alt="bars", sources=[], label="fig-spending")],
            ),
            new_code_cell(
                "t",
                outputs=[
                    show(
                        present.table,
                        pd.DataFrame({"a": [1]}),
                        "Deals",
                        sources=[],
                        label="tbl-deals",
                        note="See @sec-recovery.",
                    )
                ],
            ),
        ]
    )
    two = new_notebook(cells=[new_markdown_cell("# Summary {#ch-summary}\n\n" + prose)])
    return one, two


def test_references_become_numbered_links_in_any_direction(tmp_path, show):
    one, two = _xref_chapters(
        show, "As @ch-spending shows (@fig-spending, @tbl-deals, @sec-recovery); not `@fig-code`."
    )
    doc = render(tmp_path, one, two)
    text = text_of(doc)
    assert "See Figure 2, Table 1." in text  # a reference before its figure
    assert "As Chapter 1 shows (Figure 2, Table 1, “Did spending recover?”); not @fig-code." in text
    assert "See “Did spending recover?”." in text  # in a table note
    assert re.search(
        r'<figure[^>]*data-label="fig-spending"[^>]*id="fig-2"|<figure[^>]*id="fig-2"[^>]*data-label="fig-spending"',
        doc,
    )
    links = re.findall(r'<a class="xref" href="([^"]+)">([^<]+)</a>', doc)
    assert ("#fig-2", "Figure 2") in links and ("#tab-1", "Table 1") in links and ("#ch-spending", "Chapter 1") in links
    assert ("#sec-recovery", "“Did spending recover?”") in links
    assert re.search(
        r'<h1 id="01-ch" class="chapter-title">Spending, forces and equipment<a id="ch-spending"></a></h1>', doc
    )
    assert "/>" not in re.sub(r"<svg\b.*?</svg>", "", doc, flags=re.S)
    assert "{#" not in doc and "@" not in text.replace("@fig-code", "")


def test_missing_label_names_notebook_and_cell(tmp_path, show):
    one, two = _xref_chapters(show, "See @fig-spendng.")
    with pytest.raises(RenderError) as e:
        render(tmp_path, one, two)
    assert str(e.value) == (
        "chapter 02-ch: notebook 02-ch.ipynb, cell 1: reference @fig-spendng to a label that does not exist; "
        "figure labels in this report: fig-spending"
    )
    assert e.value.exit_code == 2
    doc = render(tmp_path, one, two, partial=True)  # a one-chapter preview: left as text
    assert "See @fig-spendng." in text_of(doc)


def test_label_mistakes_are_errors(tmp_path, show):
    one, two = _xref_chapters(show, "## Again {#sec-recovery}")
    with pytest.raises(
        RenderError,
        match=r"02-ch.ipynb, cell 1: label 'sec-recovery' is already defined \(chapter 01-ch: notebook .*01-ch.ipynb, cell 3\)",
    ):
        render(tmp_path, one, two)
    with pytest.raises(RenderError, match=r"cell 1: chapter label \{#ch-x\} must be on the chapter's first H1"):
        render(tmp_path, new_notebook(cells=[new_markdown_cell("# T\n\n## Sub {#ch-x}")]))
    with pytest.raises(RenderError, match=r"section label \{#sec-x\} is on an H1"):
        render(tmp_path, new_notebook(cells=[new_markdown_cell("# T {#sec-x}")]))
    with pytest.raises(ValueError, match="label 'figure-1' is not valid"):
        present.figure(_fig(), "t", alt="a", sources=[], label="figure-1")
    with pytest.raises(ValueError, match="label 'fig-x' is not valid: it must start with 'tbl-...'"):
        present.table(pd.DataFrame({"a": [1]}), "t", sources=[], label="fig-x")


def test_stored_chart_is_an_image_in_the_notebook_and_inline_svg_in_the_report(tmp_path, show):
    out = show(present.figure, _fig(), "A chart", alt='Bars "A" and B', sources=[])
    stored = out["data"]["text/html"]
    assert "<svg" not in stored and re.search(
        r'<img class="figure-svg" alt="Bars &quot;A&quot; and B" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+">',
        stored,
    )
    doc = render(tmp_path, new_notebook(cells=[new_markdown_cell("# C"), new_code_cell("f", outputs=[out])]))
    assert 'role="img" aria-label="Bars &quot;A&quot; and B"' in doc and "figure-svg" not in doc


def _pdf_links(tmp_path, show, prose: str) -> list[tuple[int, int]]:
    """(page, height) each internal link of the rendered PDF lands on."""
    from pypdf import PdfReader

    from partnerships.engine.pdf import render_pdf

    tmp_path.mkdir()
    one, two = _xref_chapters(show, prose)
    render(tmp_path, one, two)
    render_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            dest = a.get("/Dest") if a.get("/Subtype") == "/Link" else None
            if dest is None:
                continue
            if isinstance(dest, str):
                dest = reader.named_destinations[dest]
                links.append((reader.get_destination_page_number(dest), round(float(dest.top))))
            else:
                links.append((reader.get_page_number(dest[0].get_object()), round(float(dest[3]))))
    return links


def test_references_are_working_links_in_the_pdf(tmp_path, show):
    """The four references add four links, to four different places (Typst writes explicit
    destinations; the contents' links are there with or without the references)."""
    from collections import Counter

    plain = Counter(_pdf_links(tmp_path / "a", show, "As the spending chapter shows."))
    with_refs = Counter(
        _pdf_links(tmp_path / "b", show, "As @ch-spending shows (@fig-spending, @tbl-deals, @sec-recovery).")
    )
    added = with_refs - plain
    assert sum(added.values()) == 4 and len(added) == 4, (plain, with_refs)
