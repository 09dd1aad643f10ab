"""US military personnel in Mongolia (troopdata ``troopdata_rebuild_long``) -> ``us_troops``.

Load: no raw file is stored here (the upstream is an R ``.rda``); the importer reads the
**extract CSV format** written from it (columns include ``ccode, iso3c, year, month, quarter,
source, troops_ad``; R ``NA`` empty). Allen, Flynn and Martinez Machain, from DMDC reports.
Process: Mongolia rows (``iso3c`` MNG or ``ccode`` 712); ``troops`` is active-duty personnel
(``troops_ad``). A row with an empty ``source`` after 2001 had no DMDC report: its 0 is not a
count, so ``troops`` is left empty (Dec 2022, Mar 2023, Jun 2023). Before 2002 an empty source
means no recorded US presence, and 0 is kept (with a note).
``date`` is the last day of the reported month (quarter end; mid-year/year-end in early years).
Save: ``data/us_troops.csv``; ``locator`` is the upstream line number.
"""

from __future__ import annotations

import calendar
import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import clean

SOURCE_ID = "troopdata"
TABLE = "us_troops"
COLUMNS = ["date", "year", "quarter", "troops", "report_source", "source_id", "locator", "note"]
KEY = ["date"]
MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if clean(rec.get("iso3c")) != "MNG" and clean(rec.get("ccode")) != "712":
                continue
            year = int(float(rec["year"]))
            month = MONTHS[clean(rec["month"])]
            date = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
            src = clean(rec["source"])
            troops = int(float(rec["troops_ad"])) if clean(rec["troops_ad"]) else None
            note = ""
            if not src and year >= 2002:
                troops, note = None, "no DMDC report for this quarter: missing, not zero"
            elif not src:
                note = "no report; no recorded US presence (0 as in troopdata)"
            rows.append(
                {
                    "date": date,
                    "year": year,
                    "quarter": int(float(rec["quarter"])),
                    "troops": troops,
                    "report_source": src,
                    "source_id": SOURCE_ID,
                    "locator": f"line {reader.line_num}",
                    "note": note,
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
