import numpy as np
import pandas as pd
import pytest

from partnerships.analysis import index as ix
from partnerships.analysis import metrics

NAN = np.nan


def df(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def tables():
    """Small tables in the curated format (only the columns the metrics read, plus ids)."""
    return {
        "partners": df(
            [
                ["Russia", False],
                ["China", False],
                ["United States", False],
                ["Japan", False],
                ["Canada", False],
                ["Soviet Union", True],
                ["Mongolia", False],
                ["Chile", False],
            ],
            ["partner", "historical"],
        ),
        "agreements": df(
            [
                ["a1", "Russia", 1993, "dcad"],
                ["a2", "Russia", 1997, "dcad"],
                ["a3", "United States", 1996, "dcad"],
                ["a4", "United States", 1996, "art_growth"],
            ],
            ["agreement_id", "partner", "year", "source_id"],
        ),
        "exercises": df(
            [
                ["sel-2009", 2009, "selenga", "mme"],
                ["sel-2009", 2009, "selenga", "russia_exercises"],
                ["kq-2008", 2008, "khaan_quest", "mme"],
                ["cn-rec", NAN, "other", "art_growth"],
            ],
            ["exercise_id", "year", "series", "source_id"],
        ),
        "exercise_participants": df(
            [
                ["sel-2009", "Russia", "participant", "mme"],
                ["sel-2009", "Russia", "participant", "russia_exercises"],
                ["kq-2008", "United States", "participant", "mme"],
                ["kq-2008", "Japan", "participant", "mme"],
                ["kq-2008", "Canada", "participant", "mme"],
                ["kq-2008", "Mongolia", "host", "mme"],
                ["cn-rec", "China", "participant", "art_growth"],
            ],
            ["exercise_id", "partner", "role", "source_id"],
        ),
        "training_flows": df(
            [
                ["Russia", "mongolians_abroad", 50, "about", "per_year", "art_growth"],
                ["Russia", "mongolians_abroad", 300, "exactly", "unknown", "art_forefront"],
                ["China", "mongolians_abroad", 100, "over", "per_year", "art_growth"],
                ["China", "foreigners_in_mongolia", NAN, "several", "unknown", "art_growth"],
            ],
            ["partner", "direction", "count", "qualifier", "unit", "source_id"],
        ),
        "us_training": df(
            [
                [2019, "IMET", 100, True, "fmtr"],
                [2019, "FMF", 50, True, "fmtr"],
                [2020, "IMET", 250, True, "fmtr"],
                [2021, "IMET", 999, False, "fmtr"],
            ],
            ["fiscal_year", "program", "students", "fy_reported_as_completed", "source_id"],
        ),
        "arms_transfers": df(
            [
                ["d1", "Russia", 2010, 100.0, "sipri_trade_register"],
                ["d2", "Russia", 2019, 20.5, "sipri_trade_register"],
                ["d3", "Soviet Union", 1980, 500.0, "sipri_trade_register"],
                ["d4", "United States", 2023, NAN, "sipri_trade_register"],
            ],
            ["deal_id", "supplier", "order_year", "tiv_delivered", "source_id"],
        ),
        "partner_relations": df(
            [
                ["Russia", "attache_in_mongolia", "art_growth"],
                ["China", "attache_in_mongolia", "art_growth"],
                ["United States", "attache_in_mongolia", "art_growth"],
                ["Japan", "attache_in_mongolia", "art_growth"],
                ["Russia", "equipment_supplier", "art_forefront"],
                ["Russia", "aid", "art_growth"],
                ["Japan", "aid", "art_growth"],
                ["Japan", "aid", "art_growth"],
                ["United States", "facilities", "art_growth"],
                ["Japan", "students_hosted", "art_growth"],
                ["China", "visits", "art_growth"],
            ],
            ["partner", "relation", "source_id"],
        ),
        "aggregate_claims": df(
            [
                ["agreements_32", "agreements_countries", 32.0, "art_growth"],
                ["equipment_5", "equipment_source_countries", 5.0, "art_growth"],
                ["attaches_abroad_5", "mongolian_attache_countries", 5.0, "art_growth"],
            ],
            ["claim_id", "metric", "value", "source_id"],
        ),
        "events": df(
            [
                ["e1", "Russia", "visit", "confirmed", "fc_tass"],
                ["e2", "Russia", "visit", "contradicted", "art_forefront"],
                ["e3", "Russia", "visit", "as_reported", "art_forefront"],
                ["e4", "", "other", "confirmed", "art_growth"],
            ],
            ["event_id", "partner", "category", "status", "source_id"],
        ),
        "us_troops": df(
            [["2024-12-31", 12, "troopdata"], ["2025-12-31", 13, "troopdata"]], ["date", "troops", "source_id"]
        ),
        "pk_monthly": df(
            [
                ["2010-01-31", 100, 0, 5, "ipi_pk"],
                ["2013-03-31", 900, 10, 37, "ipi_pk"],
                ["2014-03-31", 900, 10, 37, "ipi_pk"],
            ],
            ["date", "troops", "police", "experts", "source_id"],
        ),
    }


@pytest.fixture
def m():
    return metrics.partner_metrics(tables())


def test_partners_with_values_only_and_subject_left_out(m):
    assert list(m.index) == ["Canada", "China", "Japan", "Russia", "Soviet Union", "United States"]
    assert list(m.columns) == metrics.COLUMNS
    assert m.loc["Soviet Union", "historical"] and not m.loc["Russia", "historical"]


def test_agreements_counted_once_per_signing_year_and_unknown_when_absent(m):
    assert m.loc["Russia", "agreements"] == 2 and m.loc["Russia", "last_agreement_year"] == 1997
    assert m.loc["United States", "agreements"] == 1  # DCAD and the article record the same 1996 signature
    assert np.isnan(m.loc["Canada", "agreements"])  # 32 claimed, few named: unknown, not 0


def test_exercises_exhaustive_with_bilateral_split(m):
    assert m.loc["Russia", ["exercise_editions", "bilateral_exercise_editions"]].tolist() == [1.0, 1.0]
    assert m.loc[
        "United States", ["exercise_editions", "bilateral_exercise_editions", "multinational_exercise_editions"]
    ].tolist() == [1.0, 0.0, 1.0]
    # an article's undated "joint exercises" is a stated relation, not an edition
    assert m.loc["China", "exercise_editions"] == 0 and m.loc["China", "exercises_stated"] == 1
    assert np.isnan(m.loc["China", "last_exercise_year"])
    assert m.loc["Soviet Union", "exercise_editions"] == 0  # exhaustive list: absent = 0


def test_students_per_year_stated_or_us_training_mean(m):
    assert m.loc["Russia", "students_per_year"] == 50  # the 300 of unknown period is not a per-year flow
    assert m.loc["China", "students_per_year"] == 100
    # US: mean over completed fiscal years 2019 (150) and 2020 (250); the planned 2021 is ignored
    assert m.loc["United States", "students_per_year"] == 200
    assert m.loc["United States", "students_per_year_basis"] == "US training reports, mean of FY2019-FY2020"
    assert m.loc["United States", "us_programs"] == 2
    assert m.loc["Japan", "students_hosted"] == 1 and np.isnan(m.loc["Japan", "students_per_year"])
    assert np.isnan(m.loc["Canada", "students_hosted"])
    assert np.isnan(m.loc["China", "foreign_students_in_mongolia"])  # "several": no number


def test_equipment_exhaustive_and_relation_flags(m):
    assert m.loc["Russia", "tiv_delivered"] == pytest.approx(120.5) and m.loc["Russia", "arms_deals"] == 2
    assert m.loc["United States", "tiv_delivered"] == 0 and m.loc["United States", "arms_deals"] == 1
    assert m.loc["Canada", "tiv_delivered"] == 0 and m.loc["Canada", "arms_deals"] == 0
    # recent = ordered since 1992: the Soviet Union's 1980 deal is not recent
    assert m.loc["Soviet Union", "tiv_delivered"] == 500 and m.loc["Soviet Union", "tiv_delivered_recent"] == 0
    assert m.loc["Russia", "arms_deals_recent"] == 2 and m.loc["United States", "arms_deals_recent"] == 1
    # attachés in Mongolia: the article's list is complete -> 0 for others
    assert m.loc["Canada", "attache_in_mongolia"] == 0 and m.loc["Japan", "attache_in_mongolia"] == 1
    # equipment suppliers: 5 claimed, 1 named -> unknown for others
    assert m.loc["Russia", "equipment_supplier_named"] == 1 and np.isnan(m.loc["China", "equipment_supplier_named"])
    # Mongolian attachés abroad: none named -> unknown everywhere
    assert m["mongolian_attache_there"].isna().all()
    assert m.loc["Japan", "aid_mentions"] == 2 and m.loc["Japan", "aid"] == 1 and np.isnan(m.loc["China", "aid"])


def test_visits_skip_contradicted_and_troops(m):
    assert m.loc["Russia", "visits"] == 2 and m.loc["China", "visits"] == 1
    assert np.isnan(m.loc["Japan", "visits"])
    assert m.loc["United States", "us_troops"] == 13 and np.isnan(m.loc["Russia", "us_troops"])


def test_relation_types_and_sources(m):
    assert m.loc["Russia", "relation_types"] == 7  # agreement, exercises, education, equipment, aid, attaché, visits
    assert m.loc["Canada", "relation_types"] == 1
    assert metrics.relation_list(m).loc["Japan"] == "exercises, education, aid, attaché in Mongolia"
    assert m.loc["United States", "source_ids"] == "art_growth;dcad;fmtr;mme;sipri_trade_register;troopdata"
    assert (
        m.loc["Russia", "source_ids"]
        == "art_forefront;art_growth;dcad;fc_tass;mme;russia_exercises;sipri_trade_register"
    )


def test_index_indicators_drop_historical(m):
    t = tables()
    t["alliances"] = df(
        [["Russia", 1994, 2018, 0, 0, 0, 1, 0, "atop"]],
        ["partner", "year_from", "year_to", "defense", "offense", "neutral", "nonagg", "consul", "source_id"],
    )
    t["events"] = t["events"].assign(date=["2024-09-03", "2021-09", "2025-05", "2020"])
    ind = ix.indicators(m, t)
    assert "Soviet Union" not in ind.index and list(ind.columns) == list(ix.INDICATORS)
    assert "Soviet Union" not in ix.indicators(m, t, include_historical=True).index  # nothing since 1992
    assert "Canada" in ind.index  # one exercise edition (shared with two others: a third of a tie)
    assert ind.loc["Canada", "exercise_ties"] == pytest.approx(1 / 3) and ind.loc["Russia", "bilateral_treaty"] == 1.0
    assert ind.loc["China", "exercise_ties"] == 0.0  # China's only exercise is stated as recurring, without a date
    assert ind.loc["Russia", "visits"] == 2.0  # dated, not contradicted
    r = ix.compute(ind)
    assert r.table.index[0] == "Russia"


def test_headline_figures_with_sources():
    h = metrics.headline(tables())
    assert h["agreements_claimed"]["value"] == 32 and h["agreements_claimed"]["sources"] == ["art_growth"]
    assert h["agreements_named"]["value"] == 2 and h["agreements_named"]["detail"] == "Russia, United States"
    assert h["agreements_named"]["sources"] == ["art_growth", "dcad"]
    assert "active_claimed" not in h  # no such claim in the fixture
    assert h["active_named"]["value"] == 0 and h["active_named"]["detail"] == "none named by any source"
    assert h["sipri_suppliers"]["value"] == 3
    assert h["sipri_suppliers"]["detail"] == "Russia, Soviet Union, United States"
    assert (
        h["sipri_suppliers_recent"]["value"] == 2 and h["sipri_suppliers_recent"]["detail"] == "Russia, United States"
    )
    assert h["attaches_in_mongolia"]["value"] == 4
    assert (
        h["students_per_year"]["value"] == 150 and h["students_per_year"]["detail"] == "China over 100; Russia about 50"
    )
    assert h["exercise_editions"]["value"] == 2 and h["exercise_editions"]["detail"] == "2008-2009, 2 series"
    assert h["exercise_editions"]["sources"] == ["mme", "russia_exercises"]
    # the peak (947) is reached twice: the first month is reported
    assert h["peak_peacekeepers"]["value"] == 947
    assert h["peak_peacekeepers"]["detail"] == "March 2013 (monthly series January 2010 to March 2014)"
    t = metrics.headline_table(h)
    assert list(t.columns) == ["Figure", "Value", "Detail", "Sources"]
    assert t.loc[t["Figure"].str.startswith("Peak UN"), "Value"].item() == "947"
    assert t.loc[t["Figure"].str.startswith("Peak UN"), "Sources"].item() == "IPI"  # tags, never ids


def test_relation_flag_becomes_exhaustive_when_the_article_names_all_it_counts():
    t = tables()
    t["aggregate_claims"] = pd.concat(
        [
            t["aggregate_claims"][t["aggregate_claims"]["metric"] != "equipment_source_countries"],
            df(
                [["equipment_1", "equipment_source_countries", 1.0, "art_growth"]],
                ["claim_id", "metric", "value", "source_id"],
            ),
        ],
        ignore_index=True,
    )
    m = metrics.partner_metrics(t)
    assert m.loc["Russia", "equipment_supplier_named"] == 1
    assert m.loc["China", "equipment_supplier_named"] == 0  # the one supplier counted is named: the list is complete
    ex = metrics.exhaustive_relations(t["partner_relations"], t["aggregate_claims"])
    assert ex == {
        "agreement": False,
        "active_cooperation": False,
        "equipment_supplier": True,
        "attache_in_mongolia": True,
        "mongolian_attache_there": False,
    }


def test_prose_helpers():
    assert metrics.prose_name("United States") == "the United States" and metrics.prose_name("Russia") == "Russia"
    assert metrics.join_names(["Russia"]) == "Russia"
    assert metrics.join_names(["Japan", "United States", "China"]) == "Japan, the United States and China"
