"""exercise_series: one row per exercise series id used in ``exercises.series``, with the label the report prints (one label table, kept as data)."""

from partnerships.data.schemas._helpers import dtypes, schema, text

SCHEMA = schema(
    {
        "series": text(
            required=True,
            pattern=r"^[a-z][a-z0-9_]*$",
            pattern_error="not a series id (lower case letters, digits, underscores)",
        ),
        "label": text(required=True),  # the full label (tables, chart axes)
        "short": text(required=True),  # the short name (chart annotations, running prose)
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["series"]
FOREIGN_KEYS: dict = {}
