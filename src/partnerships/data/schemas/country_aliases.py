"""country_aliases: one row per name variant that pycountry does not resolve to the canonical partner name."""

from partnerships.data.schemas._helpers import dtypes, schema, text

SCHEMA = schema(
    {
        "alias": text(required=True),
        "partner": text(required=True),
        "iso3": text(pattern=r"^[A-Z]{3}$", pattern_error="not an ISO alpha-3 code (three capital letters)"),
        "kind": text(required=True, isin=["state", "historical", "organization"]),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["alias"]
FOREIGN_KEYS: dict = {}
