"""Sources and discrepancies: what each source contributed, how its claims fared, what no source covers.

Everything here works on a dict ``{table name: DataFrame}`` (see :func:`load_all`), so
tests can pass small frames. Which columns cite a source is read from the table's
schema (its foreign keys to ``sources.source_id``); a table without a schema falls back
to its ``source_id`` column.

Sources are of three kinds, by the id convention of ``data/sources.csv``: the two
articles (``art_*``), fact-check pages (``fc_*``) and datasets (everything else).
"""

from __future__ import annotations

import re

import pandas as pd

from partnerships import data

VERDICTS = ["supported", "partly_supported", "contradicted", "unverifiable", "not_checked"]

# What each table records, in words (used to name coverage gaps). A table missing here
# is named by its file name.
TABLE_TOPICS = {
    "agreements": "defence cooperation agreements signed",
    "alliances": "alliance treaty obligations",
    "armed_forces": "armed forces personnel",
    "arms_tiv_by_year": "arms imports by supplier and year (TIV)",
    "arms_transfers": "arms deals (orders and deliveries)",
    "exercises": "military exercise editions",
    "exercise_participants": "exercise participants",
    "military_expenditure": "military expenditure",
    "pk_deployments": "locations of Mongolian UN peacekeeping units",
    "pk_missions": "UN peacekeeping contributions by mission",
    "pk_monthly": "UN peacekeeping head-counts (troops, police, experts)",
    "us_training": "US training of Mongolian personnel",
    "us_troops": "US troops stationed in Mongolia",
    "events": "dated events",
    "deployments": "operations abroad",
}

# Columns that hold a year (or an ISO date starting with one), in order of preference.
YEAR_COLUMNS = ["date", "year", "fiscal_year", "year_from", "year_to", "order_year", "start_year", "end_year"]

# Tables that only describe sources or names (not facts about Mongolia): left out of coverage.
REFERENCE_TABLES = {"sources", "partners", "country_aliases", "cow_codes", "article_paragraphs", "exercise_series"}
# Tables that list sources or index them (the articles' paragraphs): not counted as contributions.
INDEX_TABLES = {"sources", "article_paragraphs"}


def source_kind(source_id: str) -> str:
    """'article', 'fact-check' or 'dataset', from the id convention of data/sources.csv."""
    if source_id.startswith("art_"):
        return "article"
    if source_id.startswith("fc_"):
        return "fact-check"
    return "dataset"


def source_columns(name: str, df: pd.DataFrame) -> dict[str, bool]:
    """Columns of table ``name`` that cite sources -> True if the column holds ';'-separated lists.

    Read from the table's schema (foreign keys to sources.source_id); without a schema,
    the ``source_id`` column if present.
    """
    try:
        from partnerships.data import schemas

        spec = schemas.get(name)
    except (KeyError, ImportError):
        spec = None
    cols: dict[str, bool] = {}
    if spec is not None:
        for col, target in spec.foreign_keys.items():
            if target == ("sources", "source_id") and col in df:
                cols[col] = False
        for col, target in spec.multi_foreign_keys.items():
            if target == ("sources", "source_id") and col in df:
                cols[col] = True
    if not cols and "source_id" in df:
        cols["source_id"] = False
    return dict(sorted(cols.items(), key=lambda kv: (kv[0] != "source_id", kv[0])))


def _split(cell) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [p.strip() for p in cell.split(";") if p.strip()]


def contributions(tables: dict[str, pd.DataFrame], columns: dict[str, dict[str, bool]] | None = None) -> pd.DataFrame:
    """Rows citing each source, per table and column: ``table, column, source_id, rows``.

    Every table is scanned (``columns`` overrides :func:`source_columns` per table). A row
    citing a source twice in one column counts once. Sorted by table, column, source.
    """
    out = []
    for name in sorted(tables):
        if name in INDEX_TABLES:  # lists of sources or an index of them: not contributions
            continue
        df = tables[name]
        cols = (columns or {}).get(name) or source_columns(name, df)
        for col, multi in cols.items():
            if multi:
                ids = df[col].map(lambda c: sorted(set(_split(c))))
                ids = ids.explode().dropna()
            else:
                ids = df[col].dropna().astype(str).str.strip()
            ids = ids[ids != ""]
            for sid, n in ids.value_counts().sort_index().items():
                out.append({"table": name, "column": col, "source_id": sid, "rows": int(n)})
    return pd.DataFrame(out, columns=["table", "column", "source_id", "rows"])


def per_source(contrib: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source in ``sources``: kind, rows it is the source of, tables, rows citing it otherwise.

    ``rows`` counts the ``source_id`` column (the fact's own source); ``also cited`` counts
    other columns (e.g. ``checked_against`` of claims, ``source_b`` of conflicts). Sorted
    by rows (descending), then id. Sources nothing cites get 0.
    """
    own = contrib[contrib["column"] == "source_id"]
    other = contrib[contrib["column"] != "source_id"]
    rows = own.groupby("source_id")["rows"].sum()
    also = other.groupby("source_id")["rows"].sum()
    tabs = own.groupby("source_id")["table"].agg(lambda t: ", ".join(sorted(set(t))))
    ids = sources["source_id"].astype(str).tolist()
    out = pd.DataFrame(
        {
            "source_id": ids,
            "kind": [source_kind(i) for i in ids],
            "rows": [int(rows.get(i, 0)) for i in ids],
            "tables": [tabs.get(i, "") for i in ids],
            "also cited": [int(also.get(i, 0)) for i in ids],
        }
    )
    return out.sort_values(["rows", "source_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


# Data files that are not tables (no rows to cite a source), with the source each is made from and
# what the report uses it for. A source that only such a file cites is used, not uncited.
DATA_FILES = {"geo/world.geojson": ("world_atlas", "the country shapes of the maps")}


def uncited(contrib: pd.DataFrame, sources: pd.DataFrame, files: dict | None = None) -> list[str]:
    """Source ids listed in sources.csv that no table cites in any column and no data file (:data:`DATA_FILES`) comes from."""
    cited = set(contrib["source_id"]) | {sid for sid, _ in (DATA_FILES if files is None else files).values()}
    return sorted(s for s in sources["source_id"].astype(str) if s not in cited)


def file_only_sources(contrib: pd.DataFrame, files: dict | None = None) -> dict[str, str]:
    """Sources cited by no table row but used through a data file: source id -> what the report uses it for."""
    cited = set(contrib["source_id"])
    return {sid: use for sid, use in (DATA_FILES if files is None else files).values() if sid not in cited}


def verdicts_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per source and verdict: one row per source, a column per verdict (in :data:`VERDICTS` order) and a total."""
    ct = pd.crosstab(claims["source_id"], claims["verdict"])
    ct = ct.reindex(columns=VERDICTS, fill_value=0)
    ct = ct.loc[:, (ct.sum() > 0) | ct.columns.isin(["supported", "contradicted"])]
    ct["total"] = ct.sum(axis=1)
    ct = ct.sort_values(["total"], ascending=False, kind="mergesort")
    ct.columns.name = None
    return ct.reset_index().astype({c: int for c in ct.columns})


def tags_of(cell) -> str:
    """Source ids (a ';'-separated cell or one id) as their tags ("Article A; DCAD"), in the
    order given; an id not in data/sources.csv is shown as it is."""
    out = []
    for i in _split(cell):
        try:
            out.append(data.tag(i))
        except KeyError:
            out.append(i)
    return "; ".join(out)


VERDICT_WORDS = {
    "supported": "supported",
    "partly_supported": "partly supported",
    "contradicted": "contradicted",
    "unverifiable": "cannot be verified",
    "not_checked": "not checked",
}


def claims_register(claims: pd.DataFrame) -> pd.DataFrame:
    """Every claim the report records from the articles, with its verdict and what it was
    checked against: claim | article | where | topic | what the article says | verdict | checked against."""
    c = claims.sort_values(["source_id", "claim_id"], kind="mergesort")
    return pd.DataFrame(
        {
            "claim": c["claim_id"],
            "article": c["source_id"].map(tags_of),
            "where": c["locator"],
            "topic": c["topic"] if "topic" in c else "",
            "what the article says": c["statement"],
            "verdict": c["verdict"].map(lambda v: VERDICT_WORDS.get(v, str(v).replace("_", " "))),
            "checked against": c["checked_against"].fillna("").map(tags_of),
        }
    ).reset_index(drop=True)


def contradicted(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims found wrong: claim, source, locator, what the source says, checked against, note."""
    c = claims[claims["verdict"] == "contradicted"].sort_values("claim_id", kind="mergesort")
    return pd.DataFrame(
        {
            "claim": c["claim_id"],
            "source": c["source_id"].map(tags_of),
            "where": c["locator"],
            "what the source says": c["statement"],
            "checked against": c["checked_against"].fillna("").map(tags_of),
            "what the check found": c["note"].fillna("") if "note" in c else "",
        }
    ).reset_index(drop=True)


def conflicts_view(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Every conflict with both sides and the resolution, ready for a wrapped-text table."""
    c = conflicts.sort_values("conflict_id", kind="mergesort")
    return pd.DataFrame(
        {
            "conflict": c["conflict_id"],
            "topic": c["topic"],
            "one side": c["side_a"] + " [" + c["source_a"].map(tags_of) + "]",
            "other side": c["side_b"] + " [" + c["source_b"].map(tags_of) + "]",
            "resolution": c["resolution"],
            "status": c["status"],
            "confidence": c["confidence"].fillna("") if "confidence" in c else "",
        }
    ).reset_index(drop=True)


def conflict_source_ids(conflicts: pd.DataFrame) -> list[str]:
    """All source ids on either side of the conflicts."""
    ids = set(conflicts["source_a"].astype(str))
    for cell in conflicts["source_b"]:
        ids.update(_split(cell))
    return sorted(i for i in ids if i)


# --- coverage -------------------------------------------------------------------------


def _years(df: pd.DataFrame) -> pd.DataFrame:
    """Per row: the smallest and largest year in its year/date columns (NaN if none)."""
    cols = [c for c in YEAR_COLUMNS if c in df]
    if not cols:
        return pd.DataFrame({"first": pd.Series(float("nan"), index=df.index), "last": float("nan")})
    ys = pd.concat(
        [pd.to_numeric(df[c].astype(str).str.extract(r"^(\d{4})", expand=False), errors="coerce") for c in cols], axis=1
    )
    return pd.DataFrame({"first": ys.min(axis=1), "last": ys.max(axis=1)})


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Years each source covers in each fact table: ``table, source_id, kind, rows, first, last, last_date``.

    ``first``/``last`` are the smallest/largest year in the row's year and date columns
    (:data:`YEAR_COLUMNS`); ``last_date`` is the latest value of a ``date`` column (e.g.
    '2014-03-31'), empty if the table has none. Rows without any year are counted but do
    not move the range. Reference tables (sources, partners, ...) are skipped.
    """
    out = []
    for name in sorted(tables):
        df = tables[name]
        if name in REFERENCE_TABLES or "source_id" not in df:
            continue
        yrs = _years(df)
        for sid in sorted(df["source_id"].dropna().astype(str).unique()):
            mask = df["source_id"].astype(str) == sid
            y = yrs[mask]
            last_date = ""
            if "date" in df:
                dates = df.loc[mask, "date"].dropna().astype(str)
                dates = dates[dates.str.match(r"^\d{4}")]
                last_date = dates.max() if len(dates) else ""
            first, last = y["first"].min(), y["last"].max()
            out.append(
                {
                    "table": name,
                    "source_id": sid,
                    "kind": source_kind(sid),
                    "rows": int(mask.sum()),
                    "first": None if pd.isna(first) else int(first),
                    "last": None if pd.isna(last) else int(last),
                    "last_date": last_date,
                }
            )
    cov = pd.DataFrame(out, columns=["table", "source_id", "kind", "rows", "first", "last", "last_date"])
    for c in ("first", "last"):
        cov[c] = cov[c].astype("Int64")
    return cov


def horizon(sources: pd.DataFrame) -> int:
    """The last full year before the newest source here was published (what the data could cover)."""
    years = pd.to_numeric(sources["published"].astype(str).str.extract(r"^(\d{4})", expand=False), errors="coerce")
    return int(years.max()) - 1


# Tables that hold series from datasets (where a last year means the series stops).
GAP_TABLES = (
    "agreements",
    "alliances",
    "armed_forces",
    "arms_tiv_by_year",
    "arms_transfers",
    "exercises",
    "military_expenditure",
    "pk_deployments",
    "pk_missions",
    "pk_monthly",
    "us_training",
    "us_troops",
)


def gaps(cov: pd.DataFrame, until: int, stated: pd.DataFrame | None = None, tables=GAP_TABLES) -> pd.DataFrame:
    """Coverage gaps: each dataset series in ``tables`` whose last year is before ``until``.

    One row per dataset, in its main table (where it has most rows): what the table records, the years the dataset's rows
    span (the last month for monthly tables), the missing years up to ``until``, whether
    another dataset in the same table reaches later, and what articles or fact-checks add
    after it. ``stated`` (the curated ``coverage_gaps`` table) adds the coverage its
    producer states for the dataset (``covered_until``), which can be later than the last
    row (a dataset covering to 2010 may have no Mongolian row after 2008). Sorted by the
    dataset's last year, then table.
    """
    stated_until = {}
    if stated is not None and len(stated):
        st = stated.assign(_u=pd.to_numeric(stated["covered_until"], errors="coerce")).dropna(subset=["_u"])
        stated_until = st.groupby("source_id")["_u"].max().astype(int).to_dict()
    out = []
    ds = cov[(cov["kind"] == "dataset") & cov["last"].notna() & cov["table"].isin(tables)]
    # each dataset is judged in its main table (the one where it has most rows): FMTR's few
    # exercise rows do not make it an exercise dataset
    ds = ds.sort_values(["rows", "table"], ascending=[False, True], kind="mergesort").drop_duplicates("source_id")
    for r in ds.itertuples(index=False):
        if r.last >= until:
            continue
        same = cov[(cov["table"] == r.table) & (cov["source_id"] != r.source_id) & cov["last"].notna()]
        later = same[same["last"] > r.last]
        later_ds = later[later["kind"] == "dataset"]
        later_other = later[later["kind"] != "dataset"]

        def _txt(rows):
            return "; ".join(
                f"{x.source_id}: {x.rows} row{'s' if x.rows != 1 else ''} to {x.last}" for x in rows.itertuples()
            )

        last_txt = r.last_date[:7] if r.last_date and r.table == "pk_monthly" else str(r.last)
        out.append(
            {
                "what": TABLE_TOPICS.get(r.table, r.table),
                "table": r.table,
                "dataset": r.source_id,
                "rows span": f"{r.first}–{last_txt}",
                "last": int(r.last),
                "stated coverage to": str(stated_until[r.source_id]) if r.source_id in stated_until else "",
                "missing years": f"{r.last + 1}–{until}" if r.last + 1 < until else str(until),
                "n_missing": int(until - r.last),
                "later datasets": _txt(later_ds) or "none",
                "later article or fact-check rows": _txt(later_other) or "none",
            }
        )
    cols = [
        "what",
        "table",
        "dataset",
        "rows span",
        "last",
        "stated coverage to",
        "missing years",
        "n_missing",
        "later datasets",
        "later article or fact-check rows",
    ]
    g = pd.DataFrame(out, columns=cols)
    return g.sort_values(["last", "table", "dataset"], kind="mergesort").reset_index(drop=True)


# Tables whose series another table can confirm in the gap years: table -> (other table, column of
# years in it, what those years are). A dataset series that stops before its stated coverage while
# the other table records events in the missing years is a copy that stops, not a quiet Mongolia.
CONFIRMED_BY = {"arms_tiv_by_year": ("arms_transfers", "delivery_years", "deliveries")}


def after_last_row(tables: dict[str, pd.DataFrame], table: str, last: int) -> tuple[str, str, list[int]] | None:
    """(other table's source id, what, years after ``last``) that another table records for ``table``'s subject."""
    if table not in CONFIRMED_BY or CONFIRMED_BY[table][0] not in tables:
        return None
    other, col, what = CONFIRMED_BY[table]
    df = tables[other]
    years = sorted(
        {int(y) for cell in df[col].fillna("").astype(str) for y in re.findall(r"\d{4}", cell) if int(y) > last}
    )
    if not years:
        return None
    return ";".join(sorted(set(df["source_id"].astype(str)))), what, years


def short_coverage_text(gaps_: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[str]:
    """For each dataset whose last row is earlier than its stated coverage, why: the copy stops (another
    table records later events) or Mongolia has no row in those years."""
    out = []
    short = gaps_[
        (gaps_["stated coverage to"] != "")
        & (gaps_["stated coverage to"].map(lambda v: int(v) if v else 0) > gaps_["last"])
    ]
    for r in short.to_dict("records"):
        later = after_last_row(tables, r["table"], int(r["last"]))
        head = f"{r['dataset']}: last row {r['last']}, stated coverage to {r['stated coverage to']}"
        if later:
            sid, what, years = later
            ys = [str(y) for y in years]
            ys = ys[0] if len(ys) == 1 else ", ".join(ys[:-1]) + " and " + ys[-1]
            out.append(f"{head}: it is the copy that stops, since {sid} records {what} to Mongolia in {ys}")
        else:
            out.append(f"{head}: no other source here fills those years, so Mongolia most likely has no row in them")
    return out


AGGREGATE_LABELS = {
    "agreements_countries": "countries with defence agreements",
    "active_partners": "active defence partners",
    "equipment_source_countries": "countries supplying equipment",
    "mongolian_attache_countries": "countries hosting Mongolian attachés",
    "foreign_attache_countries": "countries with attachés in Mongolia",
    "student_host_countries": "countries hosting Mongolian students",
    "foreign_heads_of_state_at_parade": "foreign heads of state at the 2025 parade",
    "anniversary_years": "years of the anniversary",
}


def unnamed_aggregates(aggregate_claims: pd.DataFrame) -> pd.DataFrame:
    """Totals a source states without naming the countries (nothing here can check them)."""
    a = aggregate_claims.sort_values("claim_id", kind="mergesort")
    value = pd.to_numeric(a["value"], errors="coerce")
    return pd.DataFrame(
        {
            "metric": a["metric"].map(lambda m: AGGREGATE_LABELS.get(m, m.replace("_", " "))),
            "stated value": value.map(lambda v: f"{v:g}"),
            "source": a["source_id"],
            "where": a["locator"],
            "note": a["note"].fillna(""),
        }
    ).reset_index(drop=True)


def load_all() -> dict[str, pd.DataFrame]:
    """Every curated table in data/ (through ``data.load``, so each is validated and recorded)."""
    from partnerships import data

    return {name: data.load(name) for name in data.tables()}


def wrap_ids(text: str) -> str:
    """'a;b' -> 'a; b' (lets long id lists wrap in a table cell)."""
    return re.sub(r";(?=\S)", "; ", str(text))


# --- charts ---------------------------------------------------------------------------

KIND_COLOUR = {  # fill per source kind: dark, light, mid grey (apart in greyscale too)
    "dataset": "#004488",
    "article": "#EECC66",
    "fact-check": "#9a9a9a",
}


def contributions_chart(per: pd.DataFrame, title: str | None = None):
    """Rows per source as horizontal bars on a log scale, shaded by kind; sources with 0 rows left out."""
    from matplotlib.patches import Patch

    from partnerships.analysis import charts

    p = per[per["rows"] > 0].sort_values(["rows", "source_id"], ascending=[True, False], kind="mergesort")
    fig, ax = charts.new(height=0.8 + 0.19 * len(p))
    for i, r in enumerate(p.itertuples()):
        ax.barh(i, r.rows, color=KIND_COLOUR[r.kind], edgecolor=charts.INK, linewidth=0.4, height=0.7)
        ax.text(r.rows * 1.08, i, f"{r.rows:,}", va="center", fontsize=charts.SMALL_PT, color=charts.INK)
    ax.set_yticks(range(len(p)))
    ax.set_yticklabels(p["source_id"].map(tags_of))
    ax.set_xscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))  # 1, 10, 100 (no superscripts)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_axisbelow(True)
    ax.set_xlim(0.8, p["rows"].max() * 3)
    ax.set_ylim(-0.6, len(p) - 0.4)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    kinds = [k for k in KIND_COLOUR if k in set(p["kind"])]
    ax.legend(
        handles=[Patch(facecolor=KIND_COLOUR[k], edgecolor=charts.INK, label=k) for k in kinds], loc="lower right"
    )
    charts.finish(ax, title, xlabel="Rows in the curated tables citing the source (log scale)")
    charts.attach_data(fig, p.iloc[::-1])
    return fig


VERDICT_COLOUR = {  # neighbours in the stack differ in lightness (greyscale) as well as hue
    "supported": "#004488",
    "partly_supported": "#6699CC",
    "contradicted": "#994455",
    "unverifiable": "#dddddd",
    "not_checked": "#ffffff",
}


def verdicts_chart(verdicts: pd.DataFrame, title: str | None = None):
    """Claims per source as stacked horizontal bars by verdict (one colour per verdict)."""
    from partnerships.analysis import charts

    v = verdicts.set_index("source_id")
    cols = [c for c in VERDICTS if c in v.columns]
    fig, ax = charts.new(height=0.9 + 0.45 * len(v))
    left = pd.Series(0, index=v.index)
    for c in cols:
        ax.barh(
            range(len(v)),
            v[c],
            left=left,
            color=VERDICT_COLOUR[c],
            edgecolor=charts.INK,
            linewidth=0.4,
            height=0.6,
            label=VERDICT_WORDS.get(c, c.replace("_", " ")),
        )
        for i, (val, l0) in enumerate(zip(v[c], left)):
            if val > 0:
                ax.text(
                    l0 + val / 2,
                    i,
                    str(int(val)),
                    ha="center",
                    va="center",
                    fontsize=charts.SMALL_PT,
                    color=charts.INK,
                    bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none"),
                )
        left = left + v[c]
    ax.set_yticks(range(len(v)))
    ax.set_yticklabels([tags_of(i) for i in v.index])
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, len(v) - 0.4)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(v) <= 2 else -0.2), ncol=len(cols))
    charts.finish(ax, title, xlabel="Claims (count)")
    charts.attach_data(fig, v.rename_axis("source_id"))
    return fig
