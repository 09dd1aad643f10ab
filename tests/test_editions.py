"""Editions: the facts file of a build, the register, the changes section and `partnerships diff`.

A fixture project (the repository's data/ and two small notebooks that cite computed
values) is built, registered, then changed in exactly three ways: one data value, one
parameter and one source's date. The changes section and `partnerships diff` must list
those three effects (and the numbers that follow from them) and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat as nbf
import pytest

from partnerships.engine import editions

REPO = Path(__file__).resolve().parents[1]

PEAK = """
import json
from IPython.display import display
from partnerships import data
from partnerships.analysis import present
pk = data.load("pk_monthly")
total = pk["troops"] + pk["police"] + pk["experts"]
peak = int(total.max())
VALUE = "application/vnd.partnerships.value+json"
display({VALUE: {"name": "peak", "value": peak, "text": f"{peak:,}", "unit": "personnel",
                 "label": "peak UN deployment", "sources": ["ipi_pk"]},
         "text/plain": f"peak = {peak:,}"}, raw=True)
display({VALUE: {"name": "months", "value": len(pk), "text": str(len(pk)), "unit": "months",
                 "label": "months covered", "sources": ["ipi_pk"]},
         "text/plain": f"months = {len(pk)}"}, raw=True)
top = pk.assign(total=total).nlargest(3, "total")[["date", "total"]]
present.table(top, "The three largest months", sources=["ipi_pk"])
"""

SINCE = """
from IPython.display import display
VALUE = "application/vnd.partnerships.value+json"
display({VALUE: {"name": "since", "value": year, "text": str(year), "unit": "year", "label": "first year shown",
                 "sources": []}, "text/plain": f"since = {year}"}, raw=True)
"""


def _nb(cells, params=None):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = [nbf.v4.new_markdown_cell(cells[0])] + [nbf.v4.new_code_cell(textwrap.dedent(c).strip()) for c in cells[1:]]
    if params:
        p = nbf.v4.new_code_cell(params)
        p.metadata["tags"] = ["parameters"]
        out.insert(1, p)
    nb.cells = out
    return nb


MANIFEST = """\
name: fixture
title: Fixture report
edition: {edition}
author: Test suite
timeout: 120
chapters:
  - notebooks/01-peak.ipynb
  - notebook: notebooks/02-since.ipynb
    parameters: {{year: {year}}}
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root))
    return subprocess.run(
        [sys.executable, "-m", "partnerships.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def write_manifest(root: Path, edition: str, year: int) -> None:
    (root / "report.yml").write_text(MANIFEST.format(edition=edition, year=year), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions") / "proj"
    shutil.copytree(REPO / "data", root / "data")
    (root / "notebooks").mkdir()
    nbf.write(_nb(["# Peak\n\nThe peak was {{peak}}.", PEAK]), root / "notebooks" / "01-peak.ipynb")
    nbf.write(
        _nb(["# Since\n\nShown from {{since}}.", SINCE], params="year: int = 2000  # first year; range: 1990..2025"),
        root / "notebooks" / "02-since.ipynb",
    )
    write_manifest(root, "2026-01-01", 2001)
    res = run(root, "build", "--jobs", "2", "--no-pdf")
    assert res.returncode == 0, res.stderr
    return root


def facts_of(root: Path) -> dict:
    return json.loads((root / "report" / "fixture.facts.json").read_text(encoding="utf-8"))


def html_of(root: Path) -> str:
    return (root / "report" / "fixture.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_build_writes_its_facts_sorted_and_complete(project):
    raw = (project / "report" / "fixture.facts.json").read_text(encoding="utf-8")
    facts = json.loads(raw)
    assert raw == editions.dumps(facts)  # sorted keys, stable layout
    import pandas as pd

    pk = pd.read_csv(project / "data" / "pk_monthly.csv")
    peak = int((pk["troops"] + pk["police"] + pk["experts"]).max())
    assert facts["values"]["01-peak/peak"]["value"] == peak
    assert facts["values"]["01-peak/months"]["value"] == len(pk)
    assert facts["values"]["02-since/since"]["value"] == 2001
    assert facts["parameters"]["02-since"] == {"year": 2001}  # the manifest's value over the default
    table = facts["tables"]["01-peak/The three largest months"]
    assert len(table["rows"]) == 3
    assert facts["sources"]["ipi_pk"]["accessed"]
    assert facts["edition"] == "2026-01-01"


def test_the_first_edition_says_there_is_nothing_to_compare_with(project):
    text = text_of(html_of(project))
    assert "What changed since the previous edition?" in text
    assert "is the first registered for comparison" in text


def test_publish_registers_the_edition_and_refuses_a_second_time(project):
    res = run(project, "publish", "--note", "fixture, first edition")
    assert res.returncode == 0, res.stderr
    folder = project / "editions" / "2026-01-01"
    assert json.loads((folder / "facts.json").read_text()) == facts_of(project)
    record = json.loads((folder / "edition.json").read_text())
    assert record["edition"] == "2026-01-01" and record["note"] == "fixture, first edition" and record["commit"]
    again = run(project, "publish", "--note", "again")
    assert again.returncode == 2
    assert "edition 2026-01-01 is already registered" in again.stderr


def test_two_builds_with_no_change_report_no_change(project):
    res = run(project, "build", "--jobs", "2", "--no-pdf")
    assert res.returncode == 0, res.stderr
    out = run(project, "diff", "2026-01-01", "working")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Changes from edition 2026-01-01 to working",
        "No change: every value, table, judgment, parameter and source is the same.",
    ]


def test_one_value_one_parameter_one_source_date_and_nothing_else(project):
    import pandas as pd

    pk_path = project / "data" / "pk_monthly.csv"
    pk = pd.read_csv(pk_path, dtype=str, keep_default_na=False)
    totals = pk["troops"].astype(int) + pk["police"].astype(int) + pk["experts"].astype(int)
    old_peak = int(totals.max())
    i = int(totals.idxmax())
    pk.loc[i, "troops"] = str(int(pk.loc[i, "troops"]) + 100)
    pk.to_csv(pk_path, index=False, lineterminator="\n")
    src_path = project / "data" / "sources.csv"
    src = pd.read_csv(src_path, dtype=str, keep_default_na=False)
    old_accessed = src.loc[src["source_id"] == "ipi_pk", "accessed"].item()
    src.loc[src["source_id"] == "ipi_pk", "accessed"] = "2026-01-15"
    src.to_csv(src_path, index=False, lineterminator="\n")
    write_manifest(project, "2026-02-01", 2005)

    res = run(project, "build", "--jobs", "2", "--no-pdf")
    assert res.returncode == 0, res.stderr
    old = json.loads((project / "editions" / "2026-01-01" / "facts.json").read_text(encoding="utf-8"))
    d = editions.diff(old, facts_of(project))
    assert [(v["key"], v["kind"]) for v in d["values"]] == [("01-peak/peak", "changed"), ("02-since/since", "changed")]
    assert d["values"][0]["shown"] == f"{old_peak:,} to {old_peak + 100:,} (+100, {100 * 100 / old_peak:+.1f}%)"
    assert d["parameters"] == [{"chapter": "02-since", "parameter": "year", "old": 2001, "new": 2005}]
    assert d["sources"] == [
        {
            "kind": "revised",
            "source": "ipi_pk",
            "title": src.loc[src["source_id"] == "ipi_pk", "title"].item(),
            "fields": [{"field": "accessed", "old": old_accessed, "new": "2026-01-15"}],
        }
    ]
    assert [t["key"] for t in d["tables"]] == ["01-peak/The three largest months"]  # the peak month's row
    assert d["judgments"] == [] and d["chapters"] == []

    text = text_of(html_of(project))
    assert "Compared with the edition of 2026-01-01 (fixture, first edition)" in text
    assert f"peak UN deployment: {old_peak:,} to {old_peak + 100:,}" in text
    assert "02-since: year 2001 to 2005" in text
    assert f"accessed {old_accessed} to 2026-01-15" in text

    out = run(project, "diff", "2026-01-01")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Changes from edition 2026-01-01 to working"
    assert [ln for ln in lines if not ln.startswith("  ")] == [
        "Changes from edition 2026-01-01 to working",
        "Numbers: 2",
        "Tables: 1",
        "Method (parameters): 1",
        "Data sources: 1",
    ]


def test_diff_names_unknown_editions(project):
    out = run(project, "diff", "1999-01-01", "working")
    assert out.returncode == 2
    assert "no registered edition '1999-01-01'" in out.stderr
