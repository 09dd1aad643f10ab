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
