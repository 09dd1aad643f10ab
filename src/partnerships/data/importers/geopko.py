"""Geo-PKO v2.3 troop-contributor map table (``TCCMap_v.2.3.csv``) -> ``pk_deployments``.

Load: ``data/TCCMap_v.2.3.csv`` of the Geo-PKO Shiny dashboard (Uppsala University),
columns ``mission, year, location, latitude, longitude, No.TCC, year.overview``; each row is
a mission-year-location listing every troop contributor there, e.g.
``"Mongolia (150), Nepal (650)"``.
Process: keep the rows whose ``year.overview`` lists Mongolia and parse Mongolia's own unit
size. Sizes are **estimates** read from map symbols (standard sizes such as 35, 150, 650),
not head-counts; ``Mongolia (size unknown)`` gives an empty ``mongolia_unit_size`` with
``unit_size_flag = size_unknown`` (else ``estimate``).
Save: ``data/pk_deployments.csv``; ``locator`` is the line number in the upstream file.
``host_country`` comes from the mission (a small mapping below: the UN mission's host state).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import clean

SOURCE_ID = "geopko"
TABLE = "pk_deployments"
COLUMNS = [
    "mission",
    "year",
    "location",
    "host_country",
    "latitude",
    "longitude",
    "mongolia_unit_size",
    "unit_size_flag",
    "contributors_at_location",
    "source_id",
    "locator",
]
KEY = ["mission", "year", "location"]
# UN mission -> host state (the missions in which Geo-PKO places Mongolian units, and neighbours)
MISSION_HOST = {
    "MINURCAT": "Chad",
    "UNMIL": "Liberia",
    "UNAMID": "Sudan",
    "UNMISS": "South Sudan",
    "UNMIS": "Sudan",
    "MONUC": "DR Congo",
    "MONUSCO": "DR Congo",
    "UNISFA": "Sudan",
    "MINURSO": "Western Sahara",
    "UNAMA": "Afghanistan",
    "UNFICYP": "Cyprus",
}
PATTERN = re.compile(r"(?:^|,\s*)Mongolia \(([^)]*)\)")


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            m = PATTERN.search(rec["year.overview"] or "")
            if not m:
                continue
            size = clean(m.group(1))
            unknown = not size.isdigit()
            rows.append(
                {
                    "mission": clean(rec["mission"]),
                    "year": int(rec["year"]),
                    "location": clean(rec["location"]),
                    "host_country": MISSION_HOST.get(clean(rec["mission"]), ""),
                    "latitude": float(rec["latitude"]),
                    "longitude": float(rec["longitude"]),
                    "mongolia_unit_size": None if unknown else int(size),
                    "unit_size_flag": "size_unknown" if unknown else "estimate",
                    "contributors_at_location": int(rec["No.TCC"]),
                    "source_id": SOURCE_ID,
                    "locator": f"line {reader.line_num}",
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
