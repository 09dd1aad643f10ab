"""Partner profile: rows per dimension from every table, honest empty profiles, timeline, sources."""

import pandas as pd
import pytest

from partnerships.analysis import profile


def tables():
    return {
        "partners": pd.DataFrame({"partner": ["Russia", "Soviet Union", "United States", "Nepal", "Chile"]}),
        "agreements": pd.DataFrame(
            {
                "partner": ["Russia", "United States"],
                "year": ["1993", "1996"],
                "date": ["1993-04-27", ""],
                "description": ["DCAD sector agreement: defense procurement", "DCAD sector agreement: training"],
                "source_id": ["dcad", "dcad"],
                "locator": ["DCADv1.0-1335", "DCADv1.0-0128"],
            }
        ),
        "alliances": pd.DataFrame(
            {
                "partner": ["Russia", "Nepal"],
                "year_from": ["1994", "2005"],
                "year_to": ["2018", "2018"],
                "defense": ["0", "0"],
                "offense": ["0", "0"],
                "neutral": ["0", "0"],
                "nonagg": ["1", "1"],
                "consul": ["0", "0"],
                "treaty": [
                    "Russia-Mongolia Treaty on Friendly Relations and Cooperation (1993)",
                    "Treaty of Amity (TAC)",
                ],
                "multilateral": [False, True],
                "treaty_source_id": ["fc_atop_members", "fc_asean_tac"],
                "treaty_locator": ["m", "n"],
                "treaty_confidence": ["moderate", "moderate"],
                "source_id": ["atop", "atop"],
                "locator": ["lines 894-918", "lines 1-14"],
            }
        ),
        "exercises": pd.DataFrame(
            {
                "exercise_id": ["selenga-2009", "selenga-2009", "kq-2003"],
                "name": ["Darkhan-2", "Darkhan-2", "Khaan Quest 2003"],
                "year": ["2009", "2009", "2003"],
                "source_id": ["mme", "russia_exercises", "mme"],
                "locator": ["a", "b", "c"],
            }
        ),
        "exercise_participants": pd.DataFrame(
            {
                "exercise_id": ["selenga-2009", "selenga-2009", "kq-2003", "kq-2003"],
                "partner": ["Russia", "Russia", "United States", "Nepal"],
                "role": ["participant", "participant", "host", "participant"],
                "source_id": ["mme", "russia_exercises", "mme", "mme"],
                "locator": ["mme3254", "id 90", "mme2372", "mme2372"],
            }
        ),
        "training_flows": pd.DataFrame(
            {
                "partner": ["Russia", "Russia"],
                "direction": ["mongolians_abroad", "mongolians_abroad"],
                "trainees": ["students and officers", "military personnel"],
                "count": ["50", "300"],
                "qualifier": ["about", "exactly"],
                "unit": ["per_year", "unknown"],
                "source_id": ["art_growth", "art_forefront"],
                "locator": ["para 9", "para 9"],
            }
        ),
        "us_training": pd.DataFrame(
            {
                "fiscal_year": ["1999", "1999", "2000"],
                "program": ["IMET", "APC", "IMET"],
                "students": ["235", "7", "100"],
                "fy_reported_as_completed": [True, True, True],
                "source_id": ["fmtr"] * 3,
                "locator": ["r1", "r2", "r3"],
            }
        ),
        "arms_transfers": pd.DataFrame(
            {
                "supplier": ["Russia", "Soviet Union", "Soviet Union"],
                "weapon_designation": ["T-72", "T-55", "BMP-1"],
                "weapon_description": ["tank", "tank", "IFV"],
                "number_ordered": ["100", "250", "400"],
                "order_year": ["2009", "1963", "1981"],
                "number_delivered": ["100", "250", "400"],
                "delivery_years": ["2012; 2015", "1964", "1982"],
                "source_id": ["sipri_trade_register"] * 3,
                "locator": ["l1", "l2", "l3"],
            }
        ),
        "partner_relations": pd.DataFrame(
            {
                "partner": ["Russia", "Russia"],
                "relation": ["attache_in_mongolia", "aid"],
                "detail": ["Russia has an attaché in Mongolia", "Russia gives non-refundable aid"],
                "source_id": ["art_growth", "art_growth"],
                "locator": ["para 8", "para 9"],
            }
        ),
        "events": pd.DataFrame(
            {
                "partner": ["Russia", "Russia", "Russia"],
                "year": ["2024", "2021", "2023"],
                "category": ["visit", "visit", "legal"],
                "event": ["Putin visits", "Claimed 2021 visit", "ICC warrant"],
                "status": ["confirmed", "contradicted", "confirmed"],
                "source_id": ["fc_tass", "art_forefront", "fc_icc"],
                "locator": ["r", "para 6", "pr"],
            }
        ),
    }


def test_collect_russia_covers_all_dimensions_with_sources():
    rows = profile.collect("Russia", tables())
    counts = rows["dimension"].value_counts().to_dict()
    assert counts == {
        "agreements": 1,
        "alliances": 1,
        "exercises": 1,
        "education": 2,
        "equipment": 1,
        "attaches": 1,
        "aid": 1,
        "visits": 2,
    }
    ex = rows[rows["dimension"] == "exercises"].iloc[0]
    # one edition named by two sources counts once, citing both
    assert (ex["what"], ex["year"], ex["source_id"]) == ("Darkhan-2", 2009, "mme; russia_exercises")
    al = rows[rows["dimension"] == "alliances"].iloc[0]
    assert al["what"] == (
        "Non-aggression obligations under the Russia-Mongolia Treaty on Friendly Relations "
        "and Cooperation (1993), from 1994, in force at the end of the data (2018)"
    )
    assert (al["year"], al["year_to"]) == (1994, 2018)
    edu = rows[rows["dimension"] == "education"]["what"].tolist()
    assert edu == [
        "300 Mongolian military personnel in training in Russia (period not given)",
        "about 50 Mongolian students and officers a year study or train in Russia",
    ]
    # the legal event (ICC) is not a dimension of the relationship; the soviet deals are not Russia's
    assert "ICC warrant" not in set(rows["what"])
    assert rows[rows["dimension"] == "equipment"]["what"].tolist() == [
        "T-72 (tank): 100 ordered, 100 delivered 2012; 2015"
    ]


def test_us_training_goes_to_the_united_states_only():
    us = profile.collect("United States", tables())
    edu = us[us["dimension"] == "education"]
    assert edu["what"].tolist() == [
        "FY1999: 242 Mongolian students in 2 US programmes",
        "FY2000: 100 Mongolian students in 1 US programmes",
    ]
    assert us[us["dimension"] == "exercises"]["what"].tolist() == ["Khaan Quest 2003 (host)"]
    assert profile.collect("Russia", tables())["what"].str.startswith("FY").sum() == 0


def test_summary_names_what_no_source_records():
    rows = profile.collect("Nepal", tables())
    s = profile.summary(rows, "Nepal")
    assert len(s) == len(profile.DIMENSIONS)
    assert s.loc[s["dimension"] == "Exercises", "rows"].item() == 1
    assert (
        s.loc[s["dimension"] == "Equipment", "what the sources say"].item()
        == "no source here records equipment for Nepal"
    )
    assert s.loc[s["dimension"] == "Bilateral treaties (ATOP)", "what the sources say"].item() == (
        "no source here records bilateral treaties (ATOP) for Nepal"
    )
    assert profile.missing(rows)[:2] == ["Agreements", "Bilateral treaties (ATOP)"]


def test_partner_with_no_rows_gives_empty_profile_not_error():
    rows = profile.collect("Chile", tables())
    assert rows.empty and rows.columns.tolist() == profile.ROW_COLUMNS
    assert profile.summary(rows, "Chile")["rows"].sum() == 0
    assert profile.partner_timeline(rows).empty
    assert profile.sources_for(rows).empty
    assert profile.chart(rows, "Chile", "t") is None


def test_absent_tables_count_as_empty():
    rows = profile.collect("Russia", {"agreements": tables()["agreements"]})
    assert rows["dimension"].tolist() == ["agreements"]


def test_check_partner_names_close_matches():
    with pytest.raises(ValueError, match=r"unknown partner 'Rusia': not in data/partners.csv. Did you mean: Russia\?"):
        profile.check_partner("Rusia", tables()["partners"])
    profile.check_partner("Nepal", tables()["partners"])


def test_timeline_sources_and_predecessor_note():
    rows = profile.collect("Russia", tables())
    tl = profile.partner_timeline(rows)
    assert tl["year"].tolist() == [1993, 1994, 2009, 2009, 2021, 2024]
    src = profile.sources_for(rows).set_index("source")
    assert src.loc["art_growth", "rows"] == 3
    assert src.loc["mme", "what it records"] == "exercises (1)"
    assert src.loc["russia_exercises", "rows"] == 1  # a shared row counts for each of its sources
    assert profile.predecessor_note("Russia", tables()) == (
        "Not counted above: the Soviet Union, Russia's predecessor, has 2 arms deals with Mongolia "
        "in the SIPRI register (orders 1963–1981); the equipment chapter shows them."
    )
    assert profile.predecessor_note("Nepal", tables()) is None


def test_chart_leaves_out_contradicted_rows():
    rows = profile.collect("Russia", tables())
    fig = profile.chart(rows, "Russia", "t")
    ax = fig.axes[0]
    xs = sorted(float(x) for coll in ax.collections for x, _ in coll.get_offsets())
    assert 2021.0 not in xs and 2024.0 in xs
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Visits and high-level contacts",
        "Equipment",
        "Exercises",
        "Bilateral treaties (ATOP)",
        "Agreements",
    ]


def test_in_sentence_adds_the_article():
    assert profile.in_sentence("United States") == "the United States"
    assert profile.in_sentence("Russia") == "Russia"


def test_claims_for_partner():
    claims = pd.DataFrame(
        {
            "claim_id": ["forefront_09", "forefront_05", "growth_01"],
            "partner": ["Russia", "Russia", None],
            "statement": ["supplies weapons", "visit 2021", "left"],
            "source_id": ["art_forefront", "art_forefront", "art_growth"],
            "locator": ["para 9", "para 6", "para 6"],
            "verdict": ["supported", "contradicted", "unverifiable"],
            "checked_against": ["sipri_trade_register", "fc_tass;dcad", None],
        }
    )
    c = profile.claims_for("Russia", claims)
    assert c["claim"].tolist() == ["forefront_05", "forefront_09"]
    assert c.loc[0, "checked against"] == "fc_tass; dcad"
    assert profile.claims_for("Nepal", claims).empty


def test_single_year_treaty_spell():
    t = tables()
    t["alliances"] = pd.DataFrame(
        {
            "partner": ["Russia", "China"],
            "year_from": [1992, 1994],
            "year_to": [1992, 2018],
            "defense": [1, 0],
            "offense": [0, 0],
            "neutral": [0, 0],
            "nonagg": [0, 1],
            "consul": [0, 0],
            "treaty": ["1966 treaty", "1994 treaty"],
            "multilateral": [False, False],
            "source_id": ["atop", "atop"],
            "locator": ["line 892", "l"],
        }
    )
    rows = profile.collect("Russia", t)
    assert rows.loc[rows["dimension"] == "alliances", "what"].tolist() == [
        "Defence obligations under the 1966 treaty, in force in 1992"
    ]


def test_dated_span_counts_treaty_ends():
    rows = profile.collect("Russia", tables())
    assert profile.dated_span(rows) == (1993, 2024)
    assert profile.dated_span(profile.collect("Chile", tables())) is None


def test_relation_already_in_a_specific_table_counts_once():
    t = tables()
    t["partner_relations"] = pd.concat(
        [
            t["partner_relations"],
            pd.DataFrame(
                {
                    "partner": ["Russia", "Russia"],
                    "relation": ["students_hosted", "students_hosted"],
                    "detail": ["About 50 a year go to Russia", "Students study in Russia"],
                    "source_id": ["art_growth", "art_growth"],
                    "locator": ["para 9, sentence 1", "para 8, sentence 3"],
                }
            ),
        ],
        ignore_index=True,
    )
    rows = profile.collect("Russia", t)
    edu = rows[rows["dimension"] == "education"]["what"].tolist()
    # para 9 is the training_flows row already; para 8 is a new fact
    assert "About 50 a year go to Russia" not in edu
    assert "Students study in Russia" in edu
    assert len(edu) == 3


def test_profile_flags_follow_the_substance_rule():
    """A partner has a profile chapter exactly when the sources cover more of its dimensions than
    they leave empty: no profile consists mostly of "no source records" rows."""
    from partnerships import data
    from partnerships.analysis import profile

    tables = profile.load_tables()
    partners = data.load("partners")
    wrong = []
    for _, r in partners.iterrows():
        if str(r["historical"]).lower() == "true":
            continue
        flagged = str(r["profile"]).lower() == "true"
        rows = profile.collect(r["partner"], tables)
        if flagged != profile.substantive(rows):
            wrong.append(
                f"{r['partner']}: profile={flagged}, covered {rows['dimension'].nunique()} vs empty {len(profile.missing(rows))}"
            )
    assert not wrong, "data/partners.csv profile flags disagree with the rule: " + "; ".join(wrong)
