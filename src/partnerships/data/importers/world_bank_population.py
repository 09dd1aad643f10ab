"""World Bank total population (WDI ``SP.POP.TOTL``) -> ``population``.

Load: ``population.csv`` of the datahub core dataset ``datasets/population`` (columns
``Country Name, Country Code, Year, Value``; every country and aggregate, 1960-2024).
Process: keep

* the comparison countries (``_common.COMPARISON``: Mongolia, its peers and the two
  neighbours) for every year from ``FROM_YEAR``, and
* **every country** (a code ISO 3166 knows, or Kosovo's ``XKX``; aggregates such as ``WLD``
  or ``EAS`` are left out) in ``ALL_COUNTRY_YEARS``: the years of the snapshots that list
  every UN contributor (IPI's March 2014 file and the UN ranking of January 2021), so that
  contributions per inhabitant can be ranked among all contributors.

Save: ``data/population.csv``; ``locator`` is the line number in the upstream file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pycountry

from partnerships.data.importers._common import COMPARISON, clean, to_iso3

SOURCE_ID = "wb_population"
TABLE = "population"
COLUMNS = ["iso3", "country", "year", "population", "source_id", "locator"]
KEY = ["iso3", "year"]
FROM_YEAR = 1990
ALL_COUNTRY_YEARS = (2014, 2021)
EXTRA_CODES = {"XKX"}  # Kosovo: no ISO 3166 code, the World Bank uses XKX
HEADER = ["Country Name", "Country Code", "Year", "Value"]


def _is_country(code: str) -> bool:
    return code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


def parse(path: Path) -> dict[str, pd.DataFrame]:
    wanted = {to_iso3(c) for c in COMPARISON}
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [clean(h) for h in next(reader, [])]
        if header[:4] != HEADER:
            raise ValueError(
                f"{Path(path).name}: not the World Bank population file (header: {', '.join(header[:4])}; "
                f"expected {', '.join(HEADER)})"
            )
        for rec in reader:
            if not rec:
                continue
            code, year, value = clean(rec[1]), int(clean(rec[2])), clean(rec[3])
            keep = (code in wanted and year >= FROM_YEAR) or (year in ALL_COUNTRY_YEARS and _is_country(code))
            if not keep or value == "":
                continue
            rows.append(
                {
                    "iso3": code,
                    "country": clean(rec[0]),
                    "year": year,
                    "population": int(round(float(value))),
                    "source_id": SOURCE_ID,
                    "locator": f"line {reader.line_num}",
                }
            )
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
