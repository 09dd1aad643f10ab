"""The real report's PDF is a tagged, PDF/UA-1 identified document (issue 14), read with pypdf.

Checks the catalogue (/MarkInfo /Marked true, /Lang, the title shown), the XMP PDF/UA
identifier, and the structure tree: one /Figure per figure of the HTML, each with the
HTML's alt text as /Alt; every report table a /Table with header cells (/TH) and its
caption inside; chapter headings as /H1 in order. The tag tree is walked by
tools/pdf_tags.py, the script that prints it for a reader.
"""

from __future__ import annotations

import html as htmllib
import re
import sys
from pathlib import Path

import pytest
from conftest import report_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import pdf_tags  # noqa: E402


@pytest.fixture(scope="module")
def tagged(real_report):
    from pypdf import PdfReader

    html_path, pdf_path = report_files(real_report)
    reader = PdfReader(pdf_path)
    root = reader.trailer["/Root"]
    rows = pdf_tags.walk(root["/StructTreeRoot"], reader)
    return {
        "html": html_path.read_text(encoding="utf-8"),
        "reader": reader,
        "root": root,
        "rows": rows,
        "texts": pdf_tags.text_by_mcid(reader),
    }


def test_catalogue_says_tagged_language_and_title(tagged):
    root, reader = tagged["root"], tagged["reader"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert str(root["/Lang"]) == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    title = htmllib.unescape(re.search(r"<title>(.*?)</title>", tagged["html"]).group(1))
    assert reader.metadata.title == title


def test_xmp_identifies_pdf_ua_1(tagged):
    xmp = tagged["root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp), xmp[:400]


def test_every_figure_is_a_figure_element_with_the_html_alt_text(tagged):
    html = tagged["html"]
    alts = [htmllib.unescape(a) for a in re.findall(r'<svg role="img" aria-label="([^"]*)"', html)]
    assert len(alts) == len(re.findall(r'<figure\b[^>]*data-kind="figure"', html)) >= 10
    figures = [r[3] for r in tagged["rows"] if r[1] == "Figure"]
    pdf_alts = [str(f.get("/Alt", "")) for f in figures]
    assert all(a.strip() for a in pdf_alts), "a /Figure without /Alt"
    assert pdf_alts == alts  # same figures, same order, the text a screen reader speaks


def _subtree(rows, i):
    depth, j = rows[i][0], i + 1
    while j < len(rows) and rows[j][0] > depth:
        j += 1
    return rows[i + 1 : j]


def test_tables_have_header_cells_and_their_caption(tagged):
    html, rows, texts = tagged["html"], tagged["rows"], tagged["texts"]
    n_html = len(re.findall(r"<table\b", html))
    tables = [i for i, r in enumerate(rows) if r[1] == "Table"]
    assert len(tables) >= n_html >= 5  # a table broken across pages may be one /Table per page
    for i in tables:
        assert "TH" in [r[1] for r in _subtree(rows, i)], "a /Table without header cells"
    # each report table's caption ("Table N ...") is tied to its table: inside the /Table,
    # or grouped with it under one parent element
    captions = set()
    for i, r in enumerate(rows):
        if r[1] != "Caption":
            continue
        m = re.match(r"\s*Table (\d+)\b", pdf_tags.element_text(r[3], texts))
        if not m:
            continue
        parent = max(k for k in range(i) if rows[k][0] == r[0] - 1)
        assert rows[parent][1] == "Table" or "Table" in [x[1] for x in _subtree(rows, parent)], (
            f"Table {m.group(1)}: caption not with its table"
        )
        captions.add(int(m.group(1)))
    n_report = len(re.findall(r'<figure\b[^>]*data-kind="table"', html))
    assert captions == set(range(1, n_report + 1))


def test_chapter_headings_are_h1_in_order(tagged):
    html, rows, texts = tagged["html"], tagged["rows"], tagged["texts"]
    chapters = [
        " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", t)).split())
        for t in re.findall(r'<h1 id="[^"]+" class="chapter-title">(.*?)</h1>', html, re.S)
    ]
    h1 = [" ".join(pdf_tags.element_text(r[3], texts).split()) for r in rows if r[1] == "H1"]
    norm = lambda s: s.replace("’", "'")  # noqa: E731
    assert [norm(t) for t in h1[-len(chapters) :]] == [norm(t) for t in chapters]
