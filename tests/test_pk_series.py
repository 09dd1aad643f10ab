"""Peacekeeping after 2014: one figure a year with its kind and source, never joining kinds silently."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerships.analysis import pk_series as P

MONTHLY = pd.DataFrame(
    {
        "date": ["2013-11-30", "2013-12-31", "2014-01-31", "2014-02-28"],
        "troops": [900, 910, 920, 930],
        "police": [0, 0, 0, 0],
        "experts": [10, 10, 10, 10],
        "source_id": "ipi_pk",
        "locator": "x",
    }
)


def yearly_row(year, measure, personnel, usable=True, quality="", mission="UNMISS", n_bases=None, source="radpko"):
    return {
        "country": "Mongolia",
        "year": year,
        "mission": mission,
        "measure": measure,
        "personnel": personnel,
        "troops": None,
        "police": None,
        "observers": None,
        "female": None,
        "n_bases": n_bases,
        "usable": usable,
        "quality": quality,
        "source_id": source,
        "locator": "x",
    }


YEARLY = pd.DataFrame(
    [
        yearly_row(2014, "african_bases_mean", 900.0, n_bases=2),
        yearly_row(2015, "african_bases_mean", 880.0, n_bases=2),
        yearly_row(2015, "african_bases_mean", 20.0, mission="UNAMID", n_bases=1),
        yearly_row(
            2015,
            "un_yearly_mean",
            800.0,
            usable=False,
            quality="one month short: understated",
            source="un_pk_open_data",
        ),
        yearly_row(2018, "un_yearly_mean", 870.0, source="un_pk_open_data"),
        yearly_row(2018, "un_yearly_mean", 15.0, mission="MINURSO", source="un_pk_open_data"),
        yearly_row(2018, "african_bases_mean", 873.0, n_bases=3),
    ]
)
CONTRIB = pd.DataFrame(
    {
        "date": ["2014-03-31", "2021-01-31"],
        "iso3": ["MNG", "MNG"],
        "country": "Mongolia",
        "personnel": [938, 886],
        "female": [None, 62],
        "un_rank": [None, 24],
        "source_id": ["ipi_pk", "un_pk_open_data"],
        "locator": "x",
    }
)
DEPLOY = pd.DataFrame(
    {
        "mission": "UNMISS",
        "year": [2021, 2023, 2023],
        "location": ["Bentiu", "Bentiu", "Juba"],
        "host_country": "South Sudan",
        "latitude": 9.2,
        "longitude": 29.8,
        "mongolia_unit_size": [850, 800, None],
        "unit_size_flag": ["estimate", "estimate", "size_unknown"],
        "contributors_at_location": 3,
        "source_id": "geopko",
        "locator": "x",
    }
)


def cands():
    return P.candidates(MONTHLY, YEARLY, CONTRIB, DEPLOY)


def test_candidates_keep_every_kind_with_its_detail():
    c = cands().set_index(["year", "kind"])
    assert c.loc[(2014, "monthly_headcount"), "value"] == pytest.approx(935.0)
    assert c.loc[(2014, "monthly_headcount"), "detail"] == "2 months (January-February)"
    assert (
        c.loc[(2015, "african_missions"), "value"] == 900.0
        and c.loc[(2015, "african_missions"), "detail"] == "3 base(s) in UNAMID, UNMISS"
    )
    assert not c.loc[(2015, P.FLAGGED), "usable"]
    assert c.loc[(2018, "un_yearly_mean"), "value"] == 885.0  # summed over missions
    assert (
        c.loc[(2021, "headcount_snapshot"), "detail"] == "31 January 2021"
    )  # the IPI snapshot is the monthly series, not repeated
    assert (2014, "headcount_snapshot") not in c.index
    assert c.loc[(2023, "map_estimate"), "detail"] == "2 location(s), 1 of unknown size"


def test_series_prefers_head_counts_and_never_uses_a_defective_year():
    s = P.series(cands(), 2013, 2024).set_index("year")
    assert s.loc[2014, "kind"] == "monthly_headcount"
    assert s.loc[2015, "kind"] == "african_missions"  # the UN mean of 2015 is flagged: shown, not chosen
    assert "UN yearly mean, defective year 800" in s.loc[2015, "others"]
    assert s.loc[2018, "kind"] == "un_yearly_mean" and "African missions only 873" in s.loc[2018, "others"]
    assert s.loc[2021, "kind"] == "headcount_snapshot" and s.loc[2023, "kind"] == "map_estimate"
    # a year no source covers says so instead of carrying a value over
    assert s.loc[2016, "kind"] == "none" and pd.isna(s.loc[2016, "value"])
    assert P.runs(s.reset_index())[:3] == [
        ("monthly_headcount", 2013, 2014),
        ("african_missions", 2015, 2015),
        ("none", 2016, 2017),
    ]


def test_overlaps_measure_the_difference_in_shared_years():
    o = P.overlaps(cands()).set_index(["first", "second"])
    row = o.loc[("un_yearly_mean", "african_missions")]
    assert row["years"] == [2018] and row["mean_diff_pct"] == pytest.approx((873 - 885) / 885 * 100)
    row = o.loc[("monthly_headcount", "african_missions")]
    assert row["years"] == [2014] and row["largest_diff_pct"] == pytest.approx((900 - 935) / 935 * 100)


def test_armed_forces_share_uses_each_series_only_where_it_has_a_figure():
    s = P.series(cands(), 2014, 2015)
    af = pd.DataFrame(
        {
            "year": [2014, 2015, 2014],
            "measure": ["iiss_active_personnel", "cow_milper", "cow_milper"],
            "personnel": [17500, 10000, 10000],
            "source_id": "x",
            "locator": "x",
        }
    )
    out = P.armed_forces_share(s, af).set_index("year")
    assert out.loc[2014, "share_iiss_active_personnel"] == pytest.approx(935 / 17500 * 100)
    assert pd.isna(out.loc[2015, "share_iiss_active_personnel"])  # not carried forward from 2014
    assert out.loc[2015, "share_cow_milper"] == pytest.approx(9.0)


def test_year_span():
    assert P.year_span([2011, 2012, 2013, 2018]) == "2011-2013, 2018"


def test_plateau_is_the_last_stretch_near_its_own_top():
    s = pd.DataFrame({"year": [2010, 2011, 2012, 2013, 2014, 2015], "value": [400, 100, 900, 950, 800, 940]})
    assert P.plateau(s) == {"first": 2012, "last": 2015, "low": 800.0, "high": 950.0}
    # a year without a figure ends the stretch: the band never spans a gap
    gap = s.assign(value=[400, 100, 900, float("nan"), 800, 940])
    assert P.plateau(gap)["first"] == 2014
    assert P.plateau(s, share=0.9)["first"] == 2015  # 800 < 0.9 x 950


def test_run_table_gives_each_stretch_its_kind_source_and_range():
    s = P.series(cands(), 2013, 2024)
    rt = P.run_table(s)
    assert "none" not in set(rt["kind"])  # years no source covers are not a stretch of figures
    first = rt.iloc[0]
    assert (first["first"], first["last"], first["kind"], first["source_id"]) == (
        2013,
        2014,
        "monthly_headcount",
        "ipi_pk",
    )
    assert first["low"] == pytest.approx(915.0)  # 2013: mean of 910 and 920 and first["high"] == pytest.approx(935.0)
    assert rt.set_index("kind").loc["headcount_snapshot", "source_id"] == "un_pk_open_data"


def test_the_whole_record_chart_attaches_both_parts_and_skips_defective_years():
    from partnerships.analysis import charts
    from partnerships.analysis import peacekeeping as pk

    c = cands()
    fig = P.plot_whole(pk.monthly(MONTHLY), c, P.series(c, 2013, 2024))
    d = charts.attached_data(fig)
    later = d[d["panel"] == "yearly figures after the monthly series"]
    assert P.FLAGGED not in set(later["kind"]) and later["year"].min() == 2015
    assert len(d[d["panel"] == "monthly head-count"]) == len(MONTHLY)


def test_a_level_claimed_on_counts_stops_where_the_counts_stop():
    """Map-symbol estimates (standard unit sizes) are left out of the counted series, so a plateau
    computed on it ends with the last year that has a count."""
    s = pd.DataFrame(
        {
            "year": [2019, 2020, 2021, 2022, 2023],
            "value": [885.0, 888.0, 886.0, 800.0, 950.0],
            "kind": ["un_yearly_mean", "un_yearly_mean", "headcount_snapshot", "map_estimate", "map_estimate"],
        }
    )
    assert list(P.counted(s)["year"]) == [2019, 2020, 2021]
    assert P.plateau(P.counted(s)) == {"first": 2019, "last": 2021, "low": 885.0, "high": 888.0}
    assert P.plateau(s)["last"] == 2023  # the whole series would run the claim into the estimates
