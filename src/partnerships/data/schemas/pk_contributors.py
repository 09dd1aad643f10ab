"""pk_contributors: one row per (date, contributing country): uniformed personnel in UN peacekeeping on a date for which every contributor is listed.

Two snapshots: 31 March 2014 (IPI's current-month file, the sum of its per-mission totals) and
31 January 2021 (the UN's own ranking, with women and the UN's rank). ``country`` is the name
the source uses; ``iso3`` the join key (e.g. to ``population``).
"""

from partnerships.data.schemas._helpers import count, date, dtypes, integer, locator, schema, source_id, text

SCHEMA = schema(
    {
        "date": date(),
        "iso3": text(
            required=True, pattern=r"^[A-Z]{3}$", pattern_error="not an ISO alpha-3 code (three capital letters)"
        ),
        "country": text(required=True),
        "personnel": count(required=True),
        "female": count(),
        "un_rank": integer(min_value=1),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["date", "iso3"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
