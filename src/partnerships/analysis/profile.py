"""Partner profile: one partner's section of the report, and the rule for who gets one.

``collect(partner, tables)`` gathers, per *dimension* (:data:`DIMENSIONS`), the rows of the
curated tables that concern the partner (``year, what, source_id, locator``); :func:`substantive`
says from them whether the sources give the partner enough for a section of its own (the
``profile`` flag of data/partners.csv follows it; tests check).

The section itself is analytical, generated from the comparison's cells
(:func:`partnerships.analysis.compare.cells`): :func:`opening` (what the relationship rests on,
what stands behind, what the datasets back and what rests on the articles alone),
:func:`dimension_table` (the recorded dimensions in plain words, depth and source tags),
:func:`treaty_paragraph` (ATOP), :func:`visits_paragraph` (AidData, China
only) and :func:`claims_sentence` (the articles' claims, pointing to the register). Every
sentence carries the partner's name and numbers, so no two partners' sections share one.

``tables`` is a dict ``{name: DataFrame}``; a table that is absent counts as empty, so a
thin partner gets a short section and never an error. Every function works on a copy.
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


def source_ids(rows: pd.DataFrame) -> list[str]:
    """The distinct source ids of some rows (a cell may hold several, '; '-separated)."""
    ids = set()
    for cell in rows["source_id"]:
        ids.update(p.strip() for p in str(cell).split(";") if p.strip())
    return sorted(ids)


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


# ------------------------------------------------------------------ the analytical profile
# What a partner's section says, generated from the comparison's cells (compare.cells) so that
# every sentence carries the partner's own name and numbers: four profiles never print the
# same sentence.

DEPTH_WORDS = {3: "deep", 2: "moderate", 1: "thin", 0: "none recorded"}


def depth_word(dimension: str, level: float) -> str:
    """'deep' / 'moderate' / 'thin'; an attaché is simply 'present' (the sources say yes or no)."""
    return "present" if dimension == "attaches" and level >= 1 else DEPTH_WORDS[int(level)]


def _join(items: list[str], word: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _dim(key: str) -> str:
    from partnerships.analysis import compare

    return compare.IN_SENTENCE[key]


def possessive(name: str) -> str:
    """'Russia' -> "Russia's"; 'the United States' -> "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


#: what a complete list that has nothing for the partner says, per dimension ('' -> the generic words)
NONE_WORDS = {
    "equipment": "SIPRI lists no arms deal with {name} since 1992",
    "agreements": "neither ATOP nor DCAD records a treaty or agreement with {name}",
    "exercises": "no exercise with {name} is dated",
    "attaches": "article A's list of foreign attachés leaves {name} out",
}
#: what no source covers, per dimension, inside a sentence (troops: only the US is covered, so not said)
UNKNOWN_WORDS = {
    "education": "how many Mongolians train in {at}",
    "aid": "any aid from {at}",
    "visits": "defence visits between {at} and Mongolia",
}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def _it(items: list) -> tuple[str, str]:
    """('it', 'rests') for one item, ('they', 'rest') for several."""
    return ("it", "rests") if len(items) == 1 else ("they", "rest")


def opening(partner: str, cells) -> str:
    """The profile's one analytic paragraph: the finding (where the relationship is deepest), the
    evidence the datasets hold, what rests on the two articles alone, and what the sources cannot
    say (a complete list with nothing, or no source at all). Every sentence names the partner, and
    its wording follows the data, so no two profiles print the same sentence.
    ``cells``: :func:`partnerships.analysis.compare.cells` for the partner."""
    from partnerships.analysis import compare

    name = in_sentence(partner)
    known = [c for c in cells if c.known and c.level > 0]
    by_level = {lv: [c for c in known if c.level == lv] for lv in (3, 2, 1)}
    top = next((lv for lv in (3, 2, 1) if by_level[lv]), None)
    if top is None:
        return f"No source here records any defence tie between Mongolia and {name}."
    lead = by_level[top]
    dims = _join([_dim(c.dimension) for c in lead])
    if top == 3 and len(lead) >= 3:
        out = [
            f"{_cap(name)} is recorded in depth on {_NUMBER_WORDS.get(len(lead), len(lead))} fronts of Mongolia's defence: {dims}."
        ]
    elif top == 3:
        out = [f"{_cap(possessive(name))} weight in Mongolia's defence lies in {dims}."]
    elif top == 2:
        out = [
            f"No tie between Mongolia and {name} is recorded in depth; the most substantial {'is' if len(lead) == 1 else 'are'} {dims}."
        ]
    else:
        out = [
            f"{_cap(name)} appears in Mongolia's defence record only in passing: every tie the sources hold is thin."
        ]

    # the evidence: facts the datasets (or documents) hold, deepest first
    backed = [c for lv in (3, 2, 1) for c in by_level[lv] if not c.articles_only and c.fact][:4]
    if backed:
        facts = [c.fact for c in backed]
        listed = " and ".join(facts) if len(facts) <= 2 else "; ".join(facts[:-1]) + "; and " + facts[-1]
        out.append(f"With {name}, the datasets record {listed}.")

    # what rests on the two articles alone
    said = [c for c in known if c.articles_only]
    deep_said = [c for c in said if c.level == 3]
    light_said = [c for c in said if c.level < 3]
    for c in deep_said:
        out.append(
            f"The depth of {possessive(name)} {_dim(c.dimension)} is the articles' word alone"
            + (f", {c.fact}" if c.fact else "")
            + "; no dataset counts it."
        )
    if light_said:
        tags = compare.in_sentence_tag(sorted({s for c in light_said for s in c.sources}))
        mentioned = _join([_dim(c.dimension) for c in light_said])
        out.append(
            f"{_cap(tags)} alone mention{'s' if ' and ' not in tags else ''} {possessive(name)} {mentioned}."
            if deep_said or backed
            else f"Everything recorded with {name} rests on {tags} alone, unverified."
        )

    # what the sources cannot say
    none = [c for c in cells if c.known and c.level == 0]
    unknown = [c for c in cells if not c.known and c.dimension in UNKNOWN_WORDS]
    clauses = [
        NONE_WORDS.get(c.dimension, f"the complete lists record no {_dim(c.dimension)} with {{name}}").format(name=name)
        for c in none
    ]
    if unknown:
        gaps = _join([UNKNOWN_WORDS[c.dimension].format(at=name) for c in unknown], "or")
        clauses.append(
            f"no source here says {gaps}, a gap in the record rather than a sign that nothing happened"
            if len(unknown) > 1
            else f"nothing here covers {gaps}, so its absence from this section says nothing"
        )
    if clauses:
        out.append(_cap(_join(clauses[:1]) + ("; " + "; ".join(clauses[1:]) if len(clauses) > 1 else "")) + ".")
    return " ".join(out)


def dimension_table(cells) -> pd.DataFrame:
    """The recorded dimensions as a reader's table: Dimension, What the sources record, Depth, Sources (tags)."""
    from partnerships.analysis import compare

    rows = [
        {
            "Dimension": _cap(compare.IN_SENTENCE[c.dimension]),
            "What the sources record": c.detail,
            "Depth": depth_word(c.dimension, c.level),
            "Sources": compare.short_tag(c.sources),
        }
        for c in cells
        if c.known and c.detail
    ]
    return pd.DataFrame(rows, columns=["Dimension", "What the sources record", "Depth", "Sources"])


VERDICT_ORDER = ["supported", "partly_supported", "contradicted", "unverifiable", "not_checked"]
# (one, several): how a verdict reads after a count
VERDICT_WORDS = {
    "supported": ("is confirmed by another source", "are confirmed by another source"),
    "partly_supported": ("is partly supported", "are partly supported"),
    "contradicted": ("is contradicted", "are contradicted"),
    "unverifiable": ("cannot be checked here", "cannot be checked here"),
    "not_checked": ("is a characterisation, not checked", "are characterisations, not checked"),
}


def claims_sentence(partner: str, claims: pd.DataFrame, register: str = "@ch-sources") -> str:
    """The articles' claims about the partner in two or three sentences: how many, from which article,
    the verdicts, the contradicted ones spelled out; then where the register lists them."""
    from partnerships.analysis import compare

    name = in_sentence(partner)
    c = claims[claims["partner"].fillna("") == partner]
    if c.empty:
        return f"Neither article makes a checkable claim about {name}."
    per_art = c["source_id"].value_counts()
    if len(per_art) > 1:
        head = (
            f"The two articles make {len(c)} claims about {name} ("
            + ", ".join(f"{n} in {compare.in_sentence_tag([sid])}" for sid, n in per_art.items())
            + ")"
        )
    else:
        head = f"{compare.short_tag([per_art.index[0]])} makes {_count(len(c), 'claim')} about {name}"
    v = c["verdict"].value_counts()
    if len(c) == 1:
        out = f"{head}, and it {VERDICT_WORDS[c['verdict'].iloc[0]][0]}."
    else:
        out = (
            f"{head}: "
            + _join([f"{v[k]} {VERDICT_WORDS[k][int(v[k] > 1)]}" for k in VERDICT_ORDER if k in v.index])
            + "."
        )
    for r in c[c["verdict"] == "contradicted"].to_dict("records"):
        against = compare.short_tag(str(r.get("checked_against") or "").split(";"))
        out += f" The claim that {_lower_claim(r['statement'])} is refuted by {against or 'another source'}."
    out += (
        f" {register} gives the claim about {name} with its verdict and evidence."
        if len(c) == 1
        else f" {register} lists all {len(c)} claims about {name}, each with its verdict and evidence."
    )
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _lower_claim(statement: str) -> str:
    first = statement.split(" ", 1)[0]
    return statement[:1].lower() + statement[1:] if first in ("The", "A", "An", "In", "Over", "About") else statement


def treaty_paragraph(partner: str, tables: dict[str, pd.DataFrame]) -> str | None:
    """What ATOP records between Mongolia and the partner as a bilateral treaty, and what it cannot
    say (the clauses); None without a bilateral treaty spell."""
    al = _get(tables, "alliances")
    if al is None:
        return None
    from partnerships.analysis import alliances as atop

    bil = atop.bilateral(al[al["partner"] == partner])
    if bil.empty:
        return None
    end = atop.data_end(al)
    name = in_sentence(partner)
    from partnerships.analysis import compare

    obligations = compare.treaty_obligations(bil, end)
    flags_held = {o["flag"] for o in obligations}
    latest = bil.sort_values("year_from", key=numbers).iloc[-1]
    treaty = str(latest["treaty"])
    return (
        f"ATOP records between Mongolia and {name} {', and '.join(o['words'] for o in obligations)}"
        + ("" if "defense" in flags_held else ", and no defence obligation")
        + f". What the {treaty} says beyond that is not in the sources here: ATOP codes only the type of obligation."
    )


def visits_paragraph(partner: str, tables: dict[str, pd.DataFrame], recent: int = 5) -> str | None:
    """AidData's count of high-level military visits between China and Mongolia (only China's visits are
    counted, so only China's profile has this): totals, the last ``recent`` covered years against the
    years before, and why Mongolia is not ranked against China's other neighbours and peers (the source
    writes zero for a year without a visit for some countries and leaves it blank for others)."""
    cv = _get(tables, "china_visits")
    if cv is None or partner != "China":
        return None
    from partnerships.analysis import china, metrics

    s = china.visits(cv)
    if s.empty:
        return None
    split = int(s.index.max()) - recent + 1
    vp = china.visit_periods(s, split)
    zero_filled, blank = china.visit_recording(cv, until=vp["last"])
    rel = _get(tables, "partner_relations")
    said = rel[(rel["partner"] == partner) & (rel["relation"] == "visits")] if rel is not None else pd.DataFrame()
    text = (
        f"AidData records {vp['total']:.0f} high-level military visits between China and Mongolia in "
        f"{vp['first']}-{vp['last']}: {vp['before']:.0f} before {split} and {vp['after']:.0f} from {split} to "
        f"{vp['last']} (the last in {vp['last_visit_year']})."
    )
    if len(said):
        from partnerships.analysis import compare

        st = said.iloc[0]["detail"]
        text += (
            f" {compare.short_tag(said['source_id'].tolist())} says that {st[:1].lower() + st[1:]}; the one dataset that counts "
            f"them ends in {vp['last']}, so it can neither confirm nor refute a rise after that."
        )
    if china.SUBJECT in zero_filled and blank:
        text += (
            f" The source does not record a year without a visit the same way for every country: for "
            f"{metrics.join_names(zero_filled)} it writes zero, for {metrics.join_names(blank)} it leaves the year blank. "
            "A rate per year covered would divide Mongolia's visits by every year and the others' by their visit years "
            f"only, so no ranking against them is drawn here; Mongolia's zeros after {vp['last_visit_year']} may "
            "equally be years the source did not fill."
        )
    return text
