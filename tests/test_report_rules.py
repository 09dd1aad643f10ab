"""The report as a publication (issue 11): no internal ids in the main body, no sentence in
three or more places, and a PDF layout without lonely headings, near-empty pages or wrapped
contents leaders.

The rules live in tools/report_rules.py (a writer runs ``python tools/report_rules.py`` on
the last build). The first tests here show each checker finds a planted case and leaves
clean text alone; the last ones hold the real report to the rules (the real report is built
once per session by the ``real_report`` fixture).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import report_files

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import report_rules as rules  # noqa: E402

# ---------------------------------------------------------------------------- planted: reading the HTML

PLANTED_HTML = """<!DOCTYPE html><html lang="en"><head><title>T</title><style>.x{}</style></head><body>
<header class="cover" id="report-cover"><h1 class="report-title">Report</h1>
<p class="report-citation">Cite as the report of art_growth.</p></header>
<nav class="toc" id="report-contents"><h2 class="toc-title">Contents</h2><ol class="toc-chapters">
<li class="toc-chapter"><a href="#c1"><span class="toc-num">1</span> <span class="toc-text">Partners</span></a></li>
</ol></nav>
<main class="report-body">
<section class="chapter" data-chapter="1"><p class="chapter-kicker">Chapter 1</p>
<div class="md-cell"><h1 id="c1" class="chapter-title">Partners</h1>
<p>Russia leads (see opinion.csv and <em>training_flows</em>, line 16001).</p>
<ul><li>A list item citing DCADv1.0-1335.</li></ul></div>
<figure class="report-figure" data-kind="figure" data-csv="source_id,x&#10;art_forefront,1"><div class="figure-body">
<svg role="img" aria-label="Bars from mme3243"><title>Bars from mme3243</title><text style="font-size: 9px">growth_07</text></svg></div>
<figcaption><span class="caption-label">Figure 1</span> <span class="caption-title">Claims fc_tass_putin_visit_2024</span></figcaption>
<p class="source-line">Source: Article A.</p>
<p class="data-download"><a href="data:text/csv,source_id" download="x.csv">Download the data of Figure 1 (CSV)</a></p></figure>
<figure class="report-figure" data-kind="table"><div class="table-body"><table><caption><span class="caption-label">Table 1</span>
<span class="caption-title">Rows</span></caption><thead><tr><th>source_id</th></tr></thead>
<tbody><tr><td>Article A, para 4</td></tr></tbody></table></div></figure>
</section>
<section class="chapter annex" data-chapter="A"><p class="chapter-kicker">Annex A</p>
<div class="md-cell"><h1 id="a" class="chapter-title">Registers</h1><p>Row mme9999 of art_growth.</p></div></section>
</main><footer class="report-colophon"><p>Made from art_growth.</p></footer></body></html>"""


def planted_data(folder: Path) -> Path:
    """A small data/ folder: a sources table, a table with an underscore in its name and id columns."""
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "sources.csv").write_text(
        "source_id,short,tag\nart_growth,Article,Article A\nart_forefront,Article,Article B\n"
        "mme,Exercises dataset,MME\nfc_tass_putin_visit_2024,TASS,TASS 2024\n",
        encoding="utf-8",
    )
    (data / "claims.csv").write_text(
        "claim_id,source_id,locator,statement\ngrowth_07,art_growth,para 4,Russia trains 300.\n", encoding="utf-8"
    )
    (data / "training_flows.csv").write_text(
        "partner,count,source_id,locator\nRussia,300,art_forefront,para 4\n", encoding="utf-8"
    )
    (data / "agreements.csv").write_text(
        "agreement_id,partner,source_id,locator\nDCADv1.0-1335,Russia,mme,MMEID mme3243\n", encoding="utf-8"
    )
    (data / "opinion.csv").write_text(
        "year,share_pct,source_id,locator\n2024,40,art_growth,CountryByYear.csv line 16001\n", encoding="utf-8"
    )
    return data


def test_html_blocks_read_every_kind_of_text_and_split_at_the_first_annex():
    blocks = rules.html_blocks(PLANTED_HTML)
    kinds = {(b.part, b.kind) for b in blocks}
    assert ("Chapter 1 Partners", "prose") in kinds and ("Chapter 1 Partners", "cell") in kinds
    assert {("Chapter 1 Partners", k) for k in ("caption", "source", "alt", "chart", "heading")} <= kinds
    assert ("Cover", "prose") in kinds and ("Contents", "toc") in kinds
    body = rules.main_body(blocks)
    assert body[-1].part == "Chapter 1 Partners"
    assert not any("mme9999" in b.text or "Made from" in b.text for b in body)  # annex and colophon left out
    # the data behind a figure (CSV) and its download link are not reading text
    assert not any("Download the data" in b.text or "art_forefront" in b.text for b in blocks)


def test_forbidden_tokens_come_from_the_data_and_are_found_per_chapter(tmp_path):
    fb = rules.forbidden(planted_data(tmp_path))
    for token in ("art_growth", "fc_tass_putin_visit_2024", "mme", "growth_07", "training_flows", "opinion.csv"):
        assert token in fb.exact, token
    for token in ("source_id", "share_pct", "DCADv1.0-1335"):
        assert token in fb.exact, token
    found = rules.id_breaches(rules.main_body(rules.html_blocks(PLANTED_HTML)), fb)
    assert set(found) == {"Cover", "Chapter 1 Partners"}
    chapter = {why: set(c) for why, c in found["Chapter 1 Partners"].items()}
    assert chapter == {
        "a file name (in prose)": {"opinion.csv"},
        "a table name (in prose)": {"training_flows"},
        "row locator 'line N' (in prose)": {"line 16001"},
        "an id (agreements.agreement_id) (in prose)": {"DCADv1.0-1335"},
        "MME row id (in figure alt text)": {"mme3243"},
        "an id (claims.claim_id) (in chart text)": {"growth_07"},
        "a source id (in captions)": {"fc_tass_putin_visit_2024"},
        "a column name (agreements) (in table cells)": {"source_id"},
        "paragraph locator 'para N' (in table cells)": {"para 4"},
    }
    message = rules.format_id_breaches(found)
    assert "Chapter 1 Partners:\n" in message and "a source id (in prose): art_growth" in message


def test_the_real_data_forbids_the_ids_the_audit_found_and_nothing_a_reader_writes():
    fb = rules.forbidden(ROOT / "data")
    audit = "art_growth, fc_tass_putin_visit_2024, mme3243, DCADv1.0-1335, line 16001, training_flows, opinion.csv, source_id, growth_01, forefront_07, c04"
    assert sorted(t for t, _ in fb.find(audit)) == sorted(x.strip() for x in audit.split(","))
    assert [t for t, _ in fb.find("the claim growth_99 (a new one)")] == ["growth_99"]  # the shape of an id
    clean = (
        "Article A says Russia trains about 300 Mongolians a year; SIPRI arms and DCAD agree with MME and "
        "Troopdata on the rest. Khaan Quest 2010 drew 24 nations, and the 2006 deployment to Sierra Leone "
        "held the line for 14 months. Partners, exercises, events and opinion polls are counted per year "
        "in the data (downloadable as CSV). Mongolia's spending rose 49% in 2024 (SIPRI milex)."
    )
    assert fb.find(clean) == []


def test_each_locator_pattern_matches_a_locator_of_the_data():
    """The locator shapes are not guessed: each is one the tables use (else it is stale)."""
    locators = rules.data_locators(ROOT / "data")
    assert len(locators) > 1000
    unused = [why for why, rx in rules.LOCATOR_PATTERNS.items() if not any(re.search(rx, x) for x in locators)]
    assert unused == []
    assert any(re.search(rules.FILE_NAME, x) for x in locators)


# ---------------------------------------------------------------------------- planted: repeated sentences


def test_sentences_split_after_full_stops_but_not_after_abbreviations():
    text = 'The U.S. Army trained 300, e.g. in Texas. It said "yes." Then 2024 came! Was it? No. 5 was fine.'
    assert rules.sentences(text) == [
        "The U.S. Army trained 300, e.g. in Texas.",
        'It said "yes."',
        "Then 2024 came!",
        "Was it?",
        "No. 5 was fine.",
    ]


def test_a_sentence_in_three_places_is_found_with_its_count_and_chapters():
    boiler = "No source here records an exercise with this partner."
    blocks = [
        rules.Block(f"Chapter {i} Profile", False, "prose", f"{boiler} Partner {i} trains officers.") for i in (3, 4)
    ]
    blocks.append(rules.Block("Chapter 5 Profile", False, "cell", boiler))
    blocks.append(
        rules.Block("Chapter 5 Profile", False, "prose", "Twice only is allowed here. Twice only is allowed here.")
    )
    # headings, captions and source lines repeat by design; fragments without a full stop are not sentences
    blocks += [
        rules.Block("Chapter 6", False, k, "Source: SIPRI Arms Transfers Database (2025).") for k in ("source",) * 4
    ]
    blocks += [rules.Block("Chapter 6", False, "heading", "What does the relationship consist of?")] * 4
    blocks += [rules.Block("Chapter 6", False, "cell", "Visits and high-level contacts")] * 4
    found = rules.repeated_sentences(blocks)
    assert found == [(boiler, 3, ["Chapter 3 Profile", "Chapter 4 Profile", "Chapter 5 Profile"])]
    assert "3x in 3 chapter(s)" in rules.format_repeated(found) and boiler in rules.format_repeated(found)


# ---------------------------------------------------------------------------- planted: page layout

needs_pdftotext = pytest.mark.needs_tool("pdftotext")


def _typst_pdf(tmp_path: Path, body: str) -> Path:
    """A PDF with the report's page geometry, typeset by Typst from ``body``."""
    import typst

    from partnerships.engine import typst_pdf

    src = tmp_path / "t.typ"
    src.write_text(
        f'#set page(paper: "a4", margin: (top: {typst_pdf.MARGIN_TOP_MM}mm, bottom: {typst_pdf.MARGIN_BOTTOM_MM}mm, '
        f"x: {typst_pdf.MARGIN_X_MM}mm), header: [Running head], footer: context [Page #counter(page).display()])\n"
        + body,
        encoding="utf-8",
    )
    out = tmp_path / "t.pdf"
    out.write_bytes(typst.compile(str(src)))
    return out


@needs_pdftotext
def test_layout_checkers_find_a_planted_lonely_heading_or_caption_and_an_underfull_page(tmp_path):
    pdf = _typst_pdf(
        tmp_path,
        "= Cover\n#pagebreak()\n"  # page 1
        "= First chapter\n#lorem(60)\n#v(1fr)\n== A lonely heading\n#pagebreak()\n"  # page 2: ends with a heading
        "Next page text. #lorem(30)\n#pagebreak()\n"  # page 3: a few lines only (not a chapter's last page)
        "#lorem(60)\n#v(1fr)\nTable 9 Planted rows\n#pagebreak()\n"  # page 4: full, ends with a table's caption
        "#lorem(20)\n#pagebreak()\n"  # page 5: the chapter's last page
        "= Second chapter\n#lorem(20)\n#v(1fr)\nThe last line.\n#pagebreak()\n== Heading only\n",  # 6, 7
    )
    pages = rules.pdf_pages(pdf)
    assert len(pages) == 7
    blocks = [rules.Block("Chapter 1", False, "heading", h) for h in ("First chapter", "A lonely heading")]
    blocks += [rules.Block("Chapter 2", False, "heading", h) for h in ("Second chapter", "Heading only")]
    blocks += [
        rules.Block("Chapter 1", False, "caption", c) for c in ("Table 9 Planted rows", "Figure 9 The last line.")
    ]
    keep = rules.keep_with_next(blocks)
    assert sorted(keep.values()) == ["heading"] * 4 + ["table caption"]  # a figure's caption stands below it
    assert rules.orphan_headings(pages, keep) == [
        "page 2: ends with the heading 'A lonely heading'",
        "page 4: ends with the table caption 'Table 9 Planted rows' (its rows start on the next page)",
        "page 7: holds only a heading (Heading only)",
    ]
    fills = [rules.fill(p, rules.geometry(p)) for p in pages]
    assert fills[1] > 0.9 and fills[2] < 0.2 and fills[3] > 0.9
    # chapters start on pages 2 and 6: page 5 is a chapter's last page, page 7 the document's
    assert rules.underfull_pages(pages, [2, 6]) == [f"page 3: {fills[2]:.0%} full"]


def test_contents_checker_accepts_wrapped_titles_and_refuses_a_wrapped_leader_or_page_number():
    entries = [
        ("1", "Key judgments"),
        ("", "How many Mongolians has the United States trained, and in which programs?"),
    ]
    good = [
        "CONTENTS\n1 Key judgments . . . . . . . . . . . . \u20604\n"
        "    How many Mongolians has the United States trained, and in which pro\u00ad\n"
        "    grams? . . . . . . . . . . . . \u20605\n"
    ]
    assert rules.contents_problems(good, entries) == []
    leader_alone = ["1 Key judgments\n . . . . . . . . . . . . . 4\n" + good[0].split("\n", 2)[2]]
    assert rules.contents_problems(leader_alone, entries) == [
        "'Key judgments': the leader and page number stand alone on a line"
    ]
    number_alone = ["1 Key judgments . . . . . . . . . . . . . . .\n4\n" + good[0].split("\n", 2)[2]]
    assert rules.contents_problems(number_alone, entries) == [
        "'Key judgments': no leader and page number after its title (['1 Key judgments . . . . . . . . . . . . . . .', '4'])"
    ]
    missing = rules.contents_problems(["1 Key judgments . . . . 4\n"], entries)
    assert missing == [f"{entries[1][1]!r}: not found in the contents"]


# ---------------------------------------------------------------------------- the real report


@pytest.fixture(scope="module")
def real(real_report):
    html_path, pdf_path = report_files(real_report)
    html = html_path.read_text(encoding="utf-8")
    return {"root": real_report, "html": html, "pdf": pdf_path, "blocks": rules.html_blocks(html)}


def test_no_internal_id_file_or_column_name_in_the_main_body(real):
    body = rules.main_body(real["blocks"])
    assert any(b.part.startswith("Chapter ") for b in body) and not any(b.annex for b in body)
    found = rules.id_breaches(body, rules.forbidden(real["root"] / "data"))
    assert not found, (
        "internal ids, file, table or column names in the main body (cover to the first annex); cite a source by "
        "its tag (data.tag / data.tags), name datasets in words, and keep row ids and locators in the annex "
        "registers:\n" + rules.format_id_breaches(found)
    )


def test_no_sentence_in_three_or_more_places(real):
    found = rules.repeated_sentences(real["blocks"])
    assert not found, "sentences found verbatim in three or more places:\n" + rules.format_repeated(found)


@pytest.fixture(scope="module")
def layout(real):
    return rules.layout_problems(real["pdf"], real["html"])


@needs_pdftotext
def test_no_heading_alone_at_the_foot_of_a_page(layout):
    problems = layout["heading alone at the foot of a page"]
    assert not problems, "\n".join(problems)


@needs_pdftotext
def test_no_page_less_than_a_third_full_but_a_chapters_last(layout):
    problems = layout["page less than a third full"]
    assert not problems, "pages less than a third full (not a chapter's last page):\n" + "\n".join(problems)


@needs_pdftotext
def test_contents_entries_keep_title_leader_and_page_number_on_one_line(layout, real):
    assert len(rules.contents_entries(real["html"])) >= 20
    problems = layout["contents entry with its leader wrapped"]
    assert not problems, "\n".join(problems)


@needs_pdftotext
def test_the_command_line_prints_the_findings(real):
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "report_rules.py"), str(real["root"])], capture_output=True, text=True
    )
    assert "== 1. internal ids in the main body:" in res.stdout, res.stderr
    assert "== 3. page less than a third full:" in res.stdout
    assert res.returncode in (0, 1)
