"""Every figure's and table's data one click away (issue 14): CSV links, the dataset zip.

Unit level: spreadsheet-safe cells (= + - @ neutralised, numbers left alone), the CSV's
first lines, the link the renderer puts under a figure, a zip that is byte-identical and
holds every data file. Real report: every figure and table has its link, a table's CSV
holds the same rows as the table, and Chromium downloads the files by a click.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html as htmllib
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import report_files

from partnerships.analysis import present
from partnerships.engine import downloads

META = {"title": "A Report", "subtitle": "on things", "author": "Someone", "name": "a-report"}
EDITION = dt.date(2026, 11, 30)
CITATION = "Someone. A Report: on things. Edition of 2026-11-30."


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+A1", "@SUM(A1)", '=HYPERLINK("x")', "\tx", "-"])
def test_formula_like_text_is_neutralised(cell):
    assert present.safe_cell(cell) == "'" + cell
    assert downloads._safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3", "+4.5", "12", "1e-3", "plain", "", "a=b", " =x"])
def test_numbers_and_ordinary_text_stay_as_they_are(cell):
    assert present.safe_cell(cell) == cell
    assert downloads._safe(cell) == cell


def test_csv_text_first_lines_header_and_cells():
    df = pd.DataFrame({"=name": ["=cmd|' /C calc'!A0", "Russia", "-x"], "n": [-3, 4, 5], "share": [0.5, -1.25, None]})
    text = present.csv_text(df, "=A title", "Source: Somewhere.")
    lines = text.splitlines()
    assert lines[0] == "# '=A title" and lines[1] == "# Source: Somewhere."
    rows = list(csv.reader(io.StringIO("\n".join(lines[2:]))))
    assert rows[0] == ["'=name", "n", "share"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-3", "0.5"]  # numbers stay numbers
    assert rows[3] == ["'-x", "5", ""]
    # no cell that a spreadsheet would evaluate, whatever the column
    for row in rows:
        for c in row:
            assert not (c and c[0] in "=+-@" and not re.fullmatch(r"[-+]?\d+(\.\d+)?", c)), c


def _decode(href: str) -> str:
    assert href.startswith("data:text/csv;charset=utf-8;base64,")
    return base64.b64decode(href.split(",", 1)[1]).decode("utf-8")


def test_renderer_turns_data_attribute_into_a_link_under_the_figure():
    csv_text = present.csv_text(pd.DataFrame({"a": [1, 2]}), "T", "Source: S.")
    chapter = (
        f'<figure class="report-figure" data-csv="{htmllib.escape(csv_text, quote=True)}" data-kind="table" id="tab-7">'
        '<div class="table-body"><table></table></div><p class="source-line">Source: S.</p></figure><p>after</p>'
    )
    out = downloads.figure_links(chapter, META, EDITION, CITATION)
    assert "data-csv" not in out
    m = re.search(
        r'<p class="data-download"><a href="([^"]+)" download="a-report-table-7.csv">Download the data of Table 7 \(CSV\)</a></p></figure><p>after</p>',
        out,
    )
    assert m, out
    text = _decode(m.group(1))
    assert text.splitlines()[:4] == [
        "# A Report, edition of 2026-11-30: Table 7",
        "# Suggested citation: Someone. A Report: on things. Edition of 2026-11-30.",
        "# T",
        "# Source: S.",
    ]
    assert text.endswith("a\n1\n2\n")


def test_dataset_zip_is_reproducible_complete_and_safe(project):
    data = project / "data"
    (data / "geo").mkdir(parents=True, exist_ok=True)
    (data / "evil.csv").write_text("partner,note\nRussia,=1+1\nChina,-2\n", encoding="utf-8")
    (data / "plain.csv").write_text('partner,note\r\nJapan,"a, b"\r\n', encoding="utf-8")
    (data / "README.md").write_text("# Data\n", encoding="utf-8")
    (data / "geo" / "world.geojson").write_text("{}", encoding="utf-8")
    a, b = downloads.dataset_zip(META, EDITION, CITATION), downloads.dataset_zip(META, EDITION, CITATION)
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    names = z.namelist()
    expected = sorted(
        "data/" + p.relative_to(project / "data").as_posix() for p in (project / "data").rglob("*") if p.is_file()
    )
    assert names == ["CITATION.txt"] + expected
    assert all(i.date_time == (2026, 11, 30, 0, 0, 0) for i in z.infolist())
    assert z.read("data/evil.csv").decode() == "partner,note\nRussia,'=1+1\nChina,-2\n"
    assert "Someone. A Report: on things. Edition of 2026-11-30." in z.read("CITATION.txt").decode()
    # files without such cells keep their values, written as UTF-8 with LF line endings (a BOM or
    # Windows line endings in data/ do not change the download)
    assert z.read("data/plain.csv") == b'partner,note\nJapan,"a, b"\n'
    assert z.read("data/README.md") == b"# Data\n"  # other files byte for byte


# ---------------------------------------------------------------- the real report


@pytest.fixture(scope="module")
def real_html(real_report) -> Path:
    return report_files(real_report)[0]


def test_every_figure_and_table_offers_its_data(real_html):
    html = real_html.read_text(encoding="utf-8")
    figures = re.findall(r'<figure\b[^>]*\bid="((?:fig|tab)-\d+)"[^>]*>(.*?)</figure>', html, re.S)
    # every numbered figure and table (one caption label each) is found, and the report has both kinds
    assert len(figures) == len(re.findall(r'class="caption-label"', html))
    assert {f[0].split("-")[0] for f in figures} == {"fig", "tab"} and len(figures) >= 20
    for fid, body in figures:
        kind, n = ("Table" if fid.startswith("tab") else "Figure"), fid.split("-")[1]
        m = re.search(
            r'<a href="(data:text/csv[^"]+)" download="[^"]+-'
            + kind.lower()
            + "-"
            + n
            + r'\.csv">Download the data of '
            + kind
            + " "
            + n
            + " ",
            body,
        )
        assert m, f"{fid}: no data link"
        text = _decode(m.group(1))
        assert text.startswith("# Mongolia's Defense Partnerships, edition of "), text[:80]
        assert f": {kind} {n}\n" in text.splitlines()[0] + "\n"
        head = [line for line in text.splitlines()[:4] if line.startswith("# ")]
        assert len(head) == 4, head  # report + edition + number, citation, title, source line
    assert "data-csv=" not in html


def test_a_tables_csv_holds_the_rows_of_the_table(real_html):
    html = real_html.read_text(encoding="utf-8")
    body = re.search(r'<figure\b[^>]*\bid="tab-1"[^>]*>(.*?)</figure>', html, re.S).group(1)
    n_rows = len(re.findall(r"<tr\b", re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)))
    text = _decode(re.search(r'<a href="(data:text/csv[^"]+)"', body).group(1))
    rows = list(csv.reader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("# ")))))
    assert len(rows) - 1 == n_rows


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium (.ci/run installs it)")
def test_downloads_work_in_chromium(real_html, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        ctx = b.new_context(accept_downloads=True)
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = ctx.new_page()
        page.goto(real_html.as_uri(), wait_until="load")
        link = page.locator("#fig-1 .data-download a")
        link.scroll_into_view_if_needed()
        with page.expect_download() as d:
            link.click()
        got = tmp_path / d.value.suggested_filename
        d.value.save_as(got)
        assert got.name.endswith("-figure-1.csv")
        assert got.read_text(encoding="utf-8").startswith("# Mongolia's Defense Partnerships, edition of ")
        zlink = page.locator("#report-dataset")
        zlink.scroll_into_view_if_needed()
        with page.expect_download() as d:
            zlink.click()
        got = tmp_path / d.value.suggested_filename
        d.value.save_as(got)
        names = zipfile.ZipFile(got).namelist()
        assert "CITATION.txt" in names and "data/sources.csv" in names
        ctx.close()
        b.close()


def test_a_figure_without_data_or_real_alt_text_is_refused():
    from partnerships.analysis import charts

    fig, ax = charts.new(2)
    ax.bar(["a"], [1])
    with pytest.raises(ValueError, match="no data to offer as CSV"):
        present.figure(fig, "A title", alt="One bar", sources=[])
    fig, ax = charts.new(2)
    with pytest.raises(ValueError, match="alt text must say what the figure shows"):
        present.figure(fig, "A title", alt="A title", sources=[], data=pd.DataFrame({"a": [1]}))


def test_chart_functions_attach_what_they_draw():
    from partnerships.analysis import charts, trends

    g = pd.DataFrame(
        {
            "group": ["Russia", "China", "Third neighbours"],
            "dimension": ["deliveries"] * 3,
            "period": ["2010-2014"] * 3,
            "value": [109.0, 0.0, 2.6],
        }
    )
    fig = trends.plot_groups(g)
    data = charts.attached_data(fig)
    assert list(data.columns) == ["group", "dimension", "period", "value"] and data["value"].tolist() == [
        109.0,
        0.0,
        2.6,
    ]
