"""Per-partner metrics: one row per partner, one column per measure the dataset can support.

:func:`partner_metrics` turns the curated tables into a partner x measure table; the
partnership index (``index.py``), the summary and the partner profiles read it.

Unknown is not zero. A measure is NaN ("unknown") for a partner when no source covers
that partner on it, and 0 only when the source is an exhaustive list for the measure:

==========================  ==============================================  ==============
measure                     from                                            absent means
==========================  ==============================================  ==============
agreements                  agreements (DCAD 1980-2010 + articles), counted  unknown: the article
                            once per partner and signing year (the article   claims more agreement
                            and DCAD may record the same signature), plus    countries than any
                            the article relation "agreement" (at least 1)    source names
exercise_editions           exercises + exercise_participants: dated         0: the table holds
                            editions with the partner, as exercises.py      every edition the sources
                            defines them (duplicates merged; an undated     name, with its participants
                            "annual" statement is not an edition)
bilateral_exercise_editions editions where the partner is the only foreign   0 (same)
                            participant
exercises_stated            an article states exercises with the partner     unknown
                            but dates no edition (a flag, 1)
tiv_delivered, arms_deals   arms_transfers (SIPRI trade register); the       0: SIPRI lists every
(and ``_recent``)           ``_recent`` columns count deals ordered since    major-arms delivery
                            1992 (``EQUIPMENT_SINCE``)
students_per_year           training_flows, Mongolians abroad, unit          unknown
                            per_year (the sum of stated flows); for the USA,
                            which no article quantifies, the mean students
                            per fiscal year of US-funded training over the
                            last five completed fiscal years (us_training)
attache_in_mongolia         partner_relations attache_in_mongolia            0 when the article's
mongolian_attache_there     partner_relations mongolian_attache_there        list is as long as its
equipment_supplier_named    partner_relations equipment_supplier             own aggregate count
active_cooperation          partner_relations active_cooperation             (aggregate_claims),
agreement_named             partner_relations agreement                      else unknown
aid_mentions, aid           partner_relations aid + facilities (rows; flag)  unknown
visits                      events (category visit) + relation "visits"      unknown
us_troops                   us_troops, latest quarter (USA only)             unknown
==========================  ==============================================  ==============

``students_hosted`` is a flag (1 = a source says the partner hosts Mongolian students),
unknown otherwise: the article names host countries in more than one place, so its
list is not exhaustive. ``relation_types`` counts the kinds of relationship with a known
positive value (agreement, exercises, education, equipment, aid, attachés either way,
visits, troops): the simplest answer to "how much does this partner do?".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from partnerships import data

TABLES = [
    "partners",
    "agreements",
    "exercises",
    "exercise_participants",
    "training_flows",
    "us_training",
    "arms_transfers",
    "partner_relations",
    "aggregate_claims",
    "events",
    "us_troops",
    "pk_monthly",
]

# partner_relations relation -> (metric column, aggregate_claims metric that counts it or None)
RELATION_FLAGS: dict[str, tuple[str, str | None]] = {
    "agreement": ("agreement_named", "agreements_countries"),
    "active_cooperation": ("active_cooperation", "active_partners"),
    "equipment_supplier": ("equipment_supplier_named", "equipment_source_countries"),
    "attache_in_mongolia": ("attache_in_mongolia", "foreign_attache_countries"),
    "mongolian_attache_there": ("mongolian_attache_there", "mongolian_attache_countries"),
}

US = "United States"
EQUIPMENT_SINCE = (
    1992  # "recent" arms deals: ordered after the Soviet Union's end (earlier ones: the equipment chapter)
)
US_TRAINING_YEARS = 5  # fiscal years averaged for the US students-per-year figure
SUBJECT = "Mongolia"

# column order of the metrics table
COLUMNS = [
    "agreements",
    "last_agreement_year",
    "agreement_named",
    "active_cooperation",
    "exercise_editions",
    "bilateral_exercise_editions",
    "multinational_exercise_editions",
    "last_exercise_year",
    "exercises_stated",
    "students_per_year",
    "students_per_year_basis",
    "students_hosted",
    "foreign_students_in_mongolia",
    "us_programs",
    "tiv_delivered",
    "arms_deals",
    "last_arms_order_year",
    "tiv_delivered_recent",
    "arms_deals_recent",
    "equipment_supplier_named",
    "aid_mentions",
    "aid",
    "attache_in_mongolia",
    "mongolian_attache_there",
    "us_troops",
    "visits",
    "relation_types",
    "historical",
    "source_ids",
]

# relationship types counted in relation_types: label -> columns (any > 0 counts)
RELATION_TYPES: dict[str, list[str]] = {
    "agreement": ["agreements"],
    "exercises": ["exercise_editions", "exercises_stated"],
    "education": ["students_per_year", "students_hosted", "us_programs"],
    "equipment": ["tiv_delivered", "arms_deals", "equipment_supplier_named"],
    "aid": ["aid_mentions"],
    "attaché in Mongolia": ["attache_in_mongolia"],
    "Mongolian attaché there": ["mongolian_attache_there"],
    "visits": ["visits"],
    "troops": ["us_troops"],
}


def load_tables(names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The curated tables the metrics need, loaded (and validated) through ``data.load``."""
    return {n: data.load(n) for n in (names or TABLES)}


def _sources(frames: list[tuple[pd.DataFrame, str]]) -> pd.Series:
    """partner -> sorted ';'-joined source ids, from (frame, partner column) pairs."""
    parts = [f[[col, "source_id"]].rename(columns={col: "partner"}) for f, col in frames if len(f)]
    if not parts:
        return pd.Series(dtype="object")
    allrows = pd.concat(parts, ignore_index=True).dropna()
    return allrows.groupby("partner")["source_id"].agg(lambda s: ";".join(sorted(set(s))))


def agreement_metrics(agreements: pd.DataFrame) -> pd.DataFrame:
    """Per partner: agreements (distinct signing years; undated rows count once each) and the latest year."""
    a = agreements.copy()
    a["year"] = data.numbers(a["year"]).astype("float64")
    dated = a.dropna(subset=["year"]).drop_duplicates(["partner", "year"])
    undated = a[a["year"].isna()]
    counts = pd.concat([dated, undated]).groupby("partner").size().astype("float64")
    return pd.DataFrame({"agreements": counts, "last_agreement_year": dated.groupby("partner")["year"].max()})


def exercise_metrics(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Per partner: editions, bilateral and multinational editions, latest year.

    Editions as :mod:`partnerships.analysis.exercises` defines them (one definition for the
    report): dated editions, one per exercise whatever the number of sources or spellings;
    a series an article calls annual without dating an edition is not an edition. Bilateral:
    the partner is the only foreign participant listed; multinational: more than one; an edition
    whose participants no source lists is neither (it counts in ``exercise_editions`` only).
    """
    from partnerships.analysis import exercises as ex

    ed = ex.editions(exercises, participants)
    p = ex.edition_participants(exercises, participants)
    p = p[p["exercise_id"].isin(ed["exercise_id"])]
    info = ed.set_index("exercise_id")
    n = p["exercise_id"].map(info["n_partners"])
    p = p.assign(
        bilateral=n.eq(1),
        multinational=n.gt(1),  # an edition whose participants are not listed is neither
        year=p["exercise_id"].map(info["year"]).astype("float64"),
    )
    g = p.groupby("partner")
    out = pd.DataFrame(
        {
            "exercise_editions": g.size().astype("float64"),
            "bilateral_exercise_editions": g["bilateral"].sum().astype("float64"),
            "last_exercise_year": g["year"].max(),
        }
    )
    out["multinational_exercise_editions"] = g["multinational"].sum().astype("float64")
    # exercises an article states without dating an edition ("annual", "joint exercises"): a flag, not editions
    undated = set(exercises.loc[data.numbers(exercises["year"]).isna(), "exercise_id"])
    stated = sorted(set(participants.loc[participants["exercise_id"].isin(undated), "partner"]) - {SUBJECT})
    out = out.reindex(out.index.union(stated))
    out["exercises_stated"] = pd.Series(1.0, index=stated)
    return out


def us_students_per_year(us_training: pd.DataFrame, years: int = US_TRAINING_YEARS) -> tuple[float, str]:
    """Mean students per fiscal year of US-funded training over the last ``years`` completed fiscal years.

    Only fiscal years the reports give as completed are used (through
    :func:`partnerships.analysis.training.us_training_by_year`: a report also lists the
    planned next year, which is never added to the completed figure). Returns (value, basis text).
    """
    from partnerships.analysis import training

    u = training.us_training_by_year(us_training)
    u = u[u["status"] == "completed"]
    per_fy = u.groupby("fiscal_year")["students"].sum().sort_index()
    if per_fy.empty:
        return float("nan"), ""
    last = per_fy.tail(years)
    basis = f"US training reports, mean of FY{int(last.index.min())}-FY{int(last.index.max())}"
    return float(last.astype("float64").mean()), basis


def training_metrics(
    flows: pd.DataFrame, us_training: pd.DataFrame, relations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per partner: students_per_year (+ basis), students_hosted flag, foreign students in Mongolia, US programs.

    ``students_hosted`` is 1 for a partner with a flow of Mongolians abroad, a
    partner_relations row "students_hosted" or "training", or US training data.
    """
    f = flows.copy()
    f["count"] = data.numbers(f["count"]).astype("float64")
    abroad = f[f["direction"] == "mongolians_abroad"]
    per_year = abroad[(abroad["unit"] == "per_year") & abroad["count"].notna()].groupby("partner")["count"].sum()
    out = pd.DataFrame({"students_per_year": per_year})
    out["students_per_year_basis"] = "stated per-year flow (article)"
    host_names = set(abroad["partner"])
    if relations is not None:
        host_names |= set(relations.loc[relations["relation"].isin(["students_hosted", "training"]), "partner"])
    hosts = pd.Series(1.0, index=sorted(host_names))
    out = out.reindex(out.index.union(hosts.index))
    out["students_hosted"] = hosts
    inbound = f[f["direction"] == "foreigners_in_mongolia"].groupby("partner")["count"].sum(min_count=1)
    out = out.reindex(out.index.union(inbound.index))
    out["foreign_students_in_mongolia"] = inbound
    if len(us_training):
        value, basis = us_students_per_year(us_training)
        out = out.reindex(out.index.union([US]))
        if pd.isna(out.loc[US, "students_per_year"]):
            out.loc[US, "students_per_year"] = value
            out.loc[US, "students_per_year_basis"] = basis
        from partnerships.analysis import training

        out.loc[US, "us_programs"] = float(training.us_training_by_year(us_training)["program"].nunique())
        out.loc[US, "students_hosted"] = 1.0
    return out


def equipment_metrics(arms: pd.DataFrame, since: int = EQUIPMENT_SINCE) -> pd.DataFrame:
    """Per supplier: TIV delivered (SIPRI TIV, millions), number of deals, latest order year;
    the first two also for deals ordered in or after ``since``."""
    a = arms.assign(
        tiv_delivered=data.numbers(arms["tiv_delivered"]).astype("float64").fillna(0.0),
        order_year=data.numbers(arms["order_year"]).astype("float64"),
    )
    g = a.groupby("supplier")
    recent = a[a["order_year"] >= since].groupby("supplier")
    return pd.DataFrame(
        {
            "tiv_delivered": g["tiv_delivered"].sum(),
            "arms_deals": g.size().astype("float64"),
            "last_arms_order_year": g["order_year"].max(),
            "tiv_delivered_recent": recent["tiv_delivered"].sum(),
            "arms_deals_recent": recent.size().astype("float64"),
        }
    )


def claimed(aggregate_claims: pd.DataFrame, metric: str) -> tuple[float, str] | None:
    """(value, source_id) of the first aggregate claim for ``metric``, or None."""
    rows = aggregate_claims[aggregate_claims["metric"] == metric]
    if rows.empty:
        return None
    row = rows.sort_values("claim_id").iloc[0]
    return float(row["value"]), str(row["source_id"])


def relation_metrics(relations: pd.DataFrame, aggregate_claims: pd.DataFrame, partners: list[str]) -> pd.DataFrame:
    """Per partner: article relation flags (1 / 0 / unknown) and aid mentions.

    A flag is 0 for an unnamed partner only when the article names as many partners as
    its own aggregate count for that relation (then the list is complete); else unknown.
    """
    out = pd.DataFrame(index=pd.Index(sorted(set(partners) | set(relations["partner"])), name="partner"))
    for relation, (col, metric) in RELATION_FLAGS.items():
        named = sorted(set(relations.loc[relations["relation"] == relation, "partner"]))
        claim = claimed(aggregate_claims, metric) if metric else None
        exhaustive = relation == "attache_in_mongolia" or (claim is not None and len(named) >= claim[0])
        out[col] = np.where(out.index.isin(named), 1.0, 0.0 if exhaustive and named else np.nan)
    aid = relations[relations["relation"].isin(["aid", "facilities"])].groupby("partner").size()
    out["aid_mentions"] = aid.astype("float64")
    out["aid"] = (aid > 0).astype("float64").reindex(out.index)
    return out


def exhaustive_relations(relations: pd.DataFrame, aggregate_claims: pd.DataFrame) -> dict[str, bool]:
    """relation -> whether its named list is complete (see :func:`relation_metrics`)."""
    out = {}
    for relation, (_, metric) in RELATION_FLAGS.items():
        named = set(relations.loc[relations["relation"] == relation, "partner"])
        claim = claimed(aggregate_claims, metric) if metric else None
        out[relation] = bool(named) and (
            relation == "attache_in_mongolia" or (claim is not None and len(named) >= claim[0])
        )
    return out


def _visit_events(events: pd.DataFrame) -> pd.DataFrame:
    ok = events["status"].ne("contradicted") if "status" in events.columns else True
    return events[(events["category"] == "visit") & events["partner"].fillna("").ne("") & ok]


def visit_metrics(events: pd.DataFrame, relations: pd.DataFrame) -> pd.Series:
    """Per partner: visits recorded (events of category visit whose status is not
    "contradicted"; a partner with only the article relation "visits" counts 1)."""
    ev = _visit_events(events)
    counts = ev.groupby("partner").size().astype("float64")
    rel = set(relations.loc[relations["relation"] == "visits", "partner"])
    for p in sorted(rel - set(counts.index)):
        counts.loc[p] = 1.0
    return counts.sort_index()


def partner_metrics(tables: dict[str, pd.DataFrame] | None = None, include_subject: bool = False) -> pd.DataFrame:
    """The per-partner metrics table (index ``partner``, columns ``COLUMNS``).

    Partners: every partner of data/partners.csv with at least one known value (the
    subject country, Mongolia, left out unless ``include_subject``). Sorted by name.
    """
    t = tables or load_tables()
    partners = t["partners"]
    names = [p for p in partners["partner"] if include_subject or p != SUBJECT]

    parts = [
        agreement_metrics(t["agreements"]),
        exercise_metrics(t["exercises"], t["exercise_participants"]),
        training_metrics(t["training_flows"], t["us_training"], t["partner_relations"]),
        equipment_metrics(t["arms_transfers"]),
        relation_metrics(t["partner_relations"], t["aggregate_claims"], names),
    ]
    m = pd.DataFrame(index=pd.Index(names, name="partner"))
    for p in parts:
        m = m.join(p, how="left")
    m["visits"] = visit_metrics(t["events"], t["partner_relations"])
    troops = t["us_troops"].dropna(subset=["troops"]).sort_values("date")
    if len(troops) and US in m.index:
        m.loc[US, "us_troops"] = float(troops["troops"].iloc[-1])

    # exhaustive sources: absent = 0 for every partner
    for col in [
        "exercise_editions",
        "bilateral_exercise_editions",
        "multinational_exercise_editions",
        "tiv_delivered",
        "arms_deals",
        "tiv_delivered_recent",
        "arms_deals_recent",
    ]:
        m[col] = m[col].fillna(0.0)

    m = m.reindex(columns=[c for c in COLUMNS if c not in ("relation_types", "historical", "source_ids")])
    m["relation_types"] = relation_types(m)
    hist = partners.set_index("partner")["historical"]
    m["historical"] = m.index.map(lambda p: bool(hist.get(p, False)))

    rel = t["partner_relations"]
    flows = t["training_flows"]
    ev = t["events"]
    us_src = t["us_training"].assign(partner=US)[["partner", "source_id"]]
    troops_src = t["us_troops"].assign(partner=US)[["partner", "source_id"]]
    src = _sources(
        [
            (t["agreements"], "partner"),
            (t["exercise_participants"], "partner"),
            (flows, "partner"),
            (t["arms_transfers"], "supplier"),
            (rel, "partner"),
            (_visit_events(ev), "partner"),
            (us_src.drop_duplicates(), "partner"),
            (troops_src.drop_duplicates(), "partner"),
        ]
    )
    m["source_ids"] = m.index.map(lambda p: src.get(p, ""))

    measures = [
        c for c in COLUMNS if c not in ("relation_types", "historical", "source_ids", "students_per_year_basis")
    ]
    has_value = m[measures].apply(lambda col: pd.to_numeric(col, errors="coerce")).fillna(0).gt(0).any(axis=1)
    return m[has_value].sort_index()


def relation_types(m: pd.DataFrame) -> pd.Series:
    """How many kinds of relationship (``RELATION_TYPES``) have a known positive value."""
    n = pd.Series(0, index=m.index, dtype="int64")
    for cols in RELATION_TYPES.values():
        present = [c for c in cols if c in m.columns]
        if present:
            n += (
                m[present]
                .apply(lambda col: pd.to_numeric(col, errors="coerce"))
                .fillna(0)
                .gt(0)
                .any(axis=1)
                .astype("int64")
            )
    return n


def relation_list(m: pd.DataFrame) -> pd.Series:
    """Per partner, the kinds of relationship it has, as text ('agreement, exercises, ...')."""

    def kinds(row):
        return ", ".join(
            label
            for label, cols in RELATION_TYPES.items()
            if any(c in row.index and pd.notna(row[c]) and float(row[c]) > 0 for c in cols)
        )

    return m.apply(kinds, axis=1)


def headline(tables: dict[str, pd.DataFrame] | None = None) -> dict[str, dict]:
    """The summary's headline figures, each computed from the data with its source ids.

    Returns name -> {"label", "value", "detail", "sources"} (sources: sorted list). Where
    an article states an aggregate count, the claim and what the data names appear as
    two figures side by side (e.g. ``agreements_claimed`` and ``agreements_named``).
    """
    t = tables or load_tables()
    rel = t["partner_relations"]
    agg = t["aggregate_claims"]
    out: dict[str, dict] = {}

    def put(name, label, value, detail, sources):
        out[name] = {"label": label, "value": value, "detail": detail, "sources": sorted(set(sources))}

    def claim_row(name, metric, label):
        c = claimed(agg, metric)
        if c is not None:
            put(name, label, c[0], "as the article states it; countries not named", [c[1]])

    def names(s) -> str:
        return ", ".join(sorted(s))

    # agreements
    claim_row("agreements_claimed", "agreements_countries", "Countries with defence cooperation agreements (claimed)")
    a = t["agreements"]
    ra = rel[rel["relation"] == "agreement"]
    named = set(a["partner"]) | set(ra["partner"])
    put(
        "agreements_named",
        "Agreement countries named in the data",
        len(named),
        names(named),
        list(a["source_id"]) + list(ra["source_id"]),
    )

    # active partners
    claim_row("active_claimed", "active_partners", "Countries actively cooperating (claimed)")
    act = rel[rel["relation"] == "active_cooperation"]
    put(
        "active_named",
        "Active partners named",
        len(set(act["partner"])),
        names(set(act["partner"])) or "none named by any source",
        act["source_id"],
    )

    # equipment sources
    claim_row("equipment_claimed", "equipment_source_countries", "Sources of weapons and equipment (claimed)")
    arms = t["arms_transfers"]
    sup = set(arms["supplier"])
    recent = set(arms.loc[data.numbers(arms["order_year"]).astype("float64") >= EQUIPMENT_SINCE, "supplier"])
    put("sipri_suppliers", "Suppliers of major arms in SIPRI (all years)", len(sup), names(sup), arms["source_id"])
    put(
        "sipri_suppliers_recent",
        f"Suppliers of major arms ordered since {EQUIPMENT_SINCE} (SIPRI)",
        len(recent),
        names(recent),
        arms.loc[data.numbers(arms["order_year"]).astype("float64") >= EQUIPMENT_SINCE, "source_id"],
    )

    # attachés
    fa = rel[rel["relation"] == "attache_in_mongolia"]
    put(
        "attaches_in_mongolia",
        "Countries with a military attaché in Mongolia",
        len(set(fa["partner"])),
        names(set(fa["partner"])),
        fa["source_id"],
    )
    claim_row(
        "attaches_abroad_claimed",
        "mongolian_attache_countries",
        "Countries with a Mongolian military attaché (claimed)",
    )

    # students abroad per year
    f = t["training_flows"]
    f = f[(f["direction"] == "mongolians_abroad") & (f["unit"] == "per_year")].dropna(subset=["count"])
    if len(f):
        detail = "; ".join(f"{r.partner} {r.qualifier} {int(r.count)}" for r in f.sort_values("partner").itertuples())
        put(
            "students_per_year",
            "Mongolian students and officers abroad per year (sum of stated flows)",
            float(data.numbers(f["count"]).astype("float64").sum()),
            detail,
            f["source_id"],
        )

    # exercises
    from partnerships.analysis import exercises as exmod

    ed = exmod.editions(t["exercises"], t["exercise_participants"])
    put(
        "exercise_editions",
        "Exercise editions known (dated)",
        len(ed),
        f"{int(ed['year'].min())}-{int(ed['year'].max())}, {ed['series'].nunique()} series" if len(ed) else "",
        [s for cell in ed["sources"] for s in cell.split(";")],
    )

    # peacekeepers
    pk = t["pk_monthly"].copy()
    pk["total"] = sum(data.numbers(pk[c]).astype("float64") for c in ("troops", "police", "experts"))
    top = pk.sort_values(["total", "date"], ascending=[False, True]).iloc[0]

    def month(d):
        return f"{pd.Timestamp(d):%B %Y}"

    put(
        "peak_peacekeepers",
        "Peak UN peacekeepers deployed in a month (troops + police + experts)",
        float(top["total"]),
        f"{month(top['date'])} (monthly series {month(pk['date'].min())} to {month(pk['date'].max())})",
        [top["source_id"]],
    )
    return out


def headline_table(h: dict[str, dict]) -> pd.DataFrame:
    """The headline dict as a table: Figure | Value | Detail | Sources (the sources' tags, e.g. "Article A; DCAD")."""
    rows = [
        {"Figure": v["label"], "Value": _fmt(v["value"]), "Detail": v["detail"], "Sources": data.tags(v["sources"])}
        for v in h.values()
    ]
    return pd.DataFrame(rows, columns=["Figure", "Value", "Detail", "Sources"])


def _fmt(x) -> str:
    if isinstance(x, (int, np.integer)) or (isinstance(x, float) and float(x).is_integer()):
        return f"{int(x):,}"
    return f"{x:,.1f}"


def prose_name(partner: str) -> str:
    """A partner's name as it reads inside a sentence ('the United States', 'Russia')."""
    return (
        f"the {partner}"
        if partner in {"United States", "United Kingdom", "Soviet Union", "Philippines", "Netherlands"}
        else partner
    )


def join_names(names) -> str:
    """'A', 'A and B', 'A, B and C' (names as they read in a sentence)."""
    names = [prose_name(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
