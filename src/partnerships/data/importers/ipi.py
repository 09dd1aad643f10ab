"""IPI Peacekeeping Database files -> ``pk_monthly`` and ``pk_missions``.

Three upstream formats, told apart by their header:

* the per-country file ``ppp_files/countries/Mongolia.csv`` of IPI's PPP_Loader
  (header ``"Date","Troops","Police","Experts"``) -> ``pk_monthly``: one row per month-end.
* the single-month snapshot ``ppp_files/current_month/current_month.csv`` (76 columns, one
  row per contributor x mission) -> ``pk_missions`` rows for Mongolia, ``source_id`` ipi_pk;
  and ``pk_contributors``: every contributor's total uniformed personnel that month (the sum
  of IPI's ``Total`` over its missions), so that Mongolia can be ranked among all contributors.
* the TCC-DataScraper ``Gender.Full.csv`` (first column has an empty header; columns such as
  ``Troops Male``) -> ``pk_missions`` rows for Mongolia by sex, ``source_id`` ipi_gender.
  The full file is 2.3 MB; this importer also reads the Mongolia-only extract of it (same
  columns), which is what the committed table was built from.

IPI writes ``NA`` where the UN count was zero (IPI converted zeros to NA), so ``NA`` becomes 0.
In ``pk_missions`` a zero count is not written, except the mission's overall total (type
``total``, sex ``total``), which is always there: a missing (type, sex) row means 0.

``pk_missions`` is tidy: one row per (date, mission, personnel_type, sex) with ``count``;
``personnel_type`` in troops | individual_police | formed_police | civilian_police | experts |
observers | total (the current-month file reports ``Observers`` alongside ``Experts_on_Mission``;
they overlap, so do not add them: ``total`` is IPI's own total) and
``sex`` in male | female | total. ``locator`` is the line number in the upstream file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import clean

TABLE_MONTHLY = "pk_monthly"
TABLE_MISSIONS = "pk_missions"
MONTHLY_COLUMNS = ["date", "troops", "police", "experts", "source_id", "locator"]
MONTHLY_KEY = ["date"]
MISSION_COLUMNS = ["date", "mission", "personnel_type", "sex", "count", "source_id", "locator"]
MISSION_KEY = ["date", "mission", "personnel_type", "sex", "source_id"]
TABLE_CONTRIBUTORS = "pk_contributors"
CONTRIBUTOR_COLUMNS = ["date", "iso3", "country", "personnel", "female", "un_rank", "source_id", "locator"]
CONTRIBUTOR_KEY = ["date", "iso3"]

# current_month.csv column -> personnel_type (all sexes together)
CURRENT_MONTH = {
    "Troops": "troops",
    "Inidividual_Police": "individual_police",  # upstream spelling
    "Individual_Police": "individual_police",
    "Formed_Police_Units": "formed_police",
    "Civilian_Police": "civilian_police",
    "Experts_on_Mission": "experts",
    "Observers": "observers",
    "Total": "total",
}
GENDER_TYPES = {
    "Individual Police": "individual_police",
    "Formed Police Units": "formed_police",
    "Experts on Mission": "experts",
    "Troops": "troops",
    "Total": "total",
}


def count(text) -> int:
    text = clean(text)
    return 0 if text in ("", "NA") else int(float(text))


def parse(path: Path, source_id: str = "ipi_pk") -> dict[str, pd.DataFrame]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [clean(h) for h in next(reader)]
        records = [(reader.line_num, rec) for rec in reader]
    if header[:4] == ["Date", "Troops", "Police", "Experts"]:
        return {TABLE_MONTHLY: _monthly(header, records)}
    if "Contributor" in header and "Troops Male" in header:
        return {TABLE_MISSIONS: _gender(header, records)}
    if "Contributor" in header and "Mission" in header:
        return {TABLE_MISSIONS: _current_month(header, records), TABLE_CONTRIBUTORS: _contributors(header, records)}
    raise ValueError(
        f"{Path(path).name}: not an IPI country, current-month or gender file (header: {', '.join(header[:6])})"
    )


def _monthly(header, records) -> pd.DataFrame:
    rows = [
        {
            "date": clean(r[0]),
            "troops": count(r[1]),
            "police": count(r[2]),
            "experts": count(r[3]),
            "source_id": "ipi_pk",
            "locator": f"line {n}",
        }
        for n, r in records
        if r
    ]
    return pd.DataFrame(rows, columns=MONTHLY_COLUMNS)


def _current_month(header, records) -> pd.DataFrame:
    idx = {h: i for i, h in enumerate(header)}
    rows = []
    for n, r in records:
        if not r or clean(r[idx["Contributor"]]) != "Mongolia":
            continue
        for col, ptype in CURRENT_MONTH.items():
            if col in idx:
                n_ = count(r[idx[col]])
                if n_ == 0 and ptype != "total":
                    continue
                rows.append(
                    {
                        "date": clean(r[idx["Date"]]),
                        "mission": clean(r[idx["Mission"]]),
                        "personnel_type": ptype,
                        "sex": "total",
                        "count": n_,
                        "source_id": "ipi_pk",
                        "locator": f"line {n}; column {col}",
                    }
                )
    return pd.DataFrame(rows, columns=MISSION_COLUMNS)


def _contributors(header, records) -> pd.DataFrame:
    """One row per (date, contributor): the sum of ``Total`` over its missions; locator = its lines."""
    idx = {h: i for i, h in enumerate(header)}
    if "Contributor_ISO-3" not in idx or "Total" not in idx:
        raise ValueError("current-month file without the columns Contributor_ISO-3 and Total")
    acc: dict[tuple[str, str], dict] = {}
    for n, r in records:
        if not r:
            continue
        key = (clean(r[idx["Date"]]), clean(r[idx["Contributor_ISO-3"]]))
        a = acc.setdefault(key, {"country": clean(r[idx["Contributor"]]), "personnel": 0, "lines": []})
        a["personnel"] += count(r[idx["Total"]])
        a["lines"].append(n)
    rows = [
        {
            "date": d,
            "iso3": iso,
            "country": a["country"],
            "personnel": a["personnel"],
            "female": None,
            "un_rank": None,
            "source_id": "ipi_pk",
            "locator": f"{_span(a['lines'])}; column Total (sum over missions)",
        }
        for (d, iso), a in acc.items()
    ]
    return pd.DataFrame(rows, columns=CONTRIBUTOR_COLUMNS)


def _span(lines: list[int]) -> str:
    """[3, 4, 5, 9] -> 'lines 3-5, 9'."""
    lines = sorted(lines)
    parts, start, prev = [], lines[0], lines[0]
    for x in lines[1:] + [None]:
        if x is not None and x == prev + 1:
            prev = x
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if x is not None:
            start = prev = x
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(parts)


def _gender(header, records) -> pd.DataFrame:
    idx = {h: i for i, h in enumerate(header)}
    rows = []
    for n, r in records:
        if not r or clean(r[idx["Contributor"]]) != "Mongolia":
            continue
        for label, ptype in GENDER_TYPES.items():
            for sex in ("Male", "Female", "Total"):
                col = f"{label} {sex}"
                n_ = count(r[idx[col]])
                if n_ == 0 and (ptype, sex) != ("total", "Total"):
                    continue
                rows.append(
                    {
                        "date": clean(r[idx["Date"]]),
                        "mission": clean(r[idx["Mission"]]),
                        "personnel_type": ptype,
                        "sex": sex.lower(),
                        "count": n_,
                        "source_id": "ipi_gender",
                        "locator": f"line {n}; column {col}",
                    }
                )
    return pd.DataFrame(rows, columns=MISSION_COLUMNS)
