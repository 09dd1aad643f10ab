"""exercise_participants: one row per (exercise edition, foreign partner, source): who took part besides Mongolia, as that source reports it."""

from partnerships.data.schemas._helpers import dtypes, locator, schema, source_id, text

SCHEMA = schema(
    {
        "exercise_id": text(required=True),
        "partner": text(required=True),
        "role": text(required=True, isin=["host", "participant", "observer"]),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["exercise_id", "partner", "source_id"]
FOREIGN_KEYS = {
    "source_id": ("sources", "source_id"),
    "partner": ("partners", "partner"),
    "exercise_id": ("exercises", "exercise_id"),
}
