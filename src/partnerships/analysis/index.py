"""A composite partnership index, built the way the OECD/JRC Handbook on Constructing
Composite Indicators (Nardo et al., OECD 2008) describes: framework, indicators,
missing data, normalisation, weighting, aggregation, then uncertainty and sensitivity.

The steps, in the order :func:`compute` runs them:

1. **Indicators**: one column per measurable indicator (``INDICATORS`` maps each to its
   dimension); a missing value (NaN) means *unknown*, never zero.
2. **Normalisation** (:func:`normalise`): min-max over partners, each indicator scaled
   to 0..1. The lower bound is 0 by default, the natural floor of every indicator here
   (no agreement, no exercise, no delivery), so a partner with one recorded visit is not
   scored as if it had none; ``lower="observed"`` gives textbook min-max (lowest partner
   = 0). Indicators listed in ``LOG_INDICATORS`` are log-transformed (``log1p``) first,
   because one partner exceeds the rest by orders of magnitude (Russian arms, US-funded
   training) and would otherwise flatten everyone else to zero.
3. **Dimension scores**: the mean of a partner's known normalised indicators in that
   dimension; unknown if none is known.
4. **Weights**: a dict dimension -> weight (``DEFAULT_WEIGHTS``, reasons in
   ``WEIGHT_REASONS``), rescaled to sum to 1.
5. **Aggregation**: the weighted arithmetic mean of a partner's *known* dimension
   scores, the weights renormalised over those dimensions; times 100. ``coverage`` is the
   share of the total weight that was known for the partner (1.0 = every dimension known).
6. **Uncertainty** (:func:`sensitivity`): weight vectors drawn from a Dirichlet
   distribution centred on the chosen weights (numpy ``Generator``, fixed seed), the
   ranking recomputed for each draw; plus one-at-a-time removal of each dimension.

Everything is deterministic: same inputs and seed, same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# indicator column -> dimension (the framework); the metrics table supplies these columns
INDICATORS: dict[str, str] = {
    "agreements": "agreements",
    "exercise_editions": "exercises",
    "bilateral_exercise_editions": "exercises",
    "students_per_year": "education",
    "tiv_delivered_recent": "equipment",
    "arms_deals_recent": "equipment",
    "aid": "equipment",
    "attache_in_mongolia": "presence",
    "mongolian_attache_there": "presence",
    "visits": "contacts",
}

DIMENSIONS: list[str] = ["agreements", "exercises", "education", "equipment", "presence", "contacts"]

# indicators skewed by orders of magnitude across partners: log1p before min-max
LOG_INDICATORS: tuple[str, ...] = ("tiv_delivered_recent", "students_per_year", "exercise_editions")

DEFAULT_WEIGHTS: dict[str, float] = {
    "agreements": 0.15,
    "exercises": 0.20,
    "education": 0.20,
    "equipment": 0.20,
    "presence": 0.15,
    "contacts": 0.10,
}

WEIGHT_REASONS: dict[str, str] = {
    "agreements": "a legal frame, but a signature says little about activity",
    "exercises": "soldiers training side by side, measured edition by edition",
    "education": "officers formed abroad shape a force for decades",
    "equipment": "what the army fights with, and who it depends on for spares",
    "presence": "attachés are a standing channel, but a thin one",
    "contacts": "visits are the most incompletely recorded dimension here",
}


def check_weights(weights: dict[str, float], dimensions: list[str] | None = None) -> dict[str, float]:
    """Weights rescaled to sum to 1, in dimension order. Raises ValueError on a bad dict."""
    dims = list(dimensions or DIMENSIONS)
    unknown = sorted(set(weights) - set(dims))
    if unknown:
        raise ValueError(f"unknown dimension(s) in weights: {', '.join(unknown)} (known: {', '.join(dims)})")
    missing = [d for d in dims if d not in weights]
    if missing:
        raise ValueError(f"no weight given for: {', '.join(missing)}")
    values = {d: float(weights[d]) for d in dims}
    bad = [d for d, w in values.items() if not np.isfinite(w) or w < 0]
    if bad:
        raise ValueError(f"weights must be finite and >= 0: {', '.join(bad)}")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("weights sum to 0: give at least one dimension a positive weight")
    return {d: w / total for d, w in values.items()}


def normalise(values: pd.Series, lower: str = "zero", log: bool = False) -> pd.Series:
    """Min-max scaling of one indicator over partners to 0..1; NaN (unknown) stays NaN.

    ``lower="zero"``: (x - 0) / (max - 0), the floor being "none at all";
    ``lower="observed"``: (x - min) / (max - min). ``log=True`` applies log1p first.
    If every known value equals the lower bound the indicator cannot tell partners
    apart: all known values become 0.
    """
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    if (x < 0).any():
        raise ValueError(f"indicator {values.name!r} has negative values; the scaling assumes counts or amounts")
    if log:
        x = np.log1p(x)
    if lower == "zero":
        lo = 0.0
    elif lower == "observed":
        lo = float(x.min()) if x.notna().any() else 0.0
    else:
        raise ValueError(f"lower must be 'zero' or 'observed', not {lower!r}")
    hi = float(x.max()) if x.notna().any() else lo
    if hi <= lo:
        return x.where(x.isna(), 0.0)
    return (x - lo) / (hi - lo)


def dimension_scores(
    indicators: pd.DataFrame,
    mapping: dict[str, str] | None = None,
    lower: str = "zero",
    log_indicators: tuple[str, ...] = LOG_INDICATORS,
) -> pd.DataFrame:
    """Partner x dimension table of 0..1 scores (NaN = unknown), from raw indicators."""
    mapping = dict(mapping or INDICATORS)
    cols = [c for c in mapping if c in indicators.columns]
    dims = list(dict.fromkeys(mapping[c] for c in cols))
    normed = pd.DataFrame(
        {c: normalise(indicators[c], lower=lower, log=c in log_indicators) for c in cols}, index=indicators.index
    )
    out = pd.DataFrame(index=indicators.index)
    for d in dims:
        members = [c for c in cols if mapping[c] == d]
        out[d] = normed[members].mean(axis=1, skipna=True)  # all NaN -> NaN
    return out


def aggregate(scores: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Composite score 0-100 and coverage per partner from dimension scores.

    Unknown dimensions are left out of a partner's weighted mean and the remaining
    weights renormalised; ``coverage`` = known weight / total weight. A partner with no
    known dimension gets NaN. Returns columns score, coverage, and one column per
    dimension with its contribution in score points (they add up to the score).
    """
    w = check_weights(weights, list(scores.columns))
    wv = np.array([w[d] for d in scores.columns])
    s = scores.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(s)
    known_w = known @ wv
    with np.errstate(invalid="ignore", divide="ignore"):
        contrib = np.where(known, np.nan_to_num(s) * wv, 0.0) / known_w[:, None] * 100
    contrib[known_w == 0] = np.nan
    out = pd.DataFrame(contrib, index=scores.index, columns=scores.columns)
    out.insert(0, "coverage", known_w)
    out.insert(0, "score", out[list(scores.columns)].sum(axis=1, min_count=1))
    out.loc[known_w == 0, "score"] = np.nan
    return out


def rank(score: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the best rank; unknown ranks last (NaN)."""
    return score.rank(ascending=False, method="min").astype("Int64")


@dataclass
class Index:
    """The result of :func:`compute`: ``table`` (one row per partner, best first),
    ``scores`` (dimension scores 0..1), ``weights`` (normalised)."""

    table: pd.DataFrame
    scores: pd.DataFrame
    weights: dict[str, float]


def compute(
    indicators: pd.DataFrame, weights: dict[str, float] | None = None, lower: str = "zero", missing: str = "unknown"
) -> Index:
    """The composite index of partners (rows of ``indicators``, indexed by partner).

    ``missing="unknown"`` (the method): an unknown indicator is left out. ``missing="zero"``
    is the pessimistic check: every unknown indicator counted as 0, as if the sources
    were complete (use it to show how much a rank rests on missing data).

    ``table`` columns: rank, score (0-100), coverage (0..1, share of weight known),
    known (e.g. "5/6"), then each dimension's contribution in score points. Rows sorted
    by score (desc), ties by partner name.
    """
    w = check_weights(weights or DEFAULT_WEIGHTS)
    if missing == "zero":
        indicators = indicators.fillna(0.0)
    elif missing != "unknown":
        raise ValueError(f"missing must be 'unknown' or 'zero', not {missing!r}")
    scores = dimension_scores(indicators, lower=lower)
    scores = scores.reindex(columns=[d for d in w if d in scores.columns])
    w = check_weights({d: w[d] for d in scores.columns}, list(scores.columns))
    agg = aggregate(scores, w)
    agg.insert(0, "rank", rank(agg["score"]))
    agg.insert(3, "known", scores.notna().sum(axis=1).astype(int).astype(str) + f"/{scores.shape[1]}")
    agg.index.name = "partner"
    agg = agg.reset_index().sort_values(["score", "partner"], ascending=[False, True], na_position="last")
    return Index(table=agg.set_index("partner"), scores=scores, weights=w)


def _ranks_matrix(s: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Ranks (partners x draws) of the composite under each weight row of W (draws x dims)."""
    known = ~np.isnan(s)
    num = np.nan_to_num(s) @ W.T
    den = known.astype(float) @ W.T
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = np.where(den > 0, num / den, np.nan)
    # round away floating noise so equal scores tie exactly
    comp = np.round(comp, 12)
    return pd.DataFrame(comp).rank(ascending=False, method="min").to_numpy()


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation (Pearson on average ranks), without scipy; NaN pairs dropped."""
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 2:
        return float("nan")
    ra = pd.Series(a[ok]).rank(method="average").to_numpy()
    rb = pd.Series(b[ok]).rank(method="average").to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


@dataclass
class Sensitivity:
    """The result of :func:`sensitivity`.

    ``ranks``: per partner the baseline rank, median rank, 5th and 95th percentile rank,
    best and worst rank over the draws, and the share of draws in which it ranks first.
    ``drop_one``: per dimension, the Spearman rank correlation between the baseline
    ranking and the ranking without that dimension, and the mean absolute rank shift;
    sorted so the dimension that moves the ranking most comes first.
    ``most_influential``: that dimension's name.
    """

    ranks: pd.DataFrame
    drop_one: pd.DataFrame
    most_influential: str
    n: int
    seed: int
    concentration: float


def sensitivity(
    scores: pd.DataFrame,
    weights: dict[str, float] | None = None,
    n: int = 1000,
    seed: int = 20250509,
    concentration: float = 20.0,
) -> Sensitivity:
    """How the ranking moves when the weights change.

    ``scores``: dimension scores (``Index.scores``). Draws ``n`` weight vectors from
    Dirichlet(concentration x weights): their mean is the chosen weights, and a larger
    ``concentration`` keeps draws closer to them (20 gives each weight a spread of
    roughly +-40% of its value). A zero weight stays zero. Uses
    ``numpy.random.default_rng(seed)``, so the result is deterministic.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if concentration <= 0:
        raise ValueError("concentration must be > 0")
    dims = list(scores.columns)
    w = check_weights(weights or {d: DEFAULT_WEIGHTS[d] for d in dims}, dims)
    wv = np.array([w[d] for d in dims])
    s = scores.to_numpy(dtype="float64", na_value=np.nan)
    base = _ranks_matrix(s, wv[None, :])[:, 0]

    rng = np.random.default_rng(seed)
    pos = wv > 0
    W = np.zeros((n, len(dims)))
    W[:, pos] = rng.dirichlet(concentration * wv[pos], size=n)
    R = _ranks_matrix(s, W)
    ranks = pd.DataFrame(
        {
            "baseline_rank": base,
            "median_rank": np.nanmedian(R, axis=1),
            "p5_rank": np.nanpercentile(R, 5, axis=1, method="lower"),
            "p95_rank": np.nanpercentile(R, 95, axis=1, method="higher"),
            "best_rank": np.nanmin(R, axis=1),
            "worst_rank": np.nanmax(R, axis=1),
            "share_first": (R == 1).mean(axis=1),
        },
        index=scores.index,
    )
    ranks.index.name = "partner"
    ranks = ranks.reset_index().sort_values(["baseline_rank", "partner"]).set_index("partner")

    rows = []
    for i, d in enumerate(dims):
        if wv[i] == 0:
            continue
        w2 = wv.copy()
        w2[i] = 0.0
        if w2.sum() == 0:
            continue
        r2 = _ranks_matrix(s, (w2 / w2.sum())[None, :])[:, 0]
        ok = ~(np.isnan(base) | np.isnan(r2))
        rows.append(
            {
                "dimension": d,
                "spearman_without": _spearman(base, r2),
                "mean_abs_rank_shift": float(np.abs(base[ok] - r2[ok]).mean()) if ok.any() else np.nan,
                "leader_without": ", ".join(sorted(scores.index[r2 == 1])),
            }
        )
    drop = pd.DataFrame(rows)
    drop = drop.sort_values(["spearman_without", "mean_abs_rank_shift", "dimension"], ascending=[True, False, True])
    drop = drop.set_index("dimension")
    return Sensitivity(
        ranks=ranks,
        drop_one=drop,
        most_influential=str(drop.index[0]) if len(drop) else "",
        n=n,
        seed=seed,
        concentration=concentration,
    )


# ---------------------------------------------------------------- charts

DIMENSION_LABELS: dict[str, str] = {
    "agreements": "Agreements",
    "exercises": "Exercises",
    "education": "Education and training",
    "equipment": "Equipment and aid",
    "presence": "Attachés",
    "contacts": "Visits",
}


def plot_ranking(table: pd.DataFrame, title: str | None = None, top_n: int = 20):
    """Horizontal bars of the score, best at the top; fill by how many dimensions are known.

    Dark = every dimension known, mid = more than half, light = half or
    fewer: a reader sees at once which scores rest on thin data. The "k/n" label says how many.
    """
    from matplotlib.patches import Patch

    from partnerships.analysis import charts

    t = table.dropna(subset=["score"]).head(top_n).iloc[::-1]
    known = t["known"].str.split("/", expand=True).astype(int)
    k, n = known[0].to_numpy(), known[1].to_numpy()
    fig, ax = charts.new(height=0.22 * len(t) + 1.1)
    full, most, thin = charts.SHADES[4], charts.SHADES[2], charts.SHADES[0]
    colours = [full if a == b else most if 2 * a > b else thin for a, b in zip(k, n)]
    ax.barh(t.index, t["score"], color=colours, edgecolor="#555555", linewidth=0.4)
    for y, (s, lab) in enumerate(zip(t["score"], t["known"])):
        ax.text(s + 1, y, f"{s:.0f}  ({lab})", va="center", fontsize=charts.SMALL_PT, color="#333333")
    ax.set_xlim(0, 112)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    nd = int(n.max()) if len(n) else len(DIMENSIONS)
    ax.legend(
        handles=[
            Patch(facecolor=full, edgecolor="#555555", label=f"all {nd} dimensions known"),
            Patch(facecolor=most, edgecolor="#555555", label="more than half known"),
            Patch(facecolor=thin, edgecolor="#555555", label="half or fewer known"),
        ],
        loc="lower right",
    )
    charts.finish(ax, title, xlabel="Partnership index score (0-100); label: score (dimensions known)")
    charts.attach_data(fig, t.iloc[::-1][["score", "known"]].rename_axis("partner"))
    return fig


def plot_decomposition(table: pd.DataFrame, title: str | None = None, top_n: int = 15):
    """Stacked horizontal bars: each partner's score split into its dimensions' contributions."""
    from partnerships.analysis import charts

    dims = [d for d in DIMENSIONS if d in table.columns]
    t = table.dropna(subset=["score"]).head(top_n).iloc[::-1]
    fig, ax = charts.new(height=0.24 * len(t) + 1.5)
    left = np.zeros(len(t))
    for i, d in enumerate(dims):
        vals = t[d].fillna(0.0).to_numpy()
        ax.barh(
            t.index, vals, left=left, color=charts.PALETTE[i % len(charts.PALETTE)], edgecolor="white", linewidth=0.5,
            label=DIMENSION_LABELS.get(d, d),
        )
        left += vals
    for y, (s, k) in enumerate(zip(t["score"], t["known"])):
        ax.text(s + 1, y, f"{s:.0f}", va="center", fontsize=charts.SMALL_PT, color="#333333")
    ax.set_xlim(0, 105)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.45, -0.16))
    charts.finish(ax, title, xlabel="Points of the score contributed by each dimension")
    charts.attach_data(fig, t.iloc[::-1][dims + ["score"]].rename_axis("partner"))
    return fig


def plot_sensitivity(ranks: pd.DataFrame, title: str | None = None, top_n: int = 20):
    """Per partner: median rank (dot), 5th-95th percentile range (thick bar), best-worst (thin line), baseline (x)."""
    from matplotlib.lines import Line2D

    from partnerships.analysis import charts

    r = ranks.head(top_n).iloc[::-1]
    y = np.arange(len(r))
    fig, ax = charts.new(height=0.22 * len(r) + 1.2)
    ax.hlines(y, r["best_rank"], r["worst_rank"], color=charts.GREY, linewidth=1)
    ax.hlines(y, r["p5_rank"], r["p95_rank"], color=charts.SHADES[1], linewidth=5)
    ax.plot(r["median_rank"], y, "o", color=charts.SHADES[4], markersize=5, zorder=3)
    ax.plot(r["baseline_rank"], y, "x", color=charts.PALETTE[2], markersize=6, markeredgewidth=1.5, zorder=4)
    ax.set_yticks(y, r.index)
    ax.tick_params(axis="y", length=0)
    hi = float(np.nanmax(r["worst_rank"])) if len(r) else 1.0
    ax.set_xlim(0.5, hi + 0.5)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(
        handles=[
            Line2D([], [], marker="o", linestyle="", color=charts.SHADES[4], label="median rank"),
            Line2D([], [], marker="x", linestyle="", color=charts.PALETTE[2], markeredgewidth=1.5, label="rank with the chosen weights"),
            Line2D([], [], color=charts.SHADES[1], linewidth=5, label="5th-95th percentile of ranks"),
            Line2D([], [], color=charts.GREY, linewidth=1, label="best to worst rank"),
        ],
        loc="upper right",
    )
    charts.finish(ax, title, xlabel="Rank over the weight draws (1 = first)")
    charts.attach_data(fig, r.iloc[::-1].rename_axis("partner"))
    return fig


def index_indicators(m: pd.DataFrame, include_historical: bool = False) -> pd.DataFrame:
    """The indicator columns the partnership index uses (``INDICATORS``), per partner.

    Historical partners (the Soviet Union) are left out unless ``include_historical``;
    so are partners with no positive indicator (e.g. Poland, whose only value is arms
    ordered before 1992): the index ranks partners that do something with Mongolia now.
    """
    rows = m if include_historical else m[~m["historical"].astype(bool)]
    out = rows[[c for c in INDICATORS if c in rows.columns]].apply(lambda col: pd.to_numeric(col, errors="coerce"))
    return out[out.fillna(0).gt(0).any(axis=1)]


# ---------------------------------------------------------------- tables for the chapter

from partnerships.analysis.metrics import EQUIPMENT_SINCE  # noqa: E402

# indicator -> (what it counts, where from, what "absent" means)
INDICATOR_INFO: dict[str, tuple[str, str, str]] = {
    "agreements": ("agreements signed (once per signing year)", "DCAD (to 2010) and the articles", "unknown"),
    "exercise_editions": ("exercise editions with the partner", "MME (to 2010), Russian list, US training reports, articles", "0"),
    "bilateral_exercise_editions": ("editions where it is the only foreign partner", "same", "0"),
    "students_per_year": ("Mongolian students and officers per year", "articles; for the USA, US training reports", "unknown"),
    "tiv_delivered_recent": (f"arms delivered (SIPRI TIV), deals ordered since {EQUIPMENT_SINCE}", "SIPRI trade register", "0"),
    "arms_deals_recent": (f"arms deals ordered since {EQUIPMENT_SINCE}", "SIPRI trade register", "0"),
    "aid": ("aid or facilities named (yes)", "articles", "unknown"),
    "attache_in_mongolia": ("military attaché in Mongolia (yes)", "article A, a complete list", "0"),
    "mongolian_attache_there": ("Mongolian attaché in the partner (yes)", "article A counts them but names none", "unknown"),
    "visits": ("high-level visits recorded", "events (not contradicted), articles", "unknown"),
}


def indicator_table(indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dimension | Indicator | Source | Absent means | Scaling | Partners known: the framework as a table."""
    rows = []
    for col, dim in INDICATORS.items():
        what, src, absent = INDICATOR_INFO.get(col, (col, "", ""))
        scale = "log, then min-max" if col in LOG_INDICATORS else "min-max"
        row = {
            "Dimension": DIMENSION_LABELS.get(dim, dim),
            "Indicator": what,
            "Source": src,
            "Absent means": absent,
            "Scaling": scale,
        }
        if indicators is not None:
            known = indicators[col].notna().sum() if col in indicators.columns else 0
            row["Partners known"] = f"{known} of {len(indicators)}"
        rows.append(row)
    return pd.DataFrame(rows)


def weights_table(weights: dict[str, float]) -> pd.DataFrame:
    """Dimension | Weight (share of the total) | Why: the chosen weights, normalised, with their reasons."""
    w = check_weights(weights)
    return pd.DataFrame(
        [{"Dimension": DIMENSION_LABELS.get(d, d), "Weight": f"{w[d]:.0%}", "Why": WEIGHT_REASONS.get(d, "")} for d in w]
    )


def ranking_table(result: Index, sens: Sensitivity, zero: Index, kinds: pd.Series | None = None) -> pd.DataFrame:
    """The ranking for display: rank, partner, score, dimensions known ("Known"), 5th-95th
    percentile rank over the weight draws ("Rank range"), rank if every unknown were 0
    ("If unknown = 0") and, optionally, the kinds of relationship ("Kinds")."""
    t = result.table
    r = sens.ranks.reindex(t.index)
    out = pd.DataFrame(
        {
            "Rank": t["rank"].astype("Int64"),
            "Partner": t.index,
            "Score": t["score"].round(0).astype("Int64"),
            "Known": t["known"],
            "Rank range": [f"{int(a)}" if a == b else f"{int(a)}-{int(b)}" for a, b in zip(r["p5_rank"], r["p95_rank"])],
            "If unknown = 0": zero.table["rank"].reindex(t.index).astype("Int64").to_numpy(),
        }
    )
    if kinds is not None:
        out["Kinds"] = kinds.reindex(t.index).fillna("").to_numpy()
    return out.reset_index(drop=True)


def sources_of(m: pd.DataFrame, partners) -> list[str]:
    """The sorted source ids behind the given partners' rows of the metrics table."""
    ids = set()
    for p in partners:
        if p in m.index and isinstance(m.loc[p, "source_ids"], str):
            ids |= {s for s in m.loc[p, "source_ids"].split(";") if s}
    return sorted(ids)
