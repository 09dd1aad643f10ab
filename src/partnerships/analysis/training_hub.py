"""Training in Mongolia: the foreign trainees the US paid for there (Mongolia as a peacekeeping-
training hub), where US training of Mongolians took place, how the US programs shifted, what a
student costs, and what "trains the most people" can compare.

Tables used (all from the US Foreign Military Training Reports, FY1999-FY2020):

* ``us_training_foreign``: training lines of other countries located in Mongolia (Five Hills peace
  support training centre, Ulaanbaatar, Khaan Quest); East Asia and Pacific recipients only;
* ``us_training_places``: Mongolian course lines by place (in Mongolia, abroad, not stated);
* ``us_training``: the printed program totals (students and cost) per fiscal year.

A fiscal year reported twice (planned in one report, completed in the next) counts once, as
completed: :func:`partnerships.analysis.training.us_training_by_year` chooses, for every table.
Students are **training places** (one person can attend several courses).
"""

from __future__ import annotations

import re

import pandas as pd

from partnerships.analysis.training import us_training_by_year
from partnerships.data import numbers as _num

# course title -> family (first match wins)
COURSE_FAMILIES: list[tuple[str, str]] = [
    ("Khaan Quest exercise", r"khaan\s*quest"),
    (
        "UN peacekeeping courses",
        r"\bUN\b|united nations|unmo|unsoc|peacekeeping|\bpko|\bt3\b|train(ing)? the trainers?|\bttt\b|cimic|contingent",
    ),
    ("Other exercises and workshops", r"."),
]
PEACE_OPS_GROUPS = ("GPOI", "PKO", "EIPC")  # US peace-operations programs


def family(title: str) -> str:
    for name, pattern in COURSE_FAMILIES:
        if re.search(pattern, str(title or ""), re.I):
            return name
    return COURSE_FAMILIES[-1][0]


def foreign(fo: pd.DataFrame) -> pd.DataFrame:
    """The foreign-trainee lines, completed years only, with ``students`` numeric and a course ``family``."""
    d = fo.copy()
    d["fiscal_year"] = _num(d["fiscal_year"]).astype(int)
    d["students"] = _num(d["students"]).astype(float)
    d["cost_usd"] = _num(d["cost_usd"]).astype(float)
    d["family"] = d["course_title"].map(family)
    return d


def foreign_summary(d: pd.DataFrame) -> dict:
    """Totals: trainees (training places), lines with no readable number, countries, fiscal years, cost."""
    return {
        "students": float(d["students"].sum()),
        "lines": len(d),
        "unreadable": int(d["students"].isna().sum()),
        "countries": int(d["country"].nunique()),
        "first_fy": int(d["fiscal_year"].min()),
        "last_fy": int(d["fiscal_year"].max()),
        "fiscal_years": int(d["fiscal_year"].nunique()),
        "cost_usd": float(d["cost_usd"].sum()),
    }


def foreign_by(d: pd.DataFrame, by: str) -> pd.DataFrame:
    """Trainees, lines and fiscal years per ``by`` (country or family), largest first."""
    g = d.groupby(by).agg(
        students=("students", "sum"),
        lines=("students", "size"),
        first_fy=("fiscal_year", "min"),
        last_fy=("fiscal_year", "max"),
        countries=("country", "nunique"),
    )
    return g.sort_values(["students", "lines"], ascending=False)


def places_by_year(places: pd.DataFrame) -> pd.DataFrame:
    """Fiscal year x place table of students (completed figures where a year is reported twice), plus
    the share (%) in Mongolia among lines whose place is stated."""
    p = us_training_by_year(places)
    pv = p.pivot_table(index="fiscal_year", columns="place", values="students", aggfunc="sum", fill_value=0)
    for c in ("in_mongolia", "abroad", "not_stated"):
        if c not in pv.columns:
            pv[c] = 0
    pv = pv[["in_mongolia", "abroad", "not_stated"]]
    stated = pv["in_mongolia"] + pv["abroad"]
    pv["share_in_mongolia_pct"] = (pv["in_mongolia"] / stated * 100.0).where(stated > 0)
    pv.index.name = "fiscal_year"
    return pv


def in_mongolia_by_group(places: pd.DataFrame) -> pd.DataFrame:
    """Fiscal year x program group: students trained in Mongolia (completed figures)."""
    p = us_training_by_year(places)
    p = p[p["place"] == "in_mongolia"]
    pv = p.pivot_table(index="fiscal_year", columns="program_group", values="students", aggfunc="sum", fill_value=0)
    pv.columns.name = None
    return pv


def lead_group_runs(pv: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Consecutive fiscal years in which the same program group trained the most in Mongolia:
    [(group, first FY, last FY), ...]; years with nobody trained in Mongolia are skipped."""
    out: list[tuple[str, int, int]] = []
    for fy, row in pv.iterrows():
        if row.sum() <= 0:
            continue
        lead = str(row.idxmax())
        if out and out[-1][0] == lead:
            out[-1] = (lead, out[-1][1], int(fy))
        else:
            out.append((lead, int(fy), int(fy)))
    return out


def cost_per_student(us: pd.DataFrame, periods: list[tuple[int, int]]) -> pd.DataFrame:
    """Program group x period: students, cost (US$, current) and cost per student, from the printed
    program totals (completed figures). Groups with no student in a period are left out of it."""
    u = us_training_by_year(us)
    rows = []
    for a, b in periods:
        p = u[(u["fiscal_year"] >= a) & (u["fiscal_year"] <= b)]
        for grp, g in p.groupby("program_group"):
            s, c = float(g["students"].sum()), float(g["cost_usd"].sum())
            if s > 0:
                rows.append(
                    {"program_group": grp, "period": f"FY{a}-FY{b}", "students": s, "cost_usd": c, "per_student": c / s}
                )
    return pd.DataFrame(rows)


def place_cost(places: pd.DataFrame, since: int | None = None) -> pd.DataFrame:
    """Per place: students, cost and cost per student from the course lines (completed figures)."""
    p = us_training_by_year(places)
    if since is not None:
        p = p[p["fiscal_year"] >= since]
    g = p.groupby("place").agg(students=("students", "sum"), cost_usd=("cost_usd", "sum"))
    g["per_student"] = g["cost_usd"] / g["students"]
    return g


def us_per_year(us: pd.DataFrame, places: pd.DataFrame, years: int = 5) -> dict:
    """Mean US-funded training places a year over the last ``years`` completed fiscal years, and the
    part of them taught abroad (course lines) and in Mongolia, over the same years."""
    u = us_training_by_year(us)
    per_fy = u.groupby("fiscal_year")["students"].sum().sort_index().tail(years)
    pl = places_by_year(places).reindex(per_fy.index)
    return {
        "first_fy": int(per_fy.index.min()),
        "last_fy": int(per_fy.index.max()),
        "all": float(per_fy.mean()),
        "abroad": float(pl["abroad"].mean()),
        "in_mongolia": float(pl["in_mongolia"].mean()),
    }


def group_places(places: pd.DataFrame, since: int | None = None, top: int | None = None) -> pd.DataFrame:
    """Per US program group: Mongolian training places in Mongolia, abroad and without a stated place,
    all places, cost (US$, current) and cost per place, from the course lines (completed figures).

    Largest group first; with ``top``, the groups after the ``top`` largest are summed as 'Other programmes'."""
    p = us_training_by_year(places)
    if since is not None:
        p = p[p["fiscal_year"] >= since]
    g = p.pivot_table(index="program_group", columns="place", values="students", aggfunc="sum", fill_value=0)
    for c in ("in_mongolia", "abroad", "not_stated"):
        if c not in g.columns:
            g[c] = 0
    g = g[["in_mongolia", "abroad", "not_stated"]].astype(float)
    g["places"] = g.sum(axis=1)
    g["cost_usd"] = p.groupby("program_group")["cost_usd"].sum().reindex(g.index).astype(float)
    g = g.sort_values(["places"], ascending=False, kind="stable")
    if top is not None and len(g) > top:
        rest = g.iloc[top:].sum().rename("Other programmes")
        g = pd.concat([g.iloc[:top], rest.to_frame().T])
    g["per_place"] = (g["cost_usd"] / g["places"]).where(g["places"] > 0)
    g.index.name = "program_group"
    g.columns.name = None
    return g


def peace_ops_lead(runs: list[tuple[str, int, int]], groups: pd.DataFrame) -> dict:
    """How long the peace-operations programs (:data:`PEACE_OPS_GROUPS`) led US training inside Mongolia:
    the first and last fiscal year one of them led, the years they led, the years with any training in
    Mongolia between those two, and the group leading in the last year."""
    peace = [r for r in runs if r[0] in PEACE_OPS_GROUPS]
    if not peace:
        return {"first": None, "last": None, "led": 0, "years": 0, "last_lead": runs[-1][0] if runs else None}
    first, last = peace[0][1], peace[-1][2]
    years = [fy for fy in groups.index if first <= fy <= last and groups.loc[fy].sum() > 0]
    return {
        "first": int(first),
        "last": int(last),
        "led": int(sum(b - a + 1 for _, a, b in peace)),
        "years": len(years),
        "last_lead": runs[-1][0],
        "last_lead_from": int(runs[-1][1]),
    }


def who_trains(flows: pd.DataFrame, us: pd.DataFrame, places: pd.DataFrame, years: int = 5) -> pd.DataFrame:
    """Every numbered figure for Mongolians trained by a partner, side by side with what it counts:
    the articles' statements (per year, or a number in training) and the US reports' yearly mean of
    training places abroad and in Mongolia over the last ``years`` completed fiscal years.

    Columns: partner, figure (as worded, with its unit), counts (who and over what period), source_id,
    and ``per_year`` (the number, for ordering; NaN for a figure that is not a yearly flow). Partners
    ordered by their largest yearly figure; a partner's yearly flows before its other figures."""
    from partnerships.analysis.training import UNIT_LABELS, stated

    f = flows[(flows["direction"] == "mongolians_abroad")].copy()
    f["n"] = _num(f["count"])
    f = f[f["n"].notna()]
    rows = []
    for r in f.itertuples():
        per_year = r.unit == "per_year"
        unit = UNIT_LABELS.get(r.unit, r.unit)
        rows.append(
            {
                "partner": r.partner,
                "figure": stated(r.n, r.qualifier) + (f" {unit}" if per_year else ""),
                "counts": f"{r.trainees}; {r.period}",
                "source_id": r.source_id,
                "per_year": float(r.n) if per_year else float("nan"),
            }
        )
    py = us_per_year(us, places, years)
    span = f"FY{py['first_fy']}-FY{py['last_fy']}"
    rows.append(
        {
            "partner": "United States",
            "figure": f"{py['abroad']:,.0f} a year abroad; {py['in_mongolia']:,.0f} a year in Mongolia",
            "counts": f"places in US-funded courses (a person on two courses counts twice); mean of {span}",
            "source_id": "fmtr",
            "per_year": py["abroad"],
        }
    )
    out = pd.DataFrame(rows)
    best = out.groupby("partner")["per_year"].transform("max").fillna(-1)
    out = out.assign(_best=best, _flow=out["per_year"].isna())
    out = out.sort_values(["_best", "partner", "_flow"], ascending=[False, True, True], kind="stable")
    return out.drop(columns=["_best", "_flow"]).reset_index(drop=True)


def foreign_by_country_family(d: pd.DataFrame) -> pd.DataFrame:
    """Country x course family: foreign trainees the US paid for in Mongolia, families in
    :data:`COURSE_FAMILIES` order, countries largest first (then by name)."""
    order = [name for name, _ in COURSE_FAMILIES]
    pv = d.pivot_table(index="country", columns="family", values="students", aggfunc="sum", fill_value=0)
    pv = pv.reindex(columns=[c for c in order if c in pv.columns])
    pv["total"] = pv.sum(axis=1)
    pv = pv.reset_index().sort_values(["total", "country"], ascending=[False, True], kind="stable").set_index("country")
    pv.columns.name = None
    return pv


# --------------------------------------------------------------------------- charts


def plot_places(pv: pd.DataFrame, title: str | None = None):
    """Stacked bars per fiscal year: Mongolian training places in Mongolia, abroad, place not stated."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=3.4)
    labels = {
        "in_mongolia": "in Mongolia",
        "abroad": "abroad (US and third countries)",
        "not_stated": "place not stated",
    }
    bottom = pd.Series(0.0, index=pv.index)
    for i, col in enumerate(["in_mongolia", "abroad", "not_stated"]):
        vals = pv[col].astype(float)
        ax.bar(
            pv.index,
            vals,
            bottom=bottom,
            color=[charts.PALETTE[1], charts.PALETTE[0], charts.GREY][i],
            edgecolor="white",
            linewidth=0.4,
            label=labels[col],
            width=0.8,
        )
        bottom = bottom + vals
    ax.set_xticks(list(range(int(pv.index.min()), int(pv.index.max()) + 1, 2)))
    ax.legend(loc="upper left")
    ax.set_ylim(0, float(bottom.max()) * 1.2)
    charts.finish(ax, title, "US fiscal year", "Training places (course lines)")
    charts.attach_data(fig, pv.rename_axis("fiscal_year"))
    return fig


def plot_foreign(by_cf: pd.DataFrame, title: str | None = None):
    """Horizontal stacked bars: foreign trainees the US paid for in Mongolia, by country and kind of course
    (:func:`foreign_by_country_family`)."""
    from partnerships.analysis import charts

    t = by_cf.iloc[::-1]
    families = [c for c in t.columns if c != "total"]
    fig, ax = charts.new(height=0.9 + 0.18 * len(t))
    left = pd.Series(0.0, index=t.index)
    for i, fam in enumerate(families):
        ax.barh(
            t.index,
            t[fam],
            left=left,
            color=charts.PALETTE[[0, 1, 3][i % 3]],
            edgecolor="white",
            linewidth=0.4,
            height=0.72,
            label=fam,
        )
        left = left + t[fam]
    for y, v in enumerate(t["total"]):
        ax.text(v + t["total"].max() * 0.01, y, f"{v:,.0f}", va="center", fontsize=charts.SMALL_PT)
    ax.set_xlim(0, float(t["total"].max()) * 1.1)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower right")
    charts.finish(ax, title, "Trainees (training places) in US-funded courses held in Mongolia")
    charts.attach_data(fig, by_cf.rename_axis("country"))
    return fig
