"""exercises: one row per exercise edition and source (an edition two sources report has two rows sharing exercise_id)."""

from partnerships.data.schemas._helpers import boolean, date, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "exercise_id": text(
            required=True, pattern=r"^[a-z0-9-]+$", pattern_error="not an exercise id (lower case, digits, hyphens)"
        ),
        "name": text(required=True),
        "name_original": text(),
        "series": text(
            required=True, pattern=r"^[a-z0-9_]+$", pattern_error="not a series id (khaan_quest, selenga, single, ...)"
        ),
        "year": year(required=False),
        "start_date": date(required=False),
        "end_date": date(required=False),
        "location": text(),
        "host": text(),
        "type": text(
            required=True, isin=["peacekeeping", "counter_terrorism", "disaster_relief", "warfighting", "other"]
        ),
        "multilateral": boolean(),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["exercise_id", "source_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "series": ("exercise_series", "series")}
