"""Peacekeeping year by year to the latest year any source covers, saying for every year which
source and which kind of figure it rests on.

No single source covers Mongolia's UN contribution after March 2014. What exists are figures
of different kinds, which are never joined silently:

==========================  ===================================================  =============
kind                        what the figure is                                   source
==========================  ===================================================  =============
``monthly_headcount``       yearly mean of the UN's month-end head-counts,       IPI (pk_monthly)
                            all missions (to March 2014)
``un_yearly_mean``          yearly mean of the UN's monthly counts, all missions  UN open data
                            (a missing month counted as 0; usable years only)     (pk_yearly)
``african_missions``        sum of each base's mean monthly strength, African     RADPKO (pk_yearly)
                            missions only (to September 2019)
``headcount_snapshot``      the UN's own head-count on one date                   UN ranking
                                                                                  (pk_contributors)
``map_estimate``            sum of unit sizes read from the symbols of UN         Geo-PKO
                            deployment maps, mapped locations only                (pk_deployments)
==========================  ===================================================  =============

:func:`candidates` lists every figure of every kind for every year; :func:`series` picks one
per year, in the order of ``KINDS`` (the closest to a yearly head-count first), and keeps the
others beside it; :func:`overlaps` compares kinds in the years they share.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import flags as _bool
from partnerships.data import numbers as _num

SUBJECT = "Mongolia"

# kind -> (short label, what it is); the order is the preference for the one-figure-a-year series
KINDS: dict[str, tuple[str, str]] = {
    "monthly_headcount": ("monthly head-count", "yearly mean of month-end head-counts, all missions"),
    "un_yearly_mean": ("UN yearly mean", "yearly mean of the UN's monthly counts, all missions"),
    "african_missions": ("African missions only", "sum of bases' yearly mean strength, African missions only"),
    "headcount_snapshot": ("head-count on one date", "the UN's head-count on a single date"),
    "map_estimate": ("map-symbol estimate", "sum of unit sizes from UN deployment-map symbols"),
}
FLAGGED = "un_yearly_mean_flagged"  # UN yearly means of years with a known defect: shown, never chosen
FLAGGED_LABEL = "UN yearly mean, defective year"


def candidates(
    pk_monthly: pd.DataFrame,
    pk_yearly: pd.DataFrame,
    contributors: pd.DataFrame,
    deployments: pd.DataFrame,
    country: str = SUBJECT,
) -> pd.DataFrame:
    """Every figure of every kind, one row per (year, kind): value, source_id, detail, usable."""
    rows = []
    if country == SUBJECT and len(pk_monthly):
        m = pk_monthly.copy()
        m["date"] = pd.to_datetime(m["date"])
        m["total"] = sum(_num(m[c]) for c in ("troops", "police", "experts"))
        for year, g in m.groupby(m["date"].dt.year):
            months = len(g)
            span = "12 months" if months == 12 else f"{months} months ({g['date'].min():%B}-{g['date'].max():%B})"
            rows.append(
                {
                    "year": int(year),
                    "kind": "monthly_headcount",
                    "value": float(g["total"].mean()),
                    "source_id": "ipi_pk",
                    "detail": span,
                    "usable": True,
                }
            )
    y = pk_yearly[pk_yearly["country"] == country].copy()
    y["personnel"] = _num(y["personnel"]).astype(float)
    y["year"] = _num(y["year"]).astype(int)
    for (year, measure), g in y.groupby(["year", "measure"]):
        if measure == "african_bases_mean":
            missions = sorted(g["mission"].unique())
            detail = f"{int(_num(g['n_bases']).sum())} base(s) in {', '.join(missions)}"
            rows.append(
                {
                    "year": int(year),
                    "kind": "african_missions",
                    "value": float(g["personnel"].sum()),
                    "source_id": str(g["source_id"].iloc[0]),
                    "detail": detail,
                    "usable": True,
                }
            )
        else:
            usable = bool(_bool(g["usable"]).all())
            quality = "; ".join(sorted({q for q in g["quality"] if q}))
            rows.append(
                {
                    "year": int(year),
                    "kind": "un_yearly_mean" if usable else FLAGGED,
                    "value": float(g["personnel"].sum()),
                    "source_id": str(g["source_id"].iloc[0]),
                    "detail": quality or f"{g['mission'].nunique()} missions",
                    "usable": usable,
                }
            )
    from partnerships.data.countries import to_iso3

    c = contributors[(contributors["iso3"] == to_iso3(country)) & (contributors["source_id"] != "ipi_pk")]
    for r in c.itertuples():
        rows.append(
            {
                "year": int(str(r.date)[:4]),
                "kind": "headcount_snapshot",
                "value": float(r.personnel),
                "source_id": r.source_id,
                "detail": f"{pd.Timestamp(r.date):%d %B %Y}".lstrip("0"),
                "usable": True,
            }
        )
    if country == SUBJECT and len(deployments):
        d = deployments.copy()
        d["year"] = _num(d["year"]).astype(int)
        d["size"] = _num(d["mongolia_unit_size"]).astype(float)
        for year, g in d.groupby("year"):
            unknown = int(g["size"].isna().sum())
            detail = f"{len(g)} location(s)" + (f", {unknown} of unknown size" if unknown else "")
            rows.append(
                {
                    "year": int(year),
                    "kind": "map_estimate",
                    "value": float(g["size"].sum()),
                    "source_id": "geopko",
                    "detail": detail,
                    "usable": True,
                }
            )
    out = pd.DataFrame(rows, columns=["year", "kind", "value", "source_id", "detail", "usable"])
    return out.sort_values(["year", "kind"], kind="stable").reset_index(drop=True)


def label(kind: str) -> str:
    return FLAGGED_LABEL if kind == FLAGGED else KINDS[kind][0]


def series(cands: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """One row per year from ``start`` to ``end``: the preferred usable figure (``KINDS`` order),
    its kind, source and detail, and the other figures of that year as text. A year no source
    covers has no value and kind ``none``."""
    order = {k: i for i, k in enumerate(KINDS)}
    rows = []
    for year in range(start, end + 1):
        c = cands[(cands["year"] == year)]
        usable = c[c["usable"] & c["kind"].isin(order)].assign(_o=lambda d: d["kind"].map(order)).sort_values("_o")
        if usable.empty:
            rows.append(
                {
                    "year": year,
                    "value": float("nan"),
                    "kind": "none",
                    "label": "no source",
                    "source_id": "",
                    "detail": "",
                    "others": "",
                }
            )
            continue
        best = usable.iloc[0]
        rest = c.drop(index=best.name)
        others = "; ".join(f"{label(r.kind)} {r.value:,.0f}" for r in rest.itertuples())
        rows.append(
            {
                "year": year,
                "value": float(best["value"]),
                "kind": best["kind"],
                "label": label(best["kind"]),
                "source_id": best["source_id"],
                "detail": best["detail"],
                "others": others,
            }
        )
    return pd.DataFrame(rows)


def runs(s: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Consecutive years resting on the same kind: [(kind, first year, last year), ...]."""
    out: list[tuple[str, int, int]] = []
    for r in s.itertuples():
        if out and out[-1][0] == r.kind and out[-1][2] == r.year - 1:
            out[-1] = (r.kind, out[-1][1], r.year)
        else:
            out.append((r.kind, r.year, r.year))
    return out


def overlaps(cands: pd.DataFrame) -> pd.DataFrame:
    """Every pair of kinds that cover the same years: the years, and how far the second differs
    from the first (mean and largest difference, percent of the first). Kinds in ``KINDS`` order,
    the defective UN years last."""
    kinds = [k for k in list(KINDS) + [FLAGGED] if k in set(cands["kind"])]
    wide = cands.pivot_table(index="year", columns="kind", values="value", aggfunc="first")
    rows = []
    for i, a in enumerate(kinds):
        for b in kinds[i + 1 :]:
            both = wide[[a, b]].dropna()
            both = both[both[a] > 0]
            if both.empty:
                continue
            diff = (both[b] - both[a]) / both[a] * 100.0
            big = diff.abs().idxmax()
            rows.append(
                {
                    "first": a,
                    "second": b,
                    "years": list(both.index.astype(int)),
                    "n_years": len(both),
                    "mean_diff_pct": float(diff.mean()),
                    "largest_diff_pct": float(diff[big]),
                    "largest_year": int(big),
                }
            )
    return pd.DataFrame(
        rows, columns=["first", "second", "years", "n_years", "mean_diff_pct", "largest_diff_pct", "largest_year"]
    )


def year_span(years: list[int]) -> str:
    """[2011, 2012, 2013, 2018] -> '2011-2013, 2018'."""
    from partnerships.analysis.spending import year_span as span

    return span("; ".join(str(y) for y in years))


def armed_forces_share(s: pd.DataFrame, armed_forces: pd.DataFrame) -> pd.DataFrame:
    """Per year of the series: the figure, each personnel series and the figure as a share (%) of it.

    One column pair per measure of ``armed_forces`` (e.g. IISS and COW); a share is missing where
    that personnel series has no figure for the year (never carried forward).
    """
    af = armed_forces.copy()
    af["year"] = _num(af["year"]).astype(int)
    af["personnel"] = _num(af["personnel"]).astype(float)
    wide = af.pivot(index="year", columns="measure", values="personnel")
    out = s[["year", "value", "kind"]].set_index("year")
    for m in wide.columns:
        out[m] = wide[m].reindex(out.index)
        out[f"share_{m}"] = out["value"] / out[m] * 100.0
    return out.reset_index()


def plateau(s: pd.DataFrame, share: float = 0.8) -> dict:
    """The last stretch of years in which every figure of the series stays at or above ``share`` of
    that stretch's highest: {first, last, low, high}. A year without a figure ends the stretch."""
    v = s.dropna(subset=["value"]).sort_values("year")
    if v.empty:
        return {"first": None, "last": None, "low": float("nan"), "high": float("nan")}
    last = int(v["year"].iloc[-1])
    first = last
    for y in sorted(v["year"].astype(int), reverse=True)[1:]:
        part = v[v["year"] >= y]
        if y != first - 1 or part["value"].min() < share * part["value"].max():
            break
        first = y
    part = v[v["year"] >= first]
    return {"first": first, "last": last, "low": float(part["value"].min()), "high": float(part["value"].max())}


ESTIMATED = ("map_estimate",)  # kinds that estimate unit sizes rather than count people


def counted(s: pd.DataFrame) -> pd.DataFrame:
    """The years of the series whose chosen figure counts people (map-symbol estimates of unit size left
    out): a level claimed from :func:`plateau` on this stops where the head-counts stop."""
    return s[~s["kind"].isin(ESTIMATED)]


def run_table(s: pd.DataFrame) -> pd.DataFrame:
    """The series by stretches of years resting on one kind of figure: first and last year, kind,
    source_id, lowest and highest figure of the stretch (years no source covers left out)."""
    rows = []
    for kind, a, b in runs(s):
        if kind == "none":
            continue
        part = s[(s["year"] >= a) & (s["year"] <= b)]
        rows.append(
            {
                "first": a,
                "last": b,
                "kind": kind,
                "source_id": "; ".join(dict.fromkeys(part["source_id"])),
                "low": float(part["value"].min()),
                "high": float(part["value"].max()),
            }
        )
    return pd.DataFrame(rows, columns=["first", "last", "kind", "source_id", "low", "high"])


# --------------------------------------------------------------------------- chart


def plot_whole(monthly: pd.DataFrame, cands: pd.DataFrame, s: pd.DataFrame, title: str | None = None):
    """The whole record in one chart: the monthly head-count as an area while it lasts, then, for every
    later year, the figure the series uses (filled, one marker and colour per kind) and the other usable
    figures of that year (hollow). Lines never join two kinds; defective UN years are left out."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from partnerships.analysis import charts

    fig, ax = charts.new(height=3.5)
    last = monthly.index.max()
    ax.fill_between(monthly.index, monthly["total"].fillna(0), step="mid", color=charts.SHADES[1], linewidth=0)
    ax.plot(monthly.index, monthly["total"], color=charts.SHADES[4], linewidth=0.9, drawstyle="steps-mid")
    later = cands[(cands["year"] > last.year) & cands["usable"] & cands["kind"].isin(list(KINDS))]
    chosen = set(zip(s["year"], s["kind"]))
    handles = [
        Patch(facecolor=charts.SHADES[1], edgecolor=charts.SHADES[4], label=f"{label('monthly_headcount')}, by month")
    ]
    for i, kind in enumerate(KINDS):
        if kind == "monthly_headcount":
            continue
        c = later[later["kind"] == kind].sort_values("year")
        if c.empty:
            continue
        colour, marker = charts.PALETTE[i % len(charts.PALETTE)], charts.MARKERS[i % len(charts.MARKERS)]
        for r in c.itertuples():
            filled = (r.year, r.kind) in chosen
            ax.plot(
                [pd.Timestamp(f"{r.year}-07-01")],
                [r.value],
                marker=marker,
                linestyle="none",
                markersize=6.5 if filled else 5,
                markerfacecolor=colour if filled else "white",
                markeredgecolor=charts.INK if filled else colour,
                markeredgewidth=0.8 if filled else 1.2,
                zorder=3 if filled else 2,
            )
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="none",
                markerfacecolor=colour,
                markeredgecolor=charts.INK,
                label=label(kind),
            )
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="#555555",
            label="hollow: another figure, same year",
        )
    )
    top = max(float(monthly["total"].max()), float(later["value"].max()) if len(later) else 0.0)
    ax.set_ylim(0, top * 1.12)
    ax.set_xlim(monthly.index.min(), pd.Timestamp(f"{int(cands['year'].max())}-12-31"))
    ax.axvline(last, color="#777777", linewidth=0.6, linestyle=":")
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=3)
    charts.finish(ax, title, None, "Mongolian uniformed personnel (UN)")
    charts.attach_data(
        fig,
        {
            "monthly head-count": monthly.rename_axis("month"),
            "yearly figures after the monthly series": later.drop(columns=["usable"]),
        },
    )
    return fig
