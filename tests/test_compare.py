"""The partner x dimension comparison: depth levels by the stated rules, unknown kept apart from none,
the heatmap's data and print sizes; on the real data, the cells recomputed with plain pandas."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest

from partnerships.analysis import compare

ROOT = Path(__file__).resolve().parents[1]


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def tables() -> dict[str, pd.DataFrame]:
    ex_ids = ["sel-2008", "sel-2009", "sel-2010", "big-2010", "cn-joint"]
    return {
        "agreements": pd.DataFrame(
            {
                "partner": ["Russia", "Russia", "South Korea", "South Korea"],
                "year": ["1993", "1997", "1999", "1999"],
                "description": [
                    "DCAD sector agreement: defense procurement",
                    "DCAD general agreement: defense cooperation agreement",
                    "defence ministries signed a cooperation agreement (article A)",
                    "DCAD sector agreement: training and exercises",
                ],
                "source_id": ["dcad", "dcad", "art_growth", "dcad"],
                "locator": ["a", "b", "c", "d"],
            }
        ),
        "alliances": pd.DataFrame(
            {
                "partner": ["Russia", "Japan"],
                "year_from": ["1994", "2005"],
                "year_to": ["2018", "2018"],
                "defense": ["0", "0"],
                "offense": ["0", "0"],
                "neutral": ["0", "0"],
                "nonagg": ["1", "1"],
                "consul": ["0", "0"],
                "treaty": ["1993 treaty", "Treaty of Amity (TAC)"],
                "multilateral": ["false", "true"],
                "source_id": ["atop", "atop"],
                "locator": ["l1", "l2"],
            }
        ),
        "exercises": pd.DataFrame(
            {
                "exercise_id": ex_ids,
                "name": ["Darkhan 1", "Darkhan 2", "Darkhan 3", "Big 2010", "Joint exercises"],
                "series": ["selenga", "selenga", "selenga", "single", "single"],
                "year": ["2008", "2009", "2010", "2010", ""],
                "type": ["warfighting", "peacekeeping", "warfighting", "peacekeeping", "other"],
                "host": ["", "", "", "", ""],
                "source_id": ["mme", "mme", "russia_exercises", "mme", "art_growth"],
                "locator": ["m1", "m2", "r3", "m4", "para 5"],
            }
        ),
        "exercise_participants": pd.DataFrame(
            {
                "exercise_id": ["sel-2008", "sel-2009", "sel-2010", "big-2010", "big-2010", "big-2010", "cn-joint"],
                "partner": ["Russia", "Russia", "Russia", "Russia", "China", "Japan", "China"],
                "role": ["participant"] * 7,
                "source_id": ["mme", "mme", "russia_exercises", "mme", "mme", "mme", "art_growth"],
                "locator": ["m1", "m2", "r3", "m4", "m4", "m4", "para 5"],
            }
        ),
        "training_flows": pd.DataFrame(
            {
                "partner": ["China", "Russia", "Russia"],
                "direction": ["mongolians_abroad"] * 3,
                "trainees": ["students and officers", "students and officers", "military personnel"],
                "count": ["100", "50", "300"],
                "qualifier": ["over", "about", "exactly"],
                "unit": ["per_year", "per_year", "unknown"],
                "source_id": ["art_growth", "art_growth", "art_forefront"],
                "locator": ["p5", "p4", "p7"],
            }
        ),
        "us_training": pd.DataFrame(
            {
                "fiscal_year": ["2000", "2000", "2001"],
                "program": ["IMET", "IMET", "IMET"],
                "program_group": ["IMET"] * 3,
                "students": ["80", "100", "50"],
                "cost_usd": ["1000000", "2000000", "500000"],
                "fy_reported_as_completed": ["false", "true", "true"],
                "source_id": ["fmtr"] * 3,
                "locator": ["r1", "r2", "r3"],
            }
        ),
        "arms_transfers": pd.DataFrame(
            {
                "supplier": ["Russia"] * 5 + ["Soviet Union", "United States"],
                "weapon_designation": ["T-72", "BTR-80", "MiG-29", "Mi-17", "S-125", "T-55", "L-ATV"],
                "weapon_description": ["tank", "APC", "fighter aircraft", "helicopter", "SAM", "tank", "APC"],
                "order_year": ["2009", "2009", "2019", "2007", "2009", "1970", "2023"],
                "tiv_delivered": ["141", "3", "41", "14", "60", "500", "0"],
                "status": ["Second hand", "Second hand", "Second hand", "New", "New", "New", "New"],
                "comments": ["aid", "Probably second-hand; aid", "", "probably aid", "", "aid", "JLTV"],
                "source_id": ["sipri_trade_register"] * 7,
                "locator": [f"line {i}" for i in range(7)],
            }
        ),
        "partner_relations": pd.DataFrame(
            {
                "partner": ["Russia", "China", "Japan", "Russia"],
                "relation": ["attache_in_mongolia", "attache_in_mongolia", "aid", "visits"],
                "detail": [
                    "Russia has an attaché",
                    "China has an attaché",
                    "Japan builds capacity",
                    "Ministers meet every year",
                ],
                "source_id": ["art_growth"] * 4,
                "locator": ["p3", "p3", "p9", "p4"],
            }
        ),
        "aggregate_claims": pd.DataFrame({"metric": [], "value": []}),
        "events": pd.DataFrame(
            {
                "partner": ["Russia", "Russia", "Russia"],
                "year": ["2019", "2021", "2024"],
                "category": ["visit", "visit", "visit"],
                "status": ["as_reported", "contradicted", "confirmed"],
                "event": ["Putin visit", "Claimed visit", "Putin visit"],
                "source_id": ["fc_tass_putin_visit_2024", "art_forefront", "fc_tass_putin_visit_2024"],
                "locator": ["a", "b", "c"],
            }
        ),
        "us_troops": pd.DataFrame(
            {"year": ["2001", "2014"], "troops": ["0", "24"], "source_id": ["troopdata"] * 2, "locator": ["1", "2"]}
        ),
        "china_visits": pd.DataFrame(
            {
                "country": ["Mongolia"] * 3,
                "year": ["2000", "2001", "2002"],
                "military_visits": ["2", "2", ""],
                "source_id": ["aiddata_china_pd"] * 3,
            }
        ),
    }


@pytest.fixture(scope="module")
def m() -> pd.DataFrame:
    return compare.matrix(
        ["Russia", "China", "United States", "Japan", "South Korea", "Kazakhstan"], compare.context(tables())
    )


def cell(m, partner, dim):
    return m.set_index(["partner", "dimension"]).loc[(partner, dim)]


def test_levels_follow_the_stated_rules(m):
    lv = m.pivot(index="partner", columns="dimension", values="level")
    assert lv.loc["Russia", "agreements"] == 3  # a bilateral treaty and agreements
    assert lv.loc["Russia", "exercises"] == 3  # three bilateral editions
    assert lv.loc["Japan", "exercises"] == 1  # co-attendance is thin, however it is counted
    assert lv.loc["China", "exercises"] == 1  # one multinational edition and an undated statement
    assert lv.loc["Russia", "equipment"] == 3  # five deals since 1992 (the Soviet deal is not Russia's)
    assert lv.loc["United States", "equipment"] == 1 and lv.loc["China", "equipment"] == 0
    assert lv.loc["China", "education"] == 3 and lv.loc["United States", "education"] == 3
    assert math.isnan(lv.loc["Russia", "aid"])  # SIPRI's aid-marked deals are equipment, not aid too
    assert lv.loc["Japan", "aid"] == 1
    assert lv.loc["China", "visits"] == 2  # four AidData visits (five would be deep); the uncovered year is no zero
    assert lv.loc["Russia", "visits"] == 2  # the contradicted visit is not counted
    assert lv.loc["United States", "troops"] == 1  # 24 posted at most: an embassy guard, not a deployment
    assert math.isnan(lv.loc["Russia", "troops"])  # troopdata covers the United States only


def test_unknown_is_not_none(m):
    # no source could say: unknown; a complete list with nothing: none (0)
    assert math.isnan(cell(m, "Kazakhstan", "education")["level"])
    assert math.isnan(cell(m, "Kazakhstan", "visits")["level"])
    assert cell(m, "Kazakhstan", "equipment")["level"] == 0  # SIPRI lists every deal
    assert cell(m, "Kazakhstan", "agreements")["level"] == 0
    assert cell(m, "Kazakhstan", "attaches")["level"] == 0  # article A's list of attachés is complete
    assert cell(m, "Kazakhstan", "education")["short"] == "unknown"


def test_counts_and_words(m):
    ru = cell(m, "Russia", "exercises")
    assert ru["short"] == "3 / 1"
    assert ru["detail"].startswith("3 bilateral editions of the Selenga series, 2008–2010; one multinational edition")
    kor = cell(m, "South Korea", "agreements")
    assert kor["level"] == 1 and kor["short"] == "1 agreement\n1999"  # the article and DCAD record one signature
    jp = cell(m, "Japan", "agreements")
    assert jp["level"] == 0 and "no bilateral tie" in jp["detail"]  # a multilateral treaty is a membership
    us = cell(m, "United States", "education")
    assert us["detail"].startswith(
        "150 US-funded training places FY2000–FY2001"
    )  # completed figures, never planned + completed
    assert "costing US$2 million" in us["detail"]  # the cost is part of the training record, not aid
    assert math.isnan(cell(m, "United States", "aid")["level"])
    eq = cell(m, "Russia", "equipment")
    assert eq["fact"] == "5 arms deals since 1992, 259 million TIV delivered"
    assert "3 marked as (probably) aid" in eq["detail"]
    assert eq["detail"].endswith(
        "not counted: one Soviet Union deal, ordered 1970"
    )  # the predecessor is named, not added
    assert cell(m, "China", "visits")["fact"] == "4 high-level military visits, 2000–2001, in AidData's count"
    assert cell(m, "Russia", "education")["articles_only"]
    assert cell(m, "China", "education")["fact"].endswith("the largest stated flow")  # over 100 against about 50
    assert "largest" not in cell(m, "Russia", "education")["detail"]
    assert not cell(m, "Russia", "equipment")["articles_only"]


def test_order_puts_the_neighbours_first_then_depth(m):
    assert compare.order(m)[:3] == ["Russia", "China", "United States"]
    assert compare.leader(m, "equipment") == ["Russia"]
    assert compare.leader(m, "visits") == ["Russia", "China"]
    assert compare.deep_in(m, "China") == ["education"]


def test_absent_tables_give_unknown_or_none_not_an_error():
    cells = compare.cells("Russia", compare.context({}))
    assert [c.dimension for c in cells] == [k for k, _ in compare.DIMENSIONS]
    assert all(not c.known or c.level == 0 for c in cells)


def test_heatmap_offers_every_cell_and_prints_legibly(m):
    from partnerships.analysis import charts

    fig = compare.plot(m)
    data = charts.attached_data(fig)
    assert len(data) == len(m) and set(data["depth"]) <= {"none recorded", "thin", "moderate", "deep", "unknown"}
    assert (data.loc[data["level"].isna(), "depth"] == "unknown").all()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    charts.check_print_sizes(buf.getvalue())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("unknown") == int(m["level"].isna().sum())
    assert not fig.axes[0].get_title()  # the caption is the one title


def test_real_data_cells_recomputed_with_plain_pandas():
    m = compare.matrix(["Russia", "China", "United States"])
    arms = csv("arms_transfers")
    recent = arms[pd.to_numeric(arms["order_year"]) >= 1992]
    ru = recent[recent["supplier"] == "Russia"]
    assert cell(m, "Russia", "equipment")["fact"].startswith(f"{len(ru)} arms deals since 1992")
    tiv = pd.to_numeric(ru["tiv_delivered"]).sum()
    assert f"{tiv:,.0f} million TIV delivered" in cell(m, "Russia", "equipment")["fact"]
    assert cell(m, "China", "equipment")["level"] == 0 and (recent["supplier"] == "China").sum() == 0
    us = csv("us_training")
    done = us[us["fy_reported_as_completed"].astype(str).str.lower() == "true"]
    assert cell(m, "United States", "education")["fact"].startswith(
        f"{pd.to_numeric(done['students']).sum():,.0f} US-funded training places"
    )
    flows = csv("training_flows")
    cn = flows[(flows["partner"] == "China") & (flows["unit"] == "per_year")].iloc[0]
    assert cell(m, "China", "education")["short"].startswith(f"{cn['qualifier']} {int(cn['count'])}")


def test_treaty_obligations_name_the_treaty_not_the_year_a_successor_spell_starts():
    """ATOP's Russia dyad starts in 1992 with the Soviet 1966 treaty carried on: no '1992 treaty' anywhere."""
    bil = pd.DataFrame(
        {
            "partner": ["Russia"] * 3,
            "year_from": ["1992", "1993", "1994"],
            "year_to": ["1992", "1993", "2018"],
            "defense": ["1", "1", "0"],
            "offense": ["0"] * 3,
            "neutral": ["0"] * 3,
            "nonagg": ["0", "1", "1"],
            "consul": ["0"] * 3,
            "treaty": [
                "Soviet-Mongolian Treaty of Friendship (1966), continued by Russia",
                "1966 treaty (until replaced) and the Russia-Mongolia Treaty on Friendly Relations (1993)",
                "Russia-Mongolia Treaty on Friendly Relations (1993)",
            ],
            "multilateral": ["false"] * 3,
        }
    )
    o = compare.treaty_obligations(bil, 2018)
    assert [(x["flag"], x["treaty_year"], x["from"], x["to"]) for x in o] == [
        ("defense", 1966, 1992, 1993),
        ("nonagg", 1993, 1993, 2018),
    ]
    assert o[0]["words"] == "the 1966 treaty's defence obligation, continued to 1993"
    assert compare.treaty_fact(o) == "the 1966 and 1993 treaties"
    assert all("1992" not in x["words"] for x in o)


def test_each_piece_of_evidence_counts_on_one_dimension(m):
    """SIPRI deals are equipment only, US training (and its cost) training only, exercise editions exercises
    only: no other dimension cites their sources, and troops cite only the troop data."""
    once = {"sipri_trade_register": "equipment", "fmtr": "education", "mme": "exercises"}
    for r in m.itertuples():
        for sid, home in once.items():
            assert sid not in r.sources.split(";") or r.dimension == home, (r.partner, r.dimension, sid)
    troops = m[m["dimension"] == "troops"]
    assert {s for cell in troops["sources"] for s in cell.split(";") if s} == {"troopdata"}
