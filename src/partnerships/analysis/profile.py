"""Partner profile: what Mongolia's defence relationship with one partner consists of, from every table.

``collect(partner, tables)`` gathers, per *dimension* (:data:`DIMENSIONS`), the rows of
the curated tables that concern the partner, each as ``year, what, source_id, locator``
(``year`` empty when the source gives none). ``summary(...)`` says for every dimension
how many rows there are, the years they span and their sources, or that no source here
records it for this partner. ``partner_timeline(...)`` lists the dated rows, and
``sources_for(...)`` lists the sources with what they say.

``tables`` is a dict ``{name: DataFrame}``; a table that is absent counts as empty, so a
thin partner gets a short profile and never an error. Every function works on a copy.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers

ROW_COLUMNS = ["dimension", "year", "year_to", "what", "source_id", "locator"]

# (key, heading) in the order the profile shows them.
DIMENSIONS = [
    ("agreements", "Agreements"),
    ("alliances", "Bilateral treaties (ATOP)"),
    ("exercises", "Exercises"),
    ("education", "Education and training"),
    ("equipment", "Equipment"),
    ("attaches", "Attachés"),
    ("aid", "Aid and facilities"),
    ("visits", "Visits and high-level contacts"),
]
HEADINGS = dict(DIMENSIONS)

# partner_relations.relation -> dimension
RELATION_DIMENSION = {
    "agreement": "agreements",
    "active_cooperation": "agreements",
    "exercises": "exercises",
    "students_hosted": "education",
    "training": "education",
    "equipment_supplier": "equipment",
    "attache_in_mongolia": "attaches",
    "mongolian_attache_there": "attaches",
    "aid": "aid",
    "facilities": "aid",
    "visits": "visits",
}

# events.category -> dimension (other categories are on the timeline only)
EVENT_DIMENSION = {
    "agreement": "agreements",
    "exercise": "exercises",
    "training": "education",
    "visit": "visits",
    "anniversary": "visits",
}

# Tables that concern a single partner by construction.
SINGLE_PARTNER_TABLES = {"us_training": "United States"}

# A state's predecessor, named in a note (its rows are not merged into the successor's).
PREDECESSORS = {"Russia": "Soviet Union"}


def _get(tables: dict, name: str) -> pd.DataFrame | None:
    df = tables.get(name)
    return None if df is None or df.empty else df


def _rows(dimension: str, year, what, df: pd.DataFrame, year_to=None) -> pd.DataFrame:
    n = len(df)
    return pd.DataFrame(
        {
            "dimension": [dimension] * n,
            "year": list(year) if year is not None else [pd.NA] * n,
            "year_to": list(year_to) if year_to is not None else [pd.NA] * n,
            "what": list(what),
            "source_id": df["source_id"].astype(str).tolist(),
            "locator": df["locator"].astype(str).tolist(),
        }
    )


def _para(locator) -> str:
    """'para N, sentence M' -> 'N' (the paragraph of an article locator; '' if none)."""
    import re

    m = re.match(r"para (\d+)", str(locator))
    return m.group(1) if m else ""


def check_partner(partner: str, partners: pd.DataFrame) -> None:
    """A clear error for a partner not in data/partners.csv (names the closest valid ones)."""
    names = partners["partner"].astype(str).tolist()
    if partner not in names:
        import difflib

        close = difflib.get_close_matches(partner, names, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown partner {partner!r}: not in data/partners.csv.{hint}")


def collect(partner: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All rows about ``partner``, one per fact, with :data:`ROW_COLUMNS`, in dimension then year order."""
    parts = []

    ag = _get(tables, "agreements")
    if ag is not None:
        a = ag[ag["partner"] == partner]
        what = [
            f"{str(r.get('description') or '').strip() or 'agreement'}"
            + (f" (signed {r['date']})" if isinstance(r.get("date"), str) and r.get("date") else "")
            for r in a.to_dict("records")
        ]
        parts.append(_rows("agreements", numbers(a["year"]), what, a))

    al = _get(tables, "alliances")
    if al is not None:
        from partnerships.analysis import alliances as atop

        # only treaties between Mongolia and this partner: a multilateral treaty both joined is a
        # membership (see memberships()), never a bilateral fact or dimension
        a = atop.bilateral(al[al["partner"] == partner])
        end = atop.data_end(al)
        what = [atop.describe(r, end) for r in a.to_dict("records")]
        parts.append(_rows("alliances", numbers(a["year_from"]), what, a, year_to=numbers(a["year_to"])))

    ep = _get(tables, "exercise_participants")
    ex = _get(tables, "exercises")
    if ep is not None:
        mine = ep[ep["partner"] == partner]
        if ex is not None and len(mine):
            from partnerships.analysis import exercises as exmod

            # dated editions as exercises.py defines them (several sources or spellings of one
            # edition are one row, citing every source row), then the undated statements
            ed = exmod.editions(ex, ep).set_index("exercise_id")
            part = exmod.edition_participants(ex, ep)
            p = part[(part["partner"] == partner) & part["exercise_id"].isin(ed.index)].copy()
            p["name"] = p["exercise_id"].map(ed["name"])
            p["year"] = p["exercise_id"].map(ed["year"])
            undated_ids = set(ex.loc[numbers(ex["year"]).isna(), "exercise_id"])
            u = mine[mine["exercise_id"].isin(undated_ids)].copy()
            if len(u):
                names = ex.drop_duplicates("exercise_id").set_index("exercise_id")["name"]
                u = u.assign(name=u["exercise_id"].map(names), year=pd.NA)
                p = pd.concat([p, u[p.columns.intersection(u.columns)]], ignore_index=True)
        else:
            p = mine.assign(name=mine["exercise_id"], year=pd.NA)
        what = [
            f"{r['name']} ({r['role']})" if r.get("role") and r["role"] != "participant" else str(r["name"])
            for r in p.to_dict("records")
        ]
        parts.append(_rows("exercises", numbers(p["year"]) if len(p) else [], what, p))

    tf = _get(tables, "training_flows")
    if tf is not None:
        t = tf[tf["partner"] == partner]
        what = []
        for r in t.to_dict("records"):
            cnt = str(r.get("count") or "").strip()
            q = str(r.get("qualifier") or "").strip()
            num = f"{q} {cnt}" if cnt and q != "exactly" else cnt or q
            # the verb keeps the kind of figure: a yearly flow and a current number are not completed training
            unit = r.get("unit")
            if r["direction"] != "mongolians_abroad":
                text = f"{num} {r['trainees']} (in Mongolia)"
            elif unit == "per_year":
                text = f"{num} Mongolian {r['trainees']} a year study or train in {partner}"
            elif unit == "total":
                text = f"{num} Mongolian {r['trainees']} have trained in {partner} (in total)"
            else:
                text = f"{num} Mongolian {r['trainees']} in training in {partner} (period not given)"
            what.append(text.strip())
        parts.append(_rows("education", None, what, t))

    ut = _get(tables, "us_training")
    if ut is not None and SINGLE_PARTNER_TABLES.get("us_training") == partner:
        from partnerships.analysis import training

        # one figure per fiscal year: completed training, never planned + completed added together
        u = training.us_training_by_year(ut)
        by = (
            u.groupby("fiscal_year", sort=True)
            .agg(
                students=("students", "sum"),
                programs=("program", "nunique"),
                status=("status", "first"),
                source_id=("source_id", "first"),
            )
            .reset_index()
        )
        what = [
            f"FY{int(r['fiscal_year'])}: {int(r['students'])} Mongolian students in {r['programs']} US programmes"
            + (" (planned, no completed figure)" if r["status"] == "planned" else "")
            for _, r in by.iterrows()
        ]
        by["locator"] = [
            f"fiscal year {int(y)} ({'completed' if s == 'completed' else 'planned'} programme rows)"
            for y, s in zip(by["fiscal_year"], by["status"])
        ]
        parts.append(_rows("education", by["fiscal_year"], what, by))

    at = _get(tables, "arms_transfers")
    if at is not None:
        a = at[at["supplier"] == partner]
        what = []
        for r in a.to_dict("records"):
            n = str(r.get("number_delivered") or "").strip()
            deliv = str(r.get("delivery_years") or "").strip()
            what.append(
                f"{r['weapon_designation']} ({r['weapon_description']}): {r.get('number_ordered', '')} ordered"
                + (f", {n} delivered {deliv}" if deliv else ", none delivered yet")
            )
        parts.append(_rows("equipment", numbers(a["order_year"]), what, a))

    ev = _get(tables, "events")
    if ev is not None:
        e = ev[(ev["partner"] == partner) & ev["category"].isin(list(EVENT_DIMENSION))]
        e = e[~e["category"].isin(["agreement", "exercise"])]  # those are in agreements/exercises already
        what = [
            f"{r['event']}" + (" [contradicted]" if r.get("status") == "contradicted" else "")
            for r in e.to_dict("records")
        ]
        dims = e["category"].map(EVENT_DIMENSION)
        for dim in dict.fromkeys(dims):
            m = (dims == dim).to_numpy()
            parts.append(_rows(dim, numbers(e["year"])[m], [w for w, k in zip(what, m) if k], e[m]))

    pr = _get(tables, "partner_relations")
    if pr is not None:
        r = pr[pr["partner"] == partner]
        # a relation the same source states in the same paragraph is already a row of a
        # more specific table (training_flows, exercise_participants): count it once
        specific = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ROW_COLUMNS)
        seen = {
            (d, sid, para)
            for d, sid, para in zip(specific["dimension"], specific["source_id"], specific["locator"].map(_para))
            if para
        }
        for dim in dict.fromkeys(RELATION_DIMENSION.values()):
            rel = [k for k, v in RELATION_DIMENSION.items() if v == dim]
            rr = r[r["relation"].isin(rel)]
            rr = rr[[(dim, sid, _para(loc)) not in seen for sid, loc in zip(rr["source_id"], rr["locator"])]]
            if len(rr):
                parts.append(_rows(dim, None, rr["detail"], rr))

    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=ROW_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["year_to"] = pd.to_numeric(out["year_to"], errors="coerce").astype("Int64")
    order = {k: i for i, (k, _) in enumerate(DIMENSIONS)}
    out["_d"] = out["dimension"].map(order)
    out = out.sort_values(["_d", "year", "what"], na_position="last", kind="mergesort").drop(columns="_d")
    return out.reset_index(drop=True)[ROW_COLUMNS]


def memberships(partner: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Multilateral treaties Mongolia and ``partner`` both belong to, per ATOP (not bilateral ties).

    Columns: treaty, since, what (in words, 'in force at the end of the data (2018)' for open spells),
    source_id, locator, treaty_source_id, confidence. Empty when there are none.
    """
    al = _get(tables, "alliances")
    cols = ["treaty", "since", "what", "source_id", "locator", "treaty_source_id", "confidence"]
    if al is None:
        return pd.DataFrame(columns=cols)
    from partnerships.analysis import alliances as atop

    m = atop.memberships(al[al["partner"] == partner])
    end = atop.data_end(al)
    return pd.DataFrame(
        {
            "treaty": m["treaty"],
            "since": numbers(m["year_from"]).astype("Int64"),
            "what": [atop.describe(r, end) for r in m.to_dict("records")],
            "source_id": m["source_id"],
            "locator": m["locator"],
            "treaty_source_id": m["treaty_source_id"],
            "confidence": m["treaty_confidence"],
        },
        columns=cols,
    ).reset_index(drop=True)


def membership_text(shared: pd.DataFrame) -> str:
    """The memberships of :func:`memberships` as a phrase: 'the Treaty of ..., from 2005, in force at the end of the data (2018); ...'."""
    return "; ".join(w.split(": both are parties to ", 1)[1] for w in shared["what"])


def lower(heading: str) -> str:
    """'Bilateral treaties (ATOP)' -> 'bilateral treaties (ATOP)' (acronyms kept)."""
    return heading[:1].lower() + heading[1:]


def display_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The facts as shown in a table: dimension heading, year as text ('–' if undated), what, source, where."""
    return pd.DataFrame(
        {
            "dimension": rows["dimension"].map(HEADINGS),
            "year": [("–" if pd.isna(y) else str(int(y))) for y in rows["year"]],
            "what": rows["what"],
            "source": rows["source_id"],
            "where": rows["locator"],
        }
    )


def _span(years: pd.Series) -> str:
    y = years.dropna()
    if y.empty:
        return "undated"
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def summary(rows: pd.DataFrame, partner: str, shared: pd.DataFrame | None = None) -> pd.DataFrame:
    """One line per dimension: rows, years, sources; or 'no source here records …' when empty.

    ``shared`` (:func:`memberships`): multilateral treaties both belong to, named on the empty
    treaty line as what they are (memberships, not a bilateral treaty).
    """
    out = []
    for key, heading in DIMENSIONS:
        d = rows[rows["dimension"] == key]
        if d.empty:
            text = f"no source here records {lower(heading)} for {partner}"
            if key == "alliances" and shared is not None and len(shared):
                text += (
                    "; ATOP records only membership of multilateral treaties both joined ("
                    + "; ".join(f"{t}, from {y}" for t, y in zip(shared["treaty"], shared["since"]))
                    + ")"
                )
            out.append({"dimension": heading, "rows": 0, "years": "–", "sources": "–", "what the sources say": text})
            continue
        years = pd.concat([d["year"], d["year_to"]]).dropna()
        out.append(
            {
                "dimension": heading,
                "rows": len(d),
                "years": _span(years),
                "sources": ", ".join(source_ids(d)),
                "what the sources say": headline(d),
            }
        )
    return pd.DataFrame(out)


def source_ids(rows: pd.DataFrame) -> list[str]:
    """The distinct source ids of some rows (a cell may hold several, '; '-separated)."""
    ids = set()
    for cell in rows["source_id"]:
        ids.update(p.strip() for p in str(cell).split(";") if p.strip())
    return sorted(ids)


def headline(d: pd.DataFrame, limit: int = 2) -> str:
    """The first ``limit`` facts of a dimension, then '(+ N more)'."""
    items = d["what"].tolist()
    text = "; ".join(items[:limit])
    if len(items) > limit:
        text += f" (+ {len(items) - limit} more)"
    return text


def missing(rows: pd.DataFrame) -> list[str]:
    """Headings of the dimensions with no row for this partner, in profile order."""
    have = set(rows["dimension"])
    return [h for k, h in DIMENSIONS if k not in have]


def substantive(rows: pd.DataFrame) -> bool:
    """Whether the sources give a partner enough for a profile of its own: they cover more of
    the profile's dimensions than they leave empty (otherwise the profile would consist mostly
    of "no source records" rows, and the partner is shown in the comparative chapters only)."""
    covered = len(set(rows["dimension"]) & {k for k, _ in DIMENSIONS})
    return covered > len(missing(rows))


def dated_span(rows: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year any dated row covers (a treaty spell counts to its end); None if nothing is dated."""
    years = pd.concat([rows["year"], rows["year_to"]]).dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def partner_timeline(rows: pd.DataFrame) -> pd.DataFrame:
    """The dated rows, in year order: year, dimension, what, source, locator."""
    d = rows[rows["year"].notna()].copy()
    d["dimension"] = d["dimension"].map(HEADINGS)
    d = d.sort_values(["year", "dimension", "what"], kind="mergesort")
    return d[["year", "year_to", "dimension", "what", "source_id", "locator"]].reset_index(drop=True)


def sources_for(rows: pd.DataFrame) -> pd.DataFrame:
    """One line per source: rows it gives about the partner and on which dimensions."""
    if rows.empty:
        return pd.DataFrame(columns=["source", "rows", "what it records"])
    out = []
    rows = rows.assign(source_id=rows["source_id"].str.split("; ")).explode("source_id")
    for sid, d in rows.groupby("source_id", sort=True):
        counts = d["dimension"].value_counts()
        dims = [f"{lower(HEADINGS[k])} ({counts[k]})" for k, _ in DIMENSIONS if k in counts]
        out.append({"source": sid, "rows": len(d), "what it records": ", ".join(dims)})
    return (
        pd.DataFrame(out)
        .sort_values(["rows", "source"], ascending=[False, True], kind="mergesort")
        .reset_index(drop=True)
    )


def predecessor_note(partner: str, tables: dict[str, pd.DataFrame]) -> str | None:
    """A sentence on the predecessor state's arms deals, if any (e.g. the Soviet Union for Russia)."""
    pred = PREDECESSORS.get(partner)
    at = _get(tables, "arms_transfers")
    if not pred or at is None:
        return None
    a = at[at["supplier"] == pred]
    if a.empty:
        return None
    y = numbers(a["order_year"])
    return (
        f"Not counted above: the {pred}, {partner}'s predecessor, has {len(a)} arms deals with Mongolia "
        f"in the SIPRI register (orders {int(y.min())}–{int(y.max())}); the equipment chapter shows them."
    )


def load_tables() -> dict[str, pd.DataFrame]:
    """The tables a profile reads (through ``data.load``; a table not in data/ is skipped)."""
    from partnerships import data

    names = [
        "agreements",
        "alliances",
        "exercises",
        "exercise_participants",
        "training_flows",
        "us_training",
        "arms_transfers",
        "partner_relations",
        "events",
        "partners",
    ]
    have = set(data.tables())
    return {n: data.load(n) for n in names if n in have}


def chart(rows: pd.DataFrame, partner: str, title: str | None = None):
    """Dated rows as markers in one lane per dimension (treaty spells as bars); None if under 3 dated rows."""
    from matplotlib.ticker import MaxNLocator

    from partnerships.analysis import charts

    d = rows[rows["year"].notna() & ~rows["what"].str.endswith("[contradicted]")]
    if len(d) < 3:
        return None
    dims = [k for k, _ in DIMENSIONS if k in set(d["dimension"])]
    fig, ax = charts.new(height=0.9 + 0.32 * len(dims))
    style = {k: j for j, (k, _) in enumerate(DIMENSIONS)}  # a dimension keeps its marker in every profile
    for i, key in enumerate(dims):
        y = len(dims) - 1 - i
        j = style[key]
        dd = d[d["dimension"] == key]
        spans = dd[dd["year_to"].notna()]
        for r in spans.itertuples():
            ax.plot(
                [r.year - 0.4, r.year_to + 0.4], [y, y], color=charts.GREY, linewidth=5, solid_capstyle="butt", zorder=1
            )
        pts = dd[dd["year_to"].isna()]
        counts = pts.groupby("year").size()
        ax.scatter(
            counts.index.astype(float),
            [y] * len(counts),
            s=[24 + 14 * (c - 1) for c in counts],
            marker=charts.MARKERS[j % len(charts.MARKERS)],
            color=charts.PALETTE[j % len(charts.PALETTE)],
            edgecolor=charts.INK,
            linewidth=0.4,
            zorder=3,
        )
    ax.set_yticks(range(len(dims)))
    ax.set_yticklabels([HEADINGS[k] for k in reversed(dims)])
    ax.set_ylim(-0.6, len(dims) - 0.4)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    lo = int(min(d["year"].min(), d["year_to"].min() if d["year_to"].notna().any() else d["year"].min()))
    hi = int(max(d["year"].max(), d["year_to"].max() if d["year_to"].notna().any() else d["year"].max()))
    ax.set_xlim(lo - 1, hi + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    charts.finish(ax, title, xlabel="Year (marker size: rows in that year; bars: bilateral treaties in force)")
    charts.attach_data(fig, d)
    return fig


# Partner names that take "the" inside a sentence.
WITH_ARTICLE = {"United States", "United Kingdom", "Netherlands", "Philippines", "Soviet Union", "Maldives"}


def in_sentence(partner: str) -> str:
    """'United States' -> 'the United States' (names that take the article); others unchanged."""
    return f"the {partner}" if partner in WITH_ARTICLE else partner


def claims_for(partner: str, claims: pd.DataFrame) -> pd.DataFrame:
    """The articles' claims about ``partner`` with their verdicts (claims.partner == partner), by claim id."""
    c = claims[claims["partner"].fillna("") == partner]
    return claims_table(c, "what the article says")


def claims_table(c: pd.DataFrame, statement_label: str, with_note: bool = False) -> pd.DataFrame:
    """Claims rows as a reader's table (by claim id): statement, source, where, verdict, what it was checked against."""
    c = c.sort_values("claim_id", kind="mergesort")
    cols = {
        "claim": c["claim_id"],
        statement_label: c["statement"],
        "source": c["source_id"],
        "where": c["locator"],
        "verdict": c["verdict"].str.replace("_", " "),
        "checked against": c["checked_against"].fillna("").str.replace(";", "; "),
    }
    if with_note:
        cols["note"] = c["note"].fillna("")
    return pd.DataFrame(cols).reset_index(drop=True)
