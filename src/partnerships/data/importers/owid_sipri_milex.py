"""SIPRI military expenditure, OWID copy (``SIPRI Military Expenditure Database.csv``) -> ``military_expenditure``.

Load: OWID's dataset CSV (columns ``Entity, Year, military_expenditure,
military_expenditure_share_gdp, military_expenditure_per_capita``), an **older vintage**
of SIPRI's data (retrieved by OWID on 24 February 2022, constant 2019 US$).
Process: Mongolia rows. ``military_expenditure`` is in constant 2019 US **dollars** and
becomes US$ million (measure ``owid_constant_2019_usd_m``); the share of GDP is already in
percent (measure ``owid_share_gdp_pct``). Empty cells are left out. Kept so the report can
show how SIPRI's revisions move the series; the current figures are the ``sipri_milex`` rows.
Save: the ``owid_sipri_milex`` rows of ``data/military_expenditure.csv``; ``locator`` is the
upstream line number and column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import clean
from partnerships.data.importers.sipri_milex import COLUMNS, TABLE

SOURCE_ID = "owid_sipri_milex"
MEASURES = {
    "military_expenditure": ("owid_constant_2019_usd_m", 1e-6),
    "military_expenditure_share_gdp": ("owid_share_gdp_pct", 1),
}


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if clean(rec["Entity"]) != "Mongolia":
                continue
            for col, (measure, factor) in MEASURES.items():
                text = clean(rec.get(col))
                if text == "":
                    continue
                rows.append(
                    {
                        "year": int(rec["Year"]),
                        "measure": measure,
                        "value": round(float(text) * factor, 6),
                        "source_id": SOURCE_ID,
                        "locator": f"line {reader.line_num}; column {col}",
                        "note": "",
                    }
                )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
