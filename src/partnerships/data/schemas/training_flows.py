"""training_flows: one row per stated flow of trainees between Mongolia and a partner (count as the source words it)."""

from partnerships.data.schemas._helpers import count, dtypes, locator, schema, source_id, text

SCHEMA = schema(
    {
        "partner": text(required=True),
        "direction": text(required=True, isin=["mongolians_abroad", "foreigners_in_mongolia"]),
        "trainees": text(required=True),
        "count": count(),
        "qualifier": text(required=True, isin=["about", "over", "nearly", "exactly", "several", "some"]),
        "unit": text(required=True, isin=["per_year", "total", "unknown"]),
        "period": text(),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["partner", "direction", "trainees", "source_id", "locator"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "partner": ("partners", "partner")}
