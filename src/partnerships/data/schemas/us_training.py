"""us_training: one row per (fiscal year, program, report): Mongolian students trained under US programs and cost in US$ (Foreign Military Training Report)."""

from partnerships.data.schemas._helpers import boolean, count, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "fiscal_year": year(),
        "program": text(required=True),
        "program_group": text(required=True),
        "students": count(required=True),
        "cost_usd": count(required=True),
        "totals_source": text(required=True, isin=["printed", "sum_of_courses"]),
        "fy_reported_as_completed": boolean(),
        "report": text(required=True, pattern=r"^\d{4}_\d{4}(_\d)?$", pattern_error="not a report id like 2019_2020"),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["fiscal_year", "program", "report"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
