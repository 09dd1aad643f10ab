"""china_visits: one row per (country, year): high-level visits between China and Mongolia or a peer (AidData public diplomacy v2.0, 2000-2018).

``military_visits``: high-level military visits (Allen, Saunders and Chen 2017); filled to 2015
for East Asia and the Pacific. ``government_visits``: high-level government visits. Empty =
not covered that year (the source's N/A), never 0.
"""

from partnerships.data.schemas._helpers import count, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "country": text(required=True),
        "year": year(),
        "military_visits": count(),
        "government_visits": count(),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["country", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "country": ("partners", "partner")}
