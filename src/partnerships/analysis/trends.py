"""Partner x period: how the balance of Mongolia's defence relations shifted, dimension by dimension.

Four dated kinds of activity, each counted in its own unit and never added together:

* agreements signed (``agreements``: DCAD 1980-2010 and the articles), by signing year;
* exercise editions with the partner (``exercises`` + ``exercise_participants``), by year held;
  MME ends in 2010, so later periods hold only the series other lists record;
* US-funded training places (``us_training``, completed figures), by fiscal year: the only
  training source with years; it covers the United States alone;
* arms delivered (``arms_transfers``, the SIPRI trade register): the TIV delivered on deals ordered
  since 1992 (:data:`compare.EQUIPMENT_SINCE`, the same deals and total as the rest of the report),
  each deal's TIV spread evenly over its delivery years (the register gives the years, not the
  split). The 360info copy of SIPRI's yearly totals is not used here: it ends in 2021 and counts
  Soviet-era orders, so its sum matches neither the register nor the partner comparison.

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
    from partnerships.analysis.compare import EQUIPMENT_SINCE

    arms = tables["arms_transfers"]
    recent = arms[_num(arms["order_year"]) >= EQUIPMENT_SINCE] if "order_year" in arms else arms.iloc[0:0]
    for r in recent.itertuples():
        ys = [int(x) for x in str(r.delivery_years or "").replace(",", ";").split(";") if x.strip().isdigit()]
        value = _num(pd.Series([r.tiv_delivered])).iloc[0]
        if ys and value == value:
            for y in ys:
                rows.append((r.supplier, y, "deliveries", float(value) / len(ys)))
    out = pd.DataFrame(rows, columns=["partner", "year", "dimension", "value"])
    return out.groupby(["partner", "year", "dimension"], as_index=False)["value"].sum()


def by_period(y: pd.DataFrame, start: int, end: int, width: int = 5) -> pd.DataFrame:
    """Partner x dimension x period sums for years in [start, end]."""
    d = y[(y["year"] >= start) & (y["year"] <= end)].copy()
    d["period"] = d["year"].map(lambda v: period(v, start, width))
    return d.groupby(["partner", "dimension", "period"], as_index=False)["value"].sum()


GROUPS = ["Russia", "China", "Third neighbours"]
#: the third neighbours' colour: no partner's own, dark enough to stand apart from China's orange in greyscale
THIRD_COLOUR = "#4d4d4d"


def group(partner: str) -> str:
    """'Russia' and 'China' (the two neighbours; the Soviet Union counts with Russia, its
    successor) or 'Third neighbours' (every other partner)."""
    if partner in ("Russia", "Soviet Union"):
        return "Russia"
    return "China" if partner == "China" else "Third neighbours"


def group_colour(name: str) -> str:
    from partnerships.analysis import charts

    return THIRD_COLOUR if name == "Third neighbours" else charts.partner_colour(name)


def by_group(tables: dict[str, pd.DataFrame], start: int, end: int, width: int = 5) -> pd.DataFrame:
    """Group x dimension x period, in each dimension's own unit (never added across dimensions):

    agreements signed and arms delivered are summed over the group's partners; an exercise edition
    counts once for a group however many of its partners took part (so a 24-nation exercise is one
    edition for the third neighbours, not 22); training is the US-funded places (the only dated series).
    Columns: group, dimension, period, value; every group x dimension x period present (0 = none recorded)."""
    y = yearly(tables)
    y = y[y["dimension"] != "exercises"].assign(group=lambda d: d["partner"].map(group))
    from partnerships.analysis.index import edition_participants

    ex = tables["exercises"].drop_duplicates("exercise_id").set_index("exercise_id")
    parts = edition_participants(tables["exercises"], tables["exercise_participants"])
    parts = parts.assign(year=parts["exercise_id"].map(_num(ex["year"])), group=parts["partner"].map(group))
    eds = parts.dropna(subset=["year"]).drop_duplicates(["exercise_id", "group"])
    e = eds.groupby(["group", "year"]).size().rename("value").reset_index().assign(dimension="exercises")
    long = pd.concat([y[["group", "year", "dimension", "value"]], e], ignore_index=True)
    long = long[(long["year"] >= start) & (long["year"] <= end)]
    long["period"] = long["year"].map(lambda v: period(v, start, width))
    out = long.groupby(["group", "dimension", "period"], as_index=False)["value"].sum()
    periods = [period(v, start, width) for v in range(start, end + 1, width)]
    full = pd.MultiIndex.from_product([GROUPS, list(DIMENSION_LABELS), periods], names=["group", "dimension", "period"])
    return out.set_index(["group", "dimension", "period"]).reindex(full, fill_value=0.0).reset_index()


def shares(g: pd.DataFrame) -> pd.DataFrame:
    """Per dimension and period: each group's share of the period's total (NaN when nothing is recorded)."""
    tot = g.groupby(["dimension", "period"])["value"].transform("sum")
    return g.assign(share=(g["value"] / tot).where(tot > 0))


def plot_groups(g: pd.DataFrame, covered_until: dict[str, int] | None = None):
    """Four panels, one per dimension in its own unit: bars per period for Russia, China and the
    third neighbours (side by side, in that order, partner colours). ``covered_until``: dimension ->
    the last year its complete source covers; the years after it get a light grey background
    (nothing recorded there is not "none")."""
    import numpy as np

    from partnerships.analysis import charts

    charts.style()
    dims = list(DIMENSION_LABELS)
    periods = list(dict.fromkeys(g["period"]))
    fig, axes = charts.plt.subplots(2, 2, figsize=(charts.WIDTH, 4.6))
    x = np.arange(len(periods))
    w = 0.27
    for ax, dim in zip(axes.ravel(), dims):
        d = g[g["dimension"] == dim]
        for k, name in enumerate(GROUPS):
            v = d[d["group"] == name].set_index("period")["value"].reindex(periods).fillna(0)
            ax.bar(
                x + (k - 1) * w,
                v.values,
                width=w,
                color=group_colour(name),
                edgecolor=charts.INK,
                linewidth=0.3,
                label=name,
                zorder=3,
            )
        last = (covered_until or {}).get(dim)
        if last is not None:
            for i, per in enumerate(periods):
                y0, y1 = int(per[:4]), int(per[-4:])
                if last < y1:
                    frac = max(0.0, (last + 1 - y0) / (y1 - y0 + 1))
                    ax.axvspan(i - 0.5 + frac, i + 0.5, color=charts.LIGHT, zorder=0, linewidth=0)
        ax.set_xlim(-0.5, len(periods) - 0.5)
        ax.set_xticks(x, [f"{p[:4]}–\n{p[-2:]}" for p in periods], fontsize=charts.SMALL_PT)
        ax.set_title(
            DIMENSION_LABELS[dim], fontsize=charts.BASE_PT, loc="left"
        )  # panel names; the caption is the title
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", labelsize=charts.SMALL_PT)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, bbox_to_anchor=(0.5, 1.03), fontsize=charts.SMALL_PT + 0.5)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    charts.attach_data(fig, g.assign(dimension=g["dimension"].map(DIMENSION_LABELS)))
    return fig
