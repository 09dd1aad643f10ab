"""aggregate_claims: one row per number a source states without naming the countries behind it."""

from partnerships.data.schemas._helpers import date, dtypes, locator, number, schema, source_id, text

METRICS = [
    "agreements_countries",
    "active_partners",
    "equipment_source_countries",
    "mongolian_attache_countries",
    "foreign_heads_of_state_at_parade",
]

SCHEMA = schema(
    {
        "claim_id": text(
            required=True,
            pattern=r"^[a-z][a-z0-9_]*$",
            pattern_error="not an id (lower case letters, digits, underscores)",
        ),
        "metric": text(required=True, isin=METRICS),
        "value": number(required=True, min_value=0),
        "unit": text(required=True, isin=["countries", "heads_of_state"]),
        "as_of": date(required=False),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["claim_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
