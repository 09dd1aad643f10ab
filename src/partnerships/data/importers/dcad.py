"""Defense Cooperation Agreement Dataset v1.0 (``DCAD-v1.0-main.csv``) -> ``agreements``.

Load: Kinne's agreement-level file ``DCAD-v1.0-main.csv`` (1980-2010, one row per agreement,
``ccode1``/``ccode2`` COW codes, sign date, ``type`` general|sector, ``category1..3``,
``categoryConf``, ``sourceType`` treaty|factiva, ``DCAid``).
Process: agreements with Mongolia (COW 712) on either side; the partner is the other state,
named through the COW code mapping (``partnerships.data.countries.from_cow``, ``data/cow_codes.csv``). DCAD's negative codes (-88, -99, -66)
are missing/not-applicable markers and become empty. ``description`` is built from the
categories (e.g. "DCA; DIC") so it says what DCAD coded, nothing more.
Save: the ``dcad`` rows of ``data/agreements.csv`` (rows from other sources, such as the
article-stated agreements, are kept). ``agreement_id`` and ``locator`` are DCAD's ``DCAid``.
DCAD ends in 2010 and has no Mongolia-China agreement.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.countries import from_cow
from partnerships.data.importers._common import clean

SOURCE_ID = "dcad"
TABLE = "agreements"
MONGOLIA = 712
COLUMNS = [
    "agreement_id",
    "partner",
    "year",
    "date",
    "type",
    "category",
    "description",
    "dcad_source_type",
    "confidence",
    "source_id",
    "locator",
]
KEY = ["agreement_id"]
CATEGORY_NAMES = {
    "DCA": "defense cooperation agreement",
    "TREX": "training and exercises",
    "PROCUREMENT": "defense procurement",
    "DIC": "defense industrial cooperation",
    "COMMISSION": "joint commission",
    "RESEARCH": "research and development",
}


def _code(text: str) -> str:
    text = clean(text)
    return "" if text.startswith("-") else text


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            c1, c2 = int(rec["ccode1"]), int(rec["ccode2"])
            if MONGOLIA not in (c1, c2):
                continue
            other = c2 if c1 == MONGOLIA else c1
            year = int(rec["signYear"])
            month, day = _code(rec["signMonth"]), _code(rec["signDay"])
            date = (
                f"{year:04d}-{int(month):02d}-{int(day):02d}"
                if month and day
                else (f"{year:04d}-{int(month):02d}" if month else "")
            )
            cats = [_code(rec[c]) for c in ("category1", "category2", "category3") if _code(rec[c])]
            rows.append(
                {
                    "agreement_id": clean(rec["DCAid"]),
                    "partner": from_cow(other, year),
                    "year": year,
                    "date": date,
                    "type": clean(rec["type"]),
                    "category": "; ".join(cats),
                    "description": "DCAD "
                    + clean(rec["type"])
                    + " agreement: "
                    + "; ".join(CATEGORY_NAMES.get(c, c.lower()) for c in cats),
                    "dcad_source_type": clean(rec["sourceType"]),
                    "confidence": clean(rec["categoryConf"]),
                    "source_id": SOURCE_ID,
                    "locator": clean(rec["DCAid"]),
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
