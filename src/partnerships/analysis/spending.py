"""Spending, forces and equipment: SIPRI military expenditure, personnel, US troops, arms imports.

* ``military_expenditure`` (SIPRI): one row per year and measure (``constant_2023_usd_m``,
  ``current_usd_m``, ``share_gdp_pct``, ...). SIPRI prints 0 for current US$ in years without a
  market exchange rate (1987-1990 for Mongolia); the table keeps those as missing, and so does
  this module (a 0 is never read as "no spending").
* ``armed_forces``: personnel by year from two series that count different things
  (:data:`PERSONNEL_DEFINITIONS`, the definitions data/README.md gives for each measure).
* ``us_troops`` (troopdata, DMDC): US military personnel in Mongolia by quarter; a quarter
  without a DMDC report is missing, not zero.
* ``arms_tiv_by_year`` and ``arms_transfers`` (SIPRI): imports by supplier in trend-indicator
  values (TIV, millions) and the deals behind them.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num


def expenditure(milex: pd.DataFrame) -> pd.DataFrame:
    """Year x measure table of SIPRI values (floats; missing stays NaN)."""
    df = milex.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["value"] = _num(df["value"]).astype(float)
    pv = df.pivot(index="year", columns="measure", values="value").sort_index()
    pv.columns.name = None
    return pv


def missing_years(wide: pd.DataFrame, measure: str, start: int, end: int) -> list[int]:
    """Years in [start, end] where ``measure`` is missing (absent or NaN)."""
    s = (
        wide[measure].reindex(range(start, end + 1))
        if measure in wide
        else pd.Series(index=range(start, end + 1), dtype=float)
    )
    return [int(y) for y in s[s.isna()].index]


def collapse_and_recovery(series: pd.Series, base_year: int) -> dict:
    """Measure a fall from ``base_year`` to the lowest later value, and when (if ever) it was regained.

    Returns base (value in base_year), trough_year, trough, fall_pct (percent drop base -> trough,
    positive), recovery_year (first year after the trough whose value is above base, or None),
    last_year, last, last_vs_base_pct.
    """
    s = series.dropna().sort_index()
    base = float(s.loc[base_year])
    after = s[s.index > base_year]
    trough_year = int(after.idxmin())
    trough = float(after.min())
    later = s[(s.index > trough_year) & (s > base)]
    recovery_year = int(later.index.min()) if len(later) else None
    last_year = int(s.index.max())
    last = float(s.iloc[-1])
    return {
        "base_year": base_year,
        "base": base,
        "trough_year": trough_year,
        "trough": trough,
        "fall_pct": (base - trough) / base * 100.0,
        "recovery_year": recovery_year,
        "last_year": last_year,
        "last": last,
        "last_vs_base_pct": (last - base) / base * 100.0,
    }


def personnel(af: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Active armed forces personnel by year (first measure in the table unless given)."""
    df = af.copy()
    measure = measure or sorted(df["measure"].unique())[0]
    df = df[df["measure"] == measure]
    s = pd.Series(_num(df["personnel"]).astype(float).values, index=_num(df["year"]).astype(int).values, name=measure)
    return s.sort_index()


PERSONNEL_LABELS = {
    "iiss_active_personnel": "IISS active personnel (via World Bank / OWID)",
    "cow_milper": "COW military personnel (NMC v7)",
}


# What each personnel series counts (the data dictionary states the same words; a test keeps them equal).
PERSONNEL_DEFINITIONS = {
    "iiss_active_personnel": "active forces including paramilitary forces and excluding reserves",
    "cow_milper": "troops under the national government's command held ready for combat, excluding reserves and, as a rule, paramilitary forces",
}


def personnel_wide(af: pd.DataFrame, start: int | None = None) -> pd.DataFrame:
    """Year x measure table of personnel (floats, NaN where a source has no figure), every year in the span."""
    df = af.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["personnel"] = _num(df["personnel"]).astype(float)
    pv = df.pivot(index="year", columns="measure", values="personnel").sort_index()
    pv = pv.reindex(range(int(pv.index.min()), int(pv.index.max()) + 1))
    if start is not None:
        pv = pv.loc[start:]
    pv.columns.name = None
    return pv


def jumps(s: pd.Series, threshold: float) -> list[int]:
    """Years whose value differs from the previous year's by more than ``threshold`` (consecutive years only)."""
    d = s.diff().abs()
    return [int(y) for y in d[d > threshold].index]


def changes_over(s: pd.Series, threshold: float) -> pd.Series:
    """Signed year-on-year changes larger than ``threshold`` in size (consecutive years only), by year."""
    d = s.diff()
    return d[d.abs() > threshold].astype(float)


def describe_changes(changes: pd.Series) -> str:
    """'rises 13,100 in 1995 and falls 18,600 in 1997' from :func:`changes_over`."""
    parts = [f"{'rises' if v > 0 else 'falls'} {abs(v):,.0f} in {int(y)}" for y, v in changes.items()]
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


def year_spans(years) -> str:
    """[1997, 1998, 1999, 2003] -> '1997–1999 and 2003' (runs of consecutive years)."""
    ys = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


def us_troops_quarterly(ut: pd.DataFrame, start_year: int | None = None) -> pd.DataFrame:
    """Quarterly US troops in Mongolia (date index); ``reported`` False where no DMDC report exists.

    A quarter with no report keeps troops = NaN (shown as a gap, never as zero).
    """
    df = ut.copy()
    df["date"] = pd.to_datetime(df["date"])
    df["year"] = _num(df["year"]).astype(int)
    df["troops"] = _num(df["troops"]).astype(float)
    if start_year is not None:
        df = df[df["year"] >= start_year]
    df["reported"] = df["troops"].notna()
    return df.sort_values("date").set_index("date")[["year", "troops", "reported", "report_source", "note"]]


def decade(year: int) -> str:
    """1975 -> '1970s'."""
    return f"{int(year) // 10 * 10}s"


def tiv_by_supplier_decade(tiv: pd.DataFrame) -> pd.DataFrame:
    """Supplier x decade table of TIV (millions), plus a 'Total' column; suppliers largest first.

    Decades with no recorded delivery from anyone are kept as columns of zeros.
    """
    df = tiv.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["tiv_m"] = _num(df["tiv_m"]).astype(float)
    df["decade"] = df["year"].map(decade)
    pv = df.pivot_table(index="supplier", columns="decade", values="tiv_m", aggfunc="sum", fill_value=0.0)
    # every decade between the first and the last appears (a decade without deliveries is 0, not absent)
    all_decades = [decade(y) for y in range(int(df["year"].min()) // 10 * 10, int(df["year"].max()) + 1, 10)]
    pv = pv.reindex(columns=all_decades, fill_value=0.0)
    pv["Total"] = pv.sum(axis=1)
    pv = pv.sort_values("Total", ascending=False, kind="stable")
    pv.columns.name = None
    return pv


def supplier_shares(tiv: pd.DataFrame, since: int | None = None, until: int | None = None) -> pd.Series:
    """Each supplier's share (percent) of all TIV, optionally from ``since`` and up to ``until`` (inclusive); largest first."""
    df = tiv.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["tiv_m"] = _num(df["tiv_m"]).astype(float)
    if since is not None:
        df = df[df["year"] >= since]
    if until is not None:
        df = df[df["year"] <= until]
    s = df.groupby("supplier")["tiv_m"].sum()
    s = s / s.sum() * 100.0
    return s.sort_values(ascending=False, kind="stable")


def tiv_by_order_year(at: pd.DataFrame) -> pd.DataFrame:
    """The trade register as supplier, year (of order), tiv_m (TIV delivered, millions): the shape
    :func:`tiv_by_supplier_decade` and :func:`supplier_shares` read. Unlike the yearly TIV copy it
    includes the latest deals, dated by order rather than by delivery."""
    return pd.DataFrame(
        {
            "supplier": at["supplier"].values,
            "year": _num(at["order_year"]).astype(int).values,
            "tiv_m": _num(at["tiv_delivered"]).astype(float).fillna(0.0).values,
        }
    )


def deals(at: pd.DataFrame) -> pd.DataFrame:
    """The deals, newest order first: supplier, order year, weapon, description, numbers, TIV delivered,
    SIPRI's status and comment, source and locator.

    Uncertain numbers and years (SIPRI's '?') are marked with a trailing '?'.
    """
    df = at.copy()

    def unc(v, flag):
        if pd.isna(v) or v == "":
            return ""
        f = str(flag).strip().lower() in ("true", "1")
        v = int(float(v))
        return f"{v}?" if f else f"{v}"

    out = pd.DataFrame(
        {
            "order_year": [unc(v, f) for v, f in zip(df["order_year"], df["order_year_uncertain"])],
            "supplier": df["supplier"],
            "weapon": df["weapon_designation"],
            "description": df["weapon_description"],
            "ordered": [unc(v, f) for v, f in zip(df["number_ordered"], df["number_ordered_uncertain"])],
            "delivered": [unc(v, f) for v, f in zip(df["number_delivered"], df["number_delivered_uncertain"])],
            "delivery_years": df["delivery_years"].fillna("").astype(str).map(year_span),
            "tiv_delivered_m": _num(df["tiv_delivered"]).astype(float),
            "status": df["status"],
            "comments": df["comments"].fillna("") if "comments" in df else "",
            "source_id": df["source_id"],
            "locator": df["locator"] if "locator" in df else "",
            "deal_id": df["deal_id"] if "deal_id" in df else "",
        }
    )
    out["_y"] = _num(df["order_year"]).values
    out = out.sort_values(["_y", "supplier", "weapon"], ascending=[False, True, True], kind="stable")
    return out.drop(columns=["_y"]).reset_index(drop=True)


def year_span(years: str) -> str:
    """'1978; 1979; 1980' -> '1978-1980'; '2012; 2015' -> '2012, 2015' (gaps kept); '' -> ''."""
    ys = sorted({int(y) for y in str(years).replace(",", ";").split(";") if y.strip()})
    if not ys:
        return ""
    parts, start, prev = [], ys[0], ys[0]
    for y in ys[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)


def tiv_by_weapon(at: pd.DataFrame, since: int | None = None) -> pd.DataFrame:
    """Supplier x weapon description TIV delivered (millions), from the trade register, largest first."""
    df = at.copy()
    df["order_year"] = _num(df["order_year"])
    df["tiv_delivered"] = _num(df["tiv_delivered"]).astype(float)
    if since is not None:
        df = df[df["order_year"] >= since]
    g = df.groupby(["supplier", "weapon_description"])["tiv_delivered"].sum().reset_index()
    return g.sort_values(
        ["tiv_delivered", "supplier", "weapon_description"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- charts


def plot_expenditure(wide: pd.DataFrame, rec: dict, start: int, end: int, peer: pd.DataFrame | None = None):
    """Two panels side by side: spending in constant 2023 US$ (the base-year level and the trough
    marked) and as a share of GDP, with the peers' median and range behind it when ``peer`` (year x
    ``median``, ``low``, ``high``; :func:`partnerships.analysis.peers.share_band`) is given."""
    from partnerships.analysis import charts

    charts.style()
    fig, (a1, a2) = charts.plt.subplots(1, 2, figsize=(charts.WIDTH, 2.7))
    w = wide.loc[start:end]
    navy = charts.SHADES[4]
    a1.plot(w.index, w["constant_2023_usd_m"], color=navy, marker="o", markersize=2.5, linewidth=1.5)
    a1.axhline(rec["base"], color=charts.GREY, linestyle="--", linewidth=0.9)
    a1.text(start + 6, rec["base"] * 1.04, f"{rec['base_year']} level", fontsize=charts.SMALL_PT, color="#444444")
    a1.annotate(
        f"{rec['trough_year']}: {rec['trough']:.0f}, \u2212{rec['fall_pct']:.0f}%",
        (rec["trough_year"], rec["trough"]),
        xytext=(rec["trough_year"] + 3, rec["trough"] * 0.35),
        fontsize=charts.SMALL_PT,
        va="center",
        arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 1, "shrinkB": 3},
    )
    if rec["recovery_year"] is not None:
        v = float(w.loc[rec["recovery_year"], "constant_2023_usd_m"])
        a1.annotate(
            f"{rec['recovery_year']}: {v:.0f}",
            (rec["recovery_year"], v),
            xytext=(rec["recovery_year"] - 1.5, v),
            fontsize=charts.SMALL_PT,
            va="center",
            ha="right",
        )
    a1.set_ylim(0, max(w["constant_2023_usd_m"].max(), rec["base"]) * 1.15)
    a1.set_ylabel("US$ million, constant 2023")
    if peer is not None and len(peer):
        pb = peer.loc[start:end]
        a2.fill_between(pb.index, pb["low"], pb["high"], color=charts.LIGHT, linewidth=0, label="peers, middle half")
        a2.plot(pb.index, pb["median"], color=charts.GREY, linewidth=1.2, linestyle="--", label="peers, median")
    a2.plot(w.index, w["share_gdp_pct"], color=navy, marker="o", markersize=2.5, linewidth=1.5, label="Mongolia")
    top = w["share_gdp_pct"].max() if peer is None else max(w["share_gdp_pct"].max(), peer.loc[start:end, "high"].max())
    a2.set_ylim(0, top * 1.1)
    a2.set_ylabel("Share of GDP (%)")
    a2.legend(loc="upper right")
    for ax in (a1, a2):
        ax.set_xlim(start - 1, end + 1)
    fig.tight_layout(w_pad=2)
    data = w[["constant_2023_usd_m", "share_gdp_pct"]].rename_axis("year")
    if peer is not None and len(peer):
        data = data.join(peer.loc[start:end].add_prefix("peers_share_gdp_"), how="left")
    charts.attach_data(fig, data)
    return fig


def plot_personnel(pers: pd.DataFrame):
    """Armed forces personnel by year, one line per source (a gap is a year without data)."""
    from matplotlib.ticker import FuncFormatter

    from partnerships.analysis import charts

    fig, ax = charts.new(height=2.5)
    for i, col in enumerate(pers.columns):
        ax.plot(
            pers.index,
            pers[col],
            color=[charts.SHADES[4], charts.PALETTE[2]][i % 2],
            marker=charts.MARKERS[i % 8],
            markersize=2.5,
            linewidth=1.4,
            linestyle=["-", "--"][i % 2],
            label=PERSONNEL_LABELS.get(col, col),
        )
    ax.set_ylim(0, float(pers.max().max()) * 1.2)
    ax.set_ylabel("Personnel")
    ax.legend(loc="upper right")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    charts.attach_data(fig, pers.rename_axis("year"))
    return fig


OTHER_SUPPLIERS = "other suppliers"


def plot_tiv(pv: pd.DataFrame, title: str | None = None, xlabel: str = "Decade of delivery"):
    """Stacked bars of TIV (millions) by decade, one segment per supplier (in the supplier's colour)."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=2.6)
    decades = [c for c in pv.columns if c != "Total"]
    # suppliers without a colour of their own share one grey segment; a supplier with nothing delivered has none
    shown = pv[pv["Total"] > 0]
    own = [s for s in shown.index if s in charts.PARTNER_COLOURS]
    rest = [s for s in shown.index if s not in charts.PARTNER_COLOURS]
    segments = shown.loc[own, decades].astype(float)
    if rest:
        segments.loc[OTHER_SUPPLIERS if len(rest) > 1 else rest[0]] = shown.loc[rest, decades].astype(float).sum()
    bottom = pd.Series(0.0, index=decades)
    for sup in segments.index:
        vals = segments.loc[sup]
        ax.bar(
            decades, vals, bottom=bottom, color=charts.partner_colour(sup), edgecolor="white", linewidth=0.4, label=sup
        )
        bottom = bottom + vals
    for x, v in zip(decades, bottom):
        ax.text(x, v + bottom.max() * 0.01, f"{v:,.0f}", ha="center", va="bottom", fontsize=charts.SMALL_PT)
    ax.set_ylim(0, bottom.max() * 1.12)
    ax.set_axisbelow(True)
    ax.legend(loc="upper right")
    charts.finish(ax, title, xlabel, "SIPRI TIV, million")
    charts.attach_data(fig, pv.rename_axis("supplier"))
    return fig
