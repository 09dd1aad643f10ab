"""Partner x period: how the balance of Mongolia's defence relations shifted, dimension by dimension.

Four dated kinds of activity, each counted in its own unit and never added together:

* agreements signed (``agreements``: DCAD 1980-2010 and the articles), by signing year;
* exercise editions with the partner (``exercises`` + ``exercise_participants``), by year held;
  MME ends in 2010, so later periods hold only the series other lists record;
* US-funded training places (``us_training``, completed figures), by fiscal year: the only
  training source with years; it covers the United States alone;
* arms delivered (``arms_tiv_by_year``: SIPRI TIV by delivery year, to 2021; deliveries after
  its last year from the trade register, ``arms_transfers``, spread evenly over the delivery years).

Each has its own coverage; a blank cell is "none recorded", which before or after a source's
coverage is not "none".
"""

from __future__ import annotations

import pandas as pd

from partnerships.analysis.training import us_training_by_year
from partnerships.data import numbers as _num

SUBJECT = "Mongolia"
DIMENSION_LABELS = {
    "agreements": "Agreements signed",
    "exercises": "Exercise editions",
    "training": "US-funded training places",
    "deliveries": "Arms delivered (SIPRI TIV, million)",
}


def period(year: int, start: int, width: int) -> str:
    """1993 with start 1990, width 5 -> '1990-1994'."""
    a = start + (int(year) - start) // width * width
    return f"{a}-{a + width - 1}"


def yearly(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table: partner, year, dimension, value (one row per partner, year and dimension)."""
    rows = []
    ag = tables["agreements"].copy()
    ag["year"] = _num(ag["year"])
    ag = ag.dropna(subset=["year"]).drop_duplicates(["partner", "year"])
    for (p, y), g in ag.groupby(["partner", "year"]):
        rows.append((p, int(y), "agreements", float(len(g))))
    from partnerships.analysis.index import edition_participants

    ex = tables["exercises"].drop_duplicates("exercise_id").set_index("exercise_id")
    years = _num(ex["year"])
    parts = edition_participants(tables["exercises"], tables["exercise_participants"])  # dated editions
    parts = parts.assign(year=parts["exercise_id"].map(years)).dropna(subset=["year"])
    for (p, y), g in parts.groupby(["partner", "year"]):
        rows.append((p, int(y), "exercises", float(len(g))))
    us = us_training_by_year(tables["us_training"])
    for y, g in us.groupby("fiscal_year"):
        rows.append(("United States", int(y), "training", float(g["students"].sum())))
    tiv = tables["arms_tiv_by_year"].copy()
    tiv["year"] = _num(tiv["year"]).astype(int)
    tiv["tiv_m"] = _num(tiv["tiv_m"]).astype(float)
    last = int(tiv["year"].max())
    for (p, y), g in tiv.groupby(["supplier", "year"]):
        rows.append((p, int(y), "deliveries", float(g["tiv_m"].sum())))
    for r in tables["arms_transfers"].itertuples():
        ys = [int(x) for x in str(r.delivery_years or "").replace(",", ";").split(";") if x.strip().isdigit()]
        later = [y for y in ys if y > last]
        value = _num(pd.Series([r.tiv_delivered])).iloc[0]
        if later and value == value and ys:
            for y in later:
                rows.append((r.supplier, y, "deliveries", float(value) / len(ys)))
    out = pd.DataFrame(rows, columns=["partner", "year", "dimension", "value"])
    return out.groupby(["partner", "year", "dimension"], as_index=False)["value"].sum()


def by_period(y: pd.DataFrame, start: int, end: int, width: int = 5) -> pd.DataFrame:
    """Partner x dimension x period sums for years in [start, end]."""
    d = y[(y["year"] >= start) & (y["year"] <= end)].copy()
    d["period"] = d["year"].map(lambda v: period(v, start, width))
    return d.groupby(["partner", "dimension", "period"], as_index=False)["value"].sum()


def partners_shown(p: pd.DataFrame, top: int) -> list[str]:
    """The partners with the most kinds of activity, then the most periods active: the ``top`` of them."""
    score = p.groupby("partner").agg(kinds=("dimension", "nunique"), periods=("period", "nunique"), n=("value", "size"))
    return list(score.sort_values(["kinds", "periods", "n"], ascending=False).head(top).index)


def leaders(p: pd.DataFrame) -> pd.DataFrame:
    """Per dimension and period: the partner with the largest value (ties joined), and its value."""
    rows = []
    for (dim, per), g in p.groupby(["dimension", "period"]):
        mx = g["value"].max()
        rows.append(
            {
                "dimension": dim,
                "period": per,
                "leader": ", ".join(sorted(g.loc[g["value"] == mx, "partner"])),
                "value": mx,
            }
        )
    return pd.DataFrame(rows)


def plot(p: pd.DataFrame, partners: list[str], periods: list[str], title: str | None = None):
    """Four panels (one per dimension): a dot per partner and period, its area proportional to the
    value (scaled within the panel), labelled with the value."""
    import numpy as np

    from partnerships.analysis import charts

    charts.style()
    dims = list(DIMENSION_LABELS)
    fig, axes = charts.plt.subplots(2, 2, figsize=(charts.WIDTH, 0.42 * len(partners) * 2 + 2.2), sharey=True)
    ypos = {name: i for i, name in enumerate(partners[::-1])}
    xpos = {name: i for i, name in enumerate(periods)}
    for ax, dim, colour in zip(
        axes.ravel(), dims, [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[2], charts.PALETTE[3]]
    ):
        d = p[(p["dimension"] == dim) & p["partner"].isin(partners) & p["period"].isin(periods)]
        mx = float(d["value"].max()) if len(d) else 1.0
        ax.scatter(
            d["period"].map(xpos),
            d["partner"].map(ypos),
            s=np.sqrt(d["value"] / mx) * 260 + 6,
            color=colour,
            alpha=0.9,
            edgecolor=charts.INK,
            linewidth=0.4,
            zorder=3,
        )
        for r in d.itertuples():
            ax.text(
                xpos[r.period],
                ypos[r.partner] - 0.42,
                f"{r.value:,.0f}",
                ha="center",
                va="top",
                fontsize=charts.SMALL_PT,
                color="#333333",
            )
        ax.set_xticks(range(len(periods)), periods, rotation=45, ha="right", fontsize=charts.SMALL_PT)
        ax.set_yticks(range(len(partners)), partners[::-1], fontsize=charts.SMALL_PT)
        ax.set_xlim(-0.6, len(periods) - 0.4)
        ax.set_ylim(-0.8, len(partners) - 0.4)
        ax.grid(axis="both", visible=True, zorder=0)
        ax.set_axisbelow(True)
        ax.set_title(
            DIMENSION_LABELS[dim], fontsize=charts.BASE_PT, loc="left"
        )  # panel names; the caption is the title
    fig.tight_layout()
    charts.attach_data(fig, p[p["partner"].isin(partners) & p["period"].isin(periods)])
    return fig
