"""Peacekeeping: Mongolia's uniformed UN contributions over time, by mission, where units served, UN vs coalition.

Tables used:

* ``pk_monthly`` (IPI, from UN DPKO): troops, police and experts per month, Aug 2002 - Mar 2014;
  the series stops there (nothing in this dataset after March 2014);
* ``pk_missions`` (IPI): the same by mission and personnel type, Nov 2009 - Mar 2014;
* ``pk_deployments`` (Geo-PKO v2.3): yearly, by mission and location, with an *estimated*
  Mongolian unit size (Geo-PKO codes unit types, not head counts);
* ``deployments`` (the articles, dates checked elsewhere): operations abroad marked UN,
  coalition or NATO.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num

CATEGORIES = ["troops", "police", "experts"]
MISSION_SOURCE_PRIORITY = ["ipi_gender", "ipi_pk"]


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 4 -> '4th', 11 -> '11th', 22 -> '22nd' (ranks in prose)."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def monthly(pk: pd.DataFrame) -> pd.DataFrame:
    """Monthly series indexed by date (Timestamp) with troops, police, experts and total."""
    df = pk.copy()
    df["date"] = pd.to_datetime(df["date"])
    for c in CATEGORIES:
        df[c] = _num(df[c])
    df = df.sort_values("date").set_index("date")
    df["total"] = df[CATEGORIES].sum(axis=1, min_count=1)
    return df[CATEGORIES + ["total"]]


def yearly(m: pd.DataFrame) -> pd.DataFrame:
    """Per calendar year: months reported, mean and peak of the monthly total."""
    g = m.groupby(m.index.year)["total"]
    out = pd.DataFrame({"months": g.count(), "mean_total": g.mean(), "peak_total": g.max()})
    out.index.name = "year"
    return out


def peak(m: pd.DataFrame) -> tuple[pd.Timestamp, int]:
    """The first month with the largest total, and that total."""
    i = m["total"].idxmax()
    return i, int(m.loc[i, "total"])


def coverage_gap(m: pd.DataFrame, until: str | pd.Timestamp) -> dict:
    """The last month with data and how many month-ends after it, up to ``until``, have none."""
    last = m.index.max()
    until = pd.Timestamp(until)
    missing = pd.date_range(last + pd.offsets.MonthEnd(1), until, freq="ME")
    return {"first": m.index.min(), "last": last, "months_missing": len(missing), "until": until}


def by_mission(missions: pd.DataFrame) -> pd.DataFrame:
    """Month x mission table of all uniformed personnel (personnel_type 'total', sex 'total').

    When two sources give the same month and mission, the first in MISSION_SOURCE_PRIORITY wins.
    """
    df = missions[(missions["personnel_type"] == "total") & (missions["sex"] == "total")].copy()
    df["count"] = _num(df["count"])
    df["date"] = pd.to_datetime(df["date"])
    df["_rank"] = df["source_id"].map(
        lambda s: MISSION_SOURCE_PRIORITY.index(s) if s in MISSION_SOURCE_PRIORITY else 99
    )
    df = df.sort_values(["date", "mission", "_rank"], kind="stable").drop_duplicates(["date", "mission"], keep="first")
    pv = df.pivot(index="date", columns="mission", values="count")
    pv.columns.name = None
    return pv


def mission_summary(pv: pd.DataFrame) -> pd.DataFrame:
    """Per mission: first and last month with personnel > 0, months present, peak, mean while present."""
    rows = []
    for mission in pv.columns:
        s = pv[mission].dropna()
        s = s[s > 0]
        if s.empty:
            rows.append(
                {"mission": mission, "first": pd.NaT, "last": pd.NaT, "months": 0, "peak": 0, "mean": float("nan")}
            )
            continue
        rows.append(
            {
                "mission": mission,
                "first": s.index.min(),
                "last": s.index.max(),
                "months": int(s.size),
                "peak": int(s.max()),
                "mean": float(s.mean()),
            }
        )
    out = pd.DataFrame(rows).sort_values(["peak", "mission"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def sites(dep: pd.DataFrame) -> pd.DataFrame:
    """Geo-PKO locations of Mongolian units: one row per mission and location.

    Columns: mission, host_country, location, latitude, longitude, first_year, last_year, years
    (count of yearly records), unit_size_range (e.g. '150-650', estimates), unknown_years (years
    whose unit size Geo-PKO could not estimate).
    """
    df = dep.copy()
    for c in ("year", "latitude", "longitude", "mongolia_unit_size"):
        df[c] = _num(df[c])
    rows = []
    for (mission, loc), g in df.groupby(["mission", "location"], sort=True):
        sizes = g["mongolia_unit_size"].dropna()
        rng = (
            ""
            if sizes.empty
            else (f"{int(sizes.min())}" if sizes.min() == sizes.max() else f"{int(sizes.min())}-{int(sizes.max())}")
        )
        rows.append(
            {
                "mission": mission,
                "host_country": g["host_country"].iloc[0],
                "location": loc,
                "latitude": float(g["latitude"].iloc[0]),
                "longitude": float(g["longitude"].iloc[0]),
                "first_year": int(g["year"].min()),
                "last_year": int(g["year"].max()),
                "years": int(g["year"].nunique()),
                "unit_size_range": rng,
                "unknown_years": int(g["mongolia_unit_size"].isna().sum()),
            }
        )
    out = pd.DataFrame(rows).sort_values(["first_year", "mission", "location"], kind="stable")
    return out.reset_index(drop=True)


def estimated_strength_by_year(dep: pd.DataFrame) -> pd.DataFrame:
    """Year x mission sum of Geo-PKO's estimated unit sizes (estimates; unknown sizes count as missing)."""
    df = dep.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["mongolia_unit_size"] = _num(df["mongolia_unit_size"])
    pv = df.groupby(["year", "mission"])["mongolia_unit_size"].sum(min_count=1).unstack("mission")
    pv.columns.name = None
    return pv


#: Classes of Geo-PKO's estimated unit size (upper bounds, inclusive), smallest first.
SIZE_CLASSES = [(50, "up to 50"), (150, "51-150"), (350, "151-350"), (float("inf"), "over 350")]


def size_class(size) -> int | None:
    """Index into :data:`SIZE_CLASSES` of an estimated unit size (None when unknown)."""
    if size is None or pd.isna(size):
        return None
    return next(i for i, (hi, _) in enumerate(SIZE_CLASSES) if size <= hi)


def site_years(dep: pd.DataFrame) -> pd.DataFrame:
    """Location x year table of Geo-PKO's estimated Mongolian unit size (NaN: no size, whether the
    unit's size is unknown or no unit is recorded that year; ``attrs["present"]``, a boolean table of
    the same shape, tells the two apart).

    Rows in :func:`sites` order (first year, mission, location), labelled 'Location, Country (MISSION)';
    columns: every year from the first record to the last."""
    df = dep.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["size"] = _num(df["mongolia_unit_size"]).astype(float)
    order = sites(dep)
    labels = [f"{r.location}, {r.host_country} ({r.mission})" for r in order.itertuples()]
    key = dict(zip(zip(order["mission"], order["location"]), labels))
    df["site"] = [key[(m, loc)] for m, loc in zip(df["mission"], df["location"])]
    years = list(range(int(df["year"].min()), int(df["year"].max()) + 1))
    size = df.pivot_table(index="site", columns="year", values="size", aggfunc="max", dropna=False)
    size = size.reindex(index=labels, columns=years)
    present = df.assign(one=True).pivot_table(index="site", columns="year", values="one", aggfunc="any")
    present = present.reindex(index=labels, columns=years).fillna(False).astype(bool)
    size.attrs["present"] = present
    size.columns.name = None
    size.index.name = "location"
    return size


def frameworks(deployments: pd.DataFrame) -> pd.DataFrame:
    """Operations from the articles with their framework, years and sources, UN first then by start year."""
    df = deployments.copy()
    df["start_year"] = _num(df["start_year"])
    df["end_year"] = _num(df["end_year"])
    order = {"UN": 0, "NATO": 1, "coalition": 2, "unknown": 3}
    df["_o"] = df["framework"].map(order).fillna(9)
    df = df.sort_values(["_o", "start_year", "operation"], kind="stable", na_position="last")
    return df.drop(columns=["_o"]).reset_index(drop=True)


def framework_counts(deployments: pd.DataFrame) -> pd.Series:
    """Number of operations per framework (UN, NATO, coalition, unknown), in that order, zeros kept."""
    c = deployments["framework"].value_counts()
    return c.reindex(["UN", "NATO", "coalition", "unknown"], fill_value=0)


# --------------------------------------------------------------------------- charts


def plot_site_years(table: pd.DataFrame, title: str | None = None):
    """One row per location, one cell per year Geo-PKO records a Mongolian unit there, shaded by the
    estimated unit size (:data:`SIZE_CLASSES`); an outlined empty cell: present, size unknown."""
    from matplotlib.patches import Patch, Rectangle

    from partnerships.analysis import charts

    present = table.attrs.get("present", table.notna())
    shades = [charts.SHADES[1], charts.SHADES[2], charts.SHADES[3], charts.SHADES[4]]
    n = len(table)
    fig, ax = charts.new(height=0.9 + 0.24 * n)
    years = list(table.columns)
    for row, site in enumerate(table.index):
        y = n - 1 - row
        for year in years:
            if not present.loc[site, year]:
                continue
            c = size_class(table.loc[site, year])
            ax.add_patch(
                Rectangle(
                    (year - 0.45, y - 0.35),
                    0.9,
                    0.7,
                    facecolor="white" if c is None else shades[c],
                    edgecolor=charts.INK if c is None else "white",
                    linewidth=0.6,
                )
            )
    ax.set_yticks(range(n), list(table.index)[::-1])
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_xticks([y for y in years if y % 2 == 0])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=shades[i], label=lab) for i, (_, lab) in enumerate(SIZE_CLASSES)]
    handles.append(Patch(facecolor="white", edgecolor=charts.INK, linewidth=0.6, label="size unknown"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncols=len(handles),
        title="Estimated Mongolian unit size (Geo-PKO)",
    )
    charts.finish(ax, title, None, None)
    long = (
        table.stack(future_stack=True).rename("estimated_unit_size").reset_index().rename(columns={"level_1": "year"})
    )
    long = long[[bool(present.loc[r.location, r.year]) for r in long.itertuples()]]
    charts.attach_data(fig, long)
    return fig
