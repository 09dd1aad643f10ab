"""Mongolia's partners compared: a partner x dimension matrix of what the sources record, with depth.

:func:`cells` reads the curated tables once and says, for one partner and each of the eight
:data:`DIMENSIONS`, what is recorded: a **level** of depth (0 to 3, or NaN for *unknown*), a
short text for a heatmap cell, a sentence-sized detail for the partner's section, the sources
(ids) and whether the cell rests on the two articles alone. :func:`matrix` stacks the cells of
several partners; :func:`plot` draws them as a heatmap.

Unknown is not none. A dimension that a complete source covers (ATOP and DCAD for treaties and
agreements, MME and the other exercise lists for exercises, SIPRI for major arms, article A's
own list of foreign attachés) is **none recorded** (level 0) when that source has nothing for the
partner; a dimension that only the articles cover (training outside the US, aid, visits) is
**unknown** (NaN) when they say nothing.

The depth scale, per dimension (level 1 / 2 / 3; the rule is in :data:`RULES`):

=================  ====================================================================
agreements         one agreement / a bilateral treaty or two agreements / a treaty and
                   at least one agreement (DCAD to 2010, ATOP to 2018, the articles)
exercises          multinational editions only, or exercises stated but undated / one or
                   two bilateral editions / three or more bilateral editions
education          hosts students, no number given / a stated flow under 50 a year /
                   50 or more a year, or a dataset with yearly figures (US reports)
equipment          one deal since 1992, or an article statement / two to four deals /
                   five or more deals or 100 million TIV delivered (SIPRI)
attaches           an attaché in Ulaanbaatar (article A's list; one level only)
aid                one statement / two or more statements (the articles; arms deals SIPRI
                   marks as aid count under equipment, the cost of US-funded training
                   under training: each piece of evidence counts on one dimension only)
visits             one dated visit or an undated statement / two to four dated visits /
                   five or more
troops             the partner's military personnel posted in Mongolia: under 100 in
                   every quarter (an embassy guard and attaché staff) / 100 to 999 /
                   1,000 or more (troopdata, which covers the United States only; other
                   partners are unknown). Peacekeeping exercises count under exercises.
=================  ====================================================================

Every function works on copies; a table that is absent counts as empty.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from partnerships.data import numbers

SUBJECT = "Mongolia"
NEIGHBOURS = ("Russia", "China")
#: a state's predecessor, whose arms deals are named but not counted as the successor's
PREDECESSORS = {"Russia": "Soviet Union"}
ARTICLES = ("art_growth", "art_forefront")
EQUIPMENT_SINCE = 1992

#: (key, column heading) in the order the matrix shows them.
DIMENSIONS = [
    ("agreements", "Agreements and treaties"),
    ("exercises", "Exercises"),
    ("education", "Education and training"),
    ("equipment", "Equipment"),
    ("attaches", "Attachés"),
    ("aid", "Aid"),
    ("visits", "Visits"),
    ("troops", "Troops posted in Mongolia"),
]
HEADINGS = dict(DIMENSIONS)
#: how a dimension reads inside a sentence ('its training', 'troops posted in Mongolia')
IN_SENTENCE = {
    "agreements": "treaties and agreements",
    "exercises": "exercises",
    "education": "training",
    "equipment": "equipment",
    "attaches": "attaché",
    "aid": "aid",
    "visits": "visits",
    "troops": "troops posted in Mongolia",
}
LEVEL_WORDS = {0: "none recorded", 1: "thin", 2: "moderate", 3: "deep"}
UNKNOWN = "unknown"

TABLES = [
    "agreements",
    "alliances",
    "exercises",
    "exercise_participants",
    "training_flows",
    "us_training",
    "arms_transfers",
    "partner_relations",
    "events",
    "us_troops",
    "china_visits",
    "aggregate_claims",
]


def load_tables() -> dict[str, pd.DataFrame]:
    """The tables the comparison reads (through ``data.load``; a table not in data/ is skipped)."""
    from partnerships import data

    have = set(data.tables())
    return {n: data.load(n) for n in TABLES if n in have}


def _t(tables: dict, name: str) -> pd.DataFrame:
    df = tables.get(name)
    return df.copy() if df is not None else pd.DataFrame()


def _ids(*frames) -> list[str]:
    out: set[str] = set()
    for f in frames:
        if f is None or not len(f) or "source_id" not in f:
            continue
        for cell in f["source_id"].dropna().astype(str):
            out.update(p.strip() for p in cell.split(";") if p.strip())
    return sorted(out)


def _span(years) -> str:
    ys = sorted({int(y) for y in years if y == y})
    if not ys:
        return ""
    return str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}–{ys[-1]}"


def _range(values) -> str:
    lo, hi = int(min(values)), int(max(values))
    return str(lo) if lo == hi else f"{lo} to {hi}"


def _n(n: int, word: str, plural: str | None = None) -> str:
    """(1, 'deal') -> 'one deal'; (8, 'deal') -> '8 deals'."""
    return f"one {word}" if n == 1 else f"{n:,} {plural or word + 's'}"


def _name(partner: str) -> str:
    from partnerships.analysis import metrics

    return metrics.prose_name(partner)


@dataclass
class Cell:
    """What the sources record for one partner on one dimension."""

    partner: str
    dimension: str
    level: float  # 0..3, NaN = unknown
    short: str  # heatmap text ('' -> the level word)
    detail: str  # plain words for the partner's section ('' when nothing is recorded)
    sources: list[str] = field(default_factory=list)
    fact: str = ""  # a short phrase for a sentence ('8 arms deals since 1992 (273 million TIV delivered)')

    @property
    def known(self) -> bool:
        return not (isinstance(self.level, float) and math.isnan(self.level))

    @property
    def articles_only(self) -> bool:
        return bool(self.sources) and all(s in ARTICLES for s in self.sources)


@dataclass
class Context:
    """The tables, with what several dimensions derive from them computed once."""

    tables: dict
    editions: pd.DataFrame = None  # dated editions (exercises.editions with participants)
    participants: pd.DataFrame = None  # (exercise_id, partner) of dated editions, Mongolia left out
    undated: pd.DataFrame = None  # participant rows of undated exercises (article statements)

    def __post_init__(self):
        ex, ep = _t(self.tables, "exercises"), _t(self.tables, "exercise_participants")
        if len(ex) and len(ep):
            from partnerships.analysis import exercises as exmod

            self.editions = exmod.editions(ex, ep).set_index("exercise_id")
            p = exmod.edition_participants(ex, ep)
            self.participants = p[p["exercise_id"].isin(self.editions.index) & (p["partner"] != SUBJECT)]
            undated_ids = set(ex.loc[numbers(ex["year"]).isna(), "exercise_id"])
            self.undated = ep[ep["exercise_id"].isin(undated_ids) & (ep["partner"] != SUBJECT)]
        else:
            self.editions = pd.DataFrame(columns=["name", "series", "year", "type", "n_partners"])
            self.participants = pd.DataFrame(columns=["exercise_id", "partner"])
            self.undated = pd.DataFrame(columns=["exercise_id", "partner", "source_id"])


def context(tables: dict | None = None) -> Context:
    return Context(tables if tables is not None else load_tables())


def _relations(ctx: Context, partner: str, kinds) -> pd.DataFrame:
    r = _t(ctx.tables, "partner_relations")
    if not len(r):
        return r
    return r[(r["partner"] == partner) & r["relation"].isin(list(kinds))]


# ------------------------------------------------------------------ the eight dimensions


def agreements(ctx: Context, partner: str) -> Cell:
    from partnerships.analysis import alliances as atop

    al = _t(ctx.tables, "alliances")
    mine = al[al["partner"] == partner] if len(al) else al
    bil = atop.bilateral(mine) if len(mine) else mine
    end = atop.data_end(al) if len(al) else None
    ag = _t(ctx.tables, "agreements")
    a = ag[ag["partner"] == partner].copy() if len(ag) else ag
    n_agr = 0
    if len(a):
        a["y"] = numbers(a["year"])
        # the article and DCAD may record the same signature: once per signing year
        n_agr = len(a.dropna(subset=["y"]).drop_duplicates("y")) + int(a["y"].isna().sum())
    treaty = len(bil) > 0
    parts, short = [], []
    obligations = treaty_obligations(bil, end) if treaty else []
    if treaty:
        parts.append("bilateral treaties (ATOP): " + "; ".join(o["words"] for o in obligations))
        short.append(f"treaty {max(o['treaty_year'] for o in obligations)}")
    if n_agr:
        what = []
        for y, g in a.sort_values("y").groupby(a["y"].fillna(0), sort=True):
            kinds = []
            for d, sid in zip(g["description"].fillna(""), g["source_id"]):
                text = _agreement_words(d)
                if sid in ARTICLES:
                    kinds.append("stated by an article" if not kinds else "also stated by an article")
                elif text:
                    kinds.append(text)
            what.append((f"{int(y)}" if y else "undated") + (f" ({'; '.join(kinds)})" if kinds else ""))
        parts.append(f"{'agreement' if n_agr == 1 else 'agreements'}: " + ", ".join(what))
        short.append(f"{n_agr} agreement{'s' if n_agr > 1 else ''}" + (f"\n{_span(a['y'])}" if not treaty else ""))
    shared = atop.memberships(mine) if len(mine) else mine
    if len(shared):
        parts.append(
            "membership (no bilateral tie) of "
            + "; ".join(f"{t}, since {int(y)}" for t, y in zip(shared["treaty"], numbers(shared["year_from"])))
        )
    level = 3 if treaty and n_agr else 2 if treaty or n_agr >= 2 else 1 if n_agr else 0
    return Cell(
        partner,
        "agreements",
        float(level),
        "\n".join(short) if short else "none",
        sentence_case("; ".join(parts)),
        _ids(bil, a, shared),
        " and ".join(
            ([treaty_fact(obligations)] if treaty else [])
            + ([f"{_n(n_agr, 'defence agreement')} signed {_span(a['y'])}"] if n_agr else [])
        ),
    )


def _treaty_year(treaty: str) -> int | None:
    """The year a treaty was signed, from its name: '... Assistance (1966), continued by Russia' -> 1966,
    '1966 treaty (until replaced) and the ... Treaty on Friendly Relations (1993)' -> 1993 (a year in
    brackets first, else the first year named)."""
    m = re.search(r"\((1[89]\d\d|20\d\d)\)", str(treaty)) or re.search(r"\b(1[89]\d\d|20\d\d)\b", str(treaty))
    return int(m.group(1)) if m else None


def treaty_obligations(bil: pd.DataFrame, end: int) -> list[dict]:
    """Each ATOP obligation type between Mongolia and a partner, with the treaty that carries it and the
    years it holds, in the order they start. The treaty is the one named on the obligation's first spell,
    so a Soviet-era treaty continued by Russia stays a 1966 treaty, never a treaty of the year the
    successor's spell starts. 'words': "the 1966 treaty's defence obligation, continued to 1993"."""
    from partnerships.analysis import alliances as atop

    spans: dict[str, dict] = {}
    for r in bil.sort_values("year_from", key=numbers).to_dict("records"):
        for f in atop.FLAGS:
            if str(r.get(f, "")).strip() in ("1", "True", "true"):
                y0, y1 = (
                    int(numbers(pd.Series([r["year_from"]])).iloc[0]),
                    int(numbers(pd.Series([r["year_to"]])).iloc[0]),
                )
                if f not in spans:
                    ty = _treaty_year(r.get("treaty", ""))
                    spans[f] = {"flag": f, "treaty_year": ty if ty is not None else y0, "from": y0, "to": y1}
                else:
                    spans[f]["to"] = max(spans[f]["to"], y1)
    out = []
    for o in sorted(spans.values(), key=lambda o: (o["from"], o["treaty_year"])):
        what = f"the {o['treaty_year']} treaty's {atop.FLAG_WORDS[o['flag']]} obligation"
        y0, y1 = o["from"], o["to"]
        if o["treaty_year"] < y0 - 1:  # an older treaty carried on (by a successor state); a year to ratify is not that
            when = "continued to the end of the data" if y1 >= end else f"continued to {y1}"
            when += f" ({end})" if y1 >= end else ""
        elif y1 >= end:
            when = f"from {y0}, in force at the end of the data ({end})"
        else:
            when = f"in {y0}" if y0 == y1 else f"{y0}–{y1}"
        out.append({**o, "words": f"{what}, {when}"})
    return out


def treaty_fact(obligations: list[dict]) -> str:
    """'the 1966 and 1993 treaties' or 'the 1994 treaty' (the obligations are in the cell's detail)."""
    years = sorted({o["treaty_year"] for o in obligations})
    if len(years) == 1:
        return f"the {years[0]} treaty"
    return "the " + ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]} treaties"


def _agreement_words(description: str) -> str:
    """'DCAD sector agreement: defense procurement; defense cooperation agreement' ->
    'sector: defence procurement; defence cooperation agreement'."""
    d = re.sub(r"^DCAD\s+", "", str(description)).replace("defense ", "")
    m = re.match(r"(general|sector) agreement:\s*(.*)", d)
    if not m:
        return ""
    return re.sub(r"\s+agreement\b", "", m.group(2))


def exercises(ctx: Context, partner: str) -> Cell:
    p = ctx.participants[ctx.participants["partner"] == partner]
    ed = ctx.editions.loc[sorted(set(p["exercise_id"]))] if len(p) else ctx.editions.iloc[0:0]
    bil = ed[ed["n_partners"] == 1]
    multi = ed[ed["n_partners"] > 1]
    stated = ctx.undated[ctx.undated["partner"] == partner] if len(ctx.undated) else ctx.undated
    rel = _relations(ctx, partner, ["exercises"])
    from partnerships.analysis import exercises as exmod

    def series_words(d: pd.DataFrame) -> str:
        out = []
        for s, g in d.groupby("series", sort=False):
            if s in ("single", "other"):
                out += [str(n) for n in g["name"]]
            else:
                out.append(f"{exmod.series_label(s, short=True)} {_span(g['year'])}")
        return ", ".join(out)

    parts, short = [], []
    if len(bil):
        one = bil["series"].nunique() == 1 and bil["series"].iloc[0] not in ("single", "other")
        parts.append(
            f"{_n(len(bil), 'bilateral edition')} of the {exmod.series_label(bil['series'].iloc[0], short=True)} "
            f"series, {_span(bil['year'])}"
            if one and len(bil) > 1
            else f"{_n(len(bil), 'bilateral edition')} {_span(bil['year'])} ({series_words(bil.sort_values('year'))})"
        )

    if len(multi):
        top = multi["series"][~multi["series"].isin(["single", "other"])].value_counts()
        lead = (
            f", {top.iloc[0]} of them {exmod.series_label(top.index[0], short=True)}"
            if len(top) and top.iloc[0] > 1
            else ""
        )
        parts.append(
            f"{_n(len(multi), 'multinational edition')} {_span(multi['year'])}, "
            f"with {_range(multi['n_partners'])} foreign partners{lead}"
            if len(multi) > 1
            else f"one multinational edition ({multi['name'].iloc[0]}, {int(multi['n_partners'].iloc[0])} foreign partners)"
        )

    unlisted = ed[ed["n_partners"].isna()]
    if len(unlisted):
        parts.append(
            f"{_n(len(unlisted), 'edition')} whose participants the source does not list "
            f"({series_words(unlisted.sort_values('year'))}), counted as neither"
        )

    if not len(ed) and (len(stated) or len(rel)):
        parts.append("joint exercises stated by an article, no edition dated")
        short.append("stated,\nundated")
    level = 3 if len(bil) >= 3 else 2 if len(bil) else 1 if len(multi) or len(stated) or len(rel) else 0
    if len(ed):
        short = [f"{len(bil)} / {len(multi)}"]
    listed = (list(ed["sources"]) if len(ed) else []) + (list(stated["source_id"]) if len(stated) else [])
    rows = pd.DataFrame({"source_id": listed})
    return Cell(
        partner,
        "exercises",
        float(level),
        "\n".join(short) if short else "none",
        sentence_case("; ".join(parts)),
        _ids(rows, rel),
        (
            f"{_n(len(bil), 'bilateral exercise edition')} {_span(bil['year'])}"
            + (
                f" and {'one multinational one' if len(multi) == 1 else f'{len(multi)} multinational ones'}"
                if len(multi)
                else ""
            )
            if len(bil)
            else f"{_n(len(multi), 'multinational exercise edition')}, {_span(multi['year'])}"
            if len(multi)
            else "joint exercises stated but not dated"
            if level
            else ""
        ),
    )


def education(ctx: Context, partner: str) -> Cell:
    from partnerships.analysis import training

    f = _t(ctx.tables, "training_flows")
    f = f[(f["partner"] == partner) & (f["direction"] == "mongolians_abroad")] if len(f) else f
    per_year = f[(f["unit"] == "per_year") & numbers(f["count"]).notna()] if len(f) else f
    other = f[~f.index.isin(per_year.index)] if len(f) else f
    rel = _relations(ctx, partner, ["students_hosted", "training"])
    parts, short, level, src = [], [], 0, [per_year, rel]
    us = _t(ctx.tables, "us_training")
    if partner == "United States" and len(us):
        u = training.us_training_by_year(us)
        u = u[u["status"] == "completed"]
        by = u.groupby("fiscal_year")["students"].sum()
        cost = numbers(u["cost_usd"]).sum()
        parts.append(
            f"{by.sum():,.0f} US-funded training places FY{by.index.min()}–FY{by.index.max()} "
            f"({by.mean():,.0f} a year on average), completed figures only"
            + (f", costing US${cost / 1e6:,.0f} million" if cost > 0 else "")
        )
        short.append(f"{by.sum():,.0f} places\nFY{by.index.min()}–{str(by.index.max())[2:]}")
        level = 3
        src.append(u)
    if len(per_year):
        counts = numbers(per_year["count"])
        every = _t(ctx.tables, "training_flows")
        every = every[(every["direction"] == "mongolians_abroad") & (every["unit"] == "per_year")]
        largest = numbers(every["count"]).max() == counts.max() and (numbers(every["count"]) == counts.max()).sum() == 1
        parts += [
            f"{training.stated(c, q)} {t} a year ({in_sentence_tag([sid])})"
            + (", the largest yearly flow any source states" if largest and c == counts.max() else "")
            for c, q, t, sid in zip(counts, per_year["qualifier"], per_year["trainees"], per_year["source_id"])
        ]
        short.append("\n".join(f"{training.stated(c, q)}\na year" for c, q in zip(counts, per_year["qualifier"])))
        level = max(level, 3 if counts.max() >= 50 else 2)
    for r in other.to_dict("records"):
        c = numbers(pd.Series([r.get("count")])).iloc[0]
        if c == c:
            parts.append(
                f"{training.stated(c, r['qualifier'])} {r['trainees']} in training, period not given "
                f"({in_sentence_tag([r['source_id']])})"
            )
            src.append(other)
    if not parts and len(rel):
        parts.append("; ".join(_lower_first(d) for d in dict.fromkeys(rel["detail"])) + " (no number given)")
        short.append("students,\nno number")
        level = 1
    if not parts:
        return Cell(partner, "education", math.nan, "unknown", "", [])
    facts = []
    if partner == "United States" and len(us):
        facts.append(f"{by.sum():,.0f} US-funded training places, FY{by.index.min()}–FY{by.index.max()}")
    if len(per_year):
        facts.append(
            " and ".join(training.stated(c, q) for c, q in zip(numbers(per_year["count"]), per_year["qualifier"]))
            + f" students a year by {in_sentence_tag(_ids(per_year))}'s count"
            + (", the largest stated flow" if largest else "")
        )
    if not facts:
        facts.append(f"students by {in_sentence_tag(_ids(rel))}'s account, no number given")
    return Cell(partner, "education", float(level), "\n".join(short), "; ".join(parts), _ids(*src), " and ".join(facts))


def equipment(ctx: Context, partner: str) -> Cell:
    at = _t(ctx.tables, "arms_transfers")
    a = at[at["supplier"] == partner].copy() if len(at) else at
    if len(a):
        a["oy"] = numbers(a["order_year"])
        a = a[a["oy"] >= EQUIPMENT_SINCE]
    rel = _relations(ctx, partner, ["equipment_supplier"])
    if not len(a) and not len(rel):
        return Cell(partner, "equipment", 0.0, "none", "", [])
    parts, short = [], []
    if len(a):
        tiv = float(numbers(a["tiv_delivered"]).fillna(0).sum())
        aid = a["comments"].fillna("").str.contains(r"\baid\b", case=False)
        used = a["status"].fillna("").str.contains("second hand", case=False)
        delivered = a[numbers(a["tiv_delivered"]).fillna(0) > 0]
        kinds = ", ".join(dict.fromkeys(a.sort_values("oy")["weapon_description"]))
        parts.append(
            f"{_n(len(a), 'arms deal')} ordered {_span(a['oy'])} ({kinds}), "
            + (f"{tiv:,.0f} million TIV delivered" if len(delivered) else "none delivered yet")
            + (f"; {int(used.sum())} of them second-hand" if used.sum() else "")
            + (f", {int(aid.sum())} marked as (probably) aid" if aid.sum() else "")
        )
        short.append(
            f"{len(a)} deal{'s' if len(a) > 1 else ''}"
            + (f"\n{tiv:,.0f} TIV" if len(delivered) else f"\n{int(a['oy'].max())}")
        )
    pred = PREDECESSORS.get(partner)
    old = at[at["supplier"] == pred] if pred and len(at) else at.iloc[0:0]
    if len(old):
        parts.append(f"not counted: {_n(len(old), f'{pred} deal')}, ordered {_span(numbers(old['order_year']))}")
    if len(rel) and not len(a):
        parts.append("an article calls it a supplier; SIPRI records no deal since 1992")
        short.append("stated")
    n = len(a)
    tiv = float(numbers(a["tiv_delivered"]).fillna(0).sum()) if n else 0.0
    level = 3 if n >= 5 or tiv >= 100 else 2 if n >= 2 else 1
    fact = (
        f"{_n(n, 'arms deal')} since {EQUIPMENT_SINCE}"
        + (f", {tiv:,.0f} million TIV delivered" if tiv else ", none delivered yet")
        if n
        else "an article's statement that it supplies arms"
    )
    return Cell(partner, "equipment", float(level), "\n".join(short), "; ".join(parts), _ids(a, rel), fact)


def attaches(ctx: Context, partner: str) -> Cell:
    from partnerships.analysis import metrics

    r = _t(ctx.tables, "partner_relations")
    mine = _relations(ctx, partner, ["attache_in_mongolia", "mongolian_attache_there"])
    if len(mine):
        where = []
        if (mine["relation"] == "attache_in_mongolia").any():
            where.append(f"{_name(partner)} keeps a military attaché in Ulaanbaatar")
        if (mine["relation"] == "mongolian_attache_there").any():
            where.append(f"Mongolia keeps one in {_name(partner)}")
        return Cell(
            partner,
            "attaches",
            1.0,
            "yes",
            " and ".join(where),
            _ids(mine),
            "in Ulaanbaatar",
        )
    complete = len(r) and metrics.exhaustive_relations(r, _t(ctx.tables, "aggregate_claims")).get("attache_in_mongolia")
    return Cell(partner, "attaches", 0.0 if complete else math.nan, "none listed" if complete else "unknown", "", [])


def aid(ctx: Context, partner: str) -> Cell:
    """Aid the articles state (money, facilities, non-refundable assistance). Arms deals SIPRI marks as aid
    are already equipment and the cost of US-funded training is already training: neither counts here."""
    rel = _relations(ctx, partner, ["aid", "facilities"])
    if not len(rel):
        return Cell(partner, "aid", math.nan, "unknown", "", [])
    detail = "; ".join(_lower_first(d) for d in rel["detail"]) + f" ({in_sentence_tag(_ids(rel))})"
    level = 2 if len(rel) >= 2 else 1
    return Cell(
        partner,
        "aid",
        float(level),
        f"{len(rel)} statement{'s' if len(rel) > 1 else ''}",
        detail,
        _ids(rel),
        f"only {in_sentence_tag(_ids(rel))} reports it",
    )


def _visit_events(ctx: Context, partner: str) -> pd.DataFrame:
    ev = _t(ctx.tables, "events")
    if not len(ev):
        return ev
    ok = ev["status"].ne("contradicted") if "status" in ev else True
    return ev[(ev["partner"] == partner) & (ev["category"] == "visit") & ok]


def visits(ctx: Context, partner: str) -> Cell:
    ev = _visit_events(ctx, partner)
    rel = _relations(ctx, partner, ["visits"])
    cv = _t(ctx.tables, "china_visits")
    aiddata = pd.DataFrame()
    if partner == "China" and len(cv):
        from partnerships.analysis import china

        s = china.visits(cv)
        if len(s):
            aiddata = cv[cv["country"] == SUBJECT]
    parts, short, n_dated = [], [], len(ev)
    if len(aiddata):
        s = china.visits(cv)
        pos = s[s > 0]
        n_dated += int(s.sum())
        parts.append(
            f"{s.sum():,.0f} high-level military visits {_span(pos.index)} in AidData's count (which covers {_span(s.index)})"
        )
        short.append(f"{s.sum():,.0f} visits\n{_span(pos.index)}")
    if len(ev):
        yrs = numbers(ev["year"])
        parts.append(f"{_n(len(ev), 'dated visit')} ({', '.join(str(int(y)) for y in sorted(yrs))})")
        short.append(f"{len(ev)} dated\n{_span(yrs)}")
    # a source that dates this partner's visits has its statements among the dated events already
    dating = set(_t(ctx.tables, "events").query("partner == @partner")["source_id"]) if len(ev) else set()
    stated = rel[~rel["source_id"].isin(dating)] if len(rel) else rel
    if len(stated):
        parts.append("; ".join(_lower_first(d) for d in stated["detail"]) + f" ({in_sentence_tag(_ids(stated))})")
        if not short:
            short.append("stated,\nundated")
    if not parts:
        return Cell(partner, "visits", math.nan, "unknown", "", [])
    level = 3 if n_dated >= 5 else 2 if n_dated >= 2 else 1
    facts = []
    if len(aiddata):
        facts.append(f"{s.sum():,.0f} high-level military visits, {_span(pos.index)}, in AidData's count")
    if len(ev):
        facts.append(f"{_n(len(ev), 'dated visit')}, {_span(yrs)}")
    if not facts:
        facts.append("visits an article mentions without dates")
    return Cell(
        partner,
        "visits",
        float(level),
        "\n".join(short),
        "; ".join(parts),
        _ids(ev, stated, aiddata),
        " and ".join(facts),
    )


#: personnel posted in Mongolia at most (in any quarter) for thin / moderate; more is deep
TROOPS_THIN, TROOPS_MODERATE = 100, 1000


def troops(ctx: Context, partner: str) -> Cell:
    """The partner's military personnel posted in Mongolia (troopdata: the United States only; every
    other partner is unknown). Peacekeeping exercises are exercises and count there, not here."""
    tr = _t(ctx.tables, "us_troops")
    if partner != "United States" or not len(tr):
        return Cell(partner, "troops", math.nan, "unknown", "", [])
    tr = tr.assign(n=numbers(tr["troops"]))
    posted = tr[tr["n"] > 0]
    if not len(posted):
        return Cell(partner, "troops", 0.0, "none", "", _ids(tr))
    most = float(posted["n"].max())
    level = 1 if most < TROOPS_THIN else 2 if most < TROOPS_MODERATE else 3
    years = numbers(posted["year"])
    return Cell(
        partner,
        "troops",
        float(level),
        f"{most:,.0f} at most",
        f"US military personnel posted in Mongolia in {years.nunique()} years {_span(years)}, at most {most:,.0f} "
        f"in a quarter: the size of an embassy guard and attaché staff"
        if most < TROOPS_THIN
        else f"US military personnel posted in Mongolia in {years.nunique()} years {_span(years)}, at most {most:,.0f} in a quarter",
        _ids(posted),
        f"at most {most:,.0f} US military personnel posted in Mongolia",
    )


FUNCTIONS = {
    "agreements": agreements,
    "exercises": exercises,
    "education": education,
    "equipment": equipment,
    "attaches": attaches,
    "aid": aid,
    "visits": visits,
    "troops": troops,
}


def cells(partner: str, ctx: Context | None = None) -> list[Cell]:
    """The eight cells of one partner, in :data:`DIMENSIONS` order."""
    ctx = ctx or context()
    return [FUNCTIONS[k](ctx, partner) for k, _ in DIMENSIONS]


def matrix(partners: list[str], ctx: Context | None = None) -> pd.DataFrame:
    """Long table: partner, dimension, level (NaN = unknown), short, detail, sources (';'-joined ids),
    articles_only; partners in the order given, dimensions in :data:`DIMENSIONS` order."""
    ctx = ctx or context()
    rows = []
    for p in partners:
        for c in cells(p, ctx):
            rows.append(
                {
                    "partner": c.partner,
                    "dimension": c.dimension,
                    "level": c.level,
                    "short": c.short,
                    "detail": c.detail,
                    "fact": c.fact,
                    "sources": ";".join(c.sources),
                    "articles_only": c.articles_only,
                }
            )
    return pd.DataFrame(rows)


def order(m: pd.DataFrame) -> list[str]:
    """The two neighbours first (as given), then the other partners by total depth (unknown = 0),
    then by the number of dimensions known, then by name."""
    score = m.assign(lv=m["level"].fillna(0), known=m["level"].notna()).groupby("partner")[["lv", "known"]].sum()
    first = [p for p in NEIGHBOURS if p in score.index]
    rest = score.drop(index=first).reset_index().sort_values(["lv", "known", "partner"], ascending=[False, False, True])
    return first + rest["partner"].tolist()


def wide(m: pd.DataFrame, column: str = "level") -> pd.DataFrame:
    """Partner x dimension table of ``column`` (rows in :func:`order`, columns as :data:`HEADINGS`)."""
    w = m.pivot(index="partner", columns="dimension", values=column)
    w = w.reindex(index=order(m), columns=[k for k, _ in DIMENSIONS])
    w.columns = [HEADINGS[k] for k in w.columns]
    w.index.name = None
    return w


def deep_in(m: pd.DataFrame, partner: str, level: int = 3) -> list[str]:
    """The dimensions (keys, in order) where ``partner`` is at ``level`` or deeper."""
    d = m[(m["partner"] == partner) & (m["level"] >= level)]
    return d["dimension"].tolist()


def leader(m: pd.DataFrame, dimension: str) -> list[str]:
    """The partners with the deepest level on ``dimension`` (ties together, in matrix order)."""
    d = m[m["dimension"] == dimension].dropna(subset=["level"])
    if d.empty or d["level"].max() <= 0:
        return []
    top = set(d.loc[d["level"] == d["level"].max(), "partner"])
    return [p for p in order(m) if p in top]


def heading(dimension: str) -> str:
    """'Agreements and treaties' -> 'agreements and treaties' (for a sentence)."""
    h = HEADINGS[dimension]
    return h[:1].lower() + h[1:]


# ------------------------------------------------------------------ the heatmap


#: Fill per level (0 = none recorded ... 3 = deep); unknown is white with a grey frame.
LEVEL_FILL = {0: "#f1f1f1", 1: "#c9d6e4", 2: "#6a8bb0", 3: "#1f3b5c"}


def plot(m: pd.DataFrame):
    """The matrix as a heatmap: shade = depth, cell text = what is recorded, * = the articles only,
    'unknown' cells white. A line separates the two neighbours from the other partners."""
    from matplotlib.patches import Rectangle

    from partnerships.analysis import charts

    rows = order(m)
    cols = [k for k, _ in DIMENSIONS]
    fig, ax = charts.new(height=0.42 * len(rows) + 0.6)
    fig.subplots_adjust(left=0.135, right=0.998, top=1 - 0.55 / (0.42 * len(rows) + 0.6), bottom=0.005)
    cell = m.set_index(["partner", "dimension"])
    for i, p in enumerate(rows):
        for j, d in enumerate(cols):
            c = cell.loc[(p, d)]
            known = c["level"] == c["level"]
            lv = int(c["level"]) if known else None
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor=LEVEL_FILL[lv] if known else "white",
                    edgecolor="white" if known else "#b0b0b0",
                    linewidth=1.5 if known else 0.6,
                )
            )
            text = c["short"] or (LEVEL_WORDS[lv] if known else UNKNOWN)
            if bool(c["articles_only"]) and known:
                text += "*"  # the articles alone (the bundled sans face has no italic, so no slanted text)
            ax.text(
                j + 0.5,
                i + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=charts.SMALL_PT - 0.3,
                linespacing=1.05,
                color="white" if known and lv >= 2 else (charts.INK if known else "#6b6b6b"),
            )
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([j + 0.5 for j in range(len(cols))])
    ax.set_xticklabels([PLOT_HEADINGS.get(k) or _wrap(HEADINGS[k]) for k in cols], fontsize=charts.SMALL_PT)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(len(rows))])
    ax.set_yticklabels(rows, fontsize=charts.SMALL_PT + 0.5)
    ax.tick_params(length=0)
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)
    n_nb = sum(1 for p in rows if p in NEIGHBOURS)
    if 0 < n_nb < len(rows):
        ax.axhline(n_nb, color=charts.INK, linewidth=1.0)
    charts.attach_data(
        fig,
        m.assign(
            dimension=m["dimension"].map(HEADINGS),
            level=m["level"],
            depth=[LEVEL_WORDS[int(v)] if v == v else UNKNOWN for v in m["level"]],
            short=m["short"].str.replace("\n", " "),
        )[["partner", "dimension", "depth", "level", "short", "detail", "sources", "articles_only"]],
    )
    return fig


#: column headings of the heatmap where they say more than the dimension's name
PLOT_HEADINGS = {
    "exercises": "Exercises\nbilateral / multi",
    "attaches": "Attaché in\nUlaanbaatar",
    "troops": "Troops in\nMongolia",
}


def _wrap(heading: str) -> str:
    words = heading.split(" ")
    if len(words) <= 1:
        return heading
    if words[1] == "and":
        return f"{words[0]}\nand {' '.join(words[2:])}"
    return " ".join(words[:-1]) + "\n" + words[-1]


def short_tag(source_ids: list[str]) -> str:
    """'Article A; DCAD' for a list of ids (via ``data.tags``)."""
    from partnerships import data

    return data.tags(source_ids)


def in_sentence_tag(source_ids: list[str]) -> str:
    """'article A' (a tag inside a sentence: 'Article A' with its first letter lower case, 'SIPRI arms' as is)."""
    t = short_tag(source_ids)
    return t[:1].lower() + t[1:] if t.startswith("Article") else t


def sentence_case(text: str) -> str:
    """The first letter upper case, the rest as it is ('' stays '')."""
    return re.sub(r"^\s*(\w)", lambda m: m.group(1).upper(), text)


def _lower_first(text: str) -> str:
    """A statement's first letter lower case unless it begins a name ('Russia gives' stays)."""
    first = text.split(" ", 1)[0]
    if first in ("The", "A", "An", "In", "High-level", "Over", "About", "Nearly") or first.islower():
        return text[:1].lower() + text[1:]
    return text
