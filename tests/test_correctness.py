"""Guards for the errors an expert read of the 25 November edition found (issue 8).

Each section names the error, tests the case on small frames or on the curated data, and
tests the *class* of mistake so that the next data update cannot bring it back. Nothing
here reads ../shared: what a test needs from the articles is committed in data/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from partnerships import data
from partnerships.analysis import metrics, profile, training

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ANALYSIS = sorted((REPO / "src" / "partnerships" / "analysis").glob("*.py"))


def notebook_sources(kind: str | None = None) -> dict[str, str]:
    """notebook file name -> the joined source of its cells (of one kind, or all)."""
    out = {}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out[nb.name] = "\n".join("".join(c["source"]) for c in cells if kind is None or c["cell_type"] == kind)
    return out


# --------------------------------------------------------------------------- 1. planned + completed training
SENTINEL = 100_000  # students in a planned row: any output that adds planned rows shows a number this large


def us_training_two_reports() -> pd.DataFrame:
    """FY2000 given as planned by one report (sentinel numbers) and as completed by the next."""
    return pd.DataFrame({
        "fiscal_year": ["1999", "1999", "2000", "2000", "2000", "2000", "2000"],
        "program": ["IMET", "APC", "IMET", "FMF", "IMET", "APC", "PKO"],
        "program_group": ["IMET", "Other", "IMET", "FMF", "IMET", "Other", "PKO"],
        "students": ["235", "7", str(SENTINEL), str(SENTINEL), "100", "15", "5"],
        "cost_usd": ["1000", "10", str(SENTINEL), str(SENTINEL), "500", "20", "5"],
        "fy_reported_as_completed": [True, True, False, False, True, True, True],
        "totals_source": ["sum_of_courses"] * 7,
        "report": ["1999_2000_1"] * 4 + ["2000_2001"] * 3,
        "source_id": ["fmtr"] * 7,
        "locator": [f"r{i}" for i in range(7)],
    })


def test_us_profile_shows_completed_training_only():
    rows = profile.collect("United States", {"us_training": us_training_two_reports()})
    fy = rows.loc[rows["what"].str.startswith("FY2000"), "what"].tolist()
    assert fy == ["FY2000: 120 Mongolian students in 3 US programmes"]


def test_no_function_adds_planned_to_completed_training():
    """Every analysis function that sums US training gives the completed figure, never the sentinel."""
    us = us_training_two_reports()
    by_year = training.us_training_by_year(us)
    outputs = {
        "us_training_by_year": by_year,
        "yearly_totals": training.yearly_totals(by_year),
        "by_group": training.by_group(by_year, "students"),
        "profile.collect": profile.collect("United States", {"us_training": us})[["what"]],
    }
    value, _ = metrics.us_students_per_year(us)
    outputs["metrics.us_students_per_year"] = pd.DataFrame({"v": [value]})
    tm = metrics.training_metrics(pd.DataFrame(columns=["partner", "direction", "count", "unit"]), us)
    outputs["metrics.training_metrics"] = tm.select_dtypes("number")
    for name, df in outputs.items():
        text = df.astype(str).to_string()
        nums = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]
        assert max(nums, default=0) < SENTINEL, f"{name} adds planned training to completed training"
    totals = training.yearly_totals(by_year).set_index("fiscal_year")["students"]
    assert totals.to_dict() == {1999: 242, 2000: 120}


def test_us_training_is_summed_only_through_the_one_selection():
    """Code that sums US training students goes through training.us_training_by_year (one place)."""
    offenders = []
    for path in ANALYSIS:
        src = path.read_text(encoding="utf-8")
        if path.name != "training.py" and re.search(r"us_training", src) and re.search(r"\[\"students\"\]|students=", src):
            if "us_training_by_year" not in src:
                offenders.append(path.name)
    for name, src in notebook_sources("code").items():
        if "us_training" in src and "students" in src and "us_training_by_year" not in src:
            offenders.append(name)
    assert offenders == []
