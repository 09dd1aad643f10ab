"""us_troops: one row per reported date: US active-duty military personnel in Mongolia (troopdata/DMDC); empty troops = no report (missing, not zero)."""

from partnerships.data.schemas._helpers import count, date, dtypes, integer, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "date": date(),
        "year": year(),
        "quarter": integer(required=True, min_value=1, max_value=4),
        "troops": count(),
        "report_source": text(),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["date"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
