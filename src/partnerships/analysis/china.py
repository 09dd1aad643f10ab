"""AidData's count of high-level China-Mongolia military visits (2000-2015), for China's section.

:func:`visits` and :func:`visits_vs_peers` use ``china_visits`` (China's visits only: it cannot
compare China with other partners, only Mongolia with China's other neighbours and peers). What
each dataset records for China beside the other partners is :mod:`partnerships.analysis.compare`.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num

SUBJECT = "Mongolia"


def visits(cv: pd.DataFrame, country: str = SUBJECT) -> pd.Series:
    """Year -> high-level military visits with China (covered years only; N/A years dropped)."""
    d = cv[cv["country"] == country]
    s = pd.Series(_num(d["military_visits"]).values, index=_num(d["year"]).astype(int).values, dtype="float64").dropna()
    return s.sort_index()


def visit_periods(s: pd.Series, split: int) -> dict:
    """Visits before and from ``split``: totals, years covered, and the years with at least one visit."""
    a, b = s[s.index < split], s[s.index >= split]
    return {
        "first": int(s.index.min()),
        "last": int(s.index.max()),
        "total": float(s.sum()),
        "before": float(a.sum()),
        "before_years": len(a),
        "after": float(b.sum()),
        "after_years": len(b),
        "years_with_visits": [int(y) for y in s[s > 0].index],
        "last_visit_year": int(s[s > 0].index.max()) if (s > 0).any() else None,
    }


def visit_recording(cv: pd.DataFrame, until: int | None = None) -> tuple[list[str], list[str]]:
    """(countries whose rows record a year without a visit as 0, countries whose rows leave such years
    blank), up to ``until``. The two kinds of row cannot be compared per year covered: a zero-filled
    country is divided by every year, a blank-filled one by its visit years only."""
    d = cv.copy()
    d["year"] = _num(d["year"]).astype(int)
    if until is not None:
        d = d[d["year"] <= until]
    v = _num(d["military_visits"])
    zero = sorted(set(d.loc[v == 0, "country"]))
    blank = sorted(set(d.loc[v.isna(), "country"]) - set(zero))
    return zero, blank


def visits_vs_peers(cv: pd.DataFrame, until: int | None = None) -> pd.DataFrame:
    """Per country: years the source covers (up to ``until``), visits in them, visits per covered year
    and its rank (1 = most). Coverage differs by country, so the mean per covered year is compared,
    with the years shown beside it."""
    d = cv.copy()
    d["year"] = _num(d["year"]).astype(int)
    d["v"] = _num(d["military_visits"])
    d = d.dropna(subset=["v"])
    if until is not None:
        d = d[d["year"] <= until]
    g = d.groupby("country").agg(
        visits=("v", "sum"), years=("year", "nunique"), first=("year", "min"), last=("year", "max")
    )
    g["per_year"] = g["visits"] / g["years"]
    g["rank"] = g["per_year"].rank(ascending=False, method="min").astype(int)
    return g.sort_values(["per_year", "visits"], ascending=False)
