"""Exercises: every known edition by series and year, partners per edition, types, and source coverage.

The ``exercises`` table is fed by several sources that cover different things:

* ``mme`` (Multinational Military Exercises, 1980-2010): exercises with Mongolia and all their
  participants, up to 2010 only;
* ``russia_exercises`` (a hand-coded list of Russia's joint exercises, 2009-2018): the
  Russian-Mongolian Darkhan/Selenga editions it lists;
* ``fmtr`` (US Foreign Military Training Reports): Khaan Quest editions whose foreign trainees the
  US paid for; a participant list from it is the US-funded countries only, not a full list;
* the articles: editions or series they name.

The same edition can come from several sources (``exercise_id`` is shared, e.g. ``khaan-quest-2008``):
:func:`editions` merges them into one row per edition and keeps the list of sources.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import numbers as _num, flags as _bool

SERIES_LABELS = {
    "khaan_quest": "Khaan Quest",
    "selenga": "Selenge / Selenga (Darkhan)",
    "tsentrazbat": "Centrasbat / Tsentrazbat",
    "cope_thunder": "Cope Thunder",
    "shanti": "Shanti Path / Shanti Doot",
    "cobra_gold": "Cobra Gold",
    "pirap_jabiru": "Pirap Jabiru",
    "other": "Other joint exercises",
    "single": "One-off exercises",
}
TYPE_LABELS = {
    "peacekeeping": "Peacekeeping",
    "counter_terrorism": "Counter-terrorism",
    "disaster_relief": "Disaster relief",
    "warfighting": "Warfighting",
    "other": "Not classified",
}
SOURCE_PRIORITY = ["mme", "russia_exercises", "fmtr"]  # which source's name/type/location wins when merging
HOME = "Mongolia"


def series_label(series: str) -> str:
    """Display name of a series id ('khaan_quest' -> 'Khaan Quest'); unknown ids are title-cased."""
    if not isinstance(series, str) or not series:
        return SERIES_LABELS["single"]
    return SERIES_LABELS.get(series, series.replace("_", " ").title())


def _rank(source_id: str) -> int:
    return SOURCE_PRIORITY.index(source_id) if source_id in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def editions(exercises: pd.DataFrame, participants: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per dated edition (``exercise_id``) merged over sources (rows without a year: :func:`undated`).

    Columns: exercise_id, name, series, series_label, year, type, host, multilateral, sources
    (';'-joined, sorted), n_sources, and with ``participants``: n_partners (distinct partner
    countries other than Mongolia over all sources; NaN when no source lists any) and partners.
    Name, type and host come from the first source in SOURCE_PRIORITY order (then others);
    a type 'other' is replaced by a classified type from another source when there is one.
    """
    df = exercises.copy()
    df["year"] = _num(df["year"])
    df = df[df["year"].notna()].copy()
    df["year"] = df["year"].astype(int)
    df["multilateral"] = _bool(df["multilateral"])
    df["_rank"] = df["source_id"].map(_rank)
    df = df.sort_values(["exercise_id", "_rank", "source_id"], kind="stable")
    rows = []
    for eid, g in df.groupby("exercise_id", sort=True):
        first = g.iloc[0]
        types = [t for t in g["type"] if isinstance(t, str) and t and t != "other"]
        hosts = [h for h in g["host"] if isinstance(h, str) and h]
        rows.append({
            "exercise_id": eid,
            "name": first["name"],
            "series": first["series"] if isinstance(first["series"], str) and first["series"] else "single",
            "year": int(first["year"]),
            "type": types[0] if types else (first["type"] or "other"),
            "host": hosts[0] if hosts else "",
            "multilateral": bool(g["multilateral"].any()),
            "sources": ";".join(sorted(set(g["source_id"]))),
            "n_sources": int(g["source_id"].nunique()),
        })
    out = pd.DataFrame(rows)
    out["series_label"] = out["series"].map(series_label)
    if participants is not None:
        p = participants[participants["partner"] != HOME]
        grouped = p.groupby("exercise_id")["partner"].agg(lambda s: sorted(set(s)))
        out["partners"] = out["exercise_id"].map(lambda e: "; ".join(grouped[e]) if e in grouped.index else "")
        out["n_partners"] = out["exercise_id"].map(lambda e: len(grouped[e]) if e in grouped.index else float("nan"))
    out = out.sort_values(["year", "series", "exercise_id"], kind="stable").reset_index(drop=True)
    return out


def undated(exercises: pd.DataFrame) -> pd.DataFrame:
    """Rows without a year: series or recurring exercises a source names without dating an edition."""
    df = exercises[_num(exercises["year"]).isna()].copy()
    df["series_label"] = df["series"].map(series_label)
    cols = ["exercise_id", "name", "series_label", "type", "host", "source_id", "locator"]
    return df[cols].sort_values(["series_label", "exercise_id"], kind="stable").reset_index(drop=True)


def series_order(ed: pd.DataFrame) -> list[str]:
    """Series labels ordered for the strip chart: most editions first, 'One-off exercises' last."""
    counts = ed.groupby("series_label")["exercise_id"].count()
    one_off = SERIES_LABELS["single"]
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
    """Editions per exercise type, split bilateral vs multinational (largest type first)."""
    t = ed.assign(kind=ed["multilateral"].map({True: "multinational", False: "bilateral or national"}))
    out = t.pivot_table(index="type", columns="kind", values="exercise_id", aggfunc="count", fill_value=0)
    for col in ("multinational", "bilateral or national"):
        if col not in out.columns:
            out[col] = 0
    out = out[["multinational", "bilateral or national"]]
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


def plot_editions(ed: pd.DataFrame, title: str | None = None):
    """Strip chart: one mark per dated edition, series on y, year on x.

    Marker shape = exercise type; filled = multinational, open = bilateral or national.
    Editions sharing a series and year are spread a little vertically.
    """
    from partnerships.analysis import charts

    order = series_order(ed)
    fig, ax = charts.new(height=0.9 + 0.36 * len(order))
    ypos = {s: len(order) - 1 - i for i, s in enumerate(order)}
    seen_types = []
    for (label, year), g in ed.groupby(["series_label", "year"], sort=True):
        n = len(g)
        step = 0.24 if n <= 3 else 0.2
        offsets = [(i - (n - 1) / 2) * step for i in range(n)]
        for off, (_, r) in zip(offsets, g.iterrows()):
            m = TYPE_MARKERS.get(r["type"], "o")
            filled = bool(r["multilateral"])
            ax.scatter(year, ypos[label] + off, marker=m, s=34, zorder=3,
                       facecolor=charts.PALETTE[0] if filled else "white", edgecolor=charts.PALETTE[0], linewidth=1.1)
            if r["type"] not in seen_types:
                seen_types.append(r["type"])
    ax.set_yticks([ypos[s] for s in order], order)
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="y", visible=True)
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    years = ed["year"]
    ax.set_xlim(years.min() - 1, years.max() + 1)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=TYPE_MARKERS.get(t, "o"), linestyle="", markerfacecolor=charts.PALETTE[0],
                      markeredgecolor=charts.PALETTE[0], label=TYPE_LABELS.get(t, t)) for t in sorted(seen_types, key=list(TYPE_MARKERS).index)]
    handles += [Line2D([], [], marker="h", linestyle="", markersize=8, markerfacecolor=charts.PALETTE[0], markeredgecolor=charts.PALETTE[0], label="filled: multinational"),
                Line2D([], [], marker="h", linestyle="", markersize=8, markerfacecolor="white", markeredgecolor=charts.PALETTE[0], label="open: bilateral or national")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3)
    charts.finish(ax, title, "Year", None)
    charts.attach_data(fig, ed[[c for c in ("series_label", "year", "type", "multilateral", "n_partners", "source_id") if c in ed.columns]].rename(columns={"series_label": "series"}))
    return fig


def plot_participants(table: pd.DataFrame, years: list[int], title: str | None, source_labels: dict[str, str]):
    """Grouped bars: partner countries per edition as each source lists them, and over all sources."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=3.4)
    cols = [c for c in table.columns if c != "all_sources"] + ["all_sources"]
    width = 0.8 / len(cols)
    x = list(range(len(table)))
    for i, c in enumerate(cols):
        vals = table[c]
        xs = [xi - 0.4 + width * (i + 0.5) for xi in x]
        ax.bar(xs, vals.fillna(0), width=width * 0.95, color=charts.PALETTE[i % len(charts.PALETTE)], edgecolor="white", linewidth=0.4,
               label=source_labels.get(c, c))
        for xi, v in zip(xs, vals):
            if pd.isna(v):
                ax.text(xi, 0.15, "–", ha="center", va="bottom", fontsize=charts.SMALL_PT, color="#555555")
            else:
                ax.text(xi, v + 0.15, f"{int(v)}", ha="center", va="bottom", fontsize=charts.SMALL_PT)
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_axisbelow(True)
    ax.set_ylim(0, max(table.max(numeric_only=True).max(), 1) * 1.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=len(cols))
    charts.finish(ax, title, "Khaan Quest edition (year)", "Partner countries listed")
    charts.attach_data(fig, table.rename(columns=source_labels).assign(edition_year=years)[["edition_year"] + [source_labels.get(c, c) for c in cols]])
    return fig
