"""Figures keep the house rules (issue 11): one title (the caption, never one drawn in the chart),
no hatching, chart text as text in the report's font at 7.5 pt or more on the printed page.

``charts.check_figure`` (titles, hatching) and ``charts.check_print_sizes`` (text) run in
``present.figure`` for every figure; the unit tests plant each mistake. The last tests read
every chart of the built real report: each is a report figure with a caption, and each passes
the checks at the scale the PDF prints it (a chart too tall for the page is printed smaller).
"""

from __future__ import annotations

import html as htmllib
import re

import pandas as pd
import pytest
from conftest import report_files

from partnerships.analysis import charts, present
from partnerships.engine import typst_pdf


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    charts.plt.close("all")


def _bars(**kw):
    fig, ax = charts.new(height=2.5)
    ax.bar(["a", "b"], [3, 5], **kw)
    return fig, ax


@pytest.mark.parametrize(
    "plant, words",
    [
        (lambda fig, ax: fig.suptitle("Russia dominates"), "fig.suptitle"),
        (lambda fig, ax: ax.set_title("Russia dominates"), "ax.set_title"),
        (lambda fig, ax: ax.set_title("Russia dominates", loc="left"), "ax.set_title"),
        (lambda fig, ax: fig.text(0.1, 0.95, "Russia dominates", weight="bold"), "as figure text"),
        (lambda fig, ax: fig.text(0.1, 0.95, "Russia dominates", size=14), "as figure text"),
    ],
)
def test_a_title_drawn_in_the_chart_is_refused(plant, words):
    fig, ax = _bars()
    plant(fig, ax)
    with pytest.raises(ValueError, match="draws its own title") as err:
        charts.check_figure(fig)
    assert words in str(err.value) and "caption" in str(err.value)


def test_a_title_beside_a_colour_bar_is_still_a_title():
    fig, ax = charts.new(height=2.5)
    im = ax.imshow([[1, 2], [3, 4]])
    fig.colorbar(im)
    ax.set_title("Heat")
    with pytest.raises(ValueError, match="draws its own title"):
        charts.check_figure(fig)


def test_panel_names_of_a_small_multiple_are_allowed_and_small_notes_too():
    fig, axes = charts.new(height=2.5, ncols=2)
    axes[0].set_title("Agreements")
    axes[1].set_title("Exercises")
    fig.text(0.01, 0.01, "n = 12", size=charts.SMALL_PT)
    charts.check_figure(fig)  # no error


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: ax.bar(["a", "b"], [3, 5], hatch="//"),
        lambda ax: ax.barh(["a"], [3], hatch="x"),
        lambda ax: ax.fill_between([1, 2], [1, 2], hatch="."),
        lambda ax: ax.add_patch(__import__("matplotlib.patches").patches.Rectangle((0, 0), 1, 1, hatch="\\\\")),
    ],
)
def test_hatching_is_refused_wherever_it_is_drawn(draw):
    fig, ax = charts.new(height=2.5)
    draw(ax)
    with pytest.raises(ValueError, match="hatching"):
        charts.check_figure(fig)


def test_present_figure_refuses_a_chart_with_a_title(monkeypatch):
    monkeypatch.setattr(present, "display", lambda *a, **k: None)
    monkeypatch.setattr(present, "source_line", lambda ids, note=None: "Source: test.")
    fig, ax = _bars()
    ax.set_title("Russia dominates")
    with pytest.raises(ValueError, match="draws its own title"):
        present.figure(fig, "Russia dominates", alt="Two bars", sources=[], data=pd.DataFrame({"x": [1]}))


def test_print_sizes_refuse_small_text_outlines_and_other_fonts():
    ok = '<svg width="468pt" height="200pt"><text style="font-size: 8px; font-family: \'Source Sans 3\'">a</text></svg>'
    charts.check_print_sizes(ok)
    with pytest.raises(ValueError, match="would print at 6.0 pt"):
        charts.check_print_sizes(ok.replace("468pt", "624pt"))  # drawn wider, printed smaller
    with pytest.raises(ValueError, match="glyph outlines"):
        charts.check_print_sizes(ok + '<use xlink:href="#DejaVuSans-41"/>')
    with pytest.raises(ValueError, match="DejaVu Sans"):
        charts.check_print_sizes(ok.replace("'Source Sans 3'", "'DejaVu Sans'"))


# ---------------------------------------------------------------------------- the real report


def chart_svgs(html: str) -> list[tuple[str, str, str]]:
    """(caption, svg, figure markup) for every chart of the report, in order."""
    out = []
    for fig in re.finditer(r'<figure class="[^"]*report-figure[^"]*" data-kind="figure".*?</figure>', html, re.S):
        cap = re.search(
            r'<span class="caption-label">([^<]*)</span> <span class="caption-title">(.*?)</span>', fig.group(0)
        )
        svg = re.search(r"<svg\b.*?</svg>", fig.group(0), re.S)
        caption = (
            " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", f"{cap.group(1)} {cap.group(2)}")).split()) if cap else ""
        )
        # (the page's SVG has its attribute quotes escaped, as the sanitiser writes them)
        out.append((caption, htmllib.unescape(svg.group(0)) if svg else "", fig.group(0)))
    return out


@pytest.fixture(scope="module")
def figures(real_report):
    html = report_files(real_report)[0].read_text(encoding="utf-8")
    return html, chart_svgs(html)


def test_every_chart_is_a_report_figure_with_a_caption(figures):
    html, charts_ = figures
    assert len(charts_) >= 10
    assert all(cap.startswith("Figure ") and svg for cap, svg, _ in charts_), [c for c, s, _ in charts_ if not s]
    # no chart shown any other way (plt.show(), a bare SVG or image output): every <svg> is in a report figure
    main = html[html.index('<main class="report-body">') :]
    assert len(re.findall(r"<svg\b", main)) == len(charts_)
    assert not re.search(r'<img\b[^>]*src="data:image/(png|jpeg|svg)', main)


def test_every_chart_prints_its_text_in_the_report_font_at_7_5_pt_or_more(figures):
    _, charts_ = figures
    problems = []
    for caption, svg, _ in charts_:
        height = typst_pdf.svg_height_mm(svg)
        shrink = (
            min(1.0, typst_pdf.MAX_FIGURE_MM / height) if height else 1.0
        )  # the PDF fits a taller chart to the page
        try:
            charts.check_print_sizes(svg)
            small = charts.smallest_print_pt(svg)
            if small is not None and small * shrink < charts.MIN_PRINT_PT - 1e-6:
                problems.append(
                    f"{caption}: {height:.0f} mm tall at the text width, so the PDF prints it {shrink:.0%} of its "
                    f"size and its text at {small * shrink:.1f} pt: draw it at most {typst_pdf.MAX_FIGURE_MM} mm tall"
                )
        except ValueError as err:
            problems.append(f"{caption}: {err}")
    assert not problems, "\n".join(problems)


def test_no_chart_is_hatched_or_repeats_its_caption_as_a_title(figures):
    _, charts_ = figures
    hatched = [cap for cap, svg, _ in charts_ if re.search(r"<pattern\b|hatch", svg)]
    assert hatched == []
    titled = []
    for caption, svg, _ in charts_:
        title = caption.split(" ", 2)[-1].strip().lower()  # "Figure 3 Title" -> "title"
        texts = [" ".join(htmllib.unescape(t).split()).lower() for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]
        if title in texts:
            titled.append(caption)
    assert titled == [], f"charts drawing their caption as a title: {titled}"


def test_a_chart_with_slanted_text_is_refused():
    """The bundled sans face has no italic: slanted chart text would fail the tagged PDF (Typst, PDF/UA)."""
    import pytest

    from partnerships.analysis import charts

    fig, ax = charts.new(height=1.5)
    ax.bar(["A", "B"], [1, 2])
    ax.text(0, 1, "Russia", style="italic")
    with pytest.raises(ValueError, match="no italic face"):
        charts.check_figure(fig)
    fig2, ax2 = charts.new(height=1.5)
    ax2.bar(["A", "B"], [1, 2])
    ax2.text(0, 1, "Russia*")
    charts.check_figure(fig2)  # a marker explained in the note is fine
