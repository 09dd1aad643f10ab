"""us_training_places: one row per (fiscal year, program, place, report): Mongolian course lines of US-funded training by where they took place (in Mongolia, abroad, not stated).

Sums of the report's course lines (not its printed totals, which give no place): ``course_lines``,
``students`` (training places) and ``cost_usd`` (current US$). See ``importers/fmtr.py`` for
how a location is classed.
"""

from partnerships.data.schemas._helpers import boolean, count, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "fiscal_year": year(),
        "program": text(required=True),
        "program_group": text(required=True),
        "place": text(required=True, isin=["in_mongolia", "abroad", "not_stated"]),
        "course_lines": count(required=True),
        "students": count(required=True),
        "cost_usd": count(required=True),
        "fy_reported_as_completed": boolean(),
        "report": text(required=True, pattern=r"^\d{4}_\d{4}(_\d)?$", pattern_error="not a report id like 2019_2020"),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["fiscal_year", "program", "place", "report"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
