"""AidData, China's Public Diplomacy Dashboard Dataset v2.0 (``ChinesePublicDiplomacy.csv``) -> ``china_visits``.

Load: one row per receiving country and year (2000-2018) with counts of Chinese public
diplomacy; ``military_visits`` (high-level military visits between China and the country,
from Allen, Saunders and Chen 2017, *Chinese Military Diplomacy, 2003-2016*, NDU INSS) and
``government_visits``; ``N/A`` where the dataset does not cover the year.
Process: keep the comparison countries (``_common.COMPARISON`` less China itself); ``N/A`` (or
an empty cell) becomes an empty value (not covered), never 0.
Save: ``data/china_visits.csv``; ``locator`` is the upstream line number.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import COMPARISON, canonical_partner, clean

SOURCE_ID = "aiddata_china_pd"
TABLE = "china_visits"
COLUMNS = ["country", "year", "military_visits", "government_visits", "source_id", "locator"]
KEY = ["country", "year"]
NEEDED = ["receiving_country", "year", "military_visits", "government_visits"]


def _count(text: str):
    text = clean(text)
    return None if text in ("", "N/A", "NA") else int(round(float(text)))


def parse(path: Path) -> dict[str, pd.DataFrame]:
    wanted = set(COMPARISON) - {"China"}
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in NEEDED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{Path(path).name}: not AidData's public diplomacy file (missing columns: {', '.join(missing)})"
            )
        for rec in reader:
            try:
                country = canonical_partner(clean(rec["receiving_country"]))
            except ValueError:
                continue
            if country not in wanted:
                continue
            rows.append(
                {
                    "country": country,
                    "year": int(clean(rec["year"])),
                    "military_visits": _count(rec["military_visits"]),
                    "government_visits": _count(rec["government_visits"]),
                    "source_id": SOURCE_ID,
                    "locator": f"line {reader.line_num}",
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
