"""Education and training: trainee flows as the articles state them, and US training by fiscal year.

Two kinds of evidence, never added together:

* ``training_flows`` (from the articles): one row per stated flow, with the count as worded
  ("about 50", "over 100", "nearly 10") and its unit: ``per_year`` (a flow: people a year),
  ``total`` (a stock: people trained over some period) or ``unknown``. A per-year flow and a
  total are different quantities; this module keeps them in separate columns.
* ``us_training`` (US Foreign Military Training Reports, FY1999-FY2020): students and cost per
  program and fiscal year. A report covers two fiscal years: the first as completed, the
  second as planned. For each fiscal year the completed figure is used when a report gives
  one; a year known only as planned is kept and flagged.
"""

from __future__ import annotations

import pandas as pd

UNIT_LABELS = {"per_year": "a year", "total": "in total", "unknown": "unit not stated"}
DIRECTION_LABELS = {
    "mongolians_abroad": "Mongolians trained abroad",
    "foreigners_in_mongolia": "Foreigners trained in Mongolia",
}


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", pd.NA), errors="coerce")


def _bool(s: pd.Series) -> pd.Series:
    if s.dtype == bool:
        return s
    return s.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])


def stated(count, qualifier: str) -> str:
    """The count as the source words it: (50, 'about') -> 'about 50'; (None, 'several') -> 'several'.

    ``exactly`` is shown as the bare number.
    """
    q = (qualifier or "").strip()
    if count is None or pd.isna(count):
        return q or "not stated"
    n = f"{int(count):,}"
    return n if q in ("", "exactly") else f"{q} {n}"


def flows_as_stated(flows: pd.DataFrame, direction: str | None = None) -> pd.DataFrame:
    """One row per stated flow with the per-year figure and the total in separate columns.

    Columns: partner, trainees, per_year (e.g. 'about 50'), total (e.g. '300'), unit_unknown,
    period, source_id, locator. Sorted by direction, then the stated count (largest first), partner.
    """
    df = flows.copy()
    if direction is not None:
        df = df[df["direction"] == direction]
    df["count"] = _num(df["count"])
    text = [stated(c, q) for c, q in zip(df["count"], df["qualifier"])]
    df["stated"] = text
    df["per_year"] = df["stated"].where(df["unit"] == "per_year", "")
    df["total"] = df["stated"].where(df["unit"] == "total", "")
    df["unit_unknown"] = df["stated"].where(df["unit"] == "unknown", "")
    df = df.sort_values(["direction", "count", "partner"], ascending=[True, False, True], na_position="last", kind="stable")
    cols = ["direction", "partner", "trainees", "per_year", "total", "unit_unknown", "period", "source_id", "locator"]
    return df[[c for c in cols if c in df.columns]].reset_index(drop=True)


def per_year_counts(flows: pd.DataFrame, direction: str = "mongolians_abroad") -> pd.DataFrame:
    """Stated per-year flows with a number (partner, count, qualifier, label), largest first.

    If a partner has several per-year statements, each is kept (they are not summed).
    """
    df = flows[(flows["direction"] == direction) & (flows["unit"] == "per_year")].copy()
    df["count"] = _num(df["count"])
    df = df.dropna(subset=["count"])
    df["label"] = [stated(c, q) for c, q in zip(df["count"], df["qualifier"])]
    df = df.sort_values(["count", "partner"], ascending=[False, True], kind="stable")
    return df[["partner", "count", "qualifier", "label", "source_id", "locator"]].reset_index(drop=True)


def partner_conflict(flows: pd.DataFrame, partner: str = "Russia", direction: str = "mongolians_abroad") -> dict:
    """The stated flow and stock for one partner side by side, and how they can both hold.

    Returns ``{"rows": DataFrame, "per_year": n | None, "total": n | None, "years_implied": x | None}``:
    ``years_implied`` is total / per_year, the number of years of intake at the stated rate that
    the total corresponds to (a flow of people a year and a stock of people trained are
    different quantities: both can be true).
    """
    df = flows[(flows["partner"] == partner) & (flows["direction"] == direction)].copy()
    df["count"] = _num(df["count"])
    df["stated"] = [stated(c, q) for c, q in zip(df["count"], df["qualifier"])]
    df["unit_label"] = df["unit"].map(UNIT_LABELS).fillna(df["unit"])
    per_year = df.loc[df["unit"] == "per_year", "count"].dropna()
    total = df.loc[df["unit"] == "total", "count"].dropna()
    py = float(per_year.iloc[0]) if len(per_year) else None
    tot = float(total.iloc[0]) if len(total) else None
    implied = tot / py if (py and tot is not None) else None
    rows = df[["source_id", "locator", "trainees", "stated", "unit_label", "period"]].reset_index(drop=True)
    return {"rows": rows, "per_year": py, "total": tot, "years_implied": implied}


# --------------------------------------------------------------------------- US training

def us_training_by_year(us: pd.DataFrame) -> pd.DataFrame:
    """One figure per (fiscal year, program): the completed one if a report gives it, else the planned one.

    Adds ``status`` = 'completed' | 'planned'. Numbers are numeric; rows sorted by year and program.
    """
    df = us.copy()
    df["fiscal_year"] = _num(df["fiscal_year"]).astype(int)
    df["students"] = _num(df["students"])
    df["cost_usd"] = _num(df["cost_usd"])
    df["completed"] = _bool(df["fy_reported_as_completed"])
    has_completed = df.groupby("fiscal_year")["completed"].transform("any")
    df = df[df["completed"] | ~has_completed].copy()
    df["status"] = df["completed"].map({True: "completed", False: "planned"})
    df = df.sort_values(["fiscal_year", "program_group", "program"], kind="stable")
    return df.drop(columns=["completed"]).reset_index(drop=True)


def planned_only_years(us: pd.DataFrame) -> list[int]:
    """Fiscal years for which only planned (not completed) figures exist."""
    df = us_training_by_year(us)
    status = df.groupby("fiscal_year")["status"].agg(lambda s: "completed" if (s == "completed").any() else "planned")
    return [int(y) for y in status[status == "planned"].index]


def by_group(us_year: pd.DataFrame, value: str = "students", top: int | None = None) -> pd.DataFrame:
    """Fiscal year x program group table of ``value`` (0 where a group had no program that year).

    With ``top``, the ``top`` groups with the largest overall ``value`` are kept and the rest are
    summed into 'Other'. Columns are ordered largest group first; every fiscal year between the
    first and the last appears (a year without any row is NaN, not 0).
    """
    pv = us_year.pivot_table(index="fiscal_year", columns="program_group", values=value, aggfunc="sum", fill_value=0)
    sums = pv.sum()
    order = sorted(sums.index, key=lambda g: (-sums[g], str(g)))
    pv = pv[order]
    if top is not None and pv.shape[1] > top:
        keep = list(pv.columns[:top])
        other = pv.drop(columns=keep).sum(axis=1)
        pv = pv[keep].copy()
        pv["Other"] = other
    years = range(int(pv.index.min()), int(pv.index.max()) + 1)
    pv = pv.reindex(years)
    pv.index.name = "fiscal_year"
    pv.columns.name = None
    return pv


def yearly_totals(us_year: pd.DataFrame) -> pd.DataFrame:
    """Students and cost (US$) per fiscal year, with the year's status."""
    g = us_year.groupby("fiscal_year").agg(
        students=("students", "sum"), cost_usd=("cost_usd", "sum"),
        status=("status", lambda s: "completed" if (s == "completed").all() else "planned"),
    )
    return g.reset_index()
