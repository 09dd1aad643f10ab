"""The registers annex: every deal, milestone and exercise edition, with source tags and locators."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerships.analysis import registers


def arms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": ["ru-2014", "ru-2009", "au-2022", "su-1986"],
            "supplier": ["Russia", "Russia", "Australia", "Soviet Union"],
            "weapon_designation": ["BTR-70", "T-72", "EC145", "Mi-24P"],
            "weapon_description": ["APC", "tank", "light helicopter", "combat helicopter"],
            "number_ordered": ["10", "100", "2", "10"],
            "number_ordered_uncertain": ["true", "true", "false", "false"],
            "order_year": ["2014", "2009", "2022", "1986"],
            "order_year_uncertain": ["true", "false", "true", "true"],
            "delivery_years": ["2015", "2012; 2015", "2022", "1986; 1987; 1988"],
            "number_delivered": ["10", "100", "2", "10"],
            "number_delivered_uncertain": ["false", "false", "false", "false"],
            "tiv_delivered": ["2.7", "141.24", "2.6", "90"],
            "status": ["New", "Second hand but modernized", "Second hand", "New"],
            "comments": [
                "Second-hand BTR-70 but rebuilt to BTR-70M before delivery; aid",
                "Second-hand but modernized before delivery; aid",
                "Second-hand",
                "Mi-35P version; probably aid",
            ],
            "source_id": ["sipri_trade_register"] * 4,
            "locator": ["line 15995", "line 16034", "line 16038", "line 15990"],
        }
    )


def test_deal_register_reads_condition_and_terms_per_deal_newest_first():
    r = registers.deal_register(arms())
    assert r["Weapon"].tolist() == ["EC145", "BTR-70", "T-72", "Mi-24P"]
    assert r["Order"].tolist() == ["2022?", "2014?", "2009", "1986?"]
    # a system the status calls new but the comment calls second-hand is 'rebuilt'; terms follow the comment
    assert r["Condition"].tolist() == ["second-hand", "rebuilt", "second-hand", "new"]
    assert r["Terms"].tolist() == ["", "aid", "aid", "aid?"]
    assert r["Delivered in"].tolist() == ["2022", "2015", "2012, 2015", "1986-1988"]
    assert r["Where"].tolist() == ["line 16038", "line 15995", "line 16034", "line 15990"]


def test_deal_register_needs_a_deal_id():
    with pytest.raises(ValueError, match="deal_id"):
        registers.deal_register(arms().drop(columns="deal_id"))


@pytest.mark.parametrize(
    "ids, locators, expected",
    [
        ("mme", "mme: mme1918; mme: mme1927", "MME mme1918, mme1927"),
        (
            "mme;russia_exercises",
            "mme: mme3254; russia_exercises: id 90; line 90",
            "MME mme3254; Russia exercises list id 90; line 90",
        ),
        ("dcad; art_growth", "DCADv1.0-1822; para 7", "DCAD DCADv1.0-1822; Article A para 7"),
        ("fmtr", "2006_2007 report: Khaan Quest 06 (via extract)", "US FMTR 2006_2007 report: Khaan Quest 06"),
        ("dcad; art_growth", "DCADv1.0-1822", "Article A; DCAD: DCADv1.0-1822"),
    ],
)
def test_cite_places_pairs_each_source_tag_with_its_locators(ids, locators, expected):
    assert registers.cite_places(ids, locators) == expected


def test_event_register_numbers_milestones_and_cites_by_tag():
    ms = pd.DataFrame(
        {
            "date": ["1987–1992", "1999-12-08"],
            "kind": ["event", "agreement"],
            "partner": ["Soviet Union", "South Korea"],
            "milestone": ["Soviet forces withdraw", "DCAD sector agreement"],
            "source_id": ["fc_loc_mongolia_1991", "dcad; art_growth"],
            "locator": ["chapter on national security", "DCADv1.0-1822; para 7"],
        }
    )
    r = registers.event_register(ms)
    assert r["#"].tolist() == [1, 2]
    assert r["Source and place"].tolist() == [
        "LoC 1991 chapter on national security",
        "DCAD DCADv1.0-1822; Article A para 7",
    ]


def test_exercise_register_counts_an_edition_reported_twice_once():
    ex = pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2006", "khaan-quest-2006", "darkhan-1"],
            "name": ["Khaan Quest 2006", "Khaan Quest 06", "Darkhan 1"],
            "name_original": ["", "", ""],
            "series": ["khaan_quest", "khaan_quest", "selenga"],
            "year": ["2006", "2006", "2008"],
            "start_date": ["", "", ""],
            "end_date": ["", "", ""],
            "location": ["", "", ""],
            "host": ["Mongolia", "", "Mongolia"],
            "type": ["peacekeeping", "other", "warfighting"],
            "multilateral": ["true", "true", "false"],
            "source_id": ["mme", "fmtr", "mme"],
            "locator": ["mme2874", "2006_2007 report: Khaan Quest 06", "mme3188"],
            "note": ["", "", ""],
        }
    )
    parts = pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2006", "khaan-quest-2006", "darkhan-1"],
            "partner": ["United States", "Japan", "Russia"],
            "role": ["participant", "participant", "participant"],
            "source_id": ["mme", "mme", "mme"],
            "locator": ["mme2874", "mme2874", "mme3188"],
        }
    )
    r = registers.exercise_register(ex, parts)
    assert r["Edition"].tolist() == [
        "Khaan Quest 2006",
        "Darkhan 1 (Selenga series)",
    ]  # the series when the name hides it
    assert r["Partners"].tolist() == ["2", "1"] and r["Type"].tolist() == ["Peacekeeping", "Warfighting"]
    assert r.loc[0, "Source and place"] == "MME mme2874; US FMTR 2006_2007 report: Khaan Quest 06"
