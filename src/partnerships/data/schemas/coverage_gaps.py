"""coverage_gaps: one row per thing no source here covers (so the report can say so instead of guessing)."""

from partnerships.data.schemas._helpers import dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "gap_id": text(
            required=True,
            pattern=r"^[a-z][a-z0-9_]*$",
            pattern_error="not an id (lower case letters, digits, underscores)",
        ),
        "topic": text(
            required=True,
            isin=[
                "peacekeeping",
                "agreements",
                "exercises",
                "training",
                "equipment",
                "presence",
                "partners",
                "attaches",
                "opinion",
                "sources",
                "spending",
            ],
        ),
        "description": text(required=True),
        "covered_until": year(required=False),
        "source_id": source_id(),
        "locator": locator(),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["gap_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
