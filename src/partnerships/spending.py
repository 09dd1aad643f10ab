"""Spending, forces and equipment: SIPRI military expenditure, personnel, US troops, arms imports.

* ``military_expenditure`` (SIPRI): one row per year and measure (``constant_2023_usd_m``,
  ``current_usd_m``, ``share_gdp_pct``, ...). SIPRI prints 0 for current US$ in years without a
  market exchange rate (1987-1990 for Mongolia); the table keeps those as missing, and so does
  this module (a 0 is never read as "no spending").
* ``armed_forces``: active personnel by year (IISS via World Bank/OWID).
* ``us_troops`` (troopdata, DMDC): US military personnel in Mongolia by quarter; a quarter
  without a DMDC report is missing, not zero.
* ``arms_tiv_by_year`` and ``arms_transfers`` (SIPRI): imports by supplier in trend-indicator
  values (TIV, millions) and the deals behind them.
"""

from __future__ import annotations

import pandas as pd


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", pd.NA), errors="coerce")


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
    s = wide[measure].reindex(range(start, end + 1)) if measure in wide else pd.Series(index=range(start, end + 1), dtype=float)
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
        "base_year": base_year, "base": base, "trough_year": trough_year, "trough": trough,
        "fall_pct": (base - trough) / base * 100.0, "recovery_year": recovery_year,
        "last_year": last_year, "last": last, "last_vs_base_pct": (last - base) / base * 100.0,
    }


def personnel(af: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Active armed forces personnel by year (first measure in the table unless given)."""
    df = af.copy()
    measure = measure or sorted(df["measure"].unique())[0]
    df = df[df["measure"] == measure]
    s = pd.Series(_num(df["personnel"]).astype(float).values, index=_num(df["year"]).astype(int).values, name=measure)
    return s.sort_index()


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
    """Supplier x decade table of TIV (millions), plus a 'Total' column; suppliers largest first."""
    df = tiv.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["tiv_m"] = _num(df["tiv_m"]).astype(float)
    df["decade"] = df["year"].map(decade)
    pv = df.pivot_table(index="supplier", columns="decade", values="tiv_m", aggfunc="sum", fill_value=0.0)
    pv = pv[sorted(pv.columns)]
    pv["Total"] = pv.sum(axis=1)
    pv = pv.sort_values("Total", ascending=False, kind="stable")
    pv.columns.name = None
    return pv


def supplier_shares(tiv: pd.DataFrame, since: int | None = None) -> pd.Series:
    """Each supplier's share (percent) of all TIV, optionally from ``since`` on; largest first."""
    df = tiv.copy()
    df["year"] = _num(df["year"]).astype(int)
    df["tiv_m"] = _num(df["tiv_m"]).astype(float)
    if since is not None:
        df = df[df["year"] >= since]
    s = df.groupby("supplier")["tiv_m"].sum()
    s = s / s.sum() * 100.0
    return s.sort_values(ascending=False, kind="stable")


def deals(at: pd.DataFrame) -> pd.DataFrame:
    """The deals, newest order first: supplier, order year, weapon, description, numbers, TIV delivered.

    Uncertain numbers and years (SIPRI's '?') are marked with a trailing '?'.
    """
    df = at.copy()

    def unc(v, flag):
        if pd.isna(v) or v == "":
            return ""
        f = str(flag).strip().lower() in ("true", "1")
        v = int(float(v))
        return f"{v}?" if f else f"{v}"

    out = pd.DataFrame({
        "order_year": [unc(v, f) for v, f in zip(df["order_year"], df["order_year_uncertain"])],
        "supplier": df["supplier"],
        "weapon": df["weapon_designation"],
        "description": df["weapon_description"],
        "ordered": [unc(v, f) for v, f in zip(df["number_ordered"], df["number_ordered_uncertain"])],
        "delivered": [unc(v, f) for v, f in zip(df["number_delivered"], df["number_delivered_uncertain"])],
        "delivery_years": df["delivery_years"].fillna("").astype(str).str.replace("; ", ", "),
        "tiv_delivered_m": _num(df["tiv_delivered"]).astype(float),
        "status": df["status"],
        "source_id": df["source_id"],
    })
    out["_y"] = _num(df["order_year"]).values
    out = out.sort_values(["_y", "supplier", "weapon"], ascending=[False, True, True], kind="stable")
    return out.drop(columns=["_y"]).reset_index(drop=True)


def tiv_by_weapon(at: pd.DataFrame, since: int | None = None) -> pd.DataFrame:
    """Supplier x weapon description TIV delivered (millions), from the trade register, largest first."""
    df = at.copy()
    df["order_year"] = _num(df["order_year"])
    df["tiv_delivered"] = _num(df["tiv_delivered"]).astype(float)
    if since is not None:
        df = df[df["order_year"] >= since]
    g = df.groupby(["supplier", "weapon_description"])["tiv_delivered"].sum().reset_index()
    return g.sort_values(["tiv_delivered", "supplier", "weapon_description"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
