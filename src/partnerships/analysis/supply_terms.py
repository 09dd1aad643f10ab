"""On what terms a supplier delivers arms: new or second-hand, sold or aid, from two fields of
SIPRI's trade register (``arms_transfers``).

* ``status`` is SIPRI's own classification (New, Second hand, Second hand but modernized);
* ``comments`` is SIPRI's free text, which sometimes says more than the status field: that a
  deal was aid ("aid", or "probably aid"), or that a system recorded as new was a second-hand
  one rebuilt before delivery.

:func:`terms` reads both fields per deal, keeping which field says what; :func:`shares` gives
the share of the supplier's delivered TIV (SIPRI trend-indicator values, a volume index, not
prices) in each category. A deal counts as aid only where a comment says so.
"""

from __future__ import annotations

import re

import pandas as pd

from partnerships.data import numbers as _num

_AID = re.compile(r"\baid\b", re.I)
_PROBABLY_AID = re.compile(r"\bprobably aid\b", re.I)
_SECOND_HAND = re.compile(r"second[- ]hand", re.I)


def terms(arms: pd.DataFrame, supplier: str | None, since: int | None = None) -> pd.DataFrame:
    """One row per deal of ``supplier`` (every supplier when None; ordered in or after ``since``):
    supplier, order year, weapon, number delivered, TIV delivered, SIPRI status, and from the comment:
    ``aid`` ('stated', 'probable' or ''), ``second_hand`` ('status' when the status field says so,
    'comment' when only the comment does, '' otherwise), the comment itself. Oldest order first."""
    a = (arms if supplier is None else arms[arms["supplier"] == supplier]).copy()
    a["order_year"] = _num(a["order_year"]).astype(int)
    if since is not None:
        a = a[a["order_year"] >= since]
    comments = a["comments"].fillna("").astype(str)
    status = a["status"].fillna("").astype(str)
    aid = ["probable" if _PROBABLY_AID.search(c) else "stated" if _AID.search(c) else "" for c in comments]
    second = [
        "status" if s.lower().startswith("second hand") else "comment" if _SECOND_HAND.search(c) else ""
        for s, c in zip(status, comments)
    ]
    out = pd.DataFrame(
        {
            "supplier": a["supplier"].values,
            "order_year": a["order_year"].values,
            "weapon": a["weapon_designation"].values,
            "description": a["weapon_description"].values,
            "delivered": _num(a["number_delivered"]).values,
            "delivery_years": a["delivery_years"].fillna("").values,
            "tiv_delivered": _num(a["tiv_delivered"]).astype(float).fillna(0.0).values,
            "status": status.values,
            "aid": aid,
            "second_hand": second,
            "comments": comments.values,
            "source_id": a["source_id"].values,
            "deal_id": a["deal_id"].values if "deal_id" in a else [""] * len(a),
        }
    )
    return out.sort_values(["order_year", "supplier", "weapon"], kind="stable").reset_index(drop=True)


def shares(t: pd.DataFrame) -> dict:
    """TIV delivered in total and the percent of it that is: second-hand by the status field; second-hand
    by status or comment (rebuilt second-hand systems included); aid stated; aid stated or probable;
    plus the deal counts of each."""
    total = float(t["tiv_delivered"].sum())

    def part(mask) -> tuple[float, int]:
        return (float(t.loc[mask, "tiv_delivered"].sum()) / total * 100.0 if total else float("nan"), int(mask.sum()))

    out = {"tiv_total": total, "deals": len(t)}
    for name, mask in {
        "second_hand_status": t["second_hand"] == "status",
        "second_hand_any": t["second_hand"] != "",
        "aid_stated": t["aid"] == "stated",
        "aid_any": t["aid"] != "",
        "new_not_aid": (t["second_hand"] == "") & (t["aid"] == ""),
    }.items():
        out[f"{name}_pct"], out[f"{name}_deals"] = part(mask)
    return out


def supplier_totals(arms: pd.DataFrame, since: int | None = None, until: int | None = None) -> pd.DataFrame:
    """Per supplier: deals and TIV delivered (orders in [since, until]), share of the total (%), largest first."""
    a = arms.copy()
    a["order_year"] = _num(a["order_year"]).astype(int)
    a["tiv"] = _num(a["tiv_delivered"]).astype(float).fillna(0.0)
    if since is not None:
        a = a[a["order_year"] >= since]
    if until is not None:
        a = a[a["order_year"] <= until]
    g = a.groupby("supplier").agg(
        deals=("tiv", "size"), tiv=("tiv", "sum"), first_order=("order_year", "min"), last_order=("order_year", "max")
    )
    g["share_pct"] = g["tiv"] / g["tiv"].sum() * 100.0
    return g.sort_values("tiv", ascending=False)


def weapon_types(arms: pd.DataFrame, suppliers: tuple[str, ...]) -> pd.DataFrame:
    """Weapon descriptions delivered by the given suppliers: deals, items delivered, first and last order year."""
    a = arms[arms["supplier"].isin(suppliers)].copy()
    a["order_year"] = _num(a["order_year"]).astype(int)
    a["n"] = _num(a["number_delivered"])
    g = a.groupby("weapon_description").agg(
        deals=("n", "size"), delivered=("n", "sum"), first_order=("order_year", "min"), last_order=("order_year", "max")
    )
    return g.sort_values(["deals", "delivered"], ascending=False)


#: How a deal's condition reads, from :func:`terms`' ``second_hand`` column.
CONDITIONS = {"status": "second-hand", "comment": "second-hand, rebuilt (status says new)", "": "new"}
#: How a deal's terms read, from :func:`terms`' ``aid`` column.
AID_WORDS = {"stated": "aid", "probable": "probably aid", "": "aid not stated"}


def plot_terms(t: pd.DataFrame):
    """One bar per deal (TIV delivered, largest at the top), coloured by condition (second-hand by
    SIPRI's status field, second-hand by its comment only, new), labelled with the terms (aid or not)."""
    from partnerships.analysis import charts

    d = t.sort_values(["tiv_delivered", "order_year"], ascending=[True, True], kind="stable").reset_index(drop=True)
    colours = {"status": charts.SHADES[4], "comment": charts.SHADES[2], "": charts.PALETTE[1]}
    fig, ax = charts.new(height=0.27 * len(d) + 0.9, width=charts.WIDTH - 1.6)  # room for the deal labels
    labels = [f"{r.weapon} ({r.description}), {r.order_year}" for r in d.itertuples()]
    ax.barh(range(len(d)), d["tiv_delivered"], color=[colours[c] for c in d["second_hand"]], height=0.7)
    top = float(d["tiv_delivered"].max())
    for y, r in enumerate(d.itertuples()):
        ax.text(r.tiv_delivered + top * 0.01, y, AID_WORDS[r.aid], va="center", fontsize=charts.SMALL_PT)
    ax.set_yticks(range(len(d)), labels)
    ax.set_xlim(0, top * 1.25)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    from matplotlib.patches import Patch

    shown = [k for k in colours if k in set(d["second_hand"])]
    ax.legend(
        handles=[Patch(color=colours[k], label=CONDITIONS[k]) for k in shown], loc="lower right", title="Condition"
    )
    charts.finish(ax, None, "TIV delivered, million (label: terms, from SIPRI's comment)")
    charts.attach_data(
        fig,
        d.assign(condition=d["second_hand"].map(CONDITIONS), terms=d["aid"].map(AID_WORDS))[
            [
                "order_year",
                "weapon",
                "description",
                "delivered",
                "tiv_delivered",
                "status",
                "condition",
                "terms",
                "comments",
            ]
        ],
    )
    return fig
