"""pk_yearly: one row per (country, year, UN mission, measure): yearly peacekeeping strength of Mongolia and its peers, in two kinds that are never added together.

``measure``: ``african_bases_mean`` (RADPKO: the sum over a mission's bases of each base's mean
monthly personnel that year; African missions only, to September 2019; troops, police and
military observers given) or ``un_yearly_mean`` (UN open data as processed by a student
project: the yearly mean of monthly counts, a missing month counted as 0; women given).
``usable`` is false for a year with a known defect, described in ``quality``.
"""

from partnerships.data.schemas._helpers import boolean, count, dtypes, locator, number, schema, source_id, text, year

SCHEMA = schema(
    {
        "country": text(required=True),
        "year": year(),
        "mission": text(required=True),
        "measure": text(required=True, isin=["african_bases_mean", "un_yearly_mean"]),
        "personnel": number(required=True, min_value=0),
        "troops": number(min_value=0),
        "police": number(min_value=0),
        "observers": number(min_value=0),
        "female": number(min_value=0),
        "n_bases": count(),
        "usable": boolean(),
        "quality": text(),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["country", "year", "mission", "measure"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "country": ("partners", "partner")}
