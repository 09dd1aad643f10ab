"""cow_codes: one row per Correlates of War state code (and period, where one code covers two states) -> partner name."""

from partnerships.data.schemas._helpers import count, dtypes, not_after, schema, text, year

SCHEMA = schema(
    {
        "ccode": count(required=True),
        "cow_abb": text(
            required=True, pattern=r"^[A-Z]{3}$", pattern_error="not a COW abbreviation (three capital letters)"
        ),
        "partner": text(required=True),
        "valid_from": year(required=False),
        "valid_to": year(required=False),
        "note": text(),
    },
    checks=[not_after("valid_from", "valid_to")],
)
DTYPES = dtypes(SCHEMA)
KEY = ["ccode", "valid_from"]
FOREIGN_KEYS: dict = {}
