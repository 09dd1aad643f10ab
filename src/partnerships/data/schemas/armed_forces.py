"""armed_forces: one row per (measure, year): Mongolia's military personnel in persons (IISS via World Bank/OWID; COW NMC milper x 1000)."""

from partnerships.data.schemas._helpers import count, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "year": year(),
        "measure": text(required=True, isin=["iiss_active_personnel", "cow_milper"]),
        "personnel": count(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["measure", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
