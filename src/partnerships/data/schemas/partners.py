"""partners: one row per country (or organization) any table names; ``partner`` is the canonical name (see countries.py)."""

from partnerships.data.schemas._helpers import boolean, dtypes, locator, schema, source_id, source_ids, text

SCHEMA = schema(
    {
        "partner": text(required=True),
        "iso3": text(pattern=r"^[A-Z]{3}$", pattern_error="not an ISO alpha-3 code (three capital letters)"),
        "historical": boolean(),
        "named_in": source_ids(),
        "profile": boolean(),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["partner"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
MULTI_FOREIGN_KEYS = {"named_in": ("sources", "source_id")}
