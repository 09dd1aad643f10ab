"""Unit tests for partnerships.analysis.training (small frames in the tables' formats; cells as strings like data.load gives)."""

import math

import pandas as pd

from partnerships.analysis import training


def flows():
    return pd.DataFrame(
        {
            "partner": ["Russia", "Russia", "China", "South Korea", "China"],
            "direction": [
                "mongolians_abroad",
                "mongolians_abroad",
                "mongolians_abroad",
                "mongolians_abroad",
                "foreigners_in_mongolia",
            ],
            "trainees": [
                "students and officers",
                "military personnel",
                "students and officers",
                "officers",
                "students",
            ],
            "count": ["50", "300", "100", "10", ""],
            "qualifier": ["about", "exactly", "over", "nearly", "several"],
            "unit": ["per_year", "total", "per_year", "per_year", "unknown"],
            "period": ["", "", "", "", ""],
            "source_id": ["art_growth", "art_forefront", "art_growth", "art_growth", "art_growth"],
            "locator": ["para 9", "para 9", "para 10", "para 12", "para 10"],
        }
    )


def test_stated_keeps_the_qualifier():
    assert training.stated(50, "about") == "about 50"
    assert training.stated(1200, "over") == "over 1,200"
    assert training.stated(300, "exactly") == "300"
    assert training.stated(float("nan"), "several") == "several"


def test_flows_as_stated_keeps_per_year_and_total_apart():
    t = training.flows_as_stated(flows(), "mongolians_abroad")
    assert list(t["partner"]) == ["Russia", "China", "Russia", "South Korea"]
    russia = t[t["partner"] == "Russia"]
    assert list(russia["per_year"]) == ["", "about 50"]
    assert list(russia["total"]) == ["300", ""]


def test_partner_conflict_with_unit_not_stated():
    f = flows()
    f.loc[1, "unit"] = "unknown"
    c = training.partner_conflict(f, "Russia")
    assert c["other"] == 300.0 and c["other_unit"] == "unknown" and c["years_implied"] == 6.0
    assert list(c["rows"]["unit_label"]) == ["a year", "unit not stated"]


def test_per_year_counts_ranks_and_labels():
    p = training.per_year_counts(flows())
    assert list(p["partner"]) == ["China", "Russia", "South Korea"]
    assert list(p["label"]) == ["over 100", "about 50", "nearly 10"]


def test_partner_conflict_years_implied():
    c = training.partner_conflict(flows(), "Russia")
    assert c["per_year"] == 50.0 and c["other"] == 300.0 and c["other_unit"] == "total"
    assert c["years_implied"] == 6.0
    assert list(c["rows"]["stated"]) == ["about 50", "300"]
    assert training.partner_conflict(flows(), "China")["years_implied"] is None


def us():
    return pd.DataFrame(
        {
            "fiscal_year": ["1999", "2000", "2000", "2000", "2001", "2001"],
            "program": ["IMET", "IMET", "IMET", "FMF", "IMET", "Asia Pacific Center"],
            "program_group": ["IMET", "IMET", "IMET", "FMF", "IMET", "Regional Centers"],
            "students": ["10", "99", "20", "5", "7", "3"],
            "cost_usd": ["1000", "9900", "2000", "500", "700", "300"],
            "totals_source": ["sum_of_courses"] * 6,
            "fy_reported_as_completed": ["true", "false", "true", "true", "false", "false"],
            "report": ["1999_2000", "1999_2000", "2000_2001", "2000_2001", "2000_2001", "2000_2001"],
            "source_id": ["fmtr"] * 6,
            "locator": ["x"] * 6,
        }
    )


def test_completed_figures_replace_planned_ones():
    y = training.us_training_by_year(us())
    fy2000 = y[y["fiscal_year"] == 2000]
    assert fy2000["students"].sum() == 25  # 20 + 5 completed; the planned 99 is dropped
    assert training.planned_only_years(us()) == [2001]
    totals = training.yearly_totals(y)
    assert list(totals["students"]) == [10, 25, 10]
    assert list(totals["status"]) == ["completed", "completed", "planned"]


def test_by_group_orders_lumps_and_keeps_gaps():
    y = training.us_training_by_year(us())
    y = y[y["fiscal_year"] != 2000]  # a year without rows must show as NaN, not 0
    g = training.by_group(y, "students", top=1)
    assert list(g.columns) == ["IMET", "Other"]
    assert g.loc[2001, "IMET"] == 7 and g.loc[2001, "Other"] == 3
    assert math.isnan(g.loc[2000, "IMET"])


def test_us_trainees_in_mongolia_excludes_trainer_and_host():
    ex = pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2006", "khaan-quest-2006"],
            "year": ["2006", "2006"],
            "source_id": ["fmtr", "mme"],
            "locator": ["2006_2007 report: Khaan Quest 06", "mme2874"],
        }
    )
    p = pd.DataFrame(
        {
            "exercise_id": ["khaan-quest-2006"] * 4,
            "partner": ["Fiji", "Cambodia", "United States", "Japan"],
            "source_id": ["fmtr", "fmtr", "fmtr", "mme"],
        }
    )
    t = training.us_trainees_in_mongolia(ex, p)
    assert t.to_dict("records") == [
        {"fiscal_year": 2006, "exercise": "2006_2007 report: Khaan Quest 06", "countries": "Cambodia; Fiji", "n": 2}
    ]


def test_hosts_without_numbers_keeps_table_order():
    rel = pd.DataFrame(
        {
            "partner": ["China", "United States", "Germany", "Russia", "United States", "Japan"],
            "relation": [
                "students_hosted",
                "students_hosted",
                "students_hosted",
                "students_hosted",
                "students_hosted",
                "aid",
            ],
        }
    )
    assert training.hosts_without_numbers(rel, flows()) == ["United States", "Germany"]


# --------------------------------------------------------------------------- training in Mongolia (training_hub)
from partnerships.analysis import training_hub  # noqa: E402


def places_lines():
    rows = [
        (2000, "IMET", "not_stated", 100, 1000, False),  # planned: replaced by the completed lines below
        (2000, "IMET", "in_mongolia", 60, 600, True),
        (2000, "IMET", "abroad", 10, 5000, True),
        (2019, "Section 333", "in_mongolia", 90, 900, True),
        (2019, "IMET", "abroad", 30, 30000, True),
        (2020, "GPOI", "in_mongolia", 5, 50, True),
        (2020, "FMF", "abroad", 2, 4000, True),
    ]
    return pd.DataFrame(
        rows, columns=["fiscal_year", "program_group", "place", "students", "cost_usd", "fy_reported_as_completed"]
    ).assign(program=lambda d: d["program_group"])


def test_group_places_split_by_place_with_cost_per_place_and_a_remainder():
    g = training_hub.group_places(places_lines())
    assert list(g.index) == ["IMET", "Section 333", "GPOI", "FMF"]
    imet = g.loc["IMET"]
    assert (imet["in_mongolia"], imet["abroad"], imet["not_stated"]) == (60, 40, 0)  # planned FY2000 not added
    assert imet["per_place"] == 35600 / 100
    top = training_hub.group_places(places_lines(), top=2)
    assert list(top.index) == ["IMET", "Section 333", "Other programmes"]
    assert top.loc["Other programmes", "places"] == 7 and top.loc["Other programmes", "per_place"] == 4050 / 7
    assert list(training_hub.group_places(places_lines(), since=2019).index) == ["Section 333", "IMET", "GPOI", "FMF"]


def test_peace_ops_lead_counts_years_led_inside_the_span():
    groups = pd.DataFrame(
        {"GPOI": [5, 0, 0, 9, 0], "PKO": [0, 0, 3, 0, 0], "IMET": [1, 9, 0, 1, 0], "Section 333": [0, 0, 0, 0, 4]},
        index=[2007, 2008, 2009, 2010, 2011],
    )
    runs = training_hub.lead_group_runs(groups)
    lead = training_hub.peace_ops_lead(runs, groups)
    assert (lead["first"], lead["last"], lead["led"], lead["years"]) == (2007, 2010, 3, 4)
    assert (lead["last_lead"], lead["last_lead_from"]) == ("Section 333", 2011)


def test_who_trains_sets_each_figure_beside_what_it_counts():
    us = pd.DataFrame(
        {
            "fiscal_year": [2019, 2020],
            "program": ["IMET", "IMET"],
            "program_group": ["IMET", "IMET"],
            "students": [120, 140],
            "cost_usd": [1, 1],
            "fy_reported_as_completed": [True, True],
        }
    )
    pl = pd.DataFrame(
        {
            "fiscal_year": [2019, 2019, 2020, 2020],
            "program": "IMET",
            "program_group": "IMET",
            "place": ["abroad", "in_mongolia", "abroad", "in_mongolia"],
            "students": [100, 20, 120, 20],
            "cost_usd": 1,
            "fy_reported_as_completed": True,
        }
    )
    w = training_hub.who_trains(flows(), us, pl, years=2)
    # partners by their largest yearly figure; Russia's stock after its flow; the inbound row left out
    assert list(w["partner"]) == ["United States", "China", "Russia", "Russia", "South Korea"]
    assert w.loc[0, "figure"] == "110 a year abroad; 20 a year in Mongolia" and "FY2019-FY2020" in w.loc[0, "counts"]
    assert list(w["figure"][1:]) == ["over 100 a year", "about 50 a year", "300", "nearly 10 a year"]
    assert pd.isna(w.loc[3, "per_year"])  # a total is never read as a yearly flow


def test_foreign_trainees_by_country_and_kind_of_course():
    fo = training_hub.foreign(
        pd.DataFrame(
            {
                "fiscal_year": ["2006", "2011", "2011", "2012"],
                "country": ["Tonga", "Tonga", "Fiji", "Fiji"],
                "course_title": ["Khaan Quest 06", "UN Staff Officer Course", "Workshop", "UN Staff Officer Course"],
                "students": ["50", "5", "3", "60"],
                "cost_usd": ["1", "1", "1", "1"],
            }
        )
    )
    t = training_hub.foreign_by_country_family(fo)
    assert list(t.index) == ["Fiji", "Tonga"]
    assert list(t.columns) == [
        "Khaan Quest exercise",
        "UN peacekeeping courses",
        "Other exercises and workshops",
        "total",
    ]
    assert t.loc["Tonga"].tolist() == [50, 5, 0, 55] and t.loc["Fiji", "total"] == 63
