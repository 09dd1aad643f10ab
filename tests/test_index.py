"""The partnership index: fixed weights (no silent re-weighting), format-weighted exercises, bilateral
treaties only, undated flags capped, ranges under unknown values, and a sensitivity analysis of the
modelling choices as well as the weights. The framework is data, shared with notebook 08."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from partnerships.analysis import index as ix

NAN = np.nan
ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- the framework is data, in one place


def test_framework_file_defines_weights_dimensions_and_indicators():
    fw = yaml.safe_load(ix.FRAMEWORK_FILE.read_text(encoding="utf-8"))
    assert list(ix.DEFAULT_WEIGHTS) == list(fw["dimensions"]) == ix.DIMENSIONS
    assert sum(ix.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert set(ix.WEIGHT_REASONS) == set(ix.DIMENSION_LABELS) == set(ix.DIMENSIONS)
    assert all(ix.WEIGHT_REASONS[d] for d in ix.DIMENSIONS)
    assert set(ix.INDICATORS.values()) == set(ix.DIMENSIONS)  # every dimension has an indicator
    assert set(ix.CHOICES) == set(ix.CHOICE_LABELS) == set(ix.CHOICE_NAMES)
    for k, values in ix.CHOICES.items():
        assert set(values) <= set(ix.CHOICE_LABELS[k]), k


def test_notebook_weight_parameters_equal_the_framework_defaults():
    """Notebook 08's weight parameters must not drift from the framework file."""
    from partnerships.engine.manifest import notebook_parameters

    params = notebook_parameters(ROOT / "notebooks" / "08-partnership-index.ipynb")
    weights = {name[2:]: p.default for name, p in params.items() if name.startswith("w_")}
    assert weights == ix.DEFAULT_WEIGHTS
    for name, p in params.items():
        if name.startswith("w_"):
            assert ix.WEIGHT_REASONS[name[2:]] in p.help, name  # the same reason, not a second wording


def test_a_framework_naming_an_unknown_dimension_is_rejected(tmp_path, monkeypatch):
    bad = yaml.safe_load(ix.FRAMEWORK_FILE.read_text(encoding="utf-8"))
    bad["indicators"]["agreements"]["dimension"] = "alliances"
    path = tmp_path / "index_framework.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    monkeypatch.setattr(ix, "FRAMEWORK_FILE", path)
    ix.framework.cache_clear()
    try:
        with pytest.raises(ValueError, match="indicator 'agreements' names unknown dimension 'alliances'"):
            ix.framework()
    finally:
        monkeypatch.undo()
        ix.framework.cache_clear()
        ix.framework()


# ----------------------------------------------------------------------------- normalisation and weights


def test_normalise_zero_floor_observed_and_rank():
    s = pd.Series([2.0, 4.0, NAN, 8.0, 0.0], index=list("abcde"), name="x")
    z = ix.normalise(s)
    assert z.tolist()[:2] == [0.25, 0.5] and np.isnan(z["c"]) and z["d"] == 1.0
    o = ix.normalise(s, lower="observed")
    assert o["e"] == 0.0 and o["a"] == pytest.approx(0.25) and o["d"] == 1.0
    r = ix.normalise(s, lower="rank")
    assert r["e"] == 0.0 and r["d"] == 1.0 and r["a"] < r["b"] < r["d"] and np.isnan(r["c"])
    n = ix.normalise(pd.Series([0.0, 9.0, 99.0], name="x"), log=True)
    assert n.iloc[1] == pytest.approx(np.log(10) / np.log(100))
    with pytest.raises(ValueError, match="indicator 'x' has negative values"):
        ix.normalise(pd.Series([-1.0, 2.0], name="x"))
    with pytest.raises(ValueError, match="normalisation must be 'zero', 'observed' or 'rank', not 'min'"):
        ix.normalise(s, lower="min")


def test_check_weights_rescales_and_rejects():
    assert ix.check_weights({"a": 1, "b": 3}, ["a", "b"]) == {"a": 0.25, "b": 0.75}
    with pytest.raises(ValueError, match="unknown dimension\\(s\\) in weights: zz"):
        ix.check_weights({"a": 1, "b": 1, "zz": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="no weight given for: b"):
        ix.check_weights({"a": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="weights must be finite and >= 0: a"):
        ix.check_weights({"a": -1, "b": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="weights sum to 0"):
        ix.check_weights({"a": 0, "b": 0}, ["a", "b"])


# ----------------------------------------------------------------------------- indicators from the tables


def test_exercise_editions_weigh_bilateral_above_co_attendance():
    ex = pd.DataFrame({"exercise_id": ["bi", "big", "small"], "year": [2009, 2010, 2011]})
    big = [f"C{i}" for i in range(23)]
    parts = pd.DataFrame(
        {
            "exercise_id": ["bi"] + ["big"] * 24 + ["small"] * 3 + ["big"],
            "partner": ["A"] + ["A"] + big + ["A", "B", "C"] + ["Mongolia"],
        }
    )
    share = ix.exercise_ties(ex, parts, "share")
    assert share["A"] == pytest.approx(1 + 1 / 24 + 1 / 3)  # Mongolia is not a foreign participant
    assert share["C0"] == pytest.approx(1 / 24)
    tiers = ix.exercise_ties(ex, parts, "tiers")
    assert tiers["A"] == pytest.approx(1.0 + 0.1 + 0.5) and tiers["C0"] == pytest.approx(0.1)
    assert ix.exercise_ties(ex, parts, "equal")["A"] == 3.0  # the first edition: co-attendance counted as a tie
    with pytest.raises(ValueError, match="exercise format must be one of share, tiers, equal, not 'x'"):
        ix.edition_weight(3, "x")


def test_an_undated_statement_is_not_an_edition():
    ex = pd.DataFrame({"exercise_id": ["held", "recurring"], "year": [2009, None]})
    parts = pd.DataFrame({"exercise_id": ["held", "recurring"], "partner": ["China", "China"]})
    assert ix.exercise_ties(ex, parts).to_dict() == {"China": 1.0}


ALLIANCES = pd.DataFrame(
    {
        "partner": ["China", "Russia", "Japan", "United States", "Bulgaria"],
        "year_from": [1994, 1994, 2005, 2009, 1995],
        "year_to": [2018, 2018, 2018, 2018, 2010],
        "defense": 0,
        "offense": 0,
        "neutral": 0,
        "nonagg": 1,
        "consul": 0,
        "source_id": "atop",
        "locator": "x",
    }
)


def test_multilateral_accessions_are_memberships_not_bilateral_treaties():
    scoped = ix.treaty_scope(ALLIANCES).set_index("partner")["multilateral"]
    assert scoped.to_dict() == {
        "China": False,
        "Russia": False,
        "Japan": True,
        "United States": True,
        "Bulgaria": False,
    }
    # in force in ATOP's last year and bilateral only (Bulgaria's spell ended in 2010)
    assert list(ix.bilateral_treaties(ALLIANCES).index) == ["China", "Russia"]
    # when the table marks the scope itself, that is used
    marked = ALLIANCES.assign(multilateral=["true", "false", "false", "true", "false"])
    assert list(ix.bilateral_treaties(marked).index) == ["Japan", "Russia"]


def test_visits_count_dated_events_only():
    ev = pd.DataFrame(
        {
            "partner": ["Russia", "Russia", "China", ""],
            "category": "visit",
            "status": ["confirmed", "contradicted", "as_reported", "confirmed"],
            "date": ["2024-09-03", "2021-09", "", "2020"],
        }
    )
    assert ix.visit_counts(ev).to_dict() == {"Russia": 1.0}


# ----------------------------------------------------------------------------- aggregation


def _toy():
    return pd.DataFrame(
        {
            "agreements": [2.0, 1.0, NAN, NAN],
            "bilateral_treaty": [1.0, 0.0, 0.0, 0.0],
            "exercise_ties": [3.0, 9.0, 1.0, 0.0],
            "students_per_year": [50.0, 300.0, NAN, NAN],
            "tiv_delivered_recent": [900.0, 0.0, 0.0, 0.0],
            "arms_deals_recent": [8.0, 1.0, 0.0, 0.0],
            "aid": [1.0, NAN, 1.0, NAN],
            "attache_in_mongolia": [1.0, 1.0, 1.0, 1.0],
            "visits": [2.0, NAN, NAN, NAN],
        },
        index=["A", "B", "C", "D"],
    )


def test_no_silent_reweighting_an_unknown_adds_nothing_and_widens_the_range():
    t = ix.compute(_toy()).table
    more_unknown = _toy()
    more_unknown.loc["B", "agreements"] = NAN
    t2 = ix.compute(more_unknown).table
    # B's other indicators keep their fixed weights: its score falls by exactly the agreement's points
    w = ix.check_weights(ix.DEFAULT_WEIGHTS)
    assert t.loc["B", "score"] - t2.loc["B", "score"] == pytest.approx(w["agreements"] / 2 * 0.5 * 100)
    assert t2.loc["B", "coverage"] == pytest.approx(t.loc["B", "coverage"] - w["agreements"] / 2)
    assert t2.loc["B", "high"] > t.loc["B", "high"]
    # the points add up to the score, which lies in its range
    assert (t[ix.DIMENSIONS].sum(axis=1) - t["score"]).abs().max() < 1e-9
    assert ((t["low"] <= t["score"] + 1e-9) & (t["score"] <= t["high"] + 1e-9)).all()
    assert t.loc["A", "coverage"] == pytest.approx(1.0) and t.loc["A", "known"] == "9/9"


def test_an_undated_flag_cannot_carry_a_score():
    t = ix.compute(_toy()).table
    # D has nothing dated: its attaché flag alone is worth 0 points, not a weight rescaled up to 100%
    assert t.loc["D", "score"] == 0.0 and t.loc["D", "undated"] == 0.0
    # for everyone, undated points are at most the dated points (never more than half the score)
    assert (t["undated"] <= t["score"] / 2 + 1e-9).all()
    # the first edition's method lets the flag stand for all the unknown dimensions
    old = ix.compute(_toy(), missing="renormalise").table
    assert old.loc["D", "score"] > 0


def test_rank_ranges_from_the_score_ranges():
    best, worst = ix.rank_bounds(
        pd.Series([80.0, 10.0, 5.0], index=list("abc")), pd.Series([80.0, 90.0, 6.0], index=list("abc"))
    )
    assert best.to_dict() == {"a": 1, "b": 1, "c": 3} and worst.to_dict() == {"a": 2, "b": 2, "c": 3}


def test_rank_ties_share_best_rank():
    r = ix.rank(pd.Series([5.0, 7.0, 5.0, NAN], index=list("abcd")))
    assert r.tolist()[:3] == [2, 1, 2] and pd.isna(r["d"])


# ----------------------------------------------------------------------------- sensitivity


def _by_format():
    base = _toy()
    return {
        "share": base,
        "tiers": base.assign(exercise_ties=[2.0, 9.0, 1.5, 0.0]),
        "equal": base.assign(exercise_ties=[5.0, 12.0, 8.0, 0.0]),
    }


def test_sensitivity_varies_every_modelling_choice_and_is_deterministic():
    s1 = ix.sensitivity(_by_format(), n=50, seed=7)
    s2 = ix.sensitivity(_by_format(), n=50, seed=7)
    pd.testing.assert_frame_equal(s1.ranks, s2.ranks)
    assert s1.n_scenarios == np.prod([len(v) for v in ix.CHOICES.values()])
    # one row per alternative of every choice, each with a correlation AND the largest top-ten shift
    assert [(r.choice, r.alternative) for r in s1.choices.itertuples()] == [
        (k, a) for k, v in ix.CHOICES.items() for a in v[1:]
    ]
    assert {"spearman", "largest_shift_top10", "who", "leader"} <= set(s1.choices.columns)
    r = s1.ranks
    assert (
        (r["best_rank"] <= r["p5_rank"])
        & (r["p5_rank"] <= r["median_rank"])
        & (r["median_rank"] <= r["p95_rank"])
        & (r["p95_rank"] <= r["worst_rank"])
    ).all()
    assert 0 <= s1.robust_top <= 4


def test_a_rank_swing_is_reported_even_when_the_correlation_is_high():
    s = ix.sensitivity(_by_format(), n=20, seed=1)
    for row in s.choices.itertuples():
        base_shift = row.largest_shift_top10
        assert (base_shift == 0) == (row.who == "")  # a shift always names who moved


def test_sensitivity_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n must be at least 1"):
        ix.sensitivity(_by_format(), n=0)
    with pytest.raises(ValueError, match="concentration must be > 0"):
        ix.sensitivity(_by_format(), concentration=0)
    with pytest.raises(ValueError, match="indicator tables missing for exercise format\\(s\\): equal"):
        ix.sensitivity({k: v for k, v in _by_format().items() if k != "equal"})


def test_tables_and_charts():
    r = ix.compute(_toy())
    s = ix.sensitivity(_by_format(), n=20, seed=5)
    t = ix.ranking_table(r, s)
    assert list(t.columns) == [
        "Rank",
        "Partner",
        "Score",
        "If unknowns were the best",
        "Coverage",
        "Rank range (unknowns)",
        "Rank range (choices, weights)",
    ]
    assert t["Partner"].tolist() == r.table.index.tolist()
    it = ix.indicator_table(_toy())
    assert it.loc[it["Indicator"].str.startswith("military attaché"), "Evidence"].item() == "undated, one source"
    assert ix.weights_table(ix.DEFAULT_WEIGHTS)["Weight"].tolist() == [f"{w:.0%}" for w in ix.DEFAULT_WEIGHTS.values()]
    assert len(ix.choices_table()) == len(ix.CHOICES)
    ct = ix.choices_result_table(s)
    assert len(ct) == len(s.choices) + len(s.drop_one)
    fig = ix.plot_ranking(r.table, "title", top_n=4)
    assert [x.get_text() for x in fig.axes[0].get_yticklabels()] == list(r.table.index[::-1])
    fig2 = ix.plot_decomposition(r.table, "t2", top_n=4)
    assert len(fig2.axes[0].patches) == 4 * len(ix.DIMENSIONS)
    fig3 = ix.plot_sensitivity(s.ranks, "t3")
    assert [x.get_text() for x in fig3.axes[0].get_yticklabels()] == list(s.ranks.index[::-1])
