"""China's role, from what each dataset records for China beside Russia and the United States,
and from AidData's count of high-level China-Mongolia military visits (2000-2015).

:func:`balance` puts the same measures side by side for several partners, each with its source
and the period it covers, so that "none recorded" is read against the source's coverage.
:func:`visits` and :func:`visits_vs_peers` use ``china_visits`` (China's visits only: it cannot
compare China with other partners, only Mongolia with China's other neighbours and peers).
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


def balance(tables: dict[str, pd.DataFrame], partners: list[str]) -> pd.DataFrame:
    """Partner x measure table of what the datasets record, with coverage in the row label:

    arms deals since 1992 (SIPRI), agreements (DCAD 1980-2010 and the articles), exercise editions and
    bilateral editions, students a year as stated (articles), attaché in Mongolia (article A), ATOP
    treaty obligation in force in ATOP's last year (ATOP to 2018)."""
    arms = tables["arms_transfers"]
    ag = tables["agreements"]
    ex = tables["exercises"]
    parts = tables["exercise_participants"]
    flows = tables["training_flows"]
    rel = tables["partner_relations"]
    al = tables["alliances"]
    from partnerships.analysis.index import edition_participants

    p = edition_participants(ex, parts)  # dated editions, as the report defines them
    n_foreign = p.groupby("exercise_id")["partner"].nunique()
    last_atop = int(_num(al["year_to"]).max()) if len(al) else None
    rows = {}
    for partner in partners:
        mine = p[p["partner"] == partner]
        f = flows[
            (flows["partner"] == partner) & (flows["direction"] == "mongolians_abroad") & (flows["unit"] == "per_year")
        ]
        f_count = _num(f["count"]).dropna()
        from partnerships.analysis.index import treaty_scope

        scoped = treaty_scope(al)
        ally = scoped[(scoped["partner"] == partner) & (_num(scoped["year_to"]) == last_atop)]
        multilateral = bool(len(ally)) and bool(ally["multilateral"].all())
        obligations = [
            k for k in ("defense", "offense", "neutral", "nonagg", "consul") if len(ally) and (_num(ally[k]) > 0).any()
        ]
        first = (
            al[(al["partner"] == partner) & (al[obligations[0]].astype(str) == "1")]["year_from"]
            if obligations
            else pd.Series(dtype=object)
        )
        rows[partner] = {
            "Arms deals ordered since 1992 (SIPRI, to 2024)": int(
                (arms["supplier"].eq(partner) & (_num(arms["order_year"]) >= 1992)).sum()
            ),
            "Agreements recorded (DCAD 1980-2010; articles)": int((ag["partner"] == partner).sum()),
            "Dated exercise editions with Mongolia (MME to 2010; other lists)": int(mine["exercise_id"].nunique()),
            "of which bilateral": int(mine["exercise_id"].map(n_foreign).eq(1).sum()),
            "Mongolian students a year, as stated (articles)": (
                "; ".join(f"{q} {int(c)}" for q, c in zip(f["qualifier"], _num(f["count"])) if c == c)
                if len(f_count)
                else "not stated"
            ),
            "Military attaché in Mongolia (article A)": "yes"
            if ((rel["partner"] == partner) & (rel["relation"] == "attache_in_mongolia")).any()
            else "not listed",
            f"ATOP treaty obligation in {last_atop}": (
                ", ".join(
                    {
                        "nonagg": "non-aggression",
                        "defense": "defence",
                        "neutral": "neutrality",
                        "consul": "consultation",
                        "offense": "offence",
                    }[o]
                    for o in obligations
                )
                + (f" (from {int(_num(first).min())})" if len(first) else "")
                + (", by accession to a multilateral treaty" if multilateral else ", bilateral")
            )
            if obligations
            else "none",
        }
    return pd.DataFrame(rows)


def plot_visits(s: pd.Series, title: str | None = None):
    """Bars of high-level China-Mongolia military visits per year (covered years only)."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=2.8)
    ax.bar(s.index, s.values, color=charts.partner_colour("China"), edgecolor=charts.INK, linewidth=0.4, width=0.7)
    ax.set_xticks(list(range(int(s.index.min()), int(s.index.max()) + 1, 2)))
    ax.set_ylim(0, float(s.max()) * 1.3 + 0.5)
    charts.finish(ax, title, "Year", "High-level military visits")
    charts.attach_data(fig, s.rename("visits").rename_axis("year"))
    return fig
