"""military_expenditure: one row per (measure, year) of Mongolia's military spending (SIPRI 2025 release; OWID copy of the 2022 vintage).

``value`` is in the unit its measure names: ``*_usd_m`` US$ million, ``*_pct`` percent (SIPRI's
fractions x 100), ``per_capita_usd`` US$ per person, ``local_currency_m`` million tugriks.
Empty ``value`` = missing (SIPRI "..."/"xxx", or its 0 for current US$ 1987-1990); ``note`` says which.
"""

from partnerships.data.schemas._helpers import dtypes, locator, number, schema, source_id, text, year

MEASURES = [
    "constant_2023_usd_m",
    "current_usd_m",
    "share_gdp_pct",
    "share_govt_pct",
    "per_capita_usd",
    "local_currency_m",
    "owid_constant_2019_usd_m",
    "owid_share_gdp_pct",
]
SCHEMA = schema(
    {
        "year": year(),
        "measure": text(required=True, isin=MEASURES),
        "value": number(min_value=0),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["measure", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
