"""The renderer: executed notebooks -> one offline HTML -> PDF.

The notebooks are built here with nbformat, outputs included, as papermill would leave
them (no kernel runs). Figure and table outputs come from the real partnerships.analysis.present
functions (only the source lookup is replaced), so a change in their HTML shows up here.
"""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from partnerships.analysis import charts, present
from partnerships.engine import export
from partnerships.engine.html import slugify
from partnerships.engine.page import render_html
from partnerships.engine.pdf import render_pdf
from partnerships.errors import RenderError

META = {
    "title": "Mongolia's Defence Partnerships",
    "subtitle": "Who Mongolia works with, and how deeply",
    "edition": "2026-05-01",
    "author": "Test Analyst",
    "name": "test-report",
}
SCRIPT_CELL = "<script>alert(1)</script>"
# a 1x1 PNG
PNG = base64.b64encode(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
).decode("ascii")


def _html_output(obj) -> dict:
    """A display_data output as IPython would store it: the rich form plus a text/plain repr."""
    mime = "text/markdown" if type(obj).__name__ == "Markdown" else "text/html"
    return new_output(
        "display_data",
        data={mime: obj.data, "text/plain": f"<IPython.core.display.{type(obj).__name__} object>"},
    )


def _shower(mp: pytest.MonkeyPatch):
    """present.figure/table/finding, returning their outputs instead of displaying them."""
    captured = []
    mp.setattr(present, "display", captured.append)
    mp.setattr(present, "source_line", lambda ids, note=None, full=False: "Source: Test source (2024).")

    def take(fn, *args, **kw) -> dict:
        fn(*args, **kw)
        return _html_output(captured.pop())

    return take


@pytest.fixture
def shown(monkeypatch):
    return _shower(monkeypatch)


def _bar_figure(values):
    import pandas as pd

    fig, ax = charts.new(height=2.0)
    ax.bar(["A", "B", "C"], values)
    charts.finish(ax, "A leads", ylabel="count")
    charts.attach_data(fig, pd.DataFrame({"bar": ["A", "B", "C"], "count": values}))
    return fig


def _chapter_one(shown) -> nbformat.NotebookNode:
    import pandas as pd

    df = pd.DataFrame({"Partner": ["USA", SCRIPT_CELL], "Programmes": [12, 3]})
    return new_notebook(
        cells=[
            new_markdown_cell("# Overview of partners\n\nWho Mongolia works with."),
            new_code_cell("SECRET_CODE_MARKER = 1\nimport sys"),
            new_markdown_cell("## Agreements by partner\n\nCounted by year of signature."),
            new_code_cell(
                "present.figure(fig, ...)  # SECRET_CODE_MARKER",
                outputs=[
                    shown(present.figure, _bar_figure([3, 2, 1]), "Agreements by partner", alt="bars", sources="a")
                ],
            ),
            new_code_cell(
                "print('noise')",
                outputs=[
                    new_output("stream", name="stdout", text="STDOUT_NOISE\n"),
                    new_output("stream", name="stderr", text="STDERR_NOISE\n"),
                    shown(present.finding, "USA leads with **12** programmes."),
                ],
            ),
            new_markdown_cell("## Training\n\nPeople per year."),
            new_code_cell(
                "present.table(df, ...)",
                outputs=[shown(present.table, df, "Training programmes", sources="a")],
            ),
            new_code_cell(
                "display(Markdown(...))",
                outputs=[
                    _html_output(type("Markdown", (), {"data": "Inline <script>alert(2)</script> text."})()),
                    new_output(
                        "display_data",
                        data={"application/javascript": "alert(3)", "text/html": "<p>HTML_NOT_JS</p>"},
                    ),
                ],
            ),
        ]
    )


def _chapter_two(shown) -> nbformat.NotebookNode:
    import pandas as pd

    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect id="r" width="10" height="10"/></svg>'
    return new_notebook(
        cells=[
            new_code_cell('partner: str = "Russia"  # PARAM_MARKER', metadata={"tags": ["parameters"]}),
            new_code_cell('partner = "Russia"  # INJECTED_MARKER', metadata={"tags": ["injected-parameters"]}),
            new_code_cell(
                'display(Markdown(f"# Partner profile: {partner}"))',
                outputs=[_html_output(type("Markdown", (), {"data": "# Partner profile: Russia"})())],
            ),
            new_markdown_cell(
                "## Exercises over time\n\nSee also [the first chapter](#01-overview) and [below](#Equipment)."
            ),
            new_code_cell(
                "present.figure(...)",
                outputs=[
                    shown(present.figure, _bar_figure([1, 2, 3]), "Exercises with Russia", alt="bars", sources="a")
                ],
            ),
            new_markdown_cell("## Equipment"),
            new_code_cell(
                "present.table(...)",
                outputs=[shown(present.table, pd.DataFrame({"Year": [2020], "TIV": [1.5]}), "Deliveries", sources="a")],
            ),
            new_code_cell(
                "plt.show()",
                outputs=[
                    new_output(
                        "display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}
                    ),
                    new_output(
                        "display_data", data={"image/svg+xml": svg, "text/plain": "<IPython.core.display.SVG object>"}
                    ),
                ],
            ),
        ]
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """Two chapters rendered once for the module (the PDF tests reuse them)."""
    tmp_path = tmp_path_factory.mktemp("render")
    nb_dir = tmp_path / "executed"
    nb_dir.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        shown = _shower(mp)
        nbformat.write(_chapter_one(shown), nb_dir / "01-overview.ipynb")
        nbformat.write(_chapter_two(shown), nb_dir / "02-partner-profile--russia.ipynb")
    chapters = [
        {"id": "01-overview", "notebook": nb_dir / "01-overview.ipynb"},
        {"id": "02-partner-profile--russia", "notebook": nb_dir / "02-partner-profile--russia.ipynb"},
    ]
    out = tmp_path / "out" / "report.html"
    render_html(META, chapters, out)
    return {"html": out, "text": out.read_text(encoding="utf-8"), "chapters": chapters, "tmp": tmp_path}


def _toc(text: str) -> str:
    return text[text.index('<nav class="toc"') : text.index("</nav>")]


# ------------------------------------------------------------------------------ HTML


def test_title_block_and_contents(report):
    text = report["text"]
    assert "<title>Mongolia&#39;s Defence Partnerships</title>" in text
    assert '<h1 class="report-title">Mongolia&#39;s Defence Partnerships</h1>' in text
    assert '<p class="report-subtitle">Who Mongolia works with, and how deeply</p>' in text
    assert '<time datetime="2026-05-01">1 May 2026</time>' in text
    assert '<dd class="report-author">Test Analyst</dd>' in text
    toc = _toc(text)
    assert re.findall(r'<a href="#([^"]+)">', toc) == [
        "01-overview",
        "01-overview--agreements-by-partner",
        "01-overview--training",
        "02-partner-profile--russia",
        "02-partner-profile--russia--exercises-over-time",
        "02-partner-profile--russia--equipment",
    ]
    assert '<span class="toc-text">Overview of partners</span>' in toc
    assert '<span class="toc-text">Partner profile: Russia</span>' in toc


def test_chapter_headings_get_stable_anchors(report):
    text = report["text"]
    assert '<h1 id="01-overview" class="chapter-title">Overview of partners</h1>' in text
    # the H1 written by a code cell as Markdown output is the chapter title too
    assert '<h1 id="02-partner-profile--russia" class="chapter-title">Partner profile: Russia</h1>' in text
    assert '<h2 id="02-partner-profile--russia--exercises-over-time">Exercises over time</h2>' in text
    assert text.count('class="chapter-title"') == 2
    # links written in a notebook against nbconvert's heading ids are moved to ours
    assert '<a href="#02-partner-profile--russia--equipment">below</a>' in text
    assert '<a href="#01-overview">the first chapter</a>' in text


def test_figures_and_tables_numbered_across_chapters(report):
    text = report["text"]
    labels = re.findall(r'<span class="caption-label">([^<]*)</span>', text)
    assert labels == ["Figure 1", "Table 1", "Figure 2", "Table 2"]
    ids = re.findall(r'<figure class="report-figure" data-kind="(\w+)" id="([^"]+)"', text)
    assert ids == [("figure", "fig-1"), ("table", "tab-1"), ("figure", "fig-2"), ("table", "tab-2")]
    # Figure 2 is in chapter two
    assert text.index('id="fig-2"') > text.index('id="02-partner-profile--russia"')
    assert text.count('<p class="source-line">Source: Test source (2024).</p>') == 4


def test_ids_unique_and_every_internal_link_lands(report):
    text = report["text"]
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)) > 50  # matplotlib SVG ids are included
    targets = set(re.findall(r'(?:\s|:)href="#([^"]*)"', text)) | set(re.findall(r"url\(#([^)]*)\)", text))
    assert targets and targets <= set(ids)
    # two matplotlib figures both define 'figure_1': each got its chapter's prefix
    assert 'id="01-overview-svg1-figure_1"' in text
    assert 'id="02-partner-profile--russia-svg1-figure_1"' in text


def test_offline_no_external_urls_no_scripts(report):
    text = report["text"]
    assert not re.search(r"<\s*script", text, re.I)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", text, re.I)
    # the only http(s) strings are SVG namespace names, which are never fetched
    assert set(re.findall(r"https?://[^\s\"')]+", text)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    # fonts are embedded: every bundled face (Latin, Cyrillic and Cyrillic-extended subsets)
    from partnerships.engine.fonts import FONTS

    assert (
        text.count("@font-face") == len(FONTS) == 15
    )  # 5 faces (serif 400, 400 italic, 700; sans 400, 600) x 3 subsets
    assert text.count("src: url(data:font/woff2;base64,") == len(FONTS)


def test_cell_text_escaped_and_markup_inert(report):
    text = report["text"]
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in text
    # the numeric column is right-aligned (class num on its header and cells), text is not
    assert '<th class="num">Programmes</th>' in text and '<td class="num">12</td>' in text
    assert "<th>Partner</th>" in text
    assert "alert(2)" not in text  # a <script> inside a Markdown output is removed
    assert "Inline  text." in text
    # an output with JavaScript and HTML forms shows the HTML, never the script
    assert "<p>HTML_NOT_JS</p>" in text and "alert(3)" not in text


def test_code_parameters_streams_and_reprs_never_shown(report):
    text = report["text"]
    for marker in ("SECRET_CODE_MARKER", "PARAM_MARKER", "INJECTED_MARKER", "STDOUT_NOISE", "STDERR_NOISE"):
        assert marker not in text
    assert "IPython.core.display" not in text
    assert "Figure size" not in text
    assert "<strong>12</strong>" in text  # the finding is shown


def test_plain_image_outputs_are_inlined(report):
    text = report["text"]
    assert f'<img alt="" src="data:image/png;base64,{PNG}"/>' in text
    assert '<div class="output output-image output-svg">' in text
    assert 'id="02-partner-profile--russia-svg2-r"' in text  # the second SVG of chapter two


def test_same_inputs_give_identical_bytes_without_paths(report):
    again = report["tmp"] / "again.html"
    render_html(META, report["chapters"], again)
    assert again.read_bytes() == report["html"].read_bytes()
    for forbidden in (str(report["tmp"]), "/tmp/", "/work/", "/root/", "/home/", "executed/"):
        assert forbidden not in report["text"]


# ------------------------------------------------------------------------------ refusals


def _write(tmp_path, name, cells):
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return {"id": name, "notebook": path}


def test_error_output_stops_the_render_with_notebook_and_cell(tmp_path):
    chapter = _write(
        tmp_path,
        "03-broken",
        [
            new_markdown_cell("# Broken"),
            new_code_cell(
                "raise ValueError('bad value')",
                outputs=[new_output("error", ename="ValueError", evalue="bad value", traceback=["Traceback..."])],
            ),
        ],
    )
    with pytest.raises(RenderError) as err:
        render_html(META, [chapter], tmp_path / "r.html")
    assert str(err.value) == (
        "chapter 03-broken: notebook 03-broken.ipynb, cell 2 ended in an error (ValueError: bad value); "
        "fix the notebook, the report never shows a traceback"
    )
    assert not (tmp_path / "r.html").exists()
    from partnerships.errors import UserError

    assert isinstance(err.value, UserError)  # the CLI prints it as one message, exit non-zero


def test_link_to_missing_anchor_is_refused(tmp_path):
    chapter = _write(tmp_path, "04-links", [new_markdown_cell("# Links\n\nSee [nowhere](#no-such-place).")])
    with pytest.raises(RenderError, match=r"^chapter 04-links: link to a missing anchor: #no-such-place "):
        render_html(META, [chapter], tmp_path / "r.html")


def test_external_image_is_refused(tmp_path):
    chapter = _write(tmp_path, "05-img", [new_markdown_cell("# Img\n\n![logo](https://example.org/logo.png)")])
    with pytest.raises(RenderError, match=r"shows an image from 'https://example.org/logo.png'; the report is offline"):
        render_html(META, [chapter], tmp_path / "r.html")


def test_local_image_inlined_and_stray_ids_never_take_report_anchors(tmp_path):
    (tmp_path / "logo.png").write_bytes(base64.b64decode(PNG))
    chapter = _write(
        tmp_path,
        "09-local",
        [
            new_markdown_cell("# Local\n\n![logo](logo.png)"),
            new_code_cell("", outputs=[new_output("display_data", data={"text/html": '<p id="fig-1">stray</p>'})]),
        ],
    )
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f'<img src="data:image/png;base64,{PNG}" alt="logo"/>' in text
    assert '<p id="09-local--id-fig-1">stray</p>' in text


def test_event_handlers_removed_however_written(tmp_path):
    chapter = _write(
        tmp_path,
        "10-handlers",
        [
            new_markdown_cell(
                "# Handlers\n\n"
                '<p onclick="alert(5)" ONCLICK="alert(6)" class="x">para</p>\n\n'
                '<a href=" javascript:alert(7)">link</a> <svg viewBox="0 0 1 1"><a xlink:href="javascript:alert(8)"/></svg>'
            ),
            new_code_cell(
                "",
                outputs=[
                    new_output(
                        "display_data", data={"text/html": f'<img/src="data:image/png;base64,{PNG}"/onerror=alert(4)>'}
                    )
                ],
            ),
        ],
    )
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"alert|onerror|onclick|javascript", text, re.I)
    assert f'<img src="data:image/png;base64,{PNG}"/>' in text
    assert '<p class="x">para</p>' in text
    assert '<svg viewBox="0 0 1 1">' in text  # SVG names keep their spelling


MARKUP_ATTACKS = {
    # markup that tries to be read one way by the sanitiser (an HTML5 parser) and another by
    # Python's parser or a browser (a <style> inside an SVG holds markup, elsewhere text)
    "svg-style-breakout": f'<svg></p><style><a id="</style><img src=data:image/png;base64,{PNG} onerror=alert(1)>">',
    "noscript-breakout": f'<noscript><p title="</noscript><img src=data:image/png;base64,{PNG} onerror=alert(2)>"></noscript>',
    "style-attribute-breakout": '<svg></p><style><a id="</style><p onclick=alert(3) style=color:red>x</p>">',
    "foreign-object": '<svg><foreignObject><p onclick="alert(4)">fo</p><iframe srcdoc="<script>alert(5)</script>">in</iframe></foreignObject></svg>',
    "css-outside-svg": '<style>@import url(http://evil.example/x.css);</style><p style="background:url(http://evil.example/y)">s</p>',
    "svg-css-url": '<svg><style>*{fill:url(http://evil.example/x)}</style><path d="M0 0" style="fill:url(http://evil.example/y)"/></svg>',
    "forms": '<form action="http://evil.example"><input onfocus=alert(6) autofocus><button formaction="javascript:alert(7)">b</button></form>',
    "encoded-javascript": '<a href="java&#x09;script:alert(8)">j</a><a href="&#106;avascript:alert(9)">k</a>',
    "svg-animate-href": '<svg><a href="javascript:alert(10)"><text>t</text></a><animate attributeName="href" to="javascript:alert(11)"/></svg>',
    "comment": "<!-- <img src=x onerror=alert(12)> -->",
    "svg-style-text": "<svg><style>&lt;/style&gt;&lt;img src=x onerror=alert(13)&gt;</style></svg>",
    "svg-title-text": "<svg><title>&lt;/title&gt;&lt;img src=x onerror=alert(14)&gt;</title></svg>",
}


@pytest.mark.parametrize("case", sorted(MARKUP_ATTACKS))
def test_markup_attacks_leave_nothing_active(tmp_path, case):
    chapter = _write(
        tmp_path,
        "11-attack",
        [
            new_markdown_cell("# Attack"),
            new_code_cell("", outputs=[new_output("display_data", data={"text/html": MARKUP_ATTACKS[case]})]),
        ],
    )
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    body = text[text.index('<main class="report-body">') :]
    assert not re.search(
        r"<[^>]*\son\w+=|javascript|evil\.example|<iframe|<form|<input|<script|<img src=.x", body, re.I
    )
    assert body.count("<style") == 0  # no stylesheet survives outside matplotlib's plain SVG one


MONGOLIAN_CYRILLIC = "Монгол Улсын Зэвсэгт хүчин: Өмнөговь, Үндэсний батлан хамгаалах"


def test_mongolian_cyrillic_is_drawn_with_the_bundled_fonts(tmp_path):
    """Cyrillic in data (Mongolian letters Ө and Ү included) uses the bundled faces, never a system font."""
    from pypdf import PdfReader

    chapter = _write(tmp_path, "12-cyr", [
        new_markdown_cell(f"# Sources\n\n{MONGOLIAN_CYRILLIC}\n\n*{MONGOLIAN_CYRILLIC}*\n\n## **{MONGOLIAN_CYRILLIC}**"),
    ])  # fmt: skip
    render_html(META, [chapter], tmp_path / "r.html")
    render_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Өмнөговь" in text and "Үндэсний" in text
    used = {
        re.sub(r"^/[A-Z]{6}\+", "", str(f.get_object()["/BaseFont"]))
        for page in reader.pages
        for f in page["/Resources"].get("/Font", {}).values()
    }
    # "Source-Serif-4..." from WeasyPrint, "SourceSerif4Cyrillic-..." from Typst: the bundled faces either way
    assert used and all(name.replace("-", "").startswith(("SourceSerif4", "SourceSans3")) for name in used), used


@pytest.mark.parametrize("char", ["\u182e", "中", "\u05d0"])  # Mongolian script, Chinese, Hebrew
def test_a_character_no_bundled_font_has_stops_the_render_naming_the_cell(tmp_path, char):
    import unicodedata

    chapter = _write(tmp_path, "13-script", [
        new_markdown_cell("# Names"),
        new_code_cell("t", outputs=[new_output("display_data", data={"text/html": f"<p>Title: Монгол {char}x</p>"})]),
    ])  # fmt: skip
    with pytest.raises(RenderError) as err:
        render_html(META, [chapter], tmp_path / "r.html")
    assert str(err.value) == (
        f"chapter 13-script: notebook 13-script.ipynb, cell 2 shows 'Title: Монгол {char}x' with the character {char!r} "
        f"(U+{ord(char):04X} {unicodedata.name(char)}), which the report's fonts cannot draw (they cover Latin and "
        "Cyrillic, Mongolian Cyrillic included); write it in those scripts, or add a font that has it to src/partnerships/fonts"
    )
    assert not (tmp_path / "r.html").exists()


def test_external_link_becomes_plain_text(tmp_path):
    chapter = _write(
        tmp_path, "06-ext", [new_markdown_cell("# Ext\n\nRead [the SIPRI page](https://www.sipri.org/x) here.")]
    )
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<p>Read <a>the SIPRI page</a> here.</p>" in text
    assert "sipri.org" not in text


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["Bad Id"], "chapter id 'Bad Id' is not slug-safe (lowercase letters, digits and single or double hyphens)"),
        (["a", "a"], "chapter id 'a' appears twice in the report"),
        (["fig-1"], "chapter id 'fig-1' is reserved by the report page"),
    ],
)
def test_bad_chapter_ids_refused(tmp_path, ids, message):
    nb = _write(tmp_path, "x", [new_markdown_cell("# X")])["notebook"]
    with pytest.raises(RenderError) as err:
        render_html(META, [{"id": i, "notebook": nb} for i in ids], tmp_path / "r.html")
    assert str(err.value) == message


def test_wide_and_long_tables_marked_for_print(tmp_path, shown):
    import pandas as pd

    wide = pd.DataFrame({f"c{i}": [i] for i in range(9)})
    narrow = pd.DataFrame({f"c{i}": [i] for i in range(8)})
    long = pd.DataFrame({"year": range(26)})  # 26 body rows + the header row
    short = pd.DataFrame({"year": range(24)})  # 24 + 1 = 25 rows: not long
    chapter = _write(
        tmp_path,
        "08-wide",
        [
            new_markdown_cell("# Wide"),
            *(
                new_code_cell("", outputs=[shown(present.table, df, "T", sources="a")])
                for df in (wide, narrow, long, short)
            ),
        ],
    )
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.findall(r"<table[^>]*>", text) == [
        '<table class="dataframe report-table table-wide">',
        '<table class="dataframe report-table">',
        '<table class="dataframe report-table">',
        '<table class="dataframe report-table">',
    ]
    assert re.findall(r'<figure class="([^"]+)"', text) == ["report-figure"] * 2 + [
        "figure-long report-figure",
        "report-figure",
    ]


def test_chapter_without_h1_is_titled_by_its_id(tmp_path):
    chapter = _write(tmp_path, "07-untitled", [new_markdown_cell("Just text.\n\n## A section")])
    render_html(META, [chapter], tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<h1 id="07-untitled" class="chapter-title">07-untitled</h1>' in text
    assert '<a href="#07-untitled--a-section">' in _toc(text)


def test_chapter_title_rule():
    md_first = new_notebook(cells=[new_markdown_cell("# Exercises\n\ntext"), new_markdown_cell("# Later")])
    assert export.chapter_title(md_first, "x") == "Exercises"
    generated = new_notebook(
        cells=[
            new_code_cell("p = 1", metadata={"tags": ["parameters"]}),
            new_code_cell("", outputs=[new_output("display_data", data={"text/markdown": "# Partner profile: Japan"})]),
        ]
    )
    assert export.chapter_title(generated, "x") == "Partner profile: Japan"
    assert export.chapter_title(new_notebook(cells=[new_markdown_cell("no heading")]), "08-id") == "08-id"
    assert slugify("Who trains whom? (1990–2024)") == "who-trains-whom-1990-2024"


# ------------------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def pdf(report):
    out = report["tmp"] / "report.pdf"
    render_pdf(report["html"], out)
    return out


def test_pdf_text_pages_and_contents(pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    n = len(reader.pages)
    pages = [p.extract_text() for p in reader.pages]
    assert "Mongolia's Defence Partnerships" in pages[0]
    assert "Page" not in pages[0]  # the cover has no footer
    assert f"Page 2 of {n}" in pages[1]
    assert f"Page {n} of {n}" in pages[-1]
    full = "\n".join(pages)
    assert "Overview of partners" in full and "Partner profile: Russia" in full
    # contents page: each chapter with the page it starts on
    start = {
        t: next(i + 1 for i, p in enumerate(pages) if i > 1 and t in p)
        for t in ("Overview of partners", "Partner profile: Russia")
    }
    for title, page in start.items():
        assert re.search(re.escape(title) + r"[ .]*" + str(page) + r"\b", pages[1]), (title, page, pages[1])
    # running header: the chapter title, then the report title, on one line; the footer below
    assert f"Overview of partners {META['title']}\n" in pages[2] + "\n" and f"Page 3 of {n}" in pages[2]
    assert f"Partner profile: Russia {META['title']}\n" in pages[-1] + "\n" and f"Page {n} of {n}" in pages[-1]
    assert "<script>alert(1)</script>" in full  # shown as text


def test_pdf_bookmarks_links_fonts_metadata(pdf, report):
    from pypdf import PdfReader

    reader = PdfReader(pdf)

    def titles(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from titles(it, depth + 1)
            else:
                yield depth, it.title

    outline = list(titles(reader.outline))
    assert outline == [
        (0, "Overview of partners"),
        (1, "Agreements by partner"),
        (1, "Training"),
        (0, "Partner profile: Russia"),
        (1, "Exercises over time"),
        (1, "Equipment"),
    ]
    links = [
        a.get_object() for p in reader.pages for a in p.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"
    ]
    assert len(links) >= 6  # contents entries are clickable
    fonts = {}
    for page in reader.pages:
        for f in page["/Resources"].get("/Font", {}).values():
            f = f.get_object()
            desc = (f.get("/DescendantFonts") or [f])[0].get_object().get("/FontDescriptor")
            fonts[str(f["/BaseFont"])] = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    # the bundled faces only ("Source-Serif-4-Italic" from WeasyPrint, "SourceSerif4-Italic" from Typst);
    # Source Sans 3 Regular is the chart text
    assert {re.sub(r"^/[A-Z]{6}\+|,$|-|Regular$", "", name) for name in fonts} == {
        "SourceSerif4",
        "SourceSerif4Italic",
        "SourceSerif4Bold",
        "SourceSans3SemiBold",
        "SourceSans3",
    }
    assert all(fonts.values()), fonts  # every font embedded
    assert reader.metadata.title == "Mongolia's Defence Partnerships"
    assert reader.metadata.author == "Test Analyst"
    # dates come from the edition, never from the clock
    assert re.fullmatch(r"D:20260501(000000Z?)?", reader.metadata["/CreationDate"])  # midnight of the edition
    assert re.fullmatch(r"D:20260501(000000Z?)?", reader.metadata["/ModDate"])
    raw = pdf.read_bytes()
    for forbidden in (str(report["tmp"]).encode(), b"/tmp/", b"/work/", b"file://"):  # ("profile: Russia" is fine)
        assert forbidden not in raw


def test_pdf_bytes_reproducible(pdf, report):
    again = report["tmp"] / "again.pdf"
    render_pdf(report["html"], again)
    assert again.read_bytes() == pdf.read_bytes()


def test_pdf_fetches_nothing_from_the_network(tmp_path, monkeypatch):
    import weasyprint

    opened = []

    def no_network(self, req, *a, **kw):
        opened.append(getattr(req, "full_url", req))
        raise OSError("network disabled in this test")

    monkeypatch.setattr(weasyprint.URLFetcher, "open", no_network)
    page = tmp_path / "p.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta name="dcterms.created" content="2026-05-01">'
        '<link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><p>Hi</p><img src="http://example.org/x.png"></body></html>',
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match=r"^the PDF could not draw 1 image\(s\) \(an image: "):
        render_pdf(page, tmp_path / "p.pdf")  # the web image is refused, and a missing image fails the PDF
    assert not (tmp_path / "p.pdf").exists()
    assert [u for u in opened if str(u).startswith("http")] == []
