"""alliances: one row per partner and spell of consecutive years with the same ATOP obligations toward Mongolia (flags 0/1; ATOP ends 2018)."""
from partnerships.data.schemas._helpers import dtypes, integer, locator, schema, source_id, text, year


def _flag():
    return integer(required=True, min_value=0, max_value=1)

SCHEMA = schema({
    "partner": text(required=True),
    "year_from": year(),
    "year_to": year(),
    "defense": _flag(),
    "offense": _flag(),
    "neutral": _flag(),
    "nonagg": _flag(),
    "consul": _flag(),
    "source_id": source_id(),
    "locator": locator(),
})
DTYPES = dtypes(SCHEMA)
KEY = ["partner", "year_from"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "partner": ("partners", "partner")}
