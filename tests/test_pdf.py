"""The real report's PDF through real PDF readers: poppler's ``pdftotext`` and pypdf.

Checks: the page count is in the expected range; every chapter (titles taken from the
HTML's table of contents) is a top-level bookmark and a line of the printed table of
contents, and the page number printed there, the bookmark's target and the page where
the chapter heading actually is are the same page; every font is embedded; every figure
and table of the HTML has its "Figure N" / "Table N" caption in the PDF; every page but
the cover has the "Page X of Y" footer; the document metadata comes from report.yml.
"""

from __future__ import annotations

import html as htmllib
import re
import subprocess

import pytest
import yaml
from conftest import report_files

PAGES = (50, 160)  # 99 pages at the edition of 2026-11-25 (18 chapters)

pytestmark = pytest.mark.needs_tool("pdftotext")  # conftest: skipped if missing, failed under CI


@pytest.fixture(scope="module")
def real(real_report):
    html_path, pdf_path = report_files(real_report)
    from pypdf import PdfReader

    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True
    ).stdout
    pages = text.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    meta = yaml.safe_load((real_report / "report.yml").read_text(encoding="utf-8"))
    return {
        "html": html_path.read_text(encoding="utf-8"),
        "reader": PdfReader(pdf_path),
        "pages": pages,  # pages[0] is page 1
        "meta": meta,
    }


def chapter_titles(html: str) -> list[str]:
    """The chapter titles in the HTML's table of contents, in order."""
    items = re.findall(
        r'<li class="toc-chapter[^"]*"><a href="#[^"]+"><span class="toc-num">[0-9A-Z]+</span> <span class="toc-text">(.*?)</span>',
        html,
    )
    return [" ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in items]


def chapter_marks(html: str) -> list[str]:
    """What the contents print before each chapter: its number, or an annex's letter."""
    return re.findall(r'<li class="toc-chapter[^"]*"><a href="#[^"]+"><span class="toc-num">([0-9A-Z]+)</span>', html)


def kicker(mark: str) -> str:
    return f"CHAPTER {mark}" if mark.isdigit() else f"ANNEX {mark}"


def norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def test_page_count_in_range(real):
    n = len(real["reader"].pages)
    assert PAGES[0] <= n <= PAGES[1], n
    assert len(real["pages"]) == n


def test_metadata_from_the_manifest(real):
    info = real["reader"].metadata
    assert info.title == real["meta"]["title"]
    assert info.author == real["meta"]["author"]
    edition = str(real["meta"]["edition"]).replace("-", "")
    assert info["/CreationDate"].startswith(f"D:{edition}") and info["/ModDate"].startswith(f"D:{edition}")


def test_every_page_but_the_cover_has_page_x_of_y(real):
    pages = real["pages"]
    n = len(pages)
    missing = [i for i, text in enumerate(pages, start=1) if i > 1 and f"Page {i} of {n}" not in text]
    assert missing == [], f"pages without 'Page X of {n}': {missing}"
    assert f"Page 1 of {n}" not in pages[0]  # the cover has no footer


def test_chapters_in_bookmarks_toc_and_on_their_pages(real):
    titles = chapter_titles(real["html"])
    assert len(titles) >= 10, titles
    reader, pages = real["reader"], real["pages"]

    # bookmarks: one top-level entry per chapter, in order, each with its sections below
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [norm(o.title) for o in top] == [norm(t) for t in titles]
    bookmark_page = {norm(o.title): reader.get_destination_page_number(o) + 1 for o in top}

    # the printed contents: "N  Title . . . . . page", on the pages before chapter 1
    first = bookmark_page[norm(titles[0])]
    toc_text = "\n".join(pages[1 : first - 1])
    assert "CONTENTS" in toc_text.upper()
    toc_page = {}
    for m in re.finditer(r"^\s*(\d+|[A-Z])\s+(\S.*?)\s*(?:\.\s*){3,}\u2060?(\d+)\s*$", toc_text, flags=re.M):
        toc_page.setdefault(m.group(1), (norm(m.group(2).rstrip(". ")), int(m.group(3))))
    marks = chapter_marks(real["html"])
    assert list(toc_page) == marks and len(marks) == len(titles), toc_page
    for mark, title in zip(marks, titles):
        printed_title, printed_page = toc_page[mark]
        assert printed_title == norm(title), (mark, printed_title, title)
        assert printed_page == bookmark_page[norm(title)], (title, printed_page, bookmark_page[norm(title)])
        # the page itself starts the chapter: the kicker, then the title as heading
        page = norm(pages[printed_page - 1])
        assert f"{kicker(mark)} {norm(title)}" in page, (title, printed_page, page[:300])
        # and it is not on the page before
        assert f"{kicker(mark)} " not in norm(pages[printed_page - 2])
    # chapters come in order through the document
    starts = [toc_page[m][1] for m in marks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_fonts_are_embedded(real):
    reader = real["reader"]
    seen, missing = set(), []
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            if name in seen:
                continue
            seen.add(name)
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(name)
    assert seen, "no fonts found"
    assert missing == [], f"fonts not embedded: {missing}"
    # the report's own typefaces (bundled with the package) carry the text
    names = {f.replace("-", "") for f in seen}  # "SourceSerif4-Regular" (Typst) or "Source-Serif-4" (WeasyPrint)
    assert any("SourceSerif4" in f for f in names) and any("SourceSans3" in f for f in names), seen
    # and only they: a system font here would mean a glyph the bundled fonts lack (machine-dependent)
    assert [f for f in names if "SourceSerif4" not in f and "SourceSans3" not in f] == []


def test_every_figure_and_table_is_in_the_pdf(real):
    html, text = real["html"], "\n".join(real["pages"])
    kinds = re.findall(r'<figure\b[^>]*\bdata-kind="(figure|table)"', html)
    n_fig, n_tab = kinds.count("figure"), kinds.count("table")
    assert n_fig >= 10 and n_tab >= 5, (n_fig, n_tab)
    # captions start a line: "Figure N  title" (references in running text do not)
    fig_captions = {int(n) for n in re.findall(r"^\s*Figure (\d+)\b", text, flags=re.M)}
    tab_captions = {int(n) for n in re.findall(r"^\s*Table (\d+)\b", text, flags=re.M)}
    assert fig_captions == set(range(1, n_fig + 1)), sorted(set(range(1, n_fig + 1)) ^ fig_captions)
    assert tab_captions == set(range(1, n_tab + 1)), sorted(set(range(1, n_tab + 1)) ^ tab_captions)
    # figures are vector drawings, not pictures: no image XObjects where a chart should be
    images = sum(
        1
        for page in real["reader"].pages
        for x in ((page.get("/Resources") or {}).get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    )
    assert images == 0, f"{images} raster images in the PDF"
