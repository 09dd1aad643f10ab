"""UN peacekeeping open data (Department of Peace Operations), as processed by the GitHub project
``corinnee/UN_Peacekeeping_Analytics`` -> ``pk_contributors`` and ``pk_yearly``.

Two upstream files, told apart by their header:

* ``Rank.csv`` (the UN's ``odp_contributionranks``: every contributor on one date, with the UN's
  own rank; columns ``ISOCode3, M49_Code, Contributing_Country, Personnel_Contribution_Rank,
  Female_Personnel, Male_Personnel, Total_Uniformed_Personnel, Last_Reporting_Date``) ->
  ``pk_contributors``, every row (a head-count on that date). Dates such as ``31-Jan-21``
  become ISO dates.
* ``CountryByYear.csv`` (first column the R row number with an empty header, then ``Year,
  Country, Mission, Female, Male, Total``): yearly means of the monthly counts, computed by
  the project with a missing month counted as 0 -> ``pk_yearly`` (measure ``un_yearly_mean``)
  for the comparison countries (``_common.COMPARISON``), rows with a total above 0.

The project's yearly means have known defects, read from the data by the provenance notes of
the shared collection (section 17) and kept as data: ``usable`` is true only for 2011 and
2018-2020; the other years carry the defect in ``quality`` (``YEAR_QUALITY``).
``locator``: the upstream line number.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import COMPARISON, canonical_partner, clean
from partnerships.data.importers.ipi import CONTRIBUTOR_COLUMNS, TABLE_CONTRIBUTORS

SOURCE_ID = "un_pk_open_data"
TABLE_YEARLY = "pk_yearly"
YEARLY_COLUMNS = [
    "country",
    "year",
    "mission",
    "measure",
    "personnel",
    "troops",
    "police",
    "observers",
    "female",
    "n_bases",
    "usable",
    "quality",
    "source_id",
    "locator",
]
YEARLY_KEY = ["country", "year", "mission", "measure"]
RANK_HEADER = ["ISOCode3", "Contributing_Country", "Personnel_Contribution_Rank", "Total_Uniformed_Personnel"]
YEARLY_HEADER = ["Year", "Country", "Mission", "Female", "Male", "Total"]

USABLE_YEARS = (2011, 2018, 2019, 2020)
YEAR_QUALITY = {
    2010: "12 countries only",
    2012: "months missing: understated",
    2013: "one month short: understated",
    2014: "one month short: understated",
    2015: "one month short: understated",
    2016: "one month short: understated",
    2017: "months missing: understated",
    2021: "January only / 12",
}


def parse(path: Path) -> dict[str, pd.DataFrame]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [clean(h) for h in next(reader, [])]
        records = [(reader.line_num, rec) for rec in reader if rec]
    if all(h in header for h in RANK_HEADER):
        return {TABLE_CONTRIBUTORS: _ranks(header, records)}
    if header[1:7] == YEARLY_HEADER:
        return {TABLE_YEARLY: _yearly(header, records)}
    raise ValueError(
        f"{Path(path).name}: not the UN contribution ranking (Rank.csv) or the yearly means by country and mission "
        f"(CountryByYear.csv) (header: {', '.join(header[:6])})"
    )


def _date(text: str) -> str:
    return datetime.strptime(clean(text), "%d-%b-%y").strftime("%Y-%m-%d")


def _ranks(header, records) -> pd.DataFrame:
    i = {h: k for k, h in enumerate(header)}
    rows = [
        {
            "date": _date(r[i["Last_Reporting_Date"]]),
            "iso3": clean(r[i["ISOCode3"]]),
            "country": clean(r[i["Contributing_Country"]]),
            "personnel": int(clean(r[i["Total_Uniformed_Personnel"]])),
            "female": int(clean(r[i["Female_Personnel"]])),
            "un_rank": int(clean(r[i["Personnel_Contribution_Rank"]])),
            "source_id": SOURCE_ID,
            "locator": f"Rank.csv line {n}",
        }
        for n, r in records
    ]
    return pd.DataFrame(rows, columns=CONTRIBUTOR_COLUMNS)


def _yearly(header, records) -> pd.DataFrame:
    wanted = set(COMPARISON)
    rows = []
    for n, r in records:
        total = float(clean(r[6]) or 0)
        if total <= 0:
            continue
        try:
            country = canonical_partner(clean(r[2]))
        except ValueError:
            continue
        if country not in wanted:
            continue
        year = int(clean(r[1]))
        rows.append(
            {
                "country": country,
                "year": year,
                "mission": clean(r[3]),
                "measure": "un_yearly_mean",
                "personnel": total,
                "troops": None,
                "police": None,
                "observers": None,
                "female": float(clean(r[4]) or 0),
                "n_bases": None,
                "usable": year in USABLE_YEARS,
                "quality": YEAR_QUALITY.get(year, ""),
                "source_id": SOURCE_ID,
                "locator": f"CountryByYear.csv line {n}",
            }
        )
    return pd.DataFrame(rows, columns=YEARLY_COLUMNS)
