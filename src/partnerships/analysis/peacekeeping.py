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


def plot_monthly(m: pd.DataFrame, until: str, title: str | None, geo_estimate: pd.Series | None = None):
    """Stacked areas of troops, police and experts by month, the months without data after the series
    shaded and labelled, and optionally Geo-PKO's yearly estimated strength as open markers."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=3.6)
    shades = [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[2]]
    ax.stackplot(
        m.index,
        *[m[c].fillna(0) for c in CATEGORIES],
        labels=[c.capitalize() for c in CATEGORIES],
        colors=shades,
        edgecolor="white",
        linewidth=0.3,
    )
    last, end = m.index.max(), pd.Timestamp(until)
    top = float(m["total"].max())
    if geo_estimate is not None and len(geo_estimate):
        top = max(top, float(geo_estimate.max()))
        xs = [pd.Timestamp(f"{int(y)}-07-01") for y in geo_estimate.index]
        ax.plot(
            xs,
            geo_estimate.values,
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=charts.INK,
            markersize=4,
            label="Geo-PKO estimate (unit types, mid-year)",
        )
    ax.axvspan(last, end, facecolor="#eeeeee", linewidth=0, zorder=0)
    ax.text(
        last + (end - last) / 2,
        top * 1.02,
        f"no monthly UN data here\nafter {last:%B %Y}",
        ha="center",
        va="bottom",
        fontsize=charts.SMALL_PT,
    )
    ax.set_xlim(m.index.min(), end)
    ax.set_axisbelow(True)
    ax.set_ylim(0, top * 1.25)
    ax.legend(loc="upper left")
    charts.finish(ax, title, None, "Mongolian personnel in UN operations")
    charts.attach_data(
        fig,
        m.rename_axis("month")
        if geo_estimate is None
        else {
            "UN monthly": m.rename_axis("month"),
            "Geo-PKO estimate": geo_estimate.rename("estimated").rename_axis("year"),
        },
    )
    return fig


def plot_missions(pv: pd.DataFrame, title: str | None = None, min_peak: int = 50):
    """Lines of monthly personnel per mission; missions never reaching ``min_peak`` summed as 'Other missions'."""
    from partnerships.analysis import charts

    peaks = pv.max()
    big = sorted([c for c in pv.columns if peaks[c] >= min_peak], key=lambda c: (-peaks[c], c))
    small = [c for c in pv.columns if c not in big]
    fig, ax = charts.new(height=3.4)
    for i, c in enumerate(big):
        ax.plot(
            pv.index,
            pv[c],
            color=charts.PALETTE[i % len(charts.PALETTE)],
            linestyle=charts.LINESTYLES[i % len(charts.LINESTYLES)],
            linewidth=1.6,
            marker=charts.MARKERS[i % len(charts.MARKERS)],
            markevery=6,
            markersize=4,
            label=c,
        )
    if small:
        other = pv[small].sum(axis=1, min_count=1)
        ax.plot(
            pv.index, other, color=charts.GREY, linestyle=":", linewidth=1.2, label=f"Other missions ({len(small)})"
        )
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylim(0, float(pv.max().max()) * 1.3)
    ax.legend(loc="upper left", ncols=2)
    charts.finish(ax, title, None, "Mongolian personnel (all types)")
    charts.attach_data(fig, pv.rename_axis("month"))
    return fig


def plot_sites(s: pd.DataFrame, title: str | None = None):
    """A map of the locations where Geo-PKO places Mongolian units (marker size = largest estimated unit)."""
    from partnerships.analysis import charts, geo

    fig, ax = charts.new(height=3.9)
    geo.draw(ax, default="#e4e4e4", edge="#ffffff", linewidth=0.4)
    lon0, lon1 = s["longitude"].min() - 6, s["longitude"].max() + 4
    lat0, lat1 = s["latitude"].min() - 12, s["latitude"].max() + 12
    label_x = lon1 + 2
    ax.set_xlim(lon0, label_x + 24)
    ax.set_ylim(lat0, lat1)
    sizes = s["unit_size_range"].map(lambda r: float(str(r).split("-")[-1]) if r else 30.0)
    ax.scatter(
        s["longitude"],
        s["latitude"],
        s=sizes / 5 + 10,
        facecolor=charts.PALETTE[2],
        edgecolor=charts.INK,
        linewidth=0.6,
        alpha=0.85,
        zorder=3,
    )
    # labels in a column to the right, in latitude order, joined to their points by thin lines
    ordered = s.sort_values(["latitude", "longitude"], ascending=[False, True], kind="stable").reset_index(drop=True)
    n = len(ordered)
    top, bottom = s["latitude"].max() + 8, s["latitude"].min() - 8
    ys = [top - i * (top - bottom) / max(n - 1, 1) for i in range(n)]
    for yl, (_, r) in zip(ys, ordered.iterrows()):
        years = f"{r['first_year']}" + (f"-{r['last_year']}" if r["last_year"] != r["first_year"] else "")
        ax.annotate(
            f"{r['location']}, {r['host_country']} ({r['mission']}, {years})",
            (r["longitude"], r["latitude"]),
            xytext=(label_x, yl),
            fontsize=charts.SMALL_PT,
            va="center",
            zorder=4,
            arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 2},
        )
    charts.attach_data(fig, s)
    return fig
