import numpy as np
import pandas as pd
import pytest

from partnerships.analysis import index as ix

NAN = np.nan


def test_normalise_zero_floor_and_observed_minmax():
    s = pd.Series([2.0, 4.0, NAN, 8.0], index=list("abcd"), name="x")
    z = ix.normalise(s)
    assert z.tolist()[:2] == [0.25, 0.5] and np.isnan(z["c"]) and z["d"] == 1.0
    o = ix.normalise(s, lower="observed")
    assert o["a"] == 0.0 and o["b"] == pytest.approx(1 / 3) and o["d"] == 1.0 and np.isnan(o["c"])


def test_normalise_log_and_degenerate():
    s = pd.Series([0.0, 9.0, 99.0], index=list("abc"), name="x")
    n = ix.normalise(s, log=True)
    assert n["a"] == 0.0 and n["b"] == pytest.approx(np.log(10) / np.log(100)) and n["c"] == 1.0
    # every known value equal to the floor: cannot tell partners apart -> 0, unknown stays unknown
    flat = ix.normalise(pd.Series([0.0, 0.0, NAN], name="x"))
    assert flat.iloc[:2].tolist() == [0.0, 0.0] and np.isnan(flat.iloc[2])
    with pytest.raises(ValueError, match="indicator 'x' has negative values"):
        ix.normalise(pd.Series([-1.0, 2.0], name="x"))
    with pytest.raises(ValueError, match="lower must be 'zero' or 'observed', not 'min'"):
        ix.normalise(s, lower="min")


def test_check_weights_rescales_and_rejects():
    w = ix.check_weights({"a": 1, "b": 3}, ["a", "b"])
    assert w == {"a": 0.25, "b": 0.75}
    with pytest.raises(ValueError, match="unknown dimension\\(s\\) in weights: zz"):
        ix.check_weights({"a": 1, "b": 1, "zz": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="no weight given for: b"):
        ix.check_weights({"a": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="weights must be finite and >= 0: a"):
        ix.check_weights({"a": -1, "b": 1}, ["a", "b"])
    with pytest.raises(ValueError, match="weights sum to 0"):
        ix.check_weights({"a": 0, "b": 0}, ["a", "b"])
    assert sum(ix.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert set(ix.WEIGHT_REASONS) == set(ix.DEFAULT_WEIGHTS) == set(ix.DIMENSIONS)


def test_dimension_scores_average_known_indicators_only():
    ind = pd.DataFrame(
        {"tiv_delivered_recent": [0.0, 0.0], "arms_deals_recent": [4.0, 2.0], "aid": [NAN, 1.0]}, index=["P", "Q"]
    )
    s = ix.dimension_scores(ind)
    # P: mean(0, 1) ; Q: mean(0, 0.5, 1)
    assert list(s.columns) == ["equipment"]
    assert s.loc["P", "equipment"] == 0.5 and s.loc["Q", "equipment"] == 0.5


def test_aggregate_renormalises_weights_over_known_dimensions():
    scores = pd.DataFrame({"a": [1.0, 0.5, NAN], "b": [NAN, 1.0, NAN]}, index=["P", "Q", "R"])
    out = ix.aggregate(scores, {"a": 1, "b": 3})
    # P knows only a: score = 1.0 * 100, coverage 0.25
    assert out.loc["P", "score"] == 100.0 and out.loc["P", "coverage"] == 0.25
    # Q: (0.25*0.5 + 0.75*1.0) / 1.0 = 0.875
    assert out.loc["Q", "score"] == pytest.approx(87.5)
    assert out.loc["Q", "a"] == pytest.approx(12.5) and out.loc["Q", "b"] == pytest.approx(75.0)
    # R knows nothing: unknown, not zero
    assert np.isnan(out.loc["R", "score"]) and out.loc["R", "coverage"] == 0.0


def _toy():
    # A leads on equipment, B on exercises, C sits in between
    return pd.DataFrame(
        {
            "agreements": [1.0, 1.0, 1.0],
            "exercise_editions": [0.0, 99.0, 9.0],
            "bilateral_exercise_editions": [0.0, 4.0, 2.0],
            "students_per_year": [NAN, 9.0, NAN],
            "tiv_delivered_recent": [999.0, 0.0, 9.0],
            "arms_deals_recent": [8.0, 0.0, 2.0],
            "attache_in_mongolia": [1.0, 1.0, 0.0],
            "visits": [NAN, NAN, NAN],
        },
        index=["A", "B", "C"],
    )


def test_compute_table_shape_and_coverage():
    r = ix.compute(_toy())
    t = r.table
    assert list(t.columns[:4]) == ["rank", "score", "coverage", "known"]
    assert t.loc["A", "known"] == "4/6" and t.loc["B", "known"] == "5/6"
    # contributions add up to the score
    dims = [d for d in ix.DIMENSIONS if d in t.columns]
    assert (t[dims].sum(axis=1) - t["score"]).abs().max() < 1e-9
    assert r.weights["contacts"] == pytest.approx(0.10)
    assert t["score"].between(0, 100).all()


def test_ranking_flips_when_weights_change():
    ind = _toy()
    eq = {d: 0.0 for d in ix.DIMENSIONS}
    by_equipment = ix.compute(ind, dict(eq, equipment=1.0, agreements=0.1)).table
    by_exercises = ix.compute(ind, dict(eq, exercises=1.0, agreements=0.1)).table
    assert by_equipment.index[0] == "A" and by_equipment.loc["B", "rank"] == 3
    assert by_exercises.index[0] == "B" and by_exercises.loc["A", "rank"] == 3


def test_missing_as_zero_is_a_pessimistic_check():
    ind = _toy()
    unknown = ix.compute(ind).table
    zero = ix.compute(ind, missing="zero").table
    # B's education (9 students, the only known value) is 1.0 either way; A loses its unknown education
    assert zero.loc["A", "score"] < unknown.loc["A", "score"]
    assert unknown.loc["A", "coverage"] == pytest.approx(0.70)  # education and contacts unknown
    assert zero.loc["A", "coverage"] == 1.0 and (zero["contacts"] == 0).all()  # unknown visits became 0
    with pytest.raises(ValueError, match="missing must be 'unknown' or 'zero', not 'drop'"):
        ix.compute(ind, missing="drop")


def test_sensitivity_is_deterministic_and_names_the_mover():
    r = ix.compute(_toy())
    s1 = ix.sensitivity(r.scores, r.weights, n=300, seed=7)
    s2 = ix.sensitivity(r.scores, r.weights, n=300, seed=7)
    pd.testing.assert_frame_equal(s1.ranks, s2.ranks)
    pd.testing.assert_frame_equal(s1.drop_one, s2.drop_one)
    assert list(s1.ranks.columns) == [
        "baseline_rank", "median_rank", "p5_rank", "p95_rank", "best_rank", "worst_rank", "share_first",
    ]
    assert (s1.ranks["p5_rank"] <= s1.ranks["median_rank"]).all()
    assert (s1.ranks["median_rank"] <= s1.ranks["p95_rank"]).all()
    assert s1.ranks["share_first"].sum() == pytest.approx(1.0)
    assert s1.most_influential == s1.drop_one.index[0]


def test_sensitivity_drop_one_detects_the_dimension_that_flips_the_leader():
    scores = pd.DataFrame(
        {"equipment": [1.0, 0.0, 0.5], "exercises": [0.3, 1.0, 0.5], "presence": [1.0, 1.0, 1.0]},
        index=["A", "B", "C"],
    )
    w = {"equipment": 0.5, "exercises": 0.3, "presence": 0.2}
    s = ix.sensitivity(scores, w, n=200, seed=1)
    assert s.ranks.loc["A", "baseline_rank"] == 1
    assert s.drop_one.loc["equipment", "leader_without"] == "B"
    assert s.most_influential == "equipment"
    assert s.drop_one.loc["presence", "spearman_without"] == pytest.approx(1.0)
    # under Dirichlet draws the lead is not certain: B wins some draws
    assert 0 < s.ranks.loc["B", "share_first"] < 0.5


def test_sensitivity_rejects_bad_arguments():
    r = ix.compute(_toy())
    with pytest.raises(ValueError, match="n must be at least 1"):
        ix.sensitivity(r.scores, r.weights, n=0)
    with pytest.raises(ValueError, match="concentration must be > 0"):
        ix.sensitivity(r.scores, r.weights, concentration=0)


def test_rank_ties_share_best_rank():
    r = ix.rank(pd.Series([5.0, 7.0, 5.0, NAN], index=list("abcd")))
    assert r.tolist()[:3] == [2, 1, 2] and pd.isna(r["d"])


def test_charts_show_coverage_and_contributions():
    r = ix.compute(_toy())
    fig = ix.plot_ranking(r.table, "title", top_n=3)
    ax = fig.axes[0]
    bars = ax.patches[:3]  # drawn bottom (lowest score) to top
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(r.table.index[::-1])
    hatches = {lab: b.get_hatch() for lab, b in zip(labels, bars)}
    # A: agreements, exercises, equipment, presence known = 4/6 (more than half): plain fill
    assert r.table.loc["A", "known"] == "4/6" and not hatches["A"]
    assert ax.get_title(loc="left") == "title"
    fig2 = ix.plot_decomposition(r.table, "t2", top_n=3)
    ax2 = fig2.axes[0]
    # one bar per partner per dimension with a column in the table
    dims = [d for d in ix.DIMENSIONS if d in r.table.columns]
    assert len(ax2.patches) == 3 * len(dims)
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == [ix.DIMENSION_LABELS[d] for d in dims]
    s = ix.sensitivity(r.scores, r.weights, n=50, seed=3)
    fig3 = ix.plot_sensitivity(s.ranks, "t3")
    assert [t.get_text() for t in fig3.axes[0].get_yticklabels()] == list(s.ranks.index[::-1])


def test_ranking_and_method_tables():
    ind = _toy()
    r = ix.compute(ind)
    s = ix.sensitivity(r.scores, r.weights, n=100, seed=5)
    z = ix.compute(ind, missing="zero")
    t = ix.ranking_table(r, s, z, kinds=pd.Series({"A": "equipment", "B": "exercises"}))
    assert list(t.columns) == ["Rank", "Partner", "Score", "Known", "Rank range", "If unknown = 0", "Kinds"]
    assert t["Partner"].tolist() == r.table.index.tolist() and t.loc[t["Partner"] == "C", "Kinds"].item() == ""
    it = ix.indicator_table(ind)
    assert it.loc[it["Indicator"].str.startswith("Mongolian students"), "Partners known"].item() == "1 of 3"
    assert it.loc[it["Indicator"].str.startswith("exercise editions"), "Scaling"].item() == "log, then min-max"
    w = ix.weights_table(ix.DEFAULT_WEIGHTS)
    assert w["Weight"].tolist() == ["15%", "20%", "20%", "20%", "15%", "10%"]
