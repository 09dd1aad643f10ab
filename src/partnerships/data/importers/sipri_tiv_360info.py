"""SIPRI TIV by year, 360info processed copy (``sipri-exports-processed.csv``) -> ``arms_tiv_by_year``.

Load: 360info's ``data/sipri-exports-processed.csv`` (https://github.com/360-info/report-arms-trade),
columns ``supplier, recipient, year, value, ...``.
Process: rows whose recipient is Mongolia; ``value`` is SIPRI TIV in millions for deliveries
in that year, rounded to whole numbers by SIPRI's table; suppliers get canonical partner names.
Save: ``data/arms_tiv_by_year.csv``; ``locator`` is the line number in the upstream file.
The series stops in 2021 (it misses the 2022 Australian EC145 deal).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import canonical_partner, clean

SOURCE_ID = "sipri_tiv_360info"
TABLE = "arms_tiv_by_year"
COLUMNS = ["supplier", "year", "tiv_m", "source_id", "locator"]
KEY = ["supplier", "year"]


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if clean(rec["recipient"]) != "Mongolia":
                continue
            value = float(rec["value"])
            rows.append(
                {
                    "supplier": canonical_partner(clean(rec["supplier"])),
                    "year": int(rec["year"]),
                    "tiv_m": int(value) if value.is_integer() else value,
                    "source_id": SOURCE_ID,
                    "locator": f"line {reader.line_num}",
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
