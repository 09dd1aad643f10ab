"""arms_tiv_by_year: one row per (supplier, delivery year): SIPRI TIV millions delivered to Mongolia (360info copy, to 2021)."""

from partnerships.data.schemas._helpers import dtypes, locator, number, schema, source_id, text, year

SCHEMA = schema(
    {
        "supplier": text(required=True),
        "year": year(),
        "tiv_m": number(required=True, min_value=0),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["supplier", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "supplier": ("partners", "partner")}
