"""What changed since 2022: spending, arms orders, UN deployment locations, dated events and
exercises from a given year on, each computed from its own table.

* ``military_expenditure`` (SIPRI): real spending (constant 2023 US$) before and after;
* ``arms_transfers`` (SIPRI trade register): orders from a supplier other than the legacy
  suppliers (the Soviet Union and Russia), and the last such order before;
* ``pk_deployments`` (Geo-PKO): UN locations where a Mongolian unit appears for the first time;
* ``events`` and ``exercises``: dated events (with their status: confirmed or as reported) and
  exercise editions.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num

LEGACY_SUPPLIERS = ("Soviet Union", "Russia")


def real_spending(me: pd.DataFrame, measure: str = "constant_2023_usd_m") -> pd.Series:
    """Year -> real spending (floats, missing dropped)."""
    d = me[me["measure"] == measure]
    s = pd.Series(_num(d["value"]).astype(float).values, index=_num(d["year"]).astype(int).values).dropna()
    return s.sort_index()


def spending_change(s: pd.Series, since: int) -> dict:
    """Spending in the year before ``since`` and in the last year, the change between them (%),
    the change in the last year alone (%), and whether the last year is the highest on record."""
    last = int(s.index.max())
    base_year = since - 1 if since - 1 in s.index else int(s.index[s.index < since].max())
    prev = last - 1
    return {
        "base_year": base_year,
        "base": float(s[base_year]),
        "last_year": last,
        "last": float(s[last]),
        "change_pct": float((s[last] / s[base_year] - 1) * 100),
        "prev_year": prev,
        "prev": float(s[prev]),
        "jump_pct": float((s[last] / s[prev] - 1) * 100),
        "record": bool(s[last] >= s.max()),
        "first_year": int(s.index.min()),
    }


def new_supplier_orders(arms: pd.DataFrame, since: int, legacy=LEGACY_SUPPLIERS) -> tuple[pd.DataFrame, dict | None]:
    """Orders placed in or after ``since`` with a supplier other than the legacy ones, and the latest
    such order before ``since`` ({"year", "supplier"}), or None if there was none."""
    a = arms.copy()
    a["order_year"] = _num(a["order_year"]).astype(int)
    other = a[~a["supplier"].isin(legacy)]
    new = other[other["order_year"] >= since].sort_values(["order_year", "supplier"], kind="stable")
    before = other[other["order_year"] < since].sort_values("order_year")
    prev = (
        None
        if before.empty
        else {"year": int(before["order_year"].iloc[-1]), "supplier": str(before["supplier"].iloc[-1])}
    )
    return new.reset_index(drop=True), prev


def new_locations(dep: pd.DataFrame, since: int) -> pd.DataFrame:
    """UN locations (mission, location) whose first year with a Mongolian unit is ``since`` or later."""
    d = dep.copy()
    d["year"] = _num(d["year"]).astype(int)
    first = d.groupby(["mission", "location"], as_index=False).agg(
        first_year=("year", "min"), last_year=("year", "max"), host_country=("host_country", "first")
    )
    return first[first["first_year"] >= since].sort_values(["first_year", "mission", "location"]).reset_index(drop=True)


def events_since(
    events: pd.DataFrame, since: int, categories: tuple[str, ...] = ("visit", "legal", "exercise")
) -> pd.DataFrame:
    """Dated events of the given categories from ``since`` on, in date order, contradicted ones left out."""
    e = events.copy()
    e["year"] = _num(e["year"]).astype(int)
    e = e[(e["year"] >= since) & e["category"].isin(categories) & (e["status"] != "contradicted")]
    return e.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def exercises_since(exercises: pd.DataFrame, since: int) -> pd.DataFrame:
    """Exercise editions held from ``since`` on (one row per edition and source)."""
    x = exercises.copy()
    x["year"] = _num(x["year"])
    return x[x["year"] >= since].sort_values(["year", "exercise_id"], kind="stable").reset_index(drop=True)
