"""pk_deployments: one row per (UN mission, year, location) where Geo-PKO places a Mongolian unit; unit size is a map-symbol estimate."""

from partnerships.data.schemas._helpers import count, dtypes, locator, number, schema, source_id, text, year

SCHEMA = schema(
    {
        "mission": text(required=True),
        "year": year(),
        "location": text(required=True),
        "host_country": text(),
        "latitude": number(required=True, min_value=-90, max_value=90),
        "longitude": number(required=True, min_value=-180, max_value=180),
        "mongolia_unit_size": count(),
        "unit_size_flag": text(required=True, isin=["estimate", "size_unknown"]),
        "contributors_at_location": count(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["mission", "year", "location"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
