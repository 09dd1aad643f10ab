"""Armed forces personnel -> ``armed_forces`` (two measures, two upstream formats).

* ``owid_personnel``: OWID's "Armed forces personnel as a share of the total population (OWID
  based on World Bank)" CSV (columns ``Entity, Year, Armed forces personnel (IISS via World Bank
  (2017)), ...``). IISS *Military Balance* counts via the World Bank: active forces including
  paramilitary, excluding reservists; Mongolia has values 1985-2015. measure
  ``iiss_active_personnel``, unit persons.
* ``cow_nmc``: Correlates of War National Material Capabilities v7.0. No raw file is stored
  here; the importer reads the **extract CSV format** written from peacesciencer's
  ``cow_nmc.rda`` (columns ``ccode, year, milex, milper, ...``; R ``NA`` empty). ``milper`` is in
  thousands and becomes persons (x 1000). measure ``cow_milper``; Mongolia is COW 712.

The file kind is told by its header. ``locator`` is the upstream line number (and column).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import clean

TABLE = "armed_forces"
COLUMNS = ["year", "measure", "personnel", "source_id", "locator"]
KEY = ["measure", "year"]
OWID_COLUMN = "Armed forces personnel (IISS via World Bank (2017))"


def parse(path: Path) -> dict[str, pd.DataFrame]:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        if OWID_COLUMN in fields:
            for rec in reader:
                value = clean(rec[OWID_COLUMN])
                if clean(rec["Entity"]) != "Mongolia" or value == "":
                    continue
                rows.append(
                    {
                        "year": int(rec["Year"]),
                        "measure": "iiss_active_personnel",
                        "personnel": int(round(float(value))),
                        "source_id": "owid_personnel",
                        "locator": f"line {reader.line_num}",
                    }
                )
        elif "milper" in fields and "ccode" in fields:
            for rec in reader:
                value = clean(rec["milper"])
                if int(float(rec["ccode"])) != 712 or value == "":
                    continue
                rows.append(
                    {
                        "year": int(float(rec["year"])),
                        "measure": "cow_milper",
                        "personnel": int(round(float(value) * 1000)),
                        "source_id": "cow_nmc",
                        "locator": f"line {reader.line_num}; column milper",
                    }
                )
        else:
            raise ValueError(
                f"{Path(path).name}: neither the OWID armed-forces file nor a COW NMC table (columns: {', '.join(fields[:6])})"
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
