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

from partnerships.data import flags as _bool
from partnerships.data import numbers as _num

UNIT_LABELS = {"per_year": "a year", "total": "in total", "unknown": "unit not stated"}
DIRECTION_LABELS = {
    "mongolians_abroad": "Mongolians trained abroad",
    "foreigners_in_mongolia": "Foreigners trained in Mongolia",
}


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
    df = df.sort_values(
        ["direction", "count", "partner"], ascending=[True, False, True], na_position="last", kind="stable"
    )
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
    """The stated flow and the other stated figure for one partner side by side, and how both can hold.

    Returns ``{"rows": DataFrame, "per_year": n | None, "other": n | None, "other_unit": str | None,
    "years_implied": x | None}``. ``other`` is the first numbered statement that is not per year
    (unit ``total`` or ``unknown``). ``years_implied`` = other / per_year: read as a cumulative
    total, the number of years of intake at the stated rate; read as a stock (people in training
    at one time), the average length of stay it needs. A flow (people a year) and a stock or
    total (people) are different quantities, so the two numbers do not contradict each other.
    """
    df = flows[(flows["partner"] == partner) & (flows["direction"] == direction)].copy()
    df["count"] = _num(df["count"])
    df["stated"] = [stated(c, q) for c, q in zip(df["count"], df["qualifier"])]
    df["unit_label"] = df["unit"].map(UNIT_LABELS).fillna(df["unit"])
    per_year = df.loc[df["unit"] == "per_year", "count"].dropna()
    others = df[(df["unit"] != "per_year") & df["count"].notna()]
    py = float(per_year.iloc[0]) if len(per_year) else None
    other = float(others["count"].iloc[0]) if len(others) else None
    implied = other / py if (py and other is not None) else None
    rows = df[["source_id", "locator", "trainees", "stated", "unit_label", "period"]].reset_index(drop=True)
    return {
        "rows": rows,
        "per_year": py,
        "other": other,
        "other_unit": str(others["unit"].iloc[0]) if len(others) else None,
        "years_implied": implied,
    }


# --------------------------------------------------------------------------- US training


def us_training_by_year(us: pd.DataFrame) -> pd.DataFrame:
    """One figure per (fiscal year, program): the completed one if a report gives it, else the planned one.

    This is the one place where US training rows are chosen: a fiscal year with a completed
    figure never has its planned figure added to it (a report lists the next year as planned,
    and the following report gives the same year as completed). Every sum over fiscal years
    (the education chapter, the United States profile, the partner metrics) starts here.
    Adds ``status`` = 'completed' | 'planned'. Numbers are numeric; rows sorted by year and program.
    """
    df = us.copy()
    df["fiscal_year"] = _num(df["fiscal_year"]).astype(int)
    df["students"] = _num(df["students"])
    df["cost_usd"] = _num(df["cost_usd"]) if "cost_usd" in df else float("nan")
    if "program_group" not in df:
        df["program_group"] = df["program"]
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
        students=("students", "sum"),
        cost_usd=("cost_usd", "sum"),
        status=("status", lambda s: "completed" if (s == "completed").all() else "planned"),
    )
    return g.reset_index()


def planned_vs_completed(us: pd.DataFrame) -> pd.DataFrame:
    """Fiscal years reported twice (planned in one report, completed in the next): students and cost each way."""
    df = us.copy()
    df["fiscal_year"] = _num(df["fiscal_year"]).astype(int)
    df["students"] = _num(df["students"])
    df["cost_usd"] = _num(df["cost_usd"])
    df["status"] = _bool(df["fy_reported_as_completed"]).map({True: "completed", False: "planned"})
    g = df.groupby(["fiscal_year", "status"])[["students", "cost_usd"]].sum().unstack("status")
    g.columns = [f"{a}_{b}" for a, b in g.columns]
    need = ["students_planned", "students_completed", "cost_usd_planned", "cost_usd_completed"]
    for c in need:
        if c not in g.columns:
            g[c] = float("nan")
    g = g[need].dropna()
    return g.reset_index()


def us_trainees_in_mongolia(
    exercises: pd.DataFrame,
    participants: pd.DataFrame,
    source_id: str = "fmtr",
    reporter: str = "United States",
    home: str = "Mongolia",
) -> pd.DataFrame:
    """Foreign countries whose trainees a US training report lists at an exercise in Mongolia, per edition.

    Columns: fiscal_year, exercise (the report entry), countries ('; '-joined), n. The reporting
    country (the trainer) and Mongolia are not counted.
    """
    ex = exercises[(exercises["source_id"] == source_id)].copy()
    ex["fiscal_year"] = _num(ex["year"]).astype(int)
    p = participants[(participants["source_id"] == source_id) & ~participants["partner"].isin([reporter, home])]
    rows = []
    for _, e in ex.sort_values("fiscal_year", kind="stable").iterrows():
        names = sorted(set(p.loc[p["exercise_id"] == e["exercise_id"], "partner"]))
        rows.append(
            {
                "fiscal_year": int(e["fiscal_year"]),
                "exercise": e["locator"],
                "countries": "; ".join(names),
                "n": len(names),
            }
        )
    return pd.DataFrame(rows, columns=["fiscal_year", "exercise", "countries", "n"])


def hosts_without_numbers(
    relations: pd.DataFrame, flows: pd.DataFrame, direction: str = "mongolians_abroad"
) -> list[str]:
    """Partners that host Mongolian students (relation ``students_hosted``) but have no numbered flow.

    In the order the relations table first lists them.
    """
    hosts = relations.loc[relations["relation"] == "students_hosted", "partner"]
    f = flows[flows["direction"] == direction]
    numbered = set(f.loc[_num(f["count"]).notna(), "partner"])
    return [p for p in dict.fromkeys(hosts) if p not in numbered]
