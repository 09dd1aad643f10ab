"""The report as a publication: the cover (edition, data as of, producer, suggested
citation, link to what changed), citation metadata in the HTML head, and annexes lettered
after the numbered chapters (a manifest mistake about annexes is one clear message)."""

from __future__ import annotations

import html as htmllib
import os
import re
import subprocess
import sys

import pytest
import yaml
from conftest import report_files


@pytest.fixture(scope="module")
def doc(real_report) -> tuple[str, dict]:
    html = report_files(real_report)[0].read_text(encoding="utf-8")
    meta = yaml.safe_load((real_report / "report.yml").read_text(encoding="utf-8"))
    return html, meta


def cover_of(html: str) -> str:
    m = re.search(r'<header class="cover" id="report-cover">(.*?)</header>', html, flags=re.S)
    assert m, "no cover"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


def test_cover_carries_edition_data_as_of_producer_and_citation(doc):
    html, meta = doc
    cover = cover_of(html)
    assert meta["title"] in cover
    y, m, d = (int(x) for x in str(meta["edition"]).split("-"))
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    assert f"EDITION {d} {months[m - 1]} {y}".lower() in cover.lower()
    ay, am = (int(x) for x in str(meta["data_as_of"]).split("-")[:2])
    assert f"Data as of {months[am - 1]} {ay}".lower() in cover.lower()
    assert f"Produced by {meta['producer']}".lower() in cover.lower()
    citation = f"{meta['producer']} ({y}). {meta['title']}: {meta['subtitle']}. Edition of {d} {months[m - 1]} {y}."
    assert f"Suggested citation: {citation}" in cover.replace("’", "'")
    # the citation is also machine-readable in the head
    assert f'<meta name="citation_title" content="{meta["title"]}">' in htmllib.unescape(html)
    assert f'<meta name="citation_publication_date" content="{meta["edition"]}">' in html
    # and the cover links to the section on what changed since the previous edition
    link = re.search(r'<p class="report-changes-link"><a href="#([^"]+)">', html)
    assert link and f'id="{link.group(1)}"' in html


def test_annexes_are_lettered_after_the_numbered_chapters(doc):
    html, meta = doc
    entries = [e if isinstance(e, dict) else {"notebook": e} for e in meta["chapters"]]
    n_annex = sum(1 for e in entries if e.get("annex"))
    kickers = re.findall(r'<p class="chapter-kicker"[^>]*>([^<]+)</p>', html)
    annexes = [k for k in kickers if k.startswith("Annex")]
    assert annexes == [f"Annex {chr(ord('A') + i)}" for i in range(n_annex)]
    assert kickers[-n_annex:] == annexes  # annexes come last
    numbered = [k for k in kickers if k.startswith("Chapter")]
    assert numbered == [f"Chapter {i}" for i in range(1, len(numbered) + 1)]


FIXTURE_MANIFEST = """\
name: fixture
title: Fixture report
edition: 2026-01-01
chapters:
  - notebook: notebooks/01-summary.ipynb
    annex: {annex}
  - notebooks/02-profile.ipynb
"""


@pytest.mark.parametrize(
    "annex, message",
    [
        ('"yes please"', "6: chapter 1: annex: must be true or false, got 'yes please'"),
        ("1", "6: chapter 1: annex: must be true or false, got 1"),
        ("true", "7: chapter 2: a numbered chapter cannot follow an annex (annexes come last)"),
    ],
)
def test_an_annex_mistake_is_one_clear_message(project, annex, message):
    (project / "report.yml").write_text(FIXTURE_MANIFEST.format(annex=annex), encoding="utf-8")
    before = sorted(p.name for p in (project / "report").glob("*")) if (project / "report").exists() else []
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(project))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == f"error: report.yml:{message}"  # line: chapter: key: what is wrong
    assert not (project / "build" / "executed").exists()  # no kernel ran
    after = sorted(p.name for p in (project / "report").glob("*")) if (project / "report").exists() else []
    assert after == before


@pytest.mark.parametrize("value", ["2025-13", "May 2025", "25-05"])
def test_data_as_of_must_be_a_date(project, value):
    text = (
        (project / "report.yml")
        .read_text(encoding="utf-8")
        .replace("edition: 2026-01-01", f"edition: 2026-01-01\ndata_as_of: {value}")
    )
    (project / "report.yml").write_text(text, encoding="utf-8")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(project))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 2
    assert (
        res.stderr
        == f"error: report.yml:5: data_as_of: must be a date written as YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}\n"
    )


def test_fixture_manifest_has_the_edition_line():
    from fixture_project import MANIFEST

    assert "edition: 2026-01-01" in MANIFEST  # the data_as_of test edits that line


def test_data_as_of_is_the_newest_dated_row_the_report_uses():
    """The cover's "data as of" is not typed from memory: it is the month of the newest dated row in
    the dated tables the main chapters read (events, US troops, UN personnel, spending, arms)."""
    import pandas as pd

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    meta = yaml.safe_load(open(os.path.join(root, "report.yml"), encoding="utf-8"))
    newest = []
    for name, col in [("events", "date"), ("us_troops", "date"), ("pk_monthly", "date"), ("pk_yearly", "year")]:
        df = pd.read_csv(os.path.join(root, "data", f"{name}.csv"), dtype=str, keep_default_na=False)
        vals = [v for v in df[col] if re.match(r"^\d{4}", v)]
        newest.append(max(v[:7] if len(v) >= 7 else v[:4] + "-12" for v in vals))
    assert str(meta["data_as_of"]) == max(newest), (meta["data_as_of"], newest)
