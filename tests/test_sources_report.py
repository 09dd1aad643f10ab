"""Sources report: contributions per source, verdicts, conflicts, coverage gaps."""

import pandas as pd

from partnerships.analysis import sources_report as sr


def tables():
    return {
        "pk_monthly": pd.DataFrame(
            {
                "date": ["2002-08-30", "2014-03-31", "2014-02-28"],
                "troops": ["0", "928", "929"],
                "source_id": ["ipi_pk"] * 3,
                "locator": ["l2", "l141", "l140"],
            }
        ),
        "exercises": pd.DataFrame(
            {
                "exercise_id": ["a", "b", "c", "d"],
                "year": ["2003", "2010", "2024", ""],
                "source_id": ["mme", "mme", "art_forefront", "art_growth"],
                "locator": ["x", "y", "p10", "p9"],
            }
        ),
        "alliances": pd.DataFrame(
            {
                "partner": ["Albania"],
                "year_from": ["2012"],
                "year_to": ["2018"],
                "source_id": ["atop"],
                "locator": ["l"],
            }
        ),
        "milex": pd.DataFrame({"year": ["1990", "2025"], "source_id": ["sipri_milex"] * 2, "locator": ["a", "b"]}),
        "claims": pd.DataFrame(
            {
                "claim_id": ["growth_01", "growth_02", "forefront_01", "forefront_02", "forefront_03"],
                "source_id": ["art_growth", "art_growth", "art_forefront", "art_forefront", "art_forefront"],
                "locator": ["para 8", "para 9", "para 6", "para 12", "para 9"],
                "statement": ["32 agreements", "50 a year", "Putin visit 2021", "69% poll", "300 trained"],
                "verdict": ["contradicted", "unverifiable", "contradicted", "unverifiable", "supported"],
                "checked_against": ["dcad", "", "fc_tass_putin_visit_2024;dcad", "", "fmtr;dcad;fmtr"],
                "note": ["DCAD has 10", "", "the visit was 2019 and 2024", "", ""],
            }
        ),
        "sources": pd.DataFrame(
            {"source_id": ["art_growth", "art_forefront", "unused"], "published": ["", "2025", "2013-06"]}
        ),
    }


COLUMNS = {"claims": {"source_id": False, "checked_against": True}}


def test_contributions_scans_every_table_and_multi_columns():
    c = sr.contributions(tables(), COLUMNS)
    got = {(r.table, r.column, r.source_id): r.rows for r in c.itertuples()}
    assert got[("exercises", "source_id", "mme")] == 2
    assert got[("pk_monthly", "source_id", "ipi_pk")] == 3
    assert got[("claims", "source_id", "art_forefront")] == 3
    # 'fmtr;dcad;fmtr' counts fmtr once; dcad is cited by two claims
    assert got[("claims", "checked_against", "dcad")] == 3
    assert got[("claims", "checked_against", "fmtr")] == 1
    assert not any(k[0] == "sources" for k in got)  # sources.csv listing itself is no contribution


def test_per_source_counts_own_rows_and_other_citations():
    t = tables()
    c = sr.contributions(t, COLUMNS)
    p = sr.per_source(c, t["sources"]).set_index("source_id")
    assert p.loc["art_forefront", "rows"] == 4  # 3 claims + 1 exercise
    assert p.loc["art_forefront", "tables"] == "claims, exercises"
    assert p.loc["art_growth", "kind"] == "article"
    assert p.loc["unused", "rows"] == 0
    assert sr.uncited(c, t["sources"]) == ["unused"]


def test_source_kind():
    assert [sr.source_kind(s) for s in ["art_growth", "fc_tass_putin_visit_2024", "mme"]] == [
        "article",
        "fact-check",
        "dataset",
    ]


def test_verdicts_by_source():
    v = sr.verdicts_by_source(tables()["claims"]).set_index("source_id")
    assert v.loc["art_forefront"].to_dict() == {"supported": 1, "contradicted": 1, "unverifiable": 1, "total": 3}
    assert v.loc["art_growth", "contradicted"] == 1
    assert v.columns.tolist() == ["supported", "contradicted", "unverifiable", "total"]


def test_contradicted_claims_listed_with_the_check():
    c = sr.contradicted(tables()["claims"])
    assert c["claim"].tolist() == ["forefront_01", "growth_01"]
    assert c.loc[0, "checked against"] == "TASS 2024; DCAD"  # sources by their tags
    assert c.loc[1, "what the check found"] == "DCAD has 10"


def test_conflicts_view_shows_both_sides():
    conf = pd.DataFrame(
        {
            "conflict_id": ["c02", "c01"],
            "topic": ["t2", "t1"],
            "side_a": ["A2", "A1"],
            "source_a": ["art_growth", "art_forefront"],
            "side_b": ["B2", "B1"],
            "source_b": ["dcad", "fc_x;fc_y"],
            "resolution": ["r2", "r1"],
            "status": ["resolved", "unresolved"],
        }
    )
    v = sr.conflicts_view(conf)
    assert v["conflict"].tolist() == ["c01", "c02"]
    assert v.loc[0, "one side"] == "A1 [Article B]"
    assert v.loc[0, "other side"] == "B1 [fc_x; fc_y]"
    assert sr.conflict_source_ids(conf) == ["art_forefront", "art_growth", "dcad", "fc_x", "fc_y"]


def test_coverage_years_per_table_and_source():
    cov = sr.coverage(tables()).set_index(["table", "source_id"])
    assert (cov.loc[("pk_monthly", "ipi_pk"), "first"], cov.loc[("pk_monthly", "ipi_pk"), "last"]) == (2002, 2014)
    assert cov.loc[("pk_monthly", "ipi_pk"), "last_date"] == "2014-03-31"
    assert cov.loc[("alliances", "atop"), "last"] == 2018  # year_to counts
    assert cov.loc[("exercises", "mme"), "last"] == 2010
    assert pd.isna(cov.loc[("exercises", "art_growth"), "last"])  # an undated row
    assert ("sources", "unused") not in cov.index  # reference tables skipped


def test_gaps_computed_from_max_year():
    t = tables()
    t["pk_monthly"]["source_id"] = "ipi_pk"
    t["exercises"] = pd.concat(
        [
            t["exercises"],
            pd.DataFrame(
                {"exercise_id": ["e"], "year": ["2015"], "source_id": ["russia_exercises"], "locator": ["id 19"]}
            ),
        ],
        ignore_index=True,
    )
    cov = sr.coverage(t)
    assert sr.horizon(t["sources"]) == 2024  # newest source published 2025
    stated = pd.DataFrame({"source_id": ["mme", "atop", "art_growth"], "covered_until": ["2010", "2019", ""]})
    g = sr.gaps(cov, until=2024, stated=stated, tables=("pk_monthly", "exercises", "alliances", "milex"))
    # sorted by last year; sipri_milex reaches 2025, so it has no gap
    assert g["dataset"].tolist() == ["mme", "ipi_pk", "russia_exercises", "atop"]
    mme = g.iloc[0]
    assert (mme["rows span"], mme["missing years"], mme["n_missing"]) == ("2003–2010", "2011–2024", 14)
    assert mme["later datasets"] == "russia_exercises: 1 row to 2015"
    assert mme["later article or fact-check rows"] == "art_forefront: 1 row to 2024"
    assert mme["stated coverage to"] == "2010"
    assert g.iloc[1]["rows span"] == "2002–2014-03"  # monthly table: the last month is shown
    assert g.iloc[3]["what"] == "alliance treaty obligations"
    assert g.iloc[3]["stated coverage to"] == "2019"


def test_gaps_judge_a_dataset_in_its_main_table_only():
    cov = pd.DataFrame(
        {
            "table": ["us_training", "exercises"],
            "source_id": ["fmtr", "fmtr"],
            "kind": ["dataset", "dataset"],
            "rows": [115, 4],
            "first": [1999, 2006],
            "last": [2020, 2014],
            "last_date": ["", ""],
        }
    )
    cov[["first", "last"]] = cov[["first", "last"]].astype("Int64")
    g = sr.gaps(cov, until=2024)
    assert g[["table", "rows span", "missing years"]].values.tolist() == [["us_training", "1999–2020", "2021–2024"]]


def test_unnamed_aggregates_labels():
    a = pd.DataFrame(
        {
            "claim_id": ["b", "a"],
            "metric": ["active_partners", "agreements_countries"],
            "value": [16.0, 32.0],
            "source_id": ["art_growth"] * 2,
            "locator": ["para 8"] * 2,
            "note": [None, "n"],
        }
    )
    u = sr.unnamed_aggregates(a)
    assert (u["stated value"] + " " + u["metric"]).tolist() == [
        "32 countries with defence agreements",
        "16 active defence partners",
    ]


def test_claims_register_lists_every_claim_with_tags_and_verdict_words():
    claims = tables()["claims"]
    r = sr.claims_register(claims)
    assert len(r) == len(claims) and set(r["claim"]) == set(claims["claim_id"])
    assert set(r["article"]) == {"Article A", "Article B"}
    assert not r["verdict"].str.contains("_").any()
