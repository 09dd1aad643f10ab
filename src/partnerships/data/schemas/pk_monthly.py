"""pk_monthly: one row per month-end: Mongolian uniformed personnel in UN peacekeeping (IPI, 2002-08 to 2014-03; IPI's NA = 0)."""

from partnerships.data.schemas._helpers import count, date, dtypes, locator, schema, source_id

SCHEMA = schema(
    {
        "date": date(),
        "troops": count(required=True),
        "police": count(required=True),
        "experts": count(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["date"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
