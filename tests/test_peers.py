"""Peers: spending per person and share of GDP with the year each figure is from; ranks among ALL contributors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from partnerships.analysis import peers


def milex():
    me = pd.DataFrame(
        {
            "year": [2023, 2024, 2024],
            "measure": ["constant_2023_usd_m", "constant_2023_usd_m", "share_gdp_pct"],
            "value": [100.0, 150.0, 0.8],
            "source_id": "sipri_milex",
            "locator": "x",
            "note": "",
        }
    )
    peer = pd.DataFrame(
        {
            "country": ["Nepal", "Nepal", "Uzbekistan", "Uzbekistan", "Uzbekistan"],
            "year": [2024, 2024, 2018, 2018, 2024],
            "measure": [
                "constant_2023_usd_m",
                "share_gdp_pct",
                "constant_2023_usd_m",
                "share_gdp_pct",
                "share_gdp_pct",
            ],
            "value": [400.0, 1.2, 1750.0, 3.0, None],
            "source_id": "sipri_milex",
            "locator": "x",
            "note": "",
        }
    )
    return peers.milex_long(me, peer)


POP = pd.DataFrame(
    {
        "iso3": ["MNG", "MNG", "NPL", "UZB", "ABC", "NPL", "MNG"],
        "country": "x",
        "year": [2024, 2014, 2024, 2018, 2014, 2014, 2021],
        "population": [3_000_000, 2_900_000, 30_000_000, 32_000_000, 1_000_000, 28_000_000, 3_300_000],
        "source_id": "wb_population",
        "locator": "x",
    }
)
ISO = {"Mongolia": "MNG", "Nepal": "NPL", "Uzbekistan": "UZB"}


def test_spending_uses_the_latest_year_with_data_and_says_which():
    t = peers.spending(milex(), peers.population_of(POP, ISO), ["Mongolia", "Nepal", "Uzbekistan"], 2024)
    assert t.loc["Mongolia", "per_person_usd"] == pytest.approx(150e6 / 3_000_000)
    # Uzbekistan's last figures are from 2018: its per-person figure uses 2018's population, and the year is shown
    assert (t.loc["Uzbekistan", "real_year"], t.loc["Uzbekistan", "share_year"]) == (2018, 2018)
    assert t.loc["Uzbekistan", "per_person_usd"] == pytest.approx(1750e6 / 32_000_000)
    assert list(t.index) == ["Uzbekistan", "Nepal", "Mongolia"]  # by share of GDP
    assert peers.spending_rank(t, "share_gdp_pct") == (3, 3)


def test_unknown_country_is_named_with_the_valid_ones():
    with pytest.raises(ValueError, match="not in the peer tables: Atlantis; valid: Mongolia, Nepal"):
        peers.check_countries(["Nepal", "Atlantis"], {"Mongolia", "Nepal"})


CONTRIB = pd.DataFrame(
    {
        "date": ["2014-03-31"] * 3,
        "iso3": ["MNG", "NPL", "ABC"],
        "country": ["Mongolia", "Nepal", "Abc"],
        "personnel": [900, 4500, 500],
        "female": None,
        "un_rank": None,
        "source_id": "ipi_pk",
        "locator": "x",
    }
)


def test_ranks_are_among_all_contributors_absolute_and_per_million():
    r = peers.contributor_ranks(CONTRIB, POP, "2014-03-31")
    assert r.loc["MNG", "per_million"] == pytest.approx(900 / 2.9)
    # by personnel Nepal first; per million the small country ABC (500 per million) first, Mongolia second
    assert (r.loc["NPL", "rank"], r.loc["MNG", "rank"], r.loc["ABC", "rank"]) == (1, 2, 3)
    assert (r.loc["ABC", "rank_per_million"], r.loc["MNG", "rank_per_million"], r.loc["NPL", "rank_per_million"]) == (
        1,
        2,
        3,
    )
    assert set(r["n"]) == {3}


def test_a_country_absent_from_the_list_contributed_nothing_and_has_no_rank():
    pk = peers.peacekeeping(CONTRIB, POP, ISO)
    uz = pk[pk.country == "Uzbekistan"].iloc[0]
    assert (uz.personnel, uz.listed) == (0.0, False) and pd.isna(uz["rank"])
    assert peers.share_of_all(CONTRIB, "2014-03-31", "MNG") == pytest.approx(900 / 5900 * 100)


def test_unknown_date_is_named():
    with pytest.raises(ValueError, match="no contributors listed for 2020-01-31; dates: 2014-03-31"):
        peers.contributor_ranks(CONTRIB, POP, "2020-01-31")


def test_latest_skips_missing():
    s = pd.Series([1.0, math.nan], index=[2017, 2018])
    assert peers.latest(s, 2024) == (1.0, 2017) and peers.latest(s, 2016)[1] is None


def test_share_band_is_the_median_and_middle_half_of_the_countries_with_a_value():
    long = pd.DataFrame(
        {
            "country": ["A", "B", "C", "D", "A", "B", "Mongolia"],
            "year": [2000, 2000, 2000, 2000, 2001, 2001, 2000],
            "measure": ["share_gdp_pct"] * 7,
            "value": [1.0, 2.0, 3.0, 4.0, 1.0, None, 9.0],
        }
    )
    band = peers.share_band(long, ["A", "B", "C", "D"])
    assert band.loc[2000, "median"] == 2.5 and band.loc[2000, "n"] == 4  # Mongolia is not its own peer
    assert (band.loc[2000, "low"], band.loc[2000, "high"]) == (1.75, 3.25)
    assert band.loc[2001, "n"] == 1 and band.loc[2001, "median"] == 1.0  # a missing value is not a zero


def test_below_median_since_is_the_start_of_the_last_unbroken_run_below():
    band = pd.DataFrame({"median": [2.0, 2.0, 2.0, 2.0, 2.0]}, index=[2000, 2001, 2002, 2003, 2004])
    own = pd.Series([1.0, 3.0, 1.5, 1.0, 1.9], index=[2000, 2001, 2002, 2003, 2004])
    assert peers.below_median_since(own, band) == 2002  # below in 2000 too, but 2001 broke the run
    assert peers.below_median_since(own.replace(1.9, 2.5), band) is None  # above in the last year
    assert peers.below_median_since(pd.Series([1.0, 1.0], index=[2003, 2004]), band) == 2003
