"""Partner profile: rows per dimension from every table (the substance rule), and the analytical
section each profiled partner gets: opening finding, dimension table, gaps, treaty, visits, claims."""

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


def test_partner_with_no_rows_gives_empty_profile_not_error():
    rows = profile.collect("Chile", tables())
    assert rows.empty and rows.columns.tolist() == profile.ROW_COLUMNS
    assert not profile.substantive(rows)


def test_absent_tables_count_as_empty():
    rows = profile.collect("Russia", {"agreements": tables()["agreements"]})
    assert rows["dimension"].tolist() == ["agreements"]


def test_check_partner_names_close_matches():
    with pytest.raises(ValueError, match=r"unknown partner 'Rusia': not in data/partners.csv. Did you mean: Russia\?"):
        profile.check_partner("Rusia", tables()["partners"])
    profile.check_partner("Nepal", tables()["partners"])


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


# ----------------------------------------------------------------------------- the analytical section


def _cell(dimension, level, fact="", sources=("dcad",), detail="x"):
    from partnerships.analysis.compare import Cell

    return Cell("P", dimension, float(level), "s", detail, list(sources), fact)


def test_opening_leads_with_the_deepest_dimensions_and_says_what_rests_on_articles():
    cells = [
        _cell("equipment", 3, "8 arms deals since 1992", ["sipri_trade_register"]),
        _cell("education", 3, "about 50 students a year", ["art_growth"]),
        _cell("visits", 2, "3 dated visits", ["fc_tass_putin_visit_2024"]),
        _cell("attaches", 1, "in Ulaanbaatar", ["art_growth"]),
        _cell("aid", float("nan"), sources=[]),
        _cell("agreements", 0, sources=[]),
    ]
    text = profile.opening("Russia", cells)
    assert text == (
        "Russia's weight in Mongolia's defence lies in equipment and training. "  # the deep dimensions, in order
        "With Russia, the datasets record 8 arms deals since 1992 and 3 dated visits. "  # backed facts only
        "The depth of Russia's training is the articles' word alone, about 50 students a year; no dataset counts it. "
        "Article A alone mentions Russia's attaché. "
        "Neither ATOP nor DCAD records a treaty or agreement with Russia; "
        "nothing here covers any aid from Russia, so its absence from this section says nothing."
    )
    # no parenthetical lists, no templated 'rests on ... Less is recorded on' frame
    assert "(" not in text and "Less is recorded" not in text and "rests on" not in text


def test_opening_for_thin_and_empty_partners():
    thin = [_cell("exercises", 1, "2 multinational editions, 2000–2004", ["mme"])]
    assert profile.opening("the Netherlands", thin).startswith(
        "The Netherlands appears in Mongolia's defence record only in passing: every tie the sources hold is thin."
    )
    assert profile.opening("Chile", [_cell("aid", float("nan"), sources=[])]) == (
        "No source here records any defence tie between Mongolia and Chile."
    )
    assert profile.possessive("the United States") == "the United States'"


def test_dimension_table_lists_recorded_dimensions_with_tags_not_ids():
    cells = [
        _cell("equipment", 3, detail="8 arms deals", sources=["sipri_trade_register", "art_forefront"]),
        _cell("attaches", 1, detail="Russia keeps an attaché", sources=["art_growth"]),
        _cell("aid", float("nan"), detail="", sources=[]),
        _cell("agreements", 0, detail="", sources=[]),
    ]
    t = profile.dimension_table(cells)
    assert t.to_dict("records") == [
        {
            "Dimension": "Equipment",
            "What the sources record": "8 arms deals",
            "Depth": "deep",
            "Sources": "Article B; SIPRI arms",
        },
        {
            "Dimension": "Attaché",
            "What the sources record": "Russia keeps an attaché",
            "Depth": "present",
            "Sources": "Article A",
        },
    ]


def test_claims_sentence_counts_verdicts_names_the_contradiction_and_points_to_the_register():
    claims = pd.DataFrame(
        {
            "partner": ["Russia", "Russia", "Russia", "China"],
            "statement": ["Russia supplies weapons", "President Putin visited in 2021", "The exercise is annual", "x"],
            "source_id": ["art_forefront", "art_forefront", "art_growth", "art_growth"],
            "verdict": ["supported", "contradicted", "partly_supported", "unverifiable"],
            "checked_against": ["sipri_trade_register", "fc_tass_putin_visit_2024", "mme", None],
        }
    )
    assert profile.claims_sentence("Russia", claims) == (
        "The two articles make 3 claims about Russia (2 in article B, 1 in article A): 1 is confirmed by another source, "
        "1 is partly supported and 1 is contradicted. The claim that President Putin visited in 2021 is refuted by TASS 2024. "
        "@ch-sources lists all 3 claims about Russia, each with its verdict and evidence."
    )
    assert profile.claims_sentence("China", claims) == (
        "Article A makes 1 claim about China, and it cannot be checked here. "
        "@ch-sources gives the claim about China with its verdict and evidence."
    )
    assert profile.claims_sentence("Nepal", claims) == "Neither article makes a checkable claim about Nepal."


def test_treaty_paragraph_reads_spells_and_says_the_clauses_are_not_here():
    t = {
        "alliances": pd.DataFrame(
            {
                "partner": ["Russia", "Russia", "Japan"],
                "year_from": ["1992", "1994", "2005"],
                "year_to": ["1993", "2018", "2018"],
                "defense": ["1", "0", "0"],
                "offense": ["0", "0", "0"],
                "neutral": ["0", "0", "0"],
                "nonagg": ["0", "1", "1"],
                "consul": ["0", "0", "0"],
                "treaty": ["1966 treaty", "1993 treaty", "TAC"],
                "multilateral": ["false", "false", "true"],
                "source_id": ["atop"] * 3,
                "locator": ["a", "b", "c"],
            }
        )
    }
    assert profile.treaty_paragraph("Russia", t) == (
        "ATOP records between Mongolia and Russia the 1966 treaty's defence obligation, continued to 1993, and the "
        "1993 treaty's non-aggression obligation, from 1994, in force at the end of the data (2018). What the 1993 "
        "treaty says beyond that is not in the sources here: ATOP codes only the type of obligation."
    )
    assert profile.treaty_paragraph("Japan", t) is None  # a membership is no bilateral treaty


def test_visits_paragraph_only_where_the_visit_data_reach():
    cv = pd.DataFrame(
        {
            "country": ["Mongolia"] * 6 + ["Nepal"] * 6,
            "year": list(range(2010, 2016)) * 2,
            "military_visits": [2, 1, 0, 0, 0, 0] + [1, None, 1, None, None, 1],
        }
    )
    t = {"china_visits": cv}
    assert profile.visits_paragraph("China", t) == (
        "AidData records 3 high-level military visits between China and Mongolia in 2010-2015: 2 before 2011 and 1 "
        "from 2011 to 2015 (the last in 2011). The source does not record a year without a visit the same way for "
        "every country: for Mongolia it writes zero, for Nepal it leaves the year blank. A rate per year covered "
        "would divide Mongolia's visits by every year and the others' by their visit years only, so no ranking "
        "against them is drawn here; Mongolia's zeros after 2011 may equally be years the source did not fill."
    )
    assert "ranks" not in profile.visits_paragraph("China", t)  # zero-filled against blank rows: no rate ranking
    assert profile.visits_paragraph("Russia", t) is None


def test_no_sentence_repeats_across_the_profiled_partners():
    """The class of mistake: a parameterized section printing boilerplate. Every sentence each profiled
    partner's section generates, on the real data, appears in that partner's section only, and names it;
    two partners with identical records still get different sentences."""
    import re

    from partnerships import data
    from partnerships.analysis import compare

    t = profile.load_tables()
    t["china_visits"] = data.load("china_visits")
    claims = data.load("claims")
    ctx = compare.context()
    flagged = data.load("partners").query("profile")["partner"].tolist()
    assert len(flagged) >= 3
    seen: dict[str, str] = {}
    for p in flagged:
        cells = compare.cells(p, ctx)
        texts = [
            profile.opening(p, cells),
            profile.treaty_paragraph(p, t),
            profile.visits_paragraph(p, t),
            profile.claims_sentence(p, claims),
        ]
        for text in filter(None, texts):
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z@])", text):
                assert sentence not in seen or seen[sentence] == p, f"{p} repeats {seen[sentence]}'s {sentence!r}"
                seen[sentence] = p
                assert p in sentence or "Mongolia" in sentence or "AidData" in sentence, (p, sentence)
    twins = [_cell("exercises", 1, "2 multinational editions", ["mme"])]
    assert profile.opening("Japan", twins) != profile.opening("France", twins)
