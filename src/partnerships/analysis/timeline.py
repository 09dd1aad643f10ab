"""The timeline: milestones from events, agreements and exercises, and the eras behind them.

A *milestone* is one dated row: an event (``events``), an agreement (``agreements``) or
the first edition of an exercise series (``exercises``: later editions of a series are
not milestones, they are in the exercises chapter). ``milestones(...)`` returns them in
one frame with the columns of :data:`MILESTONE_COLUMNS`, sorted by year, then month,
then kind, then text, so the order is stable. An event that lasted (``end_date``) is a span
(``year`` to ``year_to``) and is kept when any part of it falls in the years shown. A milestone
that rests on an article alone, with no other source confirming it, is marked ``unverified``
(its chart label and text say so).

An *era* is a span of years with a name. Eras are data (:data:`ERAS`): each names the
source that motivates it and how its boundaries are set. Where the data can set a
boundary it does (:func:`eras`): the start of the Soviet withdrawal (``events``), the first
month of UN peacekeeping reports (``pk_monthly``), the first Khaan Quest edition
(``exercises``), the low point of real military spending in the 1990s (``military_expenditure``). Where it cannot, the
boundary typed in :data:`ERAS` stays, with its source.

Eras overlap (peacekeeping and exercises both continue to the present), so the chart
draws them as lanes above the milestones rather than as stacked shading.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace

import pandas as pd

from partnerships.data import numbers

MILESTONE_COLUMNS = [
    "year",
    "year_to",
    "month",
    "date",
    "kind",
    "partner",
    "milestone",
    "label",
    "unverified",
    "source_id",
    "locator",
]
ARTICLE_PREFIX = "art_"  # source ids of the articles (data/sources.csv convention)
UNVERIFIED = " (unverified)"  # added to the chart label of an article claim no other source confirms

# Short chart labels for events (display text only; the table shows the full event).
# An event missing here gets its text cut at a word boundary.
EVENT_LABELS = {
    "khalkhin_gol_1939": "Khalkhin Gol victory",
    "wwii_aid_to_ussr": "Aid to the USSR in the war",
    "soviet_withdrawal": "Soviet withdrawal",
    "us_english_training_1991": "US English training",
    "us_trex_agreement_1996": "US training agreement",
    "rok_agreement_1999": "South Korea agreement",
    "first_un_contribution": "First UN contribution",
    "iraq_deployment_2003": "Iraq (coalition)",
    "khaan_quest_2003": "Khaan Quest 2003",
    "kfor_2005": "KFOR, Kosovo (NATO)",
    "darkhan_1_2008": "Darkhan 1",
    "isaf_2010": "ISAF, Afghanistan (NATO)",
    "selenga_2012": "Selenga-2012",
    "unmiss_2012": "UNMISS, South Sudan",
    "putin_visit_2019": "Putin visit",
    "putin_visit_2021_claimed": "Putin visit (claimed)",
    "icc_warrant_2023": "ICC warrant for Putin",
    "icc_warrants_2024_03": "ICC warrants, two commanders",
    "icc_warrants_2024_06": "ICC warrant for Shoigu",
    "selenga_2024": "Selenga 2024",
    "putin_visit_2024": "Putin visit, no arrest",
    "khalkhin_gol_85th": "Khalkhin Gol 85th",
    "icc_noncompliance_2024": "ICC non-compliance finding",
    "victory_day_2025": "Khurelsukh in Moscow",
    "victory_80th_2025": "Victory Day 80th",
}

# DCAD agreement categories in words (for short chart labels)
AGREEMENT_CATEGORIES = {
    "DCA": "cooperation",
    "TREX": "training",
    "PROCUREMENT": "procurement",
    "DIC": "defence industry",
    "COMMISSION": "joint commission",
    "RD": "research",
    "SOFA": "status of forces",
}
KIND_ORDER = ["event", "agreement", "exercise"]
OTHER = "other or several"  # legend entry of the chart's grey marks


@dataclass(frozen=True)
class Era:
    """A named span of years, ``start`` to ``end`` inclusive (``end=None``: still running)."""

    key: str
    label: str
    start: int
    end: int | None
    source_ids: tuple[str, ...]
    basis: str  # how the boundaries are set, in words


# The "recent Russia ties" era starts with the first Putin visit after this year.
RUSSIA_ERA_AFTER = 2015
#: Suppliers and partners of the Soviet era: an agreement with anyone else opens to the "third neighbours".
LEGACY_PARTNERS = ("Russia", "Soviet Union")

# The turning points the timeline argues, as eras (spans of years); labels read inside a sentence
# (a heading capitalises the first letter). Boundaries typed here are replaced
# by data-derived ones in ``eras()`` when the table that defines them is present (see each ``basis``).
ERAS: tuple[Era, ...] = (
    Era(
        "collapse",
        "withdrawal and collapse",
        1987,
        1996,
        ("fc_loc_mongolia_1991",),
        "start: the year the Soviet withdrawal began (events; article A's 'early 1990s' fits only its end in 1992); "
        "end: the year real military spending was lowest in the 1990s (military_expenditure)",
    ),
    Era(
        "opening",
        "third neighbours",
        1996,
        2001,
        ("art_growth",),
        "start: the first dated defence agreement with a partner other than Russia or the Soviet Union; end: the "
        "last such agreement before the first UN contribution (agreements)",
    ),
    Era(
        "peacekeeping",
        "peacekeeping and Khaan Quest",
        2002,
        2003,
        ("art_growth",),
        "start: the first month Mongolia appears in the UN contribution reports (pk_monthly); end: the first "
        "Khaan Quest edition in the exercises table; article A dates peacekeeping 'since the beginning of the 2000s'",
    ),
    Era(
        "rearmament",
        "Russian re-equipment",
        2007,
        2009,
        ("sipri_trade_register",),
        "start: the first post-Soviet order from Russia; end: the last year of that unbroken run of yearly "
        "orders (arms_transfers)",
    ),
    Era(
        "russia",
        "closer to Moscow",
        2019,
        None,
        ("art_forefront",),
        "start: the first Putin visit to Mongolia in the events table after 2015; "
        "article B calls defence and security cooperation at an all-time high",
    ),
)


def _span_sources(row: dict) -> tuple[str, str]:
    """(source ids, locators) of an event row: one source, or, when ``end_source_id`` dates the end of a
    span, both, each locator after its source ('a: start, ch. 5; b: end, note') so that neither source is
    read as dating the other end."""
    src, loc = str(row["source_id"]), str(row["locator"])
    end_src = str(row.get("end_source_id") or "").strip()
    if not end_src or end_src == "nan":
        return src, loc
    end_loc = str(row.get("end_locator") or "").strip()
    end_loc = "" if end_loc == "nan" else end_loc
    return f"{src}; {end_src}", f"{src}: start, {loc}; {end_src}: end" + (f", {end_loc}" if end_loc else "")


def _month(date: pd.Series) -> pd.Series:
    """The month (1-12) of an ISO date 'YYYY-MM-DD' or 'YYYY-MM', NaN if the date has none."""
    m = date.fillna("").astype(str).str.extract(r"^\d{4}-(\d{2})", expand=False)
    return pd.to_numeric(m, errors="coerce")


def series_label(series: str) -> str:
    """'khaan_quest' -> 'Khaan Quest': the short label of data/exercise_series.csv (one label table)."""
    from partnerships.analysis import exercises as exmod

    return exmod.series_label(series, short=True)


def first_editions(exercises: pd.DataFrame) -> pd.DataFrame:
    """The first dated edition of each named exercise series.

    Editions as :func:`partnerships.analysis.exercises.editions` defines them (sources and
    spellings of one edition merged; rows without a year are not editions); series in
    ``exercises.NO_SERIES`` are left out. Returns one row per series, sorted by year then name,
    with ``source_id`` and ``locator`` listing every source row of the edition.
    """
    from partnerships.analysis import exercises as exmod

    ed = exmod.editions(exercises)
    ed = ed[~ed["series"].fillna("").astype(str).isin(exmod.NO_SERIES)]
    ed = ed.sort_values(["year", "name"], kind="mergesort")
    first = ed.drop_duplicates("series", keep="first").copy()
    first["source_id"] = first["sources"].str.replace(";", "; ")
    first["locator"] = first["locators"]
    return first.reset_index(drop=True)


def milestones(
    events: pd.DataFrame | None = None,
    agreements: pd.DataFrame | None = None,
    exercises: pd.DataFrame | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Events, agreements and first exercise editions as one chronological frame.

    ``events`` needs ``year, date, event, partner, source_id, locator`` (rows with status
    'contradicted' are left out: the timeline shows what happened, the sources chapter
    shows what was misreported). ``agreements`` needs ``year, partner, source_id, locator``
    and one of ``title``/``name``/``type`` for its text. ``exercises`` needs ``name, series,
    year, source_id, locator``. Years outside ``start_year..end_year`` (inclusive) are
    dropped. Returns :data:`MILESTONE_COLUMNS`.
    """
    parts = []
    if events is not None and len(events):
        ev = events.copy()
        if "status" in ev:
            ev = ev[ev["status"].astype(str) != "contradicted"]
        # an event that is an agreement or an exercise edition is already a row of those tables
        covered = [c for c, t in (("agreement", agreements), ("exercise", exercises)) if t is not None and len(t)]
        ev = ev[~ev["category"].astype(str).isin(covered)]
        end = ev["end_date"].fillna("").astype(str) if "end_date" in ev else pd.Series("", index=ev.index)
        status = ev["status"].astype(str) if "status" in ev else pd.Series("confirmed", index=ev.index)
        unverified = (status != "confirmed") & ev["source_id"].astype(str).str.startswith(ARTICLE_PREFIX)
        labels = [
            EVENT_LABELS.get(i) or short_label(t, 32)
            for i, t in zip(ev.get("event_id", [""] * len(ev)), ev["event"].astype(str))
        ]
        parts.append(
            pd.DataFrame(
                {
                    "year": numbers(ev["year"]),
                    "year_to": numbers(end.str[:4]),
                    "month": _month(ev["date"]) if "date" in ev else pd.NA,
                    "date": [f"{d}–{e}" if e else d for d, e in zip(ev["date"].astype(str), end)]
                    if "date" in ev
                    else ev["year"].astype(str),
                    "kind": "event",
                    "partner": ev.get("partner", pd.Series("", index=ev.index)).fillna(""),
                    "milestone": [
                        t + (" (article claim, unverified)" if u else "")
                        for t, u in zip(ev["event"].astype(str), unverified)
                    ],
                    "label": [lab + (UNVERIFIED if u else "") for lab, u in zip(labels, unverified)],
                    "unverified": unverified.to_numpy(),
                    "source_id": [_span_sources(r)[0] for r in ev.to_dict("records")],
                    "locator": [_span_sources(r)[1] for r in ev.to_dict("records")],
                }
            )
        )
    if agreements is not None and len(agreements):
        ag = merge_agreements(agreements)
        # an agreement only an article states is an unverified claim; one a dataset also records is not
        only_art = [all(s.strip().startswith(ARTICLE_PREFIX) for s in str(ids).split(";")) for ids in ag["source_id"]]
        parts.append(
            pd.DataFrame(
                {
                    "year": numbers(ag["year"]),
                    "year_to": pd.NA,
                    "month": _month(ag["date"]) if "date" in ag else pd.NA,
                    "date": [
                        d if isinstance(d, str) and d.strip() else str(y)
                        for d, y in zip(ag.get("date", ag["year"]), ag["year"])
                    ],
                    "kind": "agreement",
                    "partner": ag["partner"].fillna(""),
                    "milestone": [
                        agreement_text(r) + (" (article claim, unverified)" if u else "")
                        for r, u in zip(ag.to_dict("records"), only_art)
                    ],
                    "label": [
                        agreement_label(r) + (UNVERIFIED if u else "") for r, u in zip(ag.to_dict("records"), only_art)
                    ],
                    "unverified": only_art,
                    "source_id": ag["source_id"],
                    "locator": ag["locator"],
                }
            )
        )
    if exercises is not None and len(exercises):
        first = first_editions(exercises)
        only_art = [
            all(s.strip().startswith(ARTICLE_PREFIX) for s in str(ids).split(";")) for ids in first["source_id"]
        ]
        parts.append(
            pd.DataFrame(
                {
                    "year": first["year"],
                    "year_to": pd.NA,
                    "month": pd.NA,
                    "date": first["year"].astype("Int64").astype(str),
                    "kind": "exercise",
                    "partner": "",
                    "milestone": [
                        exercise_text(r) + (" (article claim, unverified)" if u else "")
                        for r, u in zip(first.to_dict("records"), only_art)
                    ],
                    "label": [
                        f"First {series_label(x)}" + (UNVERIFIED if u else "")
                        for x, u in zip(first["series"], only_art)
                    ],
                    "unverified": only_art,
                    "source_id": first["source_id"],
                    "locator": first["locator"],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=MILESTONE_COLUMNS)
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    out["year_to"] = pd.to_numeric(out["year_to"], errors="coerce").astype("Int64")
    out["month"] = pd.to_numeric(out["month"], errors="coerce").astype("Int64")
    out["unverified"] = out["unverified"].astype(bool)
    out = filter_years(out, start_year, end_year, end_col="year_to")
    out["_kind"] = out["kind"].map({k: i for i, k in enumerate(KIND_ORDER)})
    out = out.sort_values(["year", "month", "_kind", "milestone"], na_position="first", kind="mergesort")
    return out.drop(columns="_kind").reset_index(drop=True)[MILESTONE_COLUMNS]


def merge_agreements(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per (partner, year): an agreement reported by an article and by DCAD counts once.

    The kept row is the most precise one (a full date first), and its ``source_id`` and
    ``locator`` list every row merged into it ('; '-separated), in the table's order.
    """
    ag = agreements.copy()
    ag["_precision"] = ag.get("date", pd.Series("", index=ag.index)).fillna("").astype(str).str.len()
    ag = ag.sort_values(["partner", "year", "_precision"], ascending=[True, True, False], kind="mergesort")
    keys = ["partner", "year"]
    ids = ag.groupby(keys, sort=False)["source_id"].agg(lambda x: "; ".join(dict.fromkeys(map(str, x))))
    locs = ag.groupby(keys, sort=False)["locator"].agg(lambda x: "; ".join(dict.fromkeys(map(str, x))))
    first = ag.drop_duplicates(keys, keep="first").set_index(keys)
    first["source_id"] = ids
    first["locator"] = locs
    return first.reset_index().drop(columns="_precision")


def agreement_label(row: dict) -> str:
    """'Russia: procurement agreement' style short label (DCAD categories in words)."""
    cats = [
        AGREEMENT_CATEGORIES.get(c.strip(), c.strip().lower())
        for c in str(row.get("category") or "").split(";")
        if c.strip()
    ]
    what = " & ".join(dict.fromkeys(cats)) or "cooperation"
    partner = str(row.get("partner") or "").strip()
    return f"{partner}: {what} agreement" if partner else f"{what} agreement"


def agreement_text(row: dict) -> str:
    """'Defense cooperation agreement with Turkey' style text for an agreement row."""
    for col in ("title", "name", "description"):
        val = row.get(col)
        if isinstance(val, str) and val.strip():
            return val.strip()
    kind = str(row.get("type") or row.get("category") or "defense cooperation").strip()
    kind = kind.replace("_", " ")
    partner = str(row.get("partner") or "").strip()
    return f"Agreement ({kind}) with {partner}" if partner else f"Agreement ({kind})"


def exercise_text(row: dict) -> str:
    """'First Khaan Quest exercise (Khaan Quest 2003)' style text for a first edition."""
    series = series_label(row.get("series") or "")
    name = str(row.get("name") or "").strip()
    if name.casefold() == series.casefold():
        return f"First {series} exercise"
    return f"First {series} exercise ({name})"


def filter_years(
    df: pd.DataFrame, start_year: int | None, end_year: int | None, col: str = "year", end_col: str | None = None
) -> pd.DataFrame:
    """Rows with ``start_year <= col <= end_year`` (either bound may be None). Rows without a year go.

    With ``end_col``, a row spanning ``col`` to ``end_col`` is kept when any year of the span is in range.
    """
    check_years(start_year, end_year)
    years = pd.to_numeric(df[col], errors="coerce")
    last = years
    if end_col is not None and end_col in df:
        last = pd.to_numeric(df[end_col], errors="coerce").fillna(years)
    keep = years.notna()
    if start_year is not None:
        keep &= last >= start_year
    if end_year is not None:
        keep &= years <= end_year
    return df[keep.fillna(False).astype(bool)].copy()


def check_years(start_year: int | None, end_year: int | None) -> None:
    """A clear error for a reversed range."""
    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year ({start_year}) is after end_year ({end_year})")


# --- eras -----------------------------------------------------------------------------


def spending_trough(milex: pd.DataFrame, measure: str, first: int = 1990, last: int = 1999) -> int | None:
    """The year real military spending was lowest between ``first`` and ``last`` (None if no data)."""
    m = milex[milex["measure"] == measure].copy()
    m["year"] = numbers(m["year"])
    m["value"] = numbers(m["value"])
    m = m[(m["year"] >= first) & (m["year"] <= last) & m["value"].notna()]
    if m.empty:
        return None
    m = m.sort_values(["value", "year"], kind="mergesort")
    return int(m["year"].iloc[0])


def first_report_year(pk_monthly: pd.DataFrame) -> int | None:
    """The year of the first month with any Mongolian UN contribution (troops, police or experts)."""
    pk = pk_monthly.copy()
    cols = [c for c in ("troops", "police", "experts") if c in pk]
    total = sum(numbers(pk[c]).fillna(0) for c in cols)
    pk = pk[total > 0]
    if pk.empty:
        return None
    return int(pk["date"].astype(str).str[:4].astype(int).min())


def first_series_year(exercises: pd.DataFrame, series: str) -> int | None:
    """The year of the first edition of an exercise series (None if the series is absent)."""
    ex = exercises[exercises["series"].fillna("").astype(str) == series]
    years = numbers(ex["year"]).dropna()
    return int(years.min()) if len(years) else None


def withdrawal_start(events: pd.DataFrame, partner: str = "Soviet Union") -> int | None:
    """The year the (not contradicted) withdrawal event of ``partner`` starts (None if there is none)."""
    ev = events[(events["category"].astype(str) == "withdrawal") & (events["partner"].fillna("") == partner)]
    if "status" in ev:
        ev = ev[ev["status"].astype(str) != "contradicted"]
    years = numbers(ev["year"]).dropna()
    return int(years.min()) if len(years) else None


def first_visit_year(events: pd.DataFrame, partner: str, after: int, pattern: str = r"\bvisit") -> int | None:
    """The first year after ``after`` with a (not contradicted) visit event of ``partner``."""
    ev = events.copy()
    if "status" in ev:
        ev = ev[ev["status"].astype(str) != "contradicted"]
    ev["year"] = numbers(ev["year"])
    is_visit = ev["category"].astype(str).eq("visit") | ev["event"].astype(str).str.contains(
        pattern, flags=re.I, regex=True
    )
    ev = ev[is_visit & (ev["partner"].fillna("") == partner) & (ev["year"] > after)]
    return int(ev["year"].min()) if len(ev) else None


def third_neighbour_agreements(agreements: pd.DataFrame, before: int | None = None) -> pd.DataFrame:
    """Dated agreements with partners other than :data:`LEGACY_PARTNERS` (before ``before`` if given),
    one row per partner and year (:func:`merge_agreements`), oldest first."""
    ag = merge_agreements(agreements)
    ag = ag.assign(year=numbers(ag["year"]))
    ag = ag[ag["year"].notna() & ~ag["partner"].isin(LEGACY_PARTNERS)]
    if before is not None:
        ag = ag[ag["year"] < before]
    return ag.sort_values("year", kind="mergesort").reset_index(drop=True)


def order_run(arms: pd.DataFrame, supplier: str, after: int) -> tuple[int, int] | None:
    """(first, last) year of the first unbroken run of yearly orders from ``supplier`` after ``after``."""
    years = sorted(
        {int(y) for y in numbers(arms.loc[arms["supplier"] == supplier, "order_year"]).dropna() if y > after}
    )
    if not years:
        return None
    last = years[0]
    for y in years[1:]:
        if y != last + 1:
            break
        last = y
    return years[0], last


def eras(
    milex: pd.DataFrame | None = None,
    pk_monthly: pd.DataFrame | None = None,
    exercises: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    spending_measure: str = "constant_2023_usd_m",
    agreements: pd.DataFrame | None = None,
    arms: pd.DataFrame | None = None,
) -> list[Era]:
    """The :data:`ERAS`, with each boundary the data can set taken from the data.

    The source ids of the table that set a boundary are added to the era's sources.
    """
    out = []
    pk_start = first_report_year(pk_monthly) if pk_monthly is not None else None
    for era in ERAS:
        e = era
        if e.key == "collapse" and events is not None:
            start = withdrawal_start(events)
            if start is not None:
                ev = events[(events["category"].astype(str) == "withdrawal") & (numbers(events["year"]) == start)]
                e = replace(e, start=start, source_ids=_ids(ev))
        if e.key == "collapse" and milex is not None:
            trough = spending_trough(milex, spending_measure)
            if trough is not None:
                src = _ids(milex[milex["measure"] == spending_measure])
                e = replace(e, end=trough, source_ids=_merge(e.source_ids, src))
        elif e.key == "opening" and agreements is not None:
            third = third_neighbour_agreements(agreements, before=pk_start or e.end + 1)
            if len(third):
                ids = tuple(p.strip() for cell in third["source_id"] for p in str(cell).split(";") if p.strip())
                e = replace(
                    e,
                    start=int(third["year"].min()),
                    end=int(third["year"].max()),
                    source_ids=_merge(e.source_ids, ids),
                )
        elif e.key == "peacekeeping":
            if pk_start is not None:
                e = replace(e, start=pk_start, source_ids=_merge(e.source_ids, _ids(pk_monthly)))
            y = first_series_year(exercises, "khaan_quest") if exercises is not None else None
            if y is not None:
                kq = exercises[exercises["series"].fillna("") == "khaan_quest"]
                first = kq[numbers(kq["year"]) == y]
                e = replace(e, end=max(y, e.start), source_ids=_merge(e.source_ids, _ids(first)))
        elif e.key == "rearmament" and arms is not None:
            run = order_run(arms, "Russia", after=1991)
            if run is not None:
                e = replace(e, start=run[0], end=run[1], source_ids=_merge(e.source_ids, _ids(arms)))
        elif e.key == "russia" and events is not None:
            y = first_visit_year(events, "Russia", after=RUSSIA_ERA_AFTER)
            if y is not None:
                ev = events[(numbers(events["year"]) == y) & (events["partner"].fillna("") == "Russia")]
                e = replace(e, start=y, source_ids=_merge(e.source_ids, _ids(ev)))
        out.append(e)
    return out


def clip_eras(era_list: list[Era], start_year: int, end_year: int) -> list[Era]:
    """Eras cut to the shown range; eras entirely outside it are dropped. Open ends become ``end_year``."""
    check_years(start_year, end_year)
    out = []
    for e in era_list:
        end = end_year if e.end is None else min(e.end, end_year)
        start = max(e.start, start_year)
        if start <= end:
            out.append(replace(e, start=start, end=end))
    return out


def eras_table(era_list: list[Era]) -> pd.DataFrame:
    """One row per era: label, from, to ('' if still running), sources, how set."""
    return pd.DataFrame(
        {
            "era": [e.label for e in era_list],
            "from": [e.start for e in era_list],
            "to": ["ongoing" if e.end is None else str(e.end) for e in era_list],
            "sources": ["; ".join(e.source_ids) for e in era_list],
            "how the boundaries are set": [e.basis for e in era_list],
        }
    )


def _ids(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(sorted({s for s in df["source_id"].astype(str) if s}))


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(a) | set(b)))


# --- the chart ------------------------------------------------------------------------


def short_label(text: str, width: int = 34) -> str:
    """A milestone's text cut at a word boundary to at most ``width`` characters (with '…')."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width=width, placeholder="…")


def spread(xs: list[float], gap: float) -> list[float]:
    """Positions moved apart so that no two are closer than ``gap``: each cluster of marks closer than
    ``gap`` is laid out evenly around its mean, in the given order of position. Order is kept."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = list(xs)
    clusters: list[list[int]] = []
    for i in order:
        if clusters and xs[i] - xs[clusters[-1][-1]] < gap:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for c in clusters:
        mid = sum(xs[i] for i in c) / len(c)
        for k, i in enumerate(c):
            out[i] = mid + (k - (len(c) - 1) / 2) * gap
    return out


def chart(
    era_list: list[Era],
    start_year: int,
    end_year: int,
    real: pd.Series,
    pk: pd.Series,
    ms: pd.DataFrame,
    editions: pd.DataFrame,
    orders: pd.DataFrame,
    pk_points: pd.Series | None = None,
):
    """Mongolia's defence ties on one time axis, the turning points (``era_list``) shaded and numbered
    across three panels: real military spending (``real``: year -> US$ million), UN personnel deployed
    (``pk``: month -> total), and one row of marks each for defence agreements and events (``ms``,
    :func:`milestones`), exercise editions (``editions``: year, name, partners ';'-joined) and arms
    orders (``orders``: supplier, year, tiv_m; marker area by volume). A mark takes its partner's colour
    (:func:`partnerships.analysis.charts.partner_colour`): the sole foreign partner of an edition, the
    supplier of an order; multinational editions and partners without a colour are grey. Marks of one
    row closer than a few months are set side by side (:func:`spread`); an event that lasted is a bar.
    ``pk_points`` (date -> personnel): single counts after the monthly series, drawn as dots."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from partnerships.analysis import charts

    charts.style()
    shown = clip_eras(era_list, start_year, end_year)
    fig, (a1, a2, a3) = plt.subplots(
        3, 1, figsize=(charts.WIDTH, 4.3), sharex=True, gridspec_kw={"height_ratios": [1.0, 0.8, 1.6]}
    )
    for ax in (a1, a2, a3):
        for e in shown:  # a hairline of white between adjacent turning points
            ax.axvspan(e.start - 0.45, e.end + 0.45, color=charts.LIGHT, linewidth=0, zorder=0)
        ax.set_xlim(start_year - 0.6, end_year + 1.2)  # room for the marks of the last year, set side by side
        ax.grid(False)
    navy = charts.SHADES[4]
    r = real.loc[start_year:end_year]
    a1.plot(r.index, r.values, color=navy, linewidth=1.5)
    a1.set_ylim(0, float(r.max()) * 1.25 if len(r) else 1)
    a1.set_ylabel("Spending,\nUS$ m (2023)")
    a1.yaxis.set_major_locator(MaxNLocator(3))
    for i, e in enumerate(shown):
        a1.text((e.start + e.end) / 2, a1.get_ylim()[1], str(i + 1), ha="center", va="bottom", fontweight="semibold")
    p = pk[(pk.index.year >= start_year) & (pk.index.year <= end_year)]
    a2.plot(p.index.year + (p.index.month - 0.5) / 12, p.values, color=navy, linewidth=1.2)
    if pk_points is not None and len(pk_points):
        q = pk_points[(pk_points.index.year >= start_year) & (pk_points.index.year <= end_year)]
        a2.plot(
            q.index.year + (q.index.month - 0.5) / 12,
            q.values,
            linestyle="none",
            marker="o",
            markersize=3.5,
            color=navy,
        )
        p = pd.concat([p, q])
    a2.set_ylim(0, float(p.max()) * 1.25 if len(p) else 1)
    a2.set_ylabel("UN personnel,\nmonthly")
    a2.yaxis.set_major_locator(MaxNLocator(3))
    a2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))

    rows = ["Agreements", "Events", "Exercise editions", "Arms orders"]
    ypos = {k: len(rows) - 1 - i for i, k in enumerate(rows)}
    used: dict[str, str] = {}

    def colour(partner: str) -> str:
        c = charts.partner_colour(partner) if partner else charts.GREY
        used[partner if c != charts.GREY else OTHER] = c
        return c

    def when(frame: pd.DataFrame) -> list[float]:
        month = frame["month"].astype("Float64").fillna(6.5).astype(float)
        return (frame["year"].astype(float) + (month - 0.5) / 12).tolist()

    inside = ms[ms["year"].between(start_year, end_year) | ms["year_to"].between(start_year, end_year)]
    gap = 0.25  # years between marks of one row
    for kind, row, marker in (("agreement", "Agreements", "s"), ("event", "Events", "o")):
        m = inside[inside["kind"] == kind]
        for x0, x1, pt in zip(m["year"], m["year_to"], m["partner"].fillna("")):
            if not pd.isna(x1):  # an event that lasted: a bar from its first to its last year
                a3.plot([max(x0, start_year - 0.5), x1 + 0.5], [ypos[row]] * 2, color=colour(pt), linewidth=3, zorder=2)
        a3.scatter(
            spread([max(x, start_year - 0.3) for x in when(m)], gap),
            [ypos[row]] * len(m),
            s=24,
            marker=marker,
            c=[colour(pt) for pt in m["partner"].fillna("")],
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
        )
    ed = editions[editions["year"].between(start_year, end_year)]
    sole = [pt if pt and ";" not in pt else "" for pt in ed["partners"].fillna("").astype(str)]
    a3.scatter(
        spread(ed["year"].astype(float).tolist(), gap),
        [ypos["Exercise editions"]] * len(ed),
        s=24,
        marker="^",
        c=[colour(pt) for pt in sole],
        edgecolors="white",
        linewidths=0.4,
        zorder=3,
    )
    o = (
        orders[orders["year"].between(start_year, end_year)]
        .groupby(["supplier", "year"], as_index=False)["tiv_m"]
        .sum()
    )
    biggest = float(o["tiv_m"].max()) if len(o) and o["tiv_m"].max() > 0 else 1.0
    a3.scatter(
        spread(o["year"].astype(float).tolist(), gap * 1.5),
        [ypos["Arms orders"]] * len(o),
        s=[14 + 220 * v / biggest for v in o["tiv_m"]],
        marker="o",
        c=[colour(pt) for pt in o["supplier"]],
        alpha=0.85,
        edgecolors="white",
        linewidths=0.4,
        zorder=3,
    )
    a3.set_yticks([ypos[k] for k in rows], rows)
    a3.set_ylim(-0.7, len(rows) - 0.4)
    a3.tick_params(axis="y", length=0)
    a3.spines["left"].set_visible(False)
    a3.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 5, 10]))
    first = [
        k for k in ("Soviet Union", "Russia", "China", "United States", "Japan", "South Korea", "India") if k in used
    ]
    order = first + [k for k in used if k not in first and k != OTHER] + ([OTHER] if OTHER in used else [])
    handles = [Line2D([], [], marker="o", linestyle="none", color=used[k], markersize=5, label=k) for k in order]
    a3.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.2), ncol=min(len(handles), 5))
    fig.tight_layout(h_pad=0.6)
    marks = pd.concat(
        [
            inside.assign(row=inside["kind"].map({"agreement": "Agreements", "event": "Events", "exercise": "Events"}))[
                ["row", "year", "partner", "milestone"]
            ],
            ed.assign(row="Exercise editions", partner=sole, milestone=ed["name"])[
                ["row", "year", "partner", "milestone"]
            ],
            o.assign(
                row="Arms orders", partner=o["supplier"], milestone=o["tiv_m"].map(lambda v: f"TIV {v:,.1f} million")
            )[["row", "year", "partner", "milestone"]],
        ],
        ignore_index=True,
    )
    charts.attach_data(
        fig,
        {
            "turning points": eras_table(shown),
            "real spending (US$ m, constant 2023)": r.rename("value").rename_axis("year").to_frame(),
            "UN personnel (monthly)": p.rename("value").rename_axis("month").to_frame(),
            "marks": marks,
        },
    )
    return fig


def source_ids(values) -> list[str]:
    """Distinct source ids from cells that may hold several ('dcad; art_growth')."""
    ids = set()
    for cell in values:
        ids.update(p.strip() for p in str(cell).split(";") if p.strip())
    return sorted(ids)
