"""Context analyses: what changed since a year, supply terms from SIPRI's status and comment fields,
training in Mongolia, China's visits, partner x period trends by group."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerships.analysis import changes, china, supply_terms, training_hub, trends

# ----------------------------------------------------------------------------- since 2022


def test_spending_change_and_record():
    me = pd.DataFrame(
        {
            "year": [1990, 2021, 2022, 2023, 2024],
            "measure": "constant_2023_usd_m",
            "value": [138.0, 100.0, 110.0, 111.0, 166.0],
            "source_id": "sipri_milex",
        }
    )
    c = changes.spending_change(changes.real_spending(me), 2022)
    assert (c["base_year"], c["last_year"], c["prev_year"]) == (2021, 2024, 2023)
    assert (
        c["change_pct"] == pytest.approx(66.0) and c["jump_pct"] == pytest.approx((166 / 111 - 1) * 100) and c["record"]
    )


ARMS = pd.DataFrame(
    {
        "supplier": ["Soviet Union", "Poland", "Russia", "Australia", "United States", "Russia"],
        "order_year": [1986, 1978, 2019, 2022, 2023, 2009],
        "weapon_designation": ["Mi-24", "x", "MiG-29", "EC145", "L-ATV", "T-72"],
        "weapon_description": ["h", "x", "fighter", "helo", "APC", "tank"],
        "number_delivered": [10, 1, 5, 2, 0, 100],
        "delivery_years": ["1987", "1979", "2019; 2021", "2022", "", "2012; 2015"],
        "tiv_delivered": [90.0, 1.0, 41.3, 2.6, 0.0, 141.2],
        "status": ["New", "New", "Second hand", "Second hand", "New", "Second hand but modernized"],
        "comments": [
            "",
            "",
            "Second-hand; aid; MiG-29UB version",
            "Second-hand",
            "JLTV version",
            "Second-hand but modernized before delivery; aid",
        ],
        "source_id": "sipri_trade_register",
    }
)


def test_new_supplier_orders_and_the_last_one_before():
    new, prev = changes.new_supplier_orders(ARMS, 2022)
    assert new["supplier"].tolist() == ["Australia", "United States"] and prev == {"year": 1978, "supplier": "Poland"}


def test_new_locations_and_events():
    dep = pd.DataFrame(
        {
            "mission": "UNMISS",
            "year": [2012, 2024, 2023],
            "location": ["Bentiu", "Bentiu", "Bor"],
            "host_country": "South Sudan",
        }
    )
    assert changes.new_locations(dep, 2022)["location"].tolist() == ["Bor"]
    ev = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date": ["2024-09-03", "2021-09", "2025-05", "2024-10-24"],
            "year": [2024, 2021, 2025, 2024],
            "category": ["visit", "visit", "visit", "legal"],
            "status": ["confirmed", "contradicted", "as_reported", "confirmed"],
        }
    )
    assert changes.events_since(ev, 2022)["event_id"].tolist() == ["a", "d", "c"]


# ----------------------------------------------------------------------------- supply terms


def test_terms_read_status_and_comment_separately():
    t = supply_terms.terms(ARMS, "Russia", since=1992)
    assert t["weapon"].tolist() == ["T-72", "MiG-29"]
    assert t["aid"].tolist() == ["stated", "stated"] and t["second_hand"].tolist() == ["status", "status"]
    rebuilt = ARMS.assign(
        status=["New", "New", "New", "New", "New", "New"],
        comments=["", "", "probably aid", "", "", "Second-hand S-125 rebuilt"],
    )
    t2 = supply_terms.terms(rebuilt, "Russia")
    assert t2.set_index("weapon").loc["T-72", "second_hand"] == "comment"  # only the comment says second-hand
    assert t2.set_index("weapon").loc["MiG-29", "aid"] == "probable"


def test_shares_of_tiv():
    s = supply_terms.shares(supply_terms.terms(ARMS, "Russia", since=1992))
    assert (
        s["tiv_total"] == pytest.approx(182.5)
        and s["aid_stated_pct"] == pytest.approx(100.0)
        and s["new_not_aid_pct"] == 0.0
    )
    tot = supply_terms.supplier_totals(ARMS)
    assert tot.index[0] == "Russia" and tot["share_pct"].sum() == pytest.approx(100.0)


# ----------------------------------------------------------------------------- training in Mongolia


def test_course_families():
    assert training_hub.family("KHAAN QUEST 07 FTX") == "Khaan Quest exercise"
    assert training_hub.family("UN Staff Officers Course (UNSOC) - GPOI") == "UN peacekeeping courses"
    assert training_hub.family("PC19-036 T3 MG") == "UN peacekeeping courses"
    assert training_hub.family("Addressing Institutional Impediments to Inclusion") == "Other exercises and workshops"


def places():
    rows = [
        (2000, "IMET", "not_stated", 100, 1000, False, "1999_2000_1"),
        (2000, "IMET", "in_mongolia", 60, 600, True, "2000_2001"),
        (2000, "IMET", "abroad", 10, 5000, True, "2000_2001"),
        (2019, "Section 333", "in_mongolia", 90, 900, True, "2019_2020"),
        (2019, "IMET", "abroad", 30, 30000, True, "2019_2020"),
        (2020, "GPOI", "in_mongolia", 5, 50, True, "2020_2021"),
    ]
    return pd.DataFrame(
        rows,
        columns=["fiscal_year", "program_group", "place", "students", "cost_usd", "fy_reported_as_completed", "report"],
    ).assign(program=lambda d: d["program_group"])


def test_places_count_a_year_once_as_completed():
    pv = training_hub.places_by_year(places())
    # FY2000 was reported twice: the planned 100 (place not stated) are not added to the completed 70
    assert pv.loc[2000].tolist()[:3] == [60, 10, 0]
    assert pv.loc[2000, "share_in_mongolia_pct"] == pytest.approx(60 / 70 * 100)
    assert training_hub.lead_group_runs(training_hub.in_mongolia_by_group(places())) == [
        ("IMET", 2000, 2000),
        ("Section 333", 2019, 2019),
        ("GPOI", 2020, 2020),
    ]
    pc = training_hub.place_cost(places())
    assert pc.loc["abroad", "per_student"] == pytest.approx(35000 / 40)


def test_cost_per_student_by_period_from_printed_totals():
    us = pd.DataFrame(
        {
            "fiscal_year": [2007, 2008, 2019],
            "program": ["GPOI", "GPOI", "Section 333"],
            "program_group": ["GPOI", "GPOI", "Section 333"],
            "students": [100, 100, 50],
            "cost_usd": [200000, 100000, 25000],
            "fy_reported_as_completed": True,
        }
    )
    c = training_hub.cost_per_student(us, [(2007, 2012), (2013, 2020)]).set_index(["program_group", "period"])
    assert (
        c.loc[("GPOI", "FY2007-FY2012"), "per_student"] == 1500.0
        and c.loc[("Section 333", "FY2013-FY2020"), "per_student"] == 500.0
    )


# ----------------------------------------------------------------------------- China


def test_china_visits_periods_and_peers_per_covered_year():
    cv = pd.DataFrame(
        {
            "country": ["Mongolia"] * 4 + ["Nepal"] * 2,
            "year": [2000, 2001, 2011, 2016, 2010, 2011],
            "military_visits": [4, 0, 2, None, 1, 1],
            "government_visits": 0,
        }
    )
    s = china.visits(cv)
    assert s.index.tolist() == [2000, 2001, 2011]  # not covered (N/A) is not zero
    p = china.visit_periods(s, 2010)
    assert (p["before"], p["after"], p["last_visit_year"]) == (4.0, 2.0, 2011)
    vp = china.visits_vs_peers(cv)
    assert (
        vp.loc["Mongolia", "per_year"] == 2.0 and vp.loc["Nepal", "per_year"] == 1.0 and vp.loc["Mongolia", "rank"] == 1
    )


# ----------------------------------------------------------------------------- trends


def test_trends_by_period_never_add_dimensions():
    t = {
        "agreements": pd.DataFrame(
            {"partner": ["Russia", "Russia"], "year": [1993, 1993], "source_id": ["dcad", "art_growth"]}
        ),
        "exercises": pd.DataFrame({"exercise_id": ["s2009", "kq"], "year": [2009, 2006]}),
        "exercise_participants": pd.DataFrame(
            {"exercise_id": ["s2009", "kq", "kq"], "partner": ["Russia", "United States", "Mongolia"]}
        ),
        "us_training": pd.DataFrame(
            {
                "fiscal_year": [2000, 2000],
                "program": "IMET",
                "program_group": "IMET",
                "students": [100, 70],
                "cost_usd": 0,
                "fy_reported_as_completed": [False, True],
            }
        ),
        "arms_transfers": pd.DataFrame(
            {
                "supplier": ["Australia", "Russia", "Soviet Union"],
                "order_year": [2022, 2009, 1986],
                "delivery_years": ["2022", "2012; 2015", "1990"],
                "tiv_delivered": [2.6, 141.24, 50.0],
            }
        ),
    }
    y = trends.yearly(t).set_index(["partner", "year", "dimension"])["value"]
    assert y[("Russia", 1993, "agreements")] == 1.0  # one signing year, two sources
    assert y[("United States", 2000, "training")] == 70.0  # completed, not planned + completed
    assert y[("Australia", 2022, "deliveries")] == 2.6
    assert y[("Russia", 2012, "deliveries")] == y[("Russia", 2015, "deliveries")] == 141.24 / 2  # spread over its years
    assert ("Soviet Union", 1990, "deliveries") not in y.index  # ordered before 1992: not in the report's arms total
    p = trends.by_period(trends.yearly(t), 1990, 2024)
    assert set(p["dimension"]) == {"agreements", "exercises", "training", "deliveries"}
    assert trends.period(1993, 1990, 5) == "1990-1994"
    g = trends.by_group(t, 1990, 2024).set_index(["group", "dimension", "period"])["value"]
    assert g[("Third neighbours", "training", "2000-2004")] == 70.0 and g[("Russia", "training", "2000-2004")] == 0
    assert g[("Third neighbours", "deliveries", "2020-2024")] == 2.6 and g[("Russia", "agreements", "1990-1994")] == 1


def test_trends_groups_count_an_exercise_once_per_group():
    """A 24-nation exercise is one edition for the third neighbours, not 22; the Soviet Union counts with Russia."""
    t = {
        "agreements": pd.DataFrame({"partner": ["Soviet Union"], "year": [1991], "source_id": ["dcad"]}),
        "exercises": pd.DataFrame({"exercise_id": ["big", "sel"], "year": [2010, 2010]}),
        "exercise_participants": pd.DataFrame(
            {
                "exercise_id": ["big", "big", "big", "big", "sel"],
                "partner": ["United States", "Japan", "India", "China", "Russia"],
            }
        ),
        "us_training": pd.DataFrame(
            columns=["fiscal_year", "program", "program_group", "students", "cost_usd", "fy_reported_as_completed"]
        ),
        "arms_tiv_by_year": pd.DataFrame({"supplier": ["Russia"], "year": [2012], "tiv_m": [10.0]}),
        "arms_transfers": pd.DataFrame({"supplier": [], "delivery_years": [], "tiv_delivered": []}),
    }
    g = trends.by_group(t, 1990, 2024, 5).set_index(["group", "dimension", "period"])["value"]
    assert g[("Third neighbours", "exercises", "2010-2014")] == 1
    assert g[("China", "exercises", "2010-2014")] == 1 and g[("Russia", "exercises", "2010-2014")] == 1
    assert g[("Russia", "agreements", "1990-1994")] == 1
    assert len(g) == 3 * 4 * 7  # every group, dimension and period, zeros included
    s = trends.shares(g.reset_index())
    assert s.loc[(s["dimension"] == "training"), "share"].isna().all()  # nothing recorded: no share, not 0%


def test_terms_of_every_supplier_and_the_terms_chart():
    from partnerships.analysis import charts

    t = supply_terms.terms(ARMS.assign(deal_id=[f"d{i}" for i in range(len(ARMS))]), None)
    assert t["supplier"].tolist() == ["Poland", "Soviet Union", "Russia", "Russia", "Australia", "United States"]
    assert t["deal_id"].tolist() == ["d1", "d0", "d5", "d2", "d3", "d4"]
    ru = supply_terms.terms(ARMS, "Russia")
    fig = supply_terms.plot_terms(ru)
    ax = fig.axes[0]
    assert [lab.get_text() for lab in ax.get_yticklabels()] == ["MiG-29 (fighter), 2019", "T-72 (tank), 2009"]
    assert [x.get_text() for x in ax.texts] == ["aid", "aid"]
    assert charts.attached_data(fig)["condition"].tolist() == ["second-hand", "second-hand"]
