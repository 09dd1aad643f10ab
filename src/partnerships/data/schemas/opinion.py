"""opinion: one row per reported poll figure (share of respondents, in percent 0-100)."""

from partnerships.data.schemas._helpers import dtypes, locator, number, schema, source_id, text, year

SCHEMA = schema(
    {
        "year": year(),
        "question": text(required=True),
        "response": text(required=True),
        "share_pct": number(required=True, min_value=0, max_value=100),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["year", "response", "source_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
