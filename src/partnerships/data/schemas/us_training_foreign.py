"""us_training_foreign: one row per training line: trainees of another country whose US-funded training took place in Mongolia (US Foreign Military Training Reports, East Asia and Pacific sections).

Identical lines are kept (the report lists one line per trainee group, and the lines add up to
its totals). ``students`` and ``cost_usd`` empty when the report's text cannot be read as a number.
"""

from partnerships.data.schemas._helpers import boolean, count, date, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "fiscal_year": year(),
        "country": text(required=True),
        "program": text(required=True),
        "program_group": text(required=True),
        "course_title": text(),
        "location": text(required=True),
        "start_date": date(required=False),
        "end_date": date(required=False),
        "students": count(),
        "cost_usd": count(),
        "fy_reported_as_completed": boolean(),
        "report": text(required=True, pattern=r"^\d{4}_\d{4}(_\d)?$", pattern_error="not a report id like 2019_2020"),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["report", "locator"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "country": ("partners", "partner")}
