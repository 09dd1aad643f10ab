"""deployments: one row per operation abroad that an article lists, marked UN, coalition or NATO."""

from partnerships.data.schemas._helpers import dtypes, locator, not_after, schema, source_id, text, year

SCHEMA = schema(
    {
        "operation": text(required=True),
        "country": text(required=True),
        "framework": text(required=True, isin=["UN", "coalition", "NATO", "unknown"]),
        "start_year": year(required=False),
        "end_year": year(required=False),
        "source_id": source_id(),
        "locator": locator(),
        "dates_source_id": source_id(required=False),
        "dates_locator": text(),
        "note": text(),
    },
    checks=[not_after("start_year", "end_year")],
)
DTYPES = dtypes(SCHEMA)
KEY = ["operation", "country"]
FOREIGN_KEYS = {
    "source_id": ("sources", "source_id"),
    "dates_source_id": ("sources", "source_id"),
    "country": ("partners", "partner"),
}
