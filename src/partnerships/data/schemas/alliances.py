"""alliances: one row per partner and spell of consecutive years with the same ATOP obligations toward Mongolia (flags 0/1; ATOP ends 2018), with the treaty the spell belongs to."""

from partnerships.data.schemas._helpers import boolean, dtypes, integer, locator, schema, source_id, text, year


def _flag():
    return integer(required=True, min_value=0, max_value=1)


SCHEMA = schema(
    {
        "partner": text(required=True),
        "year_from": year(),
        "year_to": year(),
        "defense": _flag(),
        "offense": _flag(),
        "neutral": _flag(),
        "nonagg": _flag(),
        "consul": _flag(),
        "treaty": text(required=True),  # the treaty the spell belongs to (the project's attribution, cited)
        "multilateral": boolean(),  # true: a treaty with more than two parties (a membership, not a bilateral tie)
        "treaty_source_id": source_id(),
        "treaty_locator": text(required=True),
        "treaty_confidence": text(required=True, isin=["high", "moderate", "low"]),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["partner", "year_from"]
FOREIGN_KEYS = {
    "source_id": ("sources", "source_id"),
    "partner": ("partners", "partner"),
    "treaty_source_id": ("sources", "source_id"),
}
