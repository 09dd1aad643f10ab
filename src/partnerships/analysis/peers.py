"""Mongolia among its peers: military spending and UN peacekeeping, compared with states of
similar size, position or peacekeeping profile and with the two neighbours for scale.

Tables used:

* ``military_expenditure`` (Mongolia) and ``peer_military_expenditure`` (the others): SIPRI,
  constant 2023 US$ and share of GDP, from the same workbook;
* ``population`` (World Bank): for spending per person (constant 2023 US$ per inhabitant,
  computed here; SIPRI's own per-capita sheet is in current US$) and peacekeepers per
  million inhabitants;
* ``pk_contributors``: every UN contributor on the two dates that list them all (IPI, 31 March
  2014; the UN's ranking, 31 January 2021), so that a rank is among *all* contributors, not
  among the peers only.

A figure missing in the chosen year is taken from the latest earlier year that has one, and
the year used is shown beside it (never silently).
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num

SUBJECT = "Mongolia"
MEASURES = ["constant_2023_usd_m", "share_gdp_pct"]
#: The peers of ../ANALYSIS (post-Soviet Central Asia; large Asian contributors; leading contributors per head).
PEERS = ["Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Nepal", "Bangladesh", "Rwanda", "Fiji", "Uruguay", "Ghana"]
NEIGHBOURS = ["China", "Russia"]


def check_countries(countries: list[str], available: set[str]) -> None:
    """Raise ValueError naming any requested country the peer tables do not hold, and the valid ones."""
    unknown = [c for c in countries if c not in available]
    if unknown:
        raise ValueError(f"not in the peer tables: {', '.join(unknown)}; valid: {', '.join(sorted(available))}")


def milex_long(me: pd.DataFrame, peer_me: pd.DataFrame) -> pd.DataFrame:
    """Mongolia's rows and the peers' rows as one long table: country, year, measure, value (floats), source_id."""
    m = me.assign(country=SUBJECT)[["country", "year", "measure", "value", "source_id"]]
    p = peer_me[["country", "year", "measure", "value", "source_id"]]
    out = pd.concat([m, p], ignore_index=True)
    out["year"] = _num(out["year"]).astype(int)
    out["value"] = _num(out["value"]).astype(float)
    return out


def population_of(population: pd.DataFrame, iso3: dict[str, str]) -> pd.DataFrame:
    """Country x year table of population for the given country -> iso3 map."""
    pop = population.copy()
    pop["year"] = _num(pop["year"]).astype(int)
    pop["population"] = _num(pop["population"]).astype(float)
    back = {v: k for k, v in iso3.items()}
    pop = pop[pop["iso3"].isin(back)]
    pop["country"] = pop["iso3"].map(back)
    return pop.pivot(index="year", columns="country", values="population")


def latest(series: pd.Series, year: int) -> tuple[float, int | None]:
    """(value, year) of the latest non-missing value in or before ``year``; (NaN, None) if none."""
    s = series.dropna()
    s = s[s.index <= year]
    if s.empty:
        return float("nan"), None
    return float(s.iloc[-1]), int(s.index[-1])


def share_band(milex: pd.DataFrame, countries: list[str], measure: str = "share_gdp_pct") -> pd.DataFrame:
    """Year x (``median``, ``low``, ``high``, ``n``): the median and the middle half (25th to 75th
    percentile) of ``measure`` over ``countries`` in each year, among those with a value that year."""
    d = milex[(milex["measure"] == measure) & milex["country"].isin(countries)].dropna(subset=["value"])
    g = d.groupby("year")["value"]
    out = pd.DataFrame({"median": g.median(), "low": g.quantile(0.25), "high": g.quantile(0.75), "n": g.size()})
    return out.sort_index()


def below_median_since(own: pd.Series, band: pd.DataFrame) -> int | None:
    """The first year from which ``own`` stays below the band's median in every later year with both (None if never)."""
    both = pd.concat([own.rename("own"), band["median"]], axis=1).dropna()
    below = both["own"] < both["median"]
    if not below.iloc[-1]:
        return None
    above = below[~below]
    return int(below.index[0] if above.empty else below.loc[above.index[-1] :].index[1])


def spending(milex: pd.DataFrame, pop: pd.DataFrame, countries: list[str], year: int) -> pd.DataFrame:
    """One row per country: real spending (US$ m, constant 2023), share of GDP (%), spending per person
    (constant 2023 US$: real spending / population of the same year) and the year each figure is from.

    Sorted by share of GDP, highest first.
    """
    rows = []
    for c in countries:
        d = milex[milex["country"] == c]
        wide = d.pivot_table(index="year", columns="measure", values="value", aggfunc="first")
        real, ry = latest(wide.get("constant_2023_usd_m", pd.Series(dtype=float)), year)
        share, sy = latest(wide.get("share_gdp_pct", pd.Series(dtype=float)), year)
        people = pop[c].get(ry, float("nan")) if (ry is not None and c in pop.columns) else float("nan")
        rows.append(
            {
                "country": c,
                "real_usd_m": real,
                "real_year": ry,
                "share_gdp_pct": share,
                "share_year": sy,
                "per_person_usd": real * 1e6 / people if people == people and people > 0 else float("nan"),
                "population": people,
            }
        )
    out = pd.DataFrame(rows).set_index("country")
    return out.sort_values(["share_gdp_pct", "real_usd_m"], ascending=[False, False], na_position="last")


def spending_rank(table: pd.DataFrame, column: str, country: str = SUBJECT) -> tuple[int, int]:
    """(rank of ``country`` on ``column``, highest = 1; number of countries with a value)."""
    s = table[column].dropna()
    return int(s.rank(ascending=False, method="min")[country]), int(s.size)


def contributor_ranks(contributors: pd.DataFrame, population: pd.DataFrame, date: str) -> pd.DataFrame:
    """Every contributor on ``date`` (index iso3): personnel, population (same year), per million
    inhabitants, and its rank among all contributors by personnel and by personnel per million
    (1 = most; ties share the best rank). ``n`` contributors ranked.

    A contributor without a population figure is ranked on personnel but not per million.
    """
    c = contributors[contributors["date"] == date].copy()
    if c.empty:
        raise ValueError(
            f"no contributors listed for {date}; dates: {', '.join(sorted(contributors['date'].unique()))}"
        )
    c["personnel"] = _num(c["personnel"]).astype(float)
    year = int(date[:4])
    pop = population[_num(population["year"]) == year].set_index("iso3")["population"]
    c["population"] = c["iso3"].map(_num(pop)).astype(float)
    c["per_million"] = c["personnel"] / c["population"] * 1e6
    c["rank"] = c["personnel"].rank(ascending=False, method="min").astype(int)
    c["rank_per_million"] = c["per_million"].rank(ascending=False, method="min").astype("Int64")
    c["n"] = len(c)
    c["n_per_million"] = int(c["per_million"].notna().sum())
    return c.set_index("iso3")[
        [
            "country",
            "personnel",
            "population",
            "per_million",
            "rank",
            "rank_per_million",
            "n",
            "n_per_million",
            "un_rank",
            "source_id",
        ]
    ]


def peacekeeping(contributors: pd.DataFrame, population: pd.DataFrame, iso3: dict[str, str]) -> pd.DataFrame:
    """Country x date rows for the comparison countries: personnel, per million, ranks among all.

    A country that contributed nothing on a date is absent from the UN list: it appears with
    personnel 0 and no rank (``listed`` False).
    """
    rows = []
    for date in sorted(contributors["date"].unique()):
        ranks = contributor_ranks(contributors, population, date)
        for country, code in iso3.items():
            if code in ranks.index:
                r = ranks.loc[code]
                rows.append(
                    {
                        "country": country,
                        "date": date,
                        "personnel": r["personnel"],
                        "per_million": r["per_million"],
                        "rank": int(r["rank"]),
                        "rank_per_million": r["rank_per_million"],
                        "n": int(r["n"]),
                        "un_rank": r["un_rank"],
                        "listed": True,
                        "source_id": r["source_id"],
                    }
                )
            else:
                rows.append(
                    {
                        "country": country,
                        "date": date,
                        "personnel": 0.0,
                        "per_million": 0.0,
                        "rank": pd.NA,
                        "rank_per_million": pd.NA,
                        "n": int(ranks["n"].iloc[0]),
                        "un_rank": pd.NA,
                        "listed": False,
                        "source_id": ranks["source_id"].iloc[0],
                    }
                )
    return pd.DataFrame(rows)


def share_of_all(contributors: pd.DataFrame, date: str, iso3: str) -> float:
    """A contributor's share (percent) of all UN uniformed personnel listed on ``date``."""
    c = contributors[contributors["date"] == date]
    total = _num(c["personnel"]).sum()
    mine = _num(c.loc[c["iso3"] == iso3, "personnel"]).sum()
    return float(mine / total * 100.0)


# --------------------------------------------------------------------------- charts


def plot_spending(table: pd.DataFrame, title: str | None = None, subject: str = SUBJECT):
    """Two panels side by side: share of GDP and spending per person, one bar per country, the subject
    in navy, a partner (the neighbours) in its colour, the peers grey."""
    from partnerships.analysis import charts

    charts.style()
    fig, (a1, a2) = charts.plt.subplots(1, 2, figsize=(charts.WIDTH, 0.25 * len(table) + 1.1), sharey=True)
    t = table.iloc[::-1]
    # the subject in the report's navy, the neighbours in their partner colours, the peers grey
    colours = [charts.SHADES[4] if c == subject else charts.PARTNER_COLOURS.get(c, charts.LIGHT) for c in t.index]
    for ax, col, label, fmt in (
        (a1, "share_gdp_pct", "Share of GDP (%)", "{:.1f}"),
        (a2, "per_person_usd", "Per person (US$, constant 2023)", "{:,.0f}"),
    ):
        vals = t[col].fillna(0)
        ax.barh(t.index, vals, color=colours, edgecolor="#555555", linewidth=0.4)
        for y, v in enumerate(t[col]):
            ax.text(
                (0 if v != v else v) + vals.max() * 0.02,
                y,
                "no data" if v != v else fmt.format(v),
                va="center",
                fontsize=charts.SMALL_PT,
            )
        ax.set_xlim(0, vals.max() * 1.3)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(label)
        ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    charts.attach_data(fig, table.rename_axis("country"))
    return fig


def plot_peacekeeping(pk: pd.DataFrame, title: str | None = None, subject: str = SUBJECT):
    """Peacekeepers per million inhabitants on each all-contributor date, one group of bars per
    country (sorted by the latest date), each bar labelled with the rank among all contributors."""
    import numpy as np

    from partnerships.analysis import charts

    dates = sorted(pk["date"].unique())
    last = pk[pk["date"] == dates[-1]].set_index("country")["per_million"].sort_values()
    order = list(last.index)
    fig, ax = charts.new(height=0.34 * len(order) + 1.0)
    h = 0.8 / len(dates)
    y = np.arange(len(order))
    for i, d in enumerate(dates):
        s = pk[pk["date"] == d].set_index("country").reindex(order)
        pos = y + (i - (len(dates) - 1) / 2) * h
        # dates by lightness (earlier light, later dark); the subject in the report's navy, the others grey
        colours = [
            [charts.SHADES[1], charts.SHADES[4]][i % 2] if c == subject else [charts.LIGHT, charts.GREY][i % 2]
            for c in order
        ]
        ax.barh(
            pos,
            s["per_million"],
            height=h * 0.9,
            color=colours,
            edgecolor="#555555",
            linewidth=0.4,
            label=f"{pd.Timestamp(d):%B %Y}",
        )
        for yy, v, r in zip(pos, s["per_million"], s["rank_per_million"]):
            ax.text(
                v + last.max() * 0.01,
                yy,
                "not listed" if r is pd.NA or r != r else f"{v:,.0f} (rank {int(r)})",
                va="center",
                fontsize=charts.SMALL_PT,
            )
    ax.set_yticks(y, order)
    ax.set_xlim(0, float(pk["per_million"].max()) * 1.3)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower right")
    charts.finish(ax, title, "UN uniformed personnel per million inhabitants (label: rank among all contributors)")
    charts.attach_data(fig, pk)
    return fig
