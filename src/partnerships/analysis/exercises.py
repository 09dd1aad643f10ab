"""Exercises: every known edition by series and year, partners per edition, types, and source coverage.

The ``exercises`` table is fed by several sources that cover different things:

* ``mme`` (Multinational Military Exercises, 1980-2010): exercises with Mongolia and all their
  participants, up to 2010 only;
* ``russia_exercises`` (a hand-coded list of Russia's joint exercises, 2009-2018): the
  Russian-Mongolian Darkhan/Selenga editions it lists;
* ``fmtr`` (US Foreign Military Training Reports): Khaan Quest editions whose foreign trainees the
  US paid for; a participant list from it is the US-funded countries only, not a full list;
* the articles: editions or series they name.

**One definition of an edition, here.** An *edition* is one dated holding of an exercise
(a row with a year). Rows sharing an ``exercise_id`` are one edition reported by several
sources. Rows with different ids are also one edition when :func:`duplicates` finds them
to be the same exercise under two spellings or from two sources: the same year, the same
foreign participants, and overlapping dates (or, when a row has no dates, the same host).
:func:`edition_ids` maps every id to the edition it belongs to; :func:`editions` gives one
row per edition citing every source row; :func:`edition_participants` gives its
participants. Rows without a year (a series an article calls "annual") are not editions
(:func:`undated`). The partner metrics, the profiles, the timeline and the summary all count
editions through these functions, so a merge here changes every count at once.

**Multinational and bilateral.** An edition is *multinational* when the sources list more
than one foreign partner (Mongolia not counted), *bilateral or national* when they list
one; unknown ("participants not listed") when no source lists participants. A US training report
names the United States (the training country) for every edition it reports: that row says the
US took part, not who else did, so an edition whose only participant is such a reporting country
has its participants not listed, and its format is unknown, never bilateral
(:data:`REPORTING_COUNTRY`). The source's own ``multilateral`` coding is not used for counts.
Participant lists from US training reports are partial.

Series labels come from ``data/exercise_series.csv`` (one label table for the report).
"""

from __future__ import annotations

import functools

import pandas as pd

from partnerships import data
from partnerships.data import numbers as _num

TYPE_LABELS = {
    "peacekeeping": "Peacekeeping",
    "counter_terrorism": "Counter-terrorism",
    "disaster_relief": "Disaster relief",
    "warfighting": "Warfighting",
    "other": "Not classified",
}
TYPE_ORDER = list(TYPE_LABELS)  # main purpose when sources code an edition differently (MME's order of flags)
SOURCE_PRIORITY = ["mme", "russia_exercises", "fmtr"]  # which source's name and location win when merging
HOME = "Mongolia"
NO_SERIES = ("", "single", "other")  # series values that mean "not part of a series"
SAME_PARTICIPANTS = 0.75  # share of the longer participant list two rows must have in common to be one edition
#: Format of an edition by the number of foreign partners the sources list (Mongolia not counted):
#: bilateral or national (one), small multinational (two to SMALL_MAX), large multinational (more).
SMALL_MAX = 4
FORMATS = ["bilateral", "small", "large"]
UNLISTED = "unlisted"  # format of an edition whose participants no source lists
FORMAT_LABELS = {
    "bilateral": "bilateral or national (1 foreign partner)",
    "small": f"small multinational (2-{SMALL_MAX})",
    "large": f"large multinational ({SMALL_MAX + 1} or more)",
    UNLISTED: "participants not listed",
}
#: Sources that record their own country as a participant of every edition they report (a US
#: training report names the US as the training country): such a row does not list participants.
REPORTING_COUNTRY = {"fmtr": "United States"}


@functools.lru_cache(maxsize=1)
def _labels() -> pd.DataFrame:
    return data.load("exercise_series").set_index("series")


def series_label(series: str, short: bool = False) -> str:
    """Display name of a series id from data/exercise_series.csv ('selenga' -> 'Selenge / Selenga (Darkhan)',
    with ``short`` -> 'Selenga'); empty means a one-off exercise; an id missing from the table is title-cased."""
    if not isinstance(series, str) or not series:
        series = "single"
    labels = _labels()
    if series in labels.index:
        return str(labels.loc[series, "short" if short else "label"])
    return series.replace("_", " ").title()


def _rank(source_id: str) -> int:
    return SOURCE_PRIORITY.index(source_id) if source_id in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def _dated(exercises: pd.DataFrame) -> pd.DataFrame:
    """The rows with a year (year as int); optional columns a small table may lack are added empty."""
    df = exercises.copy()
    for col, default in (
        ("series", "single"),
        ("type", "other"),
        ("host", ""),
        ("start_date", ""),
        ("end_date", ""),
        ("locator", ""),
        ("source_id", ""),
    ):
        if col not in df:
            df[col] = default
    if "name" not in df:
        df["name"] = df["exercise_id"]
    df["year"] = _num(df["year"])
    df = df[df["year"].notna()].copy()
    df["year"] = df["year"].astype(int)
    return df


def _span(g: pd.DataFrame) -> tuple[str, str] | None:
    """(first, last) ISO date an id's rows give (a start without an end is a one-day span); None if undated."""
    starts = [d for d in g.get("start_date", pd.Series(dtype=object)) if isinstance(d, str) and d]
    ends = [d for d in g.get("end_date", pd.Series(dtype=object)) if isinstance(d, str) and d]
    if not starts and not ends:
        return None
    lo = min(starts or ends)
    hi = max(ends or starts)
    return lo, max(hi, lo)


def _foreign(participants: pd.DataFrame | None, eid: str) -> tuple[set[str], set[str]]:
    """(foreign partners other than Mongolia, those listed as host) of one id over all sources."""
    if participants is None or participants.empty:
        return set(), set()
    p = participants[(participants["exercise_id"] == eid) & (participants["partner"] != HOME)]
    hosts = set(p.loc[p.get("role", pd.Series("", index=p.index)).fillna("") == "host", "partner"])
    return set(p["partner"]), hosts


def duplicates(exercises: pd.DataFrame, participants: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of exercise ids that are one edition: ``kept, merged, year, reason`` (empty frame if none).

    Two dated ids are the same edition when they have the same year, list the same foreign
    participants (Mongolia and the host country left out; at least :data:`SAME_PARTICIPANTS` of
    the longer list in common, since open-source lists of one exercise rarely agree exactly),
    and either their dates overlap or, if one of them has no dates, they name the same host. The kept id is the one
    whose edition starts first (then by source priority, then id).
    """
    df = _dated(exercises)
    info = {}
    for eid, g in df.groupby("exercise_id", sort=True):
        partners, hosts = _foreign(participants, eid)
        host = {h for h in g["host"].fillna("") if h} if "host" in g else set()
        info[eid] = {
            "year": int(g["year"].iloc[0]),
            "span": _span(g),
            "partners": partners,
            "hosts": hosts | host,
            "rank": min(_rank(s) for s in g["source_id"]),
        }
    ids = sorted(info, key=lambda e: (info[e]["year"], (info[e]["span"] or ("9999",))[0], info[e]["rank"], e))
    rows, taken = [], {}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            A, B = info[a], info[b]
            if A["year"] != B["year"] or b in taken:
                continue
            hosts = A["hosts"] | B["hosts"]
            pa, pb = A["partners"] - hosts, B["partners"] - hosts
            common = pa & pb
            if not common or len(common) < SAME_PARTICIPANTS * max(len(pa), len(pb)):
                continue
            if A["span"] and B["span"]:
                if not (A["span"][0] <= B["span"][1] and B["span"][0] <= A["span"][1]):
                    continue
                reason = (
                    f"same year, overlapping dates ({A['span'][0]} to {A['span'][1]}; {B['span'][0]} to {B['span'][1]})"
                )
            elif A["hosts"] and A["hosts"] == B["hosts"]:
                reason = f"same year, same host ({', '.join(sorted(A['hosts']))})"
            else:
                continue
            keep = taken.get(a, a)
            taken[b] = keep
            same = "the same" if pa == pb else f"{len(common)} of {max(len(pa), len(pb))} in common:"
            rows.append(
                {
                    "kept": keep,
                    "merged": b,
                    "year": A["year"],
                    "reason": f"{reason}; foreign participants other than the host: {same} {len(pa)} and {len(pb)} listed",
                }
            )
    return pd.DataFrame(rows, columns=["kept", "merged", "year", "reason"])


def edition_ids(exercises: pd.DataFrame, participants: pd.DataFrame | None = None) -> dict[str, str]:
    """exercise_id -> the id of the edition it belongs to (itself unless :func:`duplicates` merges it)."""
    out = {e: e for e in exercises["exercise_id"]}
    for r in duplicates(exercises, participants).itertuples():
        out[r.merged] = r.kept
    return out


def edition_participants(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Participants per *edition* (duplicates merged): one row per (edition id, partner), Mongolia left out.

    Columns: exercise_id (the edition's id), partner, role (host if any source says so), source_id and
    locator (every source row naming the partner, '; '-joined), listed (False for every row of an
    edition whose only participant rows are a reporting country's own, :data:`REPORTING_COUNTRY`:
    its participants are not listed).
    """
    ids = edition_ids(exercises, participants)
    p = participants[participants["partner"] != HOME].copy()
    p["exercise_id"] = p["exercise_id"].map(lambda e: ids.get(e, e))
    for col, default in (("role", "participant"), ("source_id", ""), ("locator", "")):
        if col not in p:
            p[col] = default
    if p.empty:
        return pd.DataFrame(columns=["exercise_id", "partner", "role", "source_id", "locator", "listed"])
    own = [REPORTING_COUNTRY.get(s) == c for s, c in zip(p["source_id"], p["partner"])]
    listing = set(p.loc[[not o for o in own], "exercise_id"])
    g = p.groupby(["exercise_id", "partner"], sort=True)
    out = pd.DataFrame(
        {
            "role": g["role"].agg(
                lambda r: (
                    "host" if (r == "host").any() else ("participant" if (r == "participant").any() else r.iloc[0])
                )
            ),
            "source_id": g["source_id"].agg(lambda x: "; ".join(sorted(set(x)))),
            "locator": g["locator"].agg(lambda x: "; ".join(dict.fromkeys(map(str, x)))),
        }
    ).reset_index()
    out["listed"] = out["exercise_id"].isin(listing)
    return out


def editions(exercises: pd.DataFrame, participants: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per dated edition, merged over sources and duplicate ids (rows without a year: :func:`undated`).

    Columns: exercise_id (the edition's id), merged_ids (other ids merged into it), name, series,
    series_label, year, type, host, sources (';'-joined, sorted), n_sources, locators
    ('source: locator; ...' for every source row), and with ``participants``: n_partners (distinct
    partner countries other than Mongolia over all sources; NaN when no source lists them, including
    an edition whose only participant is a reporting country, :data:`REPORTING_COUNTRY`), partners,
    and multinational (n_partners > 1; NA when unknown). Name and location come from the first
    source in SOURCE_PRIORITY order; the type is the first coded type in :data:`TYPE_ORDER`
    ('other' gives way to any classified type); host from the first source naming one.
    """
    df = _dated(exercises)
    ids = edition_ids(exercises, participants)
    df["edition"] = df["exercise_id"].map(ids)
    df["_rank"] = df["source_id"].map(_rank)
    df["_start"] = df["start_date"].fillna("") if "start_date" in df else ""
    df = df.sort_values(["edition", "_rank", "source_id", "_start", "exercise_id"], kind="stable")
    rows = []
    for eid, g in df.groupby("edition", sort=True):
        kept = g[g["exercise_id"] == eid]
        first = (kept if len(kept) else g).iloc[0]
        types = [t for t in g["type"] if isinstance(t, str) and t and t != "other"]
        hosts = [h for h in g["host"] if isinstance(h, str) and h]
        rows.append(
            {
                "exercise_id": eid,
                "merged_ids": ";".join(sorted(set(g["exercise_id"]) - {eid})),
                "name": first["name"],
                "series": first["series"] if isinstance(first["series"], str) and first["series"] else "single",
                "year": int(first["year"]),
                "type": min(types, key=TYPE_ORDER.index) if types else "other",
                "host": hosts[0] if hosts else "",
                "sources": ";".join(sorted(set(g["source_id"]))),
                "n_sources": int(g["source_id"].nunique()),
                "locators": "; ".join(
                    f"{s}: {loc}" for s, loc in dict.fromkeys(zip(g["source_id"], g["locator"].astype(str)))
                ),
            }
        )
    out = pd.DataFrame(rows)
    out["series_label"] = out["series"].map(series_label)
    if participants is not None:
        ep = edition_participants(exercises, participants)
        grouped = ep.groupby("exercise_id")["partner"].agg(lambda s: sorted(set(s)))
        listed = set(ep.loc[ep["listed"], "exercise_id"])
        out["partners"] = out["exercise_id"].map(lambda e: "; ".join(grouped[e]) if e in grouped.index else "")
        out["n_partners"] = out["exercise_id"].map(lambda e: len(grouped[e]) if e in listed else float("nan"))
        out["multinational"] = out["n_partners"].map(lambda n: pd.NA if pd.isna(n) else bool(n > 1)).astype("boolean")
    out = out.sort_values(["year", "series", "exercise_id"], kind="stable").reset_index(drop=True)
    return out


def multinational_share(ed: pd.DataFrame) -> float:
    """Percent of the editions with known participants that are multinational (more than one foreign partner)."""
    known = ed["multinational"].dropna()
    return float(known.astype(bool).mean() * 100) if len(known) else float("nan")


def edition_format(n_partners) -> str | None:
    """'bilateral' (one foreign partner listed), 'small' (2 to :data:`SMALL_MAX`), 'large' (more); None if unknown.

    The same split as :func:`editions`' ``multinational`` (more than one foreign partner), with the
    multinational editions divided by size: being one of twenty nations at an exercise is
    co-attendance, not a bilateral tie."""
    if n_partners is None or pd.isna(n_partners) or n_partners < 1:
        return None
    if n_partners == 1:
        return "bilateral"
    return "small" if n_partners <= SMALL_MAX else "large"


def partner_formats(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Per foreign partner: dated editions it shares with Mongolia by format (bilateral, small, large,
    and :data:`UNLISTED` when the sources name the partner but do not list the edition's participants)
    and in total; most editions first, then most bilateral, then name. Duplicates merged, undated rows
    left out (:func:`editions`)."""
    cols = FORMATS + [UNLISTED]
    ed = editions(exercises, participants)
    fmt = ed.set_index("exercise_id")["n_partners"].map(lambda n: edition_format(n) or UNLISTED)
    ep = edition_participants(exercises, participants)
    ep = ep[ep["exercise_id"].isin(fmt.index)].assign(format=lambda d: d["exercise_id"].map(fmt))
    if ep.empty:
        return pd.DataFrame(columns=cols + ["total"]).rename_axis("partner")
    out = ep.pivot_table(index="partner", columns="format", values="exercise_id", aggfunc="count", fill_value=0)
    for f in cols:
        if f not in out.columns:
            out[f] = 0
    out = out[cols].astype(int)
    out["total"] = out.sum(axis=1)
    out.columns.name = None
    out = out.reset_index().sort_values(
        ["total", "bilateral", "partner"], ascending=[False, False, True], kind="stable"
    )
    return out.set_index("partner")


def format_counts(ed: pd.DataFrame) -> pd.Series:
    """Dated editions per format (bilateral, small, large, then :data:`UNLISTED`: no source lists the
    participants), zeros kept."""
    fmt = ed["n_partners"].map(lambda n: edition_format(n) or UNLISTED)
    return fmt.value_counts().reindex(FORMATS + [UNLISTED], fill_value=0).astype(int)


def series_spans(ed: pd.DataFrame) -> pd.DataFrame:
    """Per named series: first and last dated edition (min, max), span (max - min, in years) and
    editions (count); widest span first (ties: more editions, then the earlier start)."""
    named = ed[~ed["series"].isin(NO_SERIES)]
    g = named.groupby("series")["year"].agg(["min", "max", "count"]).astype(int)
    g["span"] = g["max"] - g["min"]
    return g.sort_values(["span", "count", "min"], ascending=[False, False, True], kind="stable")


def _series_dict(g: pd.DataFrame, best: str) -> dict:
    r = g.loc[best]
    return {
        "series": best,
        "label": series_label(best),
        "short": series_label(best, short=True),
        "first": int(r["min"]),
        "last": int(r["max"]),
        "span": int(r["span"]),
        "editions": int(r["count"]),
    }


def oldest_series(ed: pd.DataFrame) -> dict:
    """The recurring named series (two or more dated editions) with the earliest dated edition (ties:
    the wider span), as :func:`longest_running`."""
    g = series_spans(ed)
    g = g[g["count"] > 1]
    return _series_dict(g, g.sort_values(["min", "span"], ascending=[True, False], kind="stable").index[0])


def longest_running(ed: pd.DataFrame) -> dict:
    """The named series whose dated editions span the most years, first to last dated edition:
    {series, label, short, first, last, span, editions}.

    Ties go to the series with more editions, then the earlier start. The span is that of the
    *dated* editions: a series the sources stop dating early (no source covering it) looks shorter
    than it is, so compare with :func:`oldest_series` before calling one series the longest-running.
    """
    g = series_spans(ed)
    return _series_dict(g, g.index[0])


def series_gaps(ed: pd.DataFrame, series: str) -> list[int]:
    """Years between a series' first and last dated edition in which no source dates an edition."""
    years = set(ed.loc[ed["series"] == series, "year"].astype(int))
    if not years:
        return []
    return [y for y in range(min(years), max(years) + 1) if y not in years]


ANNUAL_WORDS = r"\bannual|every year|each year|annually"


def annual_sources(claims: pd.DataFrame, names: list[str]) -> list[str]:
    """Source ids (sorted) of the exercise claims that call a series annual: the statement names the
    series (any of ``names``, case-insensitive) and the quoted words say annual / every year."""
    c = claims[claims["topic"] == "exercises"]
    named = c["statement"].str.contains("|".join(names), case=False, regex=True)
    annual = c["quote"].str.contains(ANNUAL_WORDS, case=False, regex=True) | c["statement"].str.contains(
        ANNUAL_WORDS, case=False, regex=True
    )
    return sorted(set(c.loc[named & annual, "source_id"]))


def undated(exercises: pd.DataFrame) -> pd.DataFrame:
    """Rows without a year: series or recurring exercises a source names without dating an edition."""
    df = exercises[_num(exercises["year"]).isna()].copy()
    df["series_label"] = df["series"].map(series_label)
    cols = ["exercise_id", "name", "series_label", "type", "host", "source_id", "locator"]
    return df[cols].sort_values(["series_label", "exercise_id"], kind="stable").reset_index(drop=True)


def series_order(ed: pd.DataFrame) -> list[str]:
    """Series labels ordered for the strip chart: most editions first, 'One-off exercises' last."""
    counts = ed.groupby("series_label")["exercise_id"].count()
    one_off = series_label("single")
    named = sorted((s for s in counts.index if s != one_off), key=lambda s: (-counts[s], s))
    return named + ([one_off] if one_off in counts.index else [])


def participants_by_source(participants: pd.DataFrame, series_editions: pd.DataFrame) -> pd.DataFrame:
    """For the given editions: distinct partner countries (other than Mongolia) per edition and source.

    Returns a table indexed by exercise_id (in ``series_editions`` order) with one column per
    source and a column ``all_sources`` (distinct partners over all sources). NaN = that source
    does not list the edition's participants.
    """
    ids = list(series_editions["exercise_id"])
    p = participants[(participants["exercise_id"].isin(ids)) & (participants["partner"] != HOME)]
    per_source = p.groupby(["exercise_id", "source_id"])["partner"].nunique().unstack()
    per_source["all_sources"] = p.groupby("exercise_id")["partner"].nunique()
    per_source = per_source.reindex(ids)
    per_source.columns.name = None
    return per_source


def type_counts(ed: pd.DataFrame) -> pd.DataFrame:
    """Editions per exercise type, split multinational vs bilateral or national as :func:`editions` defines them
    (a third column, 'participants not listed', appears only when some edition lists none); largest type first."""
    unknown = "participants not listed"
    kind = ed["multinational"].map(
        lambda v: unknown if pd.isna(v) else ("multinational" if v else "bilateral or national")
    )
    t = ed.assign(kind=kind)
    out = t.pivot_table(index="type", columns="kind", values="exercise_id", aggfunc="count", fill_value=0)
    cols = ["multinational", "bilateral or national"] + ([unknown] if unknown in out.columns else [])
    for col in cols:
        if col not in out.columns:
            out[col] = 0
    out = out[cols]
    out["total"] = out.sum(axis=1)
    out = out.sort_values(["total"], ascending=False, kind="stable")
    out.index = [TYPE_LABELS.get(i, i) for i in out.index]
    out.index.name = "type"
    out.columns.name = None
    return out


def source_coverage(exercises: pd.DataFrame) -> pd.DataFrame:
    """What each source covers (one row per source): rows, dated editions, first and last year, series.

    ``rows`` counts every row of the source, ``editions`` only those with a year.
    """
    df = exercises.copy()
    df["year"] = _num(df["year"])
    g = df.groupby("source_id").agg(
        rows=("exercise_id", "size"),
        editions=("year", "count"),
        first_year=("year", "min"),
        last_year=("year", "max"),
        series=("series", lambda s: ", ".join(sorted({series_label(x) for x in s}))),
    )
    return g.sort_values(["first_year", "editions"], kind="stable").reset_index()


# --------------------------------------------------------------------------- charts

TYPE_MARKERS = {"peacekeeping": "o", "warfighting": "s", "counter_terrorism": "^", "disaster_relief": "D", "other": "v"}


def format_colour(fmt: str | None) -> str:
    """The colour of an edition format in every exercise chart: darker = fewer partners, closer tie."""
    from partnerships.analysis import charts

    return {"bilateral": charts.SHADES[4], "small": charts.SHADES[2], "large": charts.SHADES[0]}.get(fmt, charts.LIGHT)


def plot_editions(ed: pd.DataFrame, title: str | None = None):
    """Strip chart: one mark per dated edition, series on y, year on x. Marker shape = exercise type;
    colour = format (:func:`edition_format`). Editions sharing a series and year are spread a little
    (vertically, in two columns when more than three)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from partnerships.analysis import charts

    order = series_order(ed)
    fig, ax = charts.new(height=0.9 + 0.32 * len(order))
    ypos = {s: len(order) - 1 - i for i, s in enumerate(order)}
    seen_types = []
    for (label, year), g in ed.groupby(["series_label", "year"], sort=True):
        n = len(g)
        # up to three editions stack vertically; more go in two columns (marks never overlap)
        cols = 1 if n <= 3 else 2
        rows = -(-n // cols)
        spots = [((i % cols - (cols - 1) / 2) * 0.45, (i // cols - (rows - 1) / 2) * 0.26) for i in range(n)]
        for (dx, off), (_, r) in zip(spots, g.iterrows()):
            fmt = edition_format(r.get("n_partners"))
            ax.scatter(
                year + dx,
                ypos[label] + off,
                marker=TYPE_MARKERS.get(r["type"], "o"),
                s=36,
                zorder=3,
                facecolor=format_colour(fmt),
                edgecolor=charts.INK,
                linewidth=0.6,
            )
            if r["type"] not in seen_types:
                seen_types.append(r["type"])
    ax.set_yticks([ypos[s] for s in order], order)
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    years = ed["year"]
    ax.set_xlim(years.min() - 1, years.max() + 1)
    handles = [
        Line2D(
            [],
            [],
            marker=TYPE_MARKERS.get(t, "o"),
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=charts.INK,
            label=TYPE_LABELS.get(t, t),
        )
        for t in sorted(seen_types, key=list(TYPE_MARKERS).index)
    ]
    shown = FORMATS + ([UNLISTED] if "n_partners" in ed and ed["n_partners"].isna().any() else [])
    handles += [
        Patch(facecolor=format_colour(f), edgecolor=charts.INK, linewidth=0.6, label=FORMAT_LABELS[f]) for f in shown
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=2)
    charts.finish(ax, title, "Year", None)
    charts.attach_data(
        fig,
        ed[[c for c in ("year", "name", "series_label", "type", "host", "n_partners") if c in ed.columns]]
        .assign(format=ed["n_partners"].map(edition_format) if "n_partners" in ed else None)
        .rename(columns={"series_label": "series"}),
    )
    return fig


def plot_partner_formats(pf: pd.DataFrame, title: str | None = None):
    """Horizontal stacked bars: editions each partner shared with Mongolia, by format (bilateral first)."""
    from partnerships.analysis import charts

    t = pf.iloc[::-1]
    fig, ax = charts.new(height=0.7 + 0.17 * len(t))
    left = pd.Series(0.0, index=t.index)
    for f in FORMATS + ([UNLISTED] if UNLISTED in t and t[UNLISTED].any() else []):
        ax.barh(
            t.index,
            t[f],
            left=left,
            color=format_colour(f),
            edgecolor=charts.INK,
            linewidth=0.4,
            height=0.68,
            label=FORMAT_LABELS[f],
        )
        left = left + t[f]
    for y, v in enumerate(t["total"]):
        ax.text(v + 0.2, y, f"{int(v)}", va="center", fontsize=charts.SMALL_PT)
    ax.set_xlim(0, float(t["total"].max()) * 1.1 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower right")
    charts.finish(ax, title, "Dated exercise editions shared with Mongolia", None)
    charts.attach_data(fig, pf.rename_axis("partner"))
    return fig
