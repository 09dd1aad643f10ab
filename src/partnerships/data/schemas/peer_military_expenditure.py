"""peer_military_expenditure: one row per (country, measure, year): military spending of Mongolia's peers and its two neighbours (SIPRI 2025 release, 1990-2024).

Same measures and units as ``military_expenditure`` (Mongolia's own rows are there, not here):
``constant_2023_usd_m`` and ``current_usd_m`` US$ million, ``share_gdp_pct`` percent (SIPRI's
fraction x 100), ``per_capita_usd`` current US$ per person. Empty ``value`` = missing (SIPRI
"..." or "xxx"; ``note`` says which).
"""

from partnerships.data.schemas._helpers import dtypes, locator, number, schema, source_id, text, year

MEASURES = ["constant_2023_usd_m", "current_usd_m", "share_gdp_pct", "per_capita_usd"]
SCHEMA = schema(
    {
        "country": text(required=True),
        "year": year(),
        "measure": text(required=True, isin=MEASURES),
        "value": number(min_value=0),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["country", "measure", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "country": ("partners", "partner")}
