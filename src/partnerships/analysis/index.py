"""A composite partnership index, built the way the OECD/JRC Handbook on Constructing
Composite Indicators (Nardo et al., OECD 2008) describes: framework, indicators, missing data,
normalisation, weighting, aggregation, then uncertainty and sensitivity.

The framework (dimensions, indicators, default weights with their reasons, and the modelling
choices tried) is data: ``index_framework.yml`` beside this module, read once here.

The steps:

1. **Indicators** (:func:`indicators`): one column per indicator; NaN means *unknown*, never zero.
   Exercise editions are weighted by format (:func:`exercise_ties`: a bilateral edition counts
   more than being one of 24 nations at the same exercise); treaty obligations count only
   when bilateral (:func:`treaty_scope`: an accession to a multilateral treaty is a
   membership, not a bilateral commitment); visits count dated visit events only.
2. **Normalisation** (:func:`normalise`): each indicator to 0..1 over partners (min-max from 0,
   textbook min-max, or percentile rank); skewed ones log-transformed first.
3. **Evidence**: an undated yes/no from a single source keeps only a share of its value (the
   ``undated_discount`` choice), and such flags together may add at most ``UNDATED_CAP`` times
   the points a partner has from dated or dataset evidence: they can corroborate a score but
   never make up most of it.
4. **Weighting and aggregation** (:func:`aggregate`): each indicator's weight is its
   dimension's weight shared among the dimension's indicators; the weights are **fixed**: an
   unknown indicator is never dropped with the other weights scaled up (the first edition's
   "silent re-weighting"). The **score** counts what the sources record (unknown = 0); the
   **range** runs from that score to the score with every unknown at the best partner's value;
   **coverage** is the share of the weight that rests on known data. A partner's **rank range**
   runs from the best rank its range allows against the others' ranges to the worst.
5. **Sensitivity** (:func:`sensitivity`): every combination of the modelling choices (missing
   data, exercise formats, normalisation, undated evidence), each under random weights drawn
   around the chosen ones; each partner's ranks over all of them, and for each choice how far
   the ranking moves (rank correlation *and* the largest shift of a top-ten partner).

Deterministic: same inputs and seed, same numbers.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

FRAMEWORK_FILE = Path(__file__).with_name("index_framework.yml")


@functools.lru_cache(maxsize=1)
def framework() -> dict:
    """The framework file, checked: every indicator names a known dimension, weights are numbers."""
    fw = yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    dims = fw["dimensions"]
    for name, spec in fw["indicators"].items():
        if spec["dimension"] not in dims:
            raise ValueError(f"{FRAMEWORK_FILE.name}: indicator {name!r} names unknown dimension {spec['dimension']!r}")
    empty = [d for d in dims if not any(s["dimension"] == d for s in fw["indicators"].values())]
    if empty:
        raise ValueError(f"{FRAMEWORK_FILE.name}: dimension(s) without an indicator: {', '.join(empty)}")
    return fw


_FW = framework()
DIMENSIONS: list[str] = list(_FW["dimensions"])
DEFAULT_WEIGHTS: dict[str, float] = {d: float(s["weight"]) for d, s in _FW["dimensions"].items()}
WEIGHT_REASONS: dict[str, str] = {d: s["reason"] for d, s in _FW["dimensions"].items()}
DIMENSION_LABELS: dict[str, str] = {d: s["label"] for d, s in _FW["dimensions"].items()}
INDICATORS: dict[str, str] = {i: s["dimension"] for i, s in _FW["indicators"].items()}
LOG_INDICATORS: tuple[str, ...] = tuple(i for i, s in _FW["indicators"].items() if s.get("scaling") == "log")
UNDATED: tuple[str, ...] = tuple(i for i, s in _FW["indicators"].items() if s.get("evidence") == "article_undated")
CHOICES: dict[str, list] = {k: list(v) for k, v in _FW["choices"].items()}
UNDATED_CAP: float = float(_FW["undated_cap"])
BASELINE: dict[str, object] = {k: v[0] for k, v in CHOICES.items()}
TIERS: dict[str, float] = dict(_FW["exercise_formats"]["tiers"])
CHOICE_LABELS = {
    "missing": {
        "zero": "unknown counted as none",
        "mid": "unknown halfway between none and the best partner's value",
        "high": "unknown at the best partner's value",
        "renormalise": "unknown left out, weights rescaled (earlier draft)",
    },
    "exercise_format": {
        "share": "an edition counts 1/(foreign participants)",
        "tiers": "bilateral 1, small 0.5, large 0.1",
        "equal": "every edition counts 1 (earlier draft)",
    },
    "normalisation": {
        "zero": "min-max from zero",
        "observed": "min-max from the lowest partner",
        "rank": "percentile rank",
    },
    "undated_discount": {
        0.5: "undated yes/no counts half",
        1.0: "undated yes/no counts in full",
        0.0: "undated yes/no left out",
    },
}
CHOICE_NAMES = {
    "missing": "Missing data",
    "exercise_format": "Exercise formats",
    "normalisation": "Normalisation",
    "undated_discount": "Undated single-source flags",
}
SUBJECT = "Mongolia"


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


# ---------------------------------------------------------------- indicators from the tables


def treaty_scope(alliances: pd.DataFrame) -> pd.DataFrame:
    """The ATOP spells with a boolean ``multilateral``: True for an accession to a multilateral treaty.

    If the table says so itself (a column ``multilateral``, or ``scope``/``treaty_scope`` =
    'multilateral'), that is used. Otherwise the reading of the data notes: a spell holding only a
    non-aggression obligation that starts in 2005 or later reflects an accession to a multilateral
    treaty (the ASEAN Treaty of Amity and Cooperation from 2005, which the US and North Korea
    joined later; the set of European and OSCE states from 2012): an inference, not stated in ATOP.
    """
    al = alliances.copy()
    for col in ("multilateral", "scope", "treaty_scope"):
        if col in al.columns:
            v = al[col].astype(str).str.strip().str.lower()
            al["multilateral"] = v.isin(["true", "1", "yes", "multilateral"])
            return al
    num = {
        k: pd.to_numeric(al[k], errors="coerce").fillna(0)
        for k in ("defense", "offense", "neutral", "nonagg", "consul")
    }
    only_nonagg = (
        (num["nonagg"] > 0)
        & (num["defense"] == 0)
        & (num["offense"] == 0)
        & (num["neutral"] == 0)
        & (num["consul"] == 0)
    )
    al["multilateral"] = only_nonagg & (pd.to_numeric(al["year_from"], errors="coerce") >= 2005)
    return al


def bilateral_treaties(alliances: pd.DataFrame) -> pd.Series:
    """partner -> 1.0 if a bilateral ATOP obligation is in force in ATOP's last year (0 otherwise, for listed partners)."""
    al = treaty_scope(alliances)
    last = pd.to_numeric(al["year_to"], errors="coerce").max()
    flags = al[["defense", "offense", "neutral", "nonagg", "consul"]].apply(pd.to_numeric, errors="coerce").fillna(0)
    inforce = al[
        (pd.to_numeric(al["year_to"], errors="coerce") == last) & flags.gt(0).any(axis=1) & ~al["multilateral"]
    ]
    return pd.Series(1.0, index=sorted(set(inforce["partner"])), dtype="float64")


def edition_weight(k: int, scheme: str) -> float:
    """How much one exercise edition counts for a partner when ``k`` foreign partners are listed."""
    if k < 1:
        return 0.0
    if scheme == "share":
        return 1.0 / k
    if scheme == "tiers":
        return TIERS["bilateral"] if k == 1 else TIERS["small"] if k <= TIERS["small_max"] else TIERS["large"]
    if scheme == "equal":
        return 1.0
    raise ValueError(f"exercise format must be one of {', '.join(CHOICES['exercise_format'])}, not {scheme!r}")


def edition_participants(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Foreign participants per *dated* exercise edition: one row per (exercise_id, partner), Mongolia left out.

    An edition is what :mod:`partnerships.analysis.exercises` defines (its ``edition_participants``,
    which merges one edition recorded under several ids or spellings, when the package has it;
    otherwise a distinct exercise id). Undated statements ("joint exercises are held") are not
    editions: they name no edition to count.
    """
    from partnerships.analysis import exercises as ex

    dated = exercises[pd.to_numeric(exercises["year"], errors="coerce").notna()]
    fn = getattr(ex, "edition_participants", None)
    if fn is not None:
        p = fn(dated, participants[participants["exercise_id"].isin(set(dated["exercise_id"]))])
    else:
        p = participants[participants["exercise_id"].isin(set(dated["exercise_id"]))]
    p = p[p["partner"] != SUBJECT]
    cols = ["exercise_id", "partner"] + (["listed"] if "listed" in p else [])
    return p[cols].drop_duplicates(["exercise_id", "partner"]).reset_index(drop=True)


def exercise_ties(exercises: pd.DataFrame, participants: pd.DataFrame, scheme: str = "share") -> pd.Series:
    """partner -> sum over its dated exercise editions (:func:`edition_participants`) of :func:`edition_weight`."""
    p = edition_participants(exercises, participants)
    k = p.groupby("exercise_id")["partner"].nunique()
    # an edition whose participants no source lists (only a training report's own country) has no
    # known format: it counts only where every edition counts alike (scheme 'equal')
    unlisted = set(p.loc[~p["listed"], "exercise_id"]) if "listed" in p else set()
    w = pd.Series(
        [
            (1.0 if scheme == "equal" else 0.0) if e in unlisted else edition_weight(int(k[e]), scheme)
            for e in p["exercise_id"]
        ],
        index=p.index,
        dtype="float64",
    )
    return w.groupby(p["partner"]).sum().astype("float64")


def visit_counts(events: pd.DataFrame) -> pd.Series:
    """partner -> dated high-level visit events whose status is not 'contradicted'."""
    ok = events["status"].ne("contradicted") if "status" in events.columns else True
    ev = events[
        (events["category"] == "visit") & events["partner"].fillna("").ne("") & ok & events["date"].fillna("").ne("")
    ]
    return ev.groupby("partner").size().astype("float64")


INDEX_TABLES = ["alliances", "exercises", "exercise_participants", "events"]


def indicators(
    m: pd.DataFrame,
    tables: dict[str, pd.DataFrame] | None = None,
    exercise_format: str | None = None,
    include_historical: bool = False,
) -> pd.DataFrame:
    """Partner x indicator table (columns ``INDICATORS``; NaN = unknown) for the partners that do
    something with Mongolia now: historical partners (the Soviet Union) are left out unless
    ``include_historical``, and so are partners with no positive indicator.

    ``m`` is the metrics table (``metrics.partner_metrics``); ``tables`` the curated tables the
    index adds (``INDEX_TABLES``; loaded when not given)."""
    from partnerships import data

    t = dict(tables or {})
    for name in INDEX_TABLES:
        if name not in t:
            t[name] = data.load(name)
    scheme = exercise_format or str(BASELINE["exercise_format"])
    rows = m if include_historical else m[~m["historical"].astype(bool)]
    out = pd.DataFrame(index=rows.index)
    for col in (
        "agreements",
        "students_per_year",
        "tiv_delivered_recent",
        "arms_deals_recent",
        "aid",
        "attache_in_mongolia",
    ):
        out[col] = pd.to_numeric(rows[col], errors="coerce") if col in rows.columns else np.nan
    out["bilateral_treaty"] = bilateral_treaties(t["alliances"]).reindex(out.index).fillna(0.0)
    out["exercise_ties"] = (
        exercise_ties(t["exercises"], t["exercise_participants"], scheme).reindex(out.index).fillna(0.0)
    )
    out["visits"] = visit_counts(t["events"]).reindex(out.index)
    out = out[list(INDICATORS)]
    return out[out.fillna(0).gt(0).any(axis=1)]


def index_indicators(m: pd.DataFrame, include_historical: bool = False) -> pd.DataFrame:
    """The indicator table with the baseline choices (see :func:`indicators`)."""
    return indicators(m, include_historical=include_historical)


# ---------------------------------------------------------------- normalisation and aggregation


def normalise(values: pd.Series, lower: str = "zero", log: bool = False) -> pd.Series:
    """One indicator over partners to 0..1; NaN (unknown) stays NaN.

    ``lower="zero"``: (x - 0) / (max - 0), the floor being "none at all"; ``"observed"``:
    (x - min) / (max - min); ``"rank"``: the percentile rank among known values (ties averaged),
    none (0) staying 0. ``log=True`` applies log1p first (no effect on ranks). If every known
    value equals the lower bound the indicator cannot tell partners apart: all become 0.
    """
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    if (x < 0).any():
        raise ValueError(f"indicator {values.name!r} has negative values; the scaling assumes counts or amounts")
    if lower == "rank":
        r = x.rank(method="average", pct=True)
        return r.where(x != 0, 0.0).where(x.notna())
    if log:
        x = np.log1p(x)
    if lower == "zero":
        lo = 0.0
    elif lower == "observed":
        lo = float(x.min()) if x.notna().any() else 0.0
    else:
        raise ValueError(f"normalisation must be 'zero', 'observed' or 'rank', not {lower!r}")
    hi = float(x.max()) if x.notna().any() else lo
    if hi <= lo:
        return x.where(x.isna(), 0.0)
    return (x - lo) / (hi - lo)


def normalised(ind: pd.DataFrame, lower: str = "zero") -> pd.DataFrame:
    """Every indicator column normalised (:func:`normalise`), in ``INDICATORS`` order."""
    cols = [c for c in INDICATORS if c in ind.columns]
    return pd.DataFrame({c: normalise(ind[c], lower=lower, log=c in LOG_INDICATORS) for c in cols}, index=ind.index)


def indicator_weights(weights: dict[str, float], columns: list[str]) -> np.ndarray:
    """Each indicator's weight: its dimension's (normalised) weight shared equally among the dimension's indicators."""
    w = check_weights(weights)
    n = pd.Series([INDICATORS[c] for c in columns]).value_counts()
    return np.array([w[INDICATORS[c]] / n[INDICATORS[c]] for c in columns])


def _discounts(columns: list[str], undated_discount: float) -> np.ndarray:
    return np.array([undated_discount if c in UNDATED else 1.0 for c in columns])


def _composite(
    X: np.ndarray,
    D: np.ndarray,
    Wd: np.ndarray,
    dim_idx: np.ndarray,
    n_in_dim: np.ndarray,
    missing: str,
    undated: np.ndarray | None = None,
) -> np.ndarray:
    """Scores (partners x weightings) for one missing-data treatment.

    X: normalised indicators (partners x indicators, NaN unknown); D: evidence discounts per
    indicator; Wd: dimension weights (weightings x dimensions, rows sum to 1); ``undated``: which
    indicators are undated single-source flags, whose points are capped at ``UNDATED_CAP`` times
    the partner's other points (not in the first edition's ``renormalise`` method)."""
    Wi = Wd[:, dim_idx] / n_in_dim[dim_idx]  # weightings x indicators
    known = ~np.isnan(X)
    if undated is None:
        undated = np.zeros(X.shape[1], dtype=bool)
    if missing in ("zero", "mid", "high"):
        fill = np.full(X.shape[1], {"zero": 0.0, "mid": 0.5, "high": 1.0}[missing])
        Xf = np.where(known, X, fill[None, :]) * D
        dated = Xf[:, ~undated] @ Wi[:, ~undated].T
        flags = Xf[:, undated] @ Wi[:, undated].T
        return (dated + np.minimum(flags, UNDATED_CAP * dated)) * 100.0
    if missing == "renormalise":
        n_dims = Wd.shape[1]
        dsum = np.zeros((X.shape[0], n_dims))
        dcnt = np.zeros((X.shape[0], n_dims))
        for j in range(X.shape[1]):
            dsum[:, dim_idx[j]] += np.where(known[:, j], X[:, j] * D[j], 0.0)
            dcnt[:, dim_idx[j]] += known[:, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            dmean = np.where(dcnt > 0, dsum / np.maximum(dcnt, 1), np.nan)
        dknown = ~np.isnan(dmean)
        num = np.nan_to_num(dmean) @ Wd.T
        den = dknown.astype(float) @ Wd.T
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / den * 100.0, np.nan)
    raise ValueError(f"missing must be one of {', '.join(CHOICES['missing'])}, not {missing!r}")


def _setup(columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    dim_idx = np.array([DIMENSIONS.index(INDICATORS[c]) for c in columns])
    n_in_dim = np.bincount(dim_idx, minlength=len(DIMENSIONS)).astype(float)
    return dim_idx, n_in_dim


def rank(score: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the best rank; unknown ranks last (NaN)."""
    return score.round(9).rank(ascending=False, method="min").astype("Int64")


def rank_bounds(low: pd.Series, high: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Best and worst rank each partner can take when every partner's score may lie anywhere in
    its [low, high] range: best = 1 + partners whose low is above its high; worst = 1 + other
    partners whose high is above its low."""
    lo, hi = low.to_numpy(), high.to_numpy()
    best = 1 + (lo[None, :] > hi[:, None] + 1e-9).sum(axis=1)
    above = hi[None, :] > lo[:, None] + 1e-9
    np.fill_diagonal(above, False)
    worst = 1 + above.sum(axis=1)
    return pd.Series(best, index=low.index), pd.Series(worst, index=low.index)


@dataclass
class Index:
    """The result of :func:`compute`: ``table`` (one row per partner, best first), ``normalised``
    (indicators 0..1, NaN unknown), ``weights`` (dimension weights, normalised), ``choices``."""

    table: pd.DataFrame
    normalised: pd.DataFrame
    weights: dict[str, float]
    choices: dict

    @property
    def scores(self) -> pd.DataFrame:
        """Dimension scores 0..1 with unknown counted as none (for display)."""
        D = _discounts(list(self.normalised.columns), float(self.choices["undated_discount"]))
        x = self.normalised.fillna(0.0) * D
        return pd.DataFrame({d: x[[c for c in x.columns if INDICATORS[c] == d]].mean(axis=1) for d in DIMENSIONS})


def compute(
    indicators: pd.DataFrame,
    weights: dict[str, float] | None = None,
    normalisation: str | None = None,
    undated_discount: float | None = None,
    missing: str | None = None,
) -> Index:
    """The index of partners (rows of ``indicators``).

    ``table`` columns: rank (by score), score (0-100: what the sources record, unknown = none
    unless ``missing`` says otherwise), low and high (the score with every unknown at none and
    at the best partner's value), coverage (0..1: share of the weight resting on known
    indicators), known ("7/9" indicators), best_rank and worst_rank (from the ranges), undated
    (points from undated single-source flags), then each dimension's points (they add up to the
    score when ``missing`` is ``zero``). Sorted by score (desc), ties by partner name.
    """
    w = check_weights(weights or DEFAULT_WEIGHTS)
    lower = normalisation or str(BASELINE["normalisation"])
    disc = float(BASELINE["undated_discount"] if undated_discount is None else undated_discount)
    how = missing or str(BASELINE["missing"])
    X = normalised(indicators, lower)
    cols = list(X.columns)
    dim_idx, n_in_dim = _setup(cols)
    D = _discounts(cols, disc)
    U = np.array([c in UNDATED for c in cols])
    Wd = np.array([[w[d] for d in DIMENSIONS]])
    A = X.to_numpy(dtype="float64", na_value=np.nan)
    out = pd.DataFrame(index=X.index)
    out["score"] = _composite(A, D, Wd, dim_idx, n_in_dim, how, U)[:, 0]
    out["low"] = _composite(A, D, Wd, dim_idx, n_in_dim, "zero", U)[:, 0]
    out["high"] = _composite(A, D, Wd, dim_idx, n_in_dim, "high", U)[:, 0]
    Wi = indicator_weights(w, cols)
    out["coverage"] = (~np.isnan(A)) @ Wi
    out["known"] = (~np.isnan(A)).sum(axis=1).astype(str) + f"/{len(cols)}"
    contrib = np.nan_to_num(A) * D * Wi * 100.0
    raw_flags = contrib[:, U].sum(axis=1)
    capped = np.minimum(raw_flags, UNDATED_CAP * contrib[:, ~U].sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        contrib[:, U] *= np.where(raw_flags > 0, capped / raw_flags, 0.0)[:, None]
    out["undated"] = capped
    for d in DIMENSIONS:
        out[d] = contrib[:, [i for i, c in enumerate(cols) if INDICATORS[c] == d]].sum(axis=1)
    out.insert(0, "rank", rank(out["score"]))
    best, worst = rank_bounds(out["low"], out["high"])
    out.insert(out.columns.get_loc("coverage"), "best_rank", best)
    out.insert(out.columns.get_loc("coverage"), "worst_rank", worst)
    out.index.name = "partner"
    out = (
        out.reset_index()
        .sort_values(["score", "partner"], ascending=[False, True], na_position="last")
        .set_index("partner")
    )
    return Index(
        table=out,
        normalised=X,
        weights=w,
        choices={"missing": how, "normalisation": lower, "undated_discount": disc, "exercise_format": None},
    )


def aggregate(scores: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """The first edition's aggregation, kept for comparison: weighted mean of the *known* dimension
    scores with the weights rescaled over them (``coverage`` = known weight). Not the method:
    it lets one known dimension stand for the unknown ones."""
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


# ---------------------------------------------------------------- sensitivity


def _ranks(S: np.ndarray) -> np.ndarray:
    """Ranks (partners x columns) of scores, 1 = highest, ties share the best rank."""
    return pd.DataFrame(np.round(S, 9)).rank(ascending=False, method="min").to_numpy()


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

    ``ranks``: per partner the baseline rank, median rank, 5th and 95th percentile, best and worst
    rank over every scenario (each combination of modelling choices) under every weighting, and
    the share of them in which it ranks first. ``choices``: one row per alternative modelling
    choice, tried alone with the chosen weights: rank correlation with the baseline, the largest
    rank shift of a baseline top-ten partner (and who), the mean shift, the leader. ``drop_one``:
    the same for leaving one dimension out. ``robust_top``: the largest k (up to 10) such that the
    baseline top k stay in the top k, and no other partner enters it, in 90% of all runs.
    """

    ranks: pd.DataFrame
    choices: pd.DataFrame
    drop_one: pd.DataFrame
    robust_top: int
    n: int
    n_scenarios: int
    seed: int
    concentration: float
    most_influential: str


def _scenario_matrices(ind_by_format: dict[str, pd.DataFrame], partners: pd.Index) -> dict[tuple[str, str], np.ndarray]:
    out = {}
    for fmt, ind in ind_by_format.items():
        for lower in CHOICES["normalisation"]:
            out[(fmt, lower)] = normalised(ind.reindex(partners), lower).to_numpy(dtype="float64", na_value=np.nan)
    return out


def _compare(base: np.ndarray, other: np.ndarray, partners: pd.Index, top: int = 10) -> dict:
    order = np.argsort(base, kind="stable")
    topi = order[:top]
    shift = np.abs(other - base)
    i = topi[np.argmax(shift[topi])]
    return {
        "spearman": _spearman(base, other),
        "largest_shift_top10": float(shift[i]),
        "who": str(partners[i]) if shift[i] > 0 else "",
        "mean_shift": float(np.nanmean(shift)),
        "leader": ", ".join(sorted(partners[other == 1])),
    }


def sensitivity(
    ind_by_format: dict[str, pd.DataFrame],
    weights: dict[str, float] | None = None,
    n: int = 200,
    seed: int = 20250509,
    concentration: float = 20.0,
) -> Sensitivity:
    """How the ranking moves when the modelling choices and the weights change.

    ``ind_by_format``: the indicator table for each exercise format (``indicators(..., exercise_format=f)``
    for every ``CHOICES['exercise_format']``). Every combination of ``CHOICES`` is a scenario;
    each is scored with the chosen weights and with ``n`` weight vectors drawn from
    Dirichlet(concentration x weights) (their mean is the chosen weights; 20 gives each weight a
    spread of roughly +-40% of its value; a zero weight stays zero), numpy ``default_rng(seed)``.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if concentration <= 0:
        raise ValueError("concentration must be > 0")
    missing_formats = [f for f in CHOICES["exercise_format"] if f not in ind_by_format]
    if missing_formats:
        raise ValueError(f"indicator tables missing for exercise format(s): {', '.join(missing_formats)}")
    w = check_weights(weights or DEFAULT_WEIGHTS)
    wv = np.array([w[d] for d in DIMENSIONS])
    base_fmt = BASELINE["exercise_format"]
    partners = ind_by_format[base_fmt].index
    cols = [c for c in INDICATORS if c in ind_by_format[base_fmt].columns]
    dim_idx, n_in_dim = _setup(cols)
    mats = _scenario_matrices({f: ind_by_format[f][cols] for f in CHOICES["exercise_format"]}, partners)

    rng = np.random.default_rng(seed)
    pos = wv > 0
    W = np.zeros((n, len(DIMENSIONS)))
    W[:, pos] = rng.dirichlet(concentration * wv[pos], size=n)
    Wall = np.vstack([wv[None, :], W])

    U = np.array([c in UNDATED for c in cols])

    def scores(choice: dict, Wd: np.ndarray) -> np.ndarray:
        X = mats[(choice["exercise_format"], choice["normalisation"])]
        return _composite(
            X, _discounts(cols, float(choice["undated_discount"])), Wd, dim_idx, n_in_dim, choice["missing"], U
        )

    base = _ranks(scores(BASELINE, wv[None, :]))[:, 0]
    keys = list(CHOICES)
    all_ranks = []
    for combo in itertools.product(*(CHOICES[k] for k in keys)):
        all_ranks.append(_ranks(scores(dict(zip(keys, combo)), Wall)))
    R = np.hstack(all_ranks)
    ranks = pd.DataFrame(
        {
            "baseline_rank": base,
            "median_rank": np.median(R, axis=1),
            "p5_rank": np.percentile(R, 5, axis=1, method="lower"),
            "p95_rank": np.percentile(R, 95, axis=1, method="higher"),
            "best_rank": R.min(axis=1),
            "worst_rank": R.max(axis=1),
            "share_first": (R == 1).mean(axis=1),
        },
        index=partners,
    )
    ranks.index.name = "partner"
    ranks = ranks.reset_index().sort_values(["baseline_rank", "partner"]).set_index("partner")

    rows = []
    for k in keys:
        for alt in CHOICES[k][1:]:
            choice = dict(BASELINE) | {k: alt}
            r = _ranks(scores(choice, wv[None, :]))[:, 0]
            rows.append({"choice": k, "alternative": alt} | _compare(base, r, partners))
    choices = pd.DataFrame(rows)

    drops = []
    for i, d in enumerate(DIMENSIONS):
        if wv[i] == 0:
            continue
        w2 = wv.copy()
        w2[i] = 0.0
        if w2.sum() == 0:
            continue
        r = _ranks(scores(BASELINE, (w2 / w2.sum())[None, :]))[:, 0]
        drops.append({"dimension": d} | _compare(base, r, partners))
    drop = pd.DataFrame(drops).sort_values(
        ["spearman", "largest_shift_top10", "dimension"], ascending=[True, False, True]
    )
    drop = drop.set_index("dimension")

    robust = 0
    for k in range(1, min(10, len(partners)) + 1):
        top = base <= k
        inside = R <= k
        if (inside[top].mean(axis=1) >= 0.9).all() and (inside[~top].mean(axis=1) <= 0.1).all():
            robust = k
    return Sensitivity(
        ranks=ranks,
        choices=choices,
        drop_one=drop,
        robust_top=robust,
        n=n,
        n_scenarios=len(all_ranks),
        seed=seed,
        concentration=concentration,
        most_influential=str(drop.index[0]) if len(drop) else "",
    )


def indicators_by_format(m: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """The indicator table under every exercise format, on the same partners (the baseline's)."""
    base = indicators(m, tables)
    return {
        f: indicators(m, tables, exercise_format=f).reindex(base.index).fillna({"exercise_ties": 0.0})
        for f in CHOICES["exercise_format"]
    }


# ---------------------------------------------------------------- tables for the chapter


def indicator_table(ind: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dimension | Indicator | Source | Absent means | Scaling | Evidence | Partners known: the framework as a table."""
    rows = []
    for col, spec in _FW["indicators"].items():
        row = {
            "Dimension": DIMENSION_LABELS[spec["dimension"]],
            "Indicator": spec["what"],
            "Source": spec["source"],
            "Absent means": "none" if str(spec["absent"]) == "0" else "unknown",
            "Scaling": "log, then scaled" if col in LOG_INDICATORS else "scaled",
            "Evidence": "undated, one source" if col in UNDATED else "dated or from a dataset",
        }
        if ind is not None:
            known = int(ind[col].notna().sum()) if col in ind.columns else 0
            row["Partners known"] = f"{known} of {len(ind)}"
        rows.append(row)
    return pd.DataFrame(rows)


def weights_table(weights: dict[str, float]) -> pd.DataFrame:
    """Dimension | Weight (share of the total) | Why."""
    w = check_weights(weights)
    return pd.DataFrame(
        [{"Dimension": DIMENSION_LABELS[d], "Weight": f"{w[d]:.0%}", "Why": WEIGHT_REASONS[d]} for d in w]
    )


def choices_table() -> pd.DataFrame:
    """Choice | Baseline | Alternatives tried: the modelling choices of the sensitivity analysis."""
    return pd.DataFrame(
        [
            {
                "Choice": CHOICE_NAMES[k],
                "Baseline": CHOICE_LABELS[k][v[0]],
                "Alternatives tried": "; ".join(CHOICE_LABELS[k][a] for a in v[1:]),
            }
            for k, v in CHOICES.items()
        ]
    )


def ranking_table(result: Index, sens: Sensitivity) -> pd.DataFrame:
    """Rank, partner, score, score range under unknown values, coverage, rank range from the score
    ranges, and 5th-95th percentile rank over every modelling choice and weighting."""
    t = result.table
    r = sens.ranks.reindex(t.index)

    def span(a, b):
        return f"{int(a)}" if a == b else f"{int(a)}-{int(b)}"

    return pd.DataFrame(
        {
            "Rank": t["rank"].astype("Int64").to_numpy(),
            "Partner": t.index,
            "Score": t["score"].round(0).astype("Int64").to_numpy(),
            "If unknowns were the best": t["high"].round(0).astype("Int64").to_numpy(),
            "Coverage": [f"{c:.0%}" for c in t["coverage"]],
            "Rank range (unknowns)": [span(a, b) for a, b in zip(t["best_rank"], t["worst_rank"])],
            "Rank range (choices, weights)": [span(a, b) for a, b in zip(r["p5_rank"], r["p95_rank"])],
        }
    )


def choices_result_table(sens: Sensitivity) -> pd.DataFrame:
    """One row per alternative choice and per dimension left out: correlation and the largest shift, side by side."""
    rows = []
    for r in sens.choices.itertuples():
        rows.append(
            {
                "What changes": f"{CHOICE_NAMES[r.choice]}: {CHOICE_LABELS[r.choice][r.alternative]}",
                "Rank correlation": r.spearman,
                "Largest shift in the top ten": r.largest_shift_top10,
                "Who": r.who,
                "First place": r.leader,
            }
        )
    for d, r in sens.drop_one.iterrows():
        rows.append(
            {
                "What changes": f"Weights: {DIMENSION_LABELS[d].lower()} left out",
                "Rank correlation": r["spearman"],
                "Largest shift in the top ten": r["largest_shift_top10"],
                "Who": r["who"],
                "First place": r["leader"],
            }
        )
    return pd.DataFrame(rows)


def sources_of(m: pd.DataFrame, partners) -> list[str]:
    """The sorted source ids behind the given partners' rows of the metrics table."""
    ids = set()
    for p in partners:
        if p in m.index and isinstance(m.loc[p, "source_ids"], str):
            ids |= {s for s in m.loc[p, "source_ids"].split(";") if s}
    return sorted(ids)


# ---------------------------------------------------------------- charts


def plot_ranking(table: pd.DataFrame, title: str | None = None, top_n: int = 20):
    """Horizontal bars of the score (what the sources record), a thin line to the score the partner
    would have if every unknown were the best partner's value, and its coverage as a label."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from partnerships.analysis import charts

    t = table.dropna(subset=["score"]).head(top_n).iloc[::-1]
    fig, ax = charts.new(height=0.22 * len(t) + 1.3)
    y = np.arange(len(t))
    ax.barh(y, t["score"], color=charts.SHADES[4], edgecolor="#555555", linewidth=0.4, height=0.6)
    ax.hlines(y, t["score"], t["high"], color=charts.GREY, linewidth=1.2)
    ax.plot(t["high"], y, "|", color=charts.GREY, markersize=7)
    for yy, (s, hi, c) in enumerate(zip(t["score"], t["high"], t["coverage"])):
        ax.text(
            max(s, hi) + 1.5, yy, f"{s:.0f}  ({c:.0%} known)", va="center", fontsize=charts.SMALL_PT, color="#333333"
        )
    ax.set_yticks(y, t.index)
    ax.set_xlim(0, 118)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.legend(
        handles=[
            Patch(facecolor=charts.SHADES[4], edgecolor="#555555", label="score: what the sources record"),
            Line2D([], [], color=charts.GREY, marker="|", label="score if every unknown were the best partner's"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=2,
    )
    charts.finish(
        ax, title, xlabel="Partnership index (0-100); label: score (share of the weight resting on known data)"
    )
    charts.attach_data(
        fig, t.iloc[::-1][[c for c in ("score", "high", "coverage", "known") if c in t.columns]].rename_axis("partner")
    )
    return fig


def plot_decomposition(table: pd.DataFrame, title: str | None = None, top_n: int = 15):
    """Stacked horizontal bars: each partner's score split into its dimensions' points."""
    from partnerships.analysis import charts

    dims = [d for d in DIMENSIONS if d in table.columns]
    t = table.dropna(subset=["score"]).head(top_n).iloc[::-1]
    fig, ax = charts.new(height=0.24 * len(t) + 1.5)
    left = np.zeros(len(t))
    for i, d in enumerate(dims):
        vals = t[d].fillna(0.0).to_numpy()
        ax.barh(
            t.index,
            vals,
            left=left,
            color=charts.PALETTE[i % len(charts.PALETTE)],
            edgecolor="white",
            linewidth=0.5,
            label=DIMENSION_LABELS.get(d, d),
        )
        left += vals
    for y, s in enumerate(t["score"]):
        ax.text(s + 1, y, f"{s:.0f}", va="center", fontsize=charts.SMALL_PT, color="#333333")
    ax.set_xlim(0, max(float(t["score"].max()) * 1.15, 10))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.45, -0.16))
    charts.finish(ax, title, xlabel="Points of the score contributed by each dimension")
    charts.attach_data(fig, t.iloc[::-1][dims + ["score"]].rename_axis("partner"))
    return fig


def plot_sensitivity(ranks: pd.DataFrame, title: str | None = None, top_n: int = 20):
    """Per partner: median rank (dot), 5th-95th percentile (thick bar), best-worst (thin line), baseline (x)."""
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
            Line2D(
                [],
                [],
                marker="x",
                linestyle="",
                color=charts.PALETTE[2],
                markeredgewidth=1.5,
                label="rank with the baseline choices and weights",
            ),
            Line2D([], [], color=charts.SHADES[1], linewidth=5, label="5th-95th percentile of ranks"),
            Line2D([], [], color=charts.GREY, linewidth=1, label="best to worst rank"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=2,
    )
    charts.finish(ax, title, xlabel="Rank over every modelling choice and weighting (1 = first)")
    charts.attach_data(fig, r.iloc[::-1].rename_axis("partner"))
    return fig
