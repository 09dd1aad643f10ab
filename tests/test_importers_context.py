"""Importers of the context data (peers, peacekeeping after 2014, China's visits, US training by place):
each upstream format, from a tiny fixture written here in that format, gives exact curated rows.

Nothing here reads the shared upstream collection; the last tests check key facts of the committed tables.
"""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
from test_importers import FMTR_NEW, REPO_DATA, _milex_workbook, records, write

from partnerships.data.importers import (
    ImportError_,
    aiddata,
    fmtr,
    ipi,
    radpko,
    run_import,
    sipri_milex,
    un_pk_open_data,
    world_bank_population,
)
from partnerships.data.validate import DataError, read_table

# ----------------------------------------------------------------------------- SIPRI milex: peers


def test_sipri_milex_peer_rows_from_1990_with_shares_in_percent(tmp_path):
    out = sipri_milex.parse(_milex_workbook(tmp_path / "SIPRI-Milex-data-1949-2024.xlsx"))
    peers = out["peer_military_expenditure"]
    # the fixture's Nepal row holds 1..6 for 1986-1991; the peer table starts in 1990, on four sheets only
    got = sorted((r["measure"], r["year"], r["value"]) for r in records(peers))
    assert got == [
        ("constant_2023_usd_m", 1990, 5.0),
        ("constant_2023_usd_m", 1991, 6.0),
        ("current_usd_m", 1990, 5.0),
        ("current_usd_m", 1991, 6.0),
        ("per_capita_usd", 1990, 5.0),
        ("per_capita_usd", 1991, 6.0),
        ("share_gdp_pct", 1990, 500.0),
        ("share_gdp_pct", 1991, 600.0),
    ]
    assert set(peers.country) == {"Nepal"} and set(peers.source_id) == {"sipri_milex"}
    assert records(peers[peers.measure == "constant_2023_usd_m"])[0]["locator"] == "Constant (2023) US$!H6"
    # Mongolia stays in its own table only
    assert "Mongolia" not in set(peers.country) and len(out["military_expenditure"])


# ----------------------------------------------------------------------------- World Bank population

POP = (
    "Country Name,Country Code,Year,Value\n"
    "Aruba,ABW,2014,103594\n"
    "Mongolia,MNG,1989,2170000\n"
    "Mongolia,MNG,1990,2184145\n"
    "Mongolia,MNG,2014,2996082\n"
    "World,WLD,2014,7271000000\n"
    "Nepal,NPL,2021,29900000\n"
    "Nepal,NPL,2022,\n"
)


def test_population_keeps_comparison_countries_and_every_country_in_snapshot_years(tmp_path):
    df = world_bank_population.parse(write(tmp_path / "population.csv", POP))["population"]
    assert [(r["iso3"], r["year"], r["population"], r["locator"]) for r in records(df)] == [
        ("ABW", 2014, 103594, "line 2"),  # any country, in a snapshot year
        ("MNG", 1990, 2184145, "line 4"),  # comparison country from 1990 (1989 left out)
        ("MNG", 2014, 2996082, "line 5"),
        ("NPL", 2021, 29900000, "line 7"),  # aggregates (WLD) and empty values are left out
    ]


def test_population_wrong_file_is_named(tmp_path):
    with pytest.raises(
        ValueError, match=r"pop.csv: not the World Bank population file \(header: a, b; expected Country Name"
    ):
        world_bank_population.parse(write(tmp_path / "pop.csv", "a,b\n1,2\n"))


# ----------------------------------------------------------------------------- IPI current month: every contributor


def test_ipi_current_month_gives_every_contributor_total(tmp_path):
    header = "Date,Contributor,Contributor_ISO-3,Mission,Experts_on_Mission,Troops,Total"
    path = write(
        tmp_path / "current_month.csv",
        header + "\n"
        "2014-03-31,Nepal,NPL,UNMISS,5,900,905\n"
        "2014-03-31,Mongolia,MNG,UNMISS,4,850,854\n"
        "2014-03-31,Mongolia,MNG,UNAMA,NA,NA,NA\n"
        "2014-03-31,Mongolia,MNG,MINURSO,4,NA,4\n",
    )
    df = ipi.parse(path)["pk_contributors"]
    assert records(df) == [
        {
            "date": "2014-03-31",
            "iso3": "NPL",
            "country": "Nepal",
            "personnel": 905,
            "female": None,
            "un_rank": None,
            "source_id": "ipi_pk",
            "locator": "line 2; column Total (sum over missions)",
        },
        {
            "date": "2014-03-31",
            "iso3": "MNG",
            "country": "Mongolia",
            "personnel": 858,
            "female": None,
            "un_rank": None,
            "source_id": "ipi_pk",
            "locator": "lines 3-5; column Total (sum over missions)",
        },
    ]


# ----------------------------------------------------------------------------- UN open data

RANK = (
    "\ufeffISOCode3,M49_Code,Contributing_Country,Personnel_Contribution_Rank,Female_Personnel,Male_Personnel,"
    "Total_Uniformed_Personnel,Last_Reporting_Date\n"
    "BGD,50,Bangladesh,1,317,6394,6711,31-Jan-21\n"
    "MNG,496,Mongolia,24,62,824,886,31-Jan-21\n"
)
BY_YEAR = (
    ",Year,Country,Mission,Female,Male,Total\n"
    "1,2019,Mongolia,UNMISS,40,835,875\n"
    "2,2019,Mongolia,UNAMA,0,0,0\n"
    "3,2017,Mongolia,UNMISS,20,342,362\n"
    "4,2019,Albania,UNMISS,0,2,2\n"
)


def test_un_rank_file_is_a_head_count_with_the_un_rank(tmp_path):
    df = un_pk_open_data.parse(write(tmp_path / "Rank.csv", RANK))["pk_contributors"]
    assert records(df)[1] == {
        "date": "2021-01-31",
        "iso3": "MNG",
        "country": "Mongolia",
        "personnel": 886,
        "female": 62,
        "un_rank": 24,
        "source_id": "un_pk_open_data",
        "locator": "Rank.csv line 3",
    }


def test_un_yearly_means_flag_defective_years(tmp_path):
    df = un_pk_open_data.parse(write(tmp_path / "CountryByYear.csv", BY_YEAR))["pk_yearly"]
    # zero rows and countries outside the comparison are left out
    assert [
        (r["country"], r["year"], r["mission"], r["personnel"], r["female"], r["usable"], r["quality"], r["measure"])
        for r in records(df)
    ] == [
        ("Mongolia", 2019, "UNMISS", 875.0, 40.0, True, "", "un_yearly_mean"),
        ("Mongolia", 2017, "UNMISS", 362.0, 20.0, False, "months missing: understated", "un_yearly_mean"),
    ]


def test_un_open_data_unknown_file(tmp_path):
    with pytest.raises(ValueError, match=r"x.csv: not the UN contribution ranking \(Rank.csv\) or the yearly means"):
        un_pk_open_data.parse(write(tmp_path / "x.csv", "Year,Country\n2019,Mongolia\n"))


# ----------------------------------------------------------------------------- RADPKO


def test_radpko_sums_base_means_by_year_and_mission(tmp_path):
    cols = ["mission", "country", "base", "year"] + [
        f"{c}_{s}" for c in ("mongolia", "sierra.leone", "nepal") for s in ("pko", "untrp", "unpol", "unmob")
    ]
    rows = [
        ["UNMISS", "South Sudan", "bentiu", "2016"]
        + ["800", "790", "0", "10"]
        + ["9", "9", "0", "0"]
        + ["0", "0", "0", "0"],
        ["UNMISS", "South Sudan", "rumbek", "2016"]
        + ["126.1", "126.1", "0", "0"]
        + ["0", "0", "0", "0"]
        + ["50", "50", "0", "0"],
        ["UNAMID", "Sudan", "kabkabiya", "2016"] + ["8", "8", "0", "0"] + ["0", "0", "0", "0"] + ["0", "0", "0", "0"],
    ]
    path = write(tmp_path / "radpko_bases_cc_y.csv", "\n".join(",".join(r) for r in [cols, *rows]) + "\n")
    df = radpko.parse(path)["pk_yearly"]
    got = [
        (
            r["country"],
            r["mission"],
            r["personnel"],
            r["troops"],
            r["observers"],
            r["n_bases"],
            r["measure"],
            r["locator"],
        )
        for r in records(df)
    ]
    # Sierra Leone is not a comparison country; Nepal's zero at Bentiu does not count as a base
    assert got == [
        (
            "Mongolia",
            "UNAMID",
            8.0,
            8.0,
            0.0,
            1,
            "african_bases_mean",
            "line 4; columns mongolia_pko, mongolia_untrp, mongolia_unpol, mongolia_unmob",
        ),
        (
            "Mongolia",
            "UNMISS",
            926.1,
            916.1,
            10.0,
            2,
            "african_bases_mean",
            "lines 2-3; columns mongolia_pko, mongolia_untrp, mongolia_unpol, mongolia_unmob",
        ),
        (
            "Nepal",
            "UNMISS",
            50.0,
            50.0,
            0.0,
            1,
            "african_bases_mean",
            "line 3; columns nepal_pko, nepal_untrp, nepal_unpol, nepal_unmob",
        ),
    ]
    assert set(df.quality) == {"African missions only"} and df.usable.all()


def test_radpko_wrong_file(tmp_path):
    with pytest.raises(ValueError, match=r"r.csv: not the RADPKO base-year file"):
        radpko.parse(write(tmp_path / "r.csv", "a,b\n1,2\n"))


# ----------------------------------------------------------------------------- AidData


def test_aiddata_na_is_not_covered_not_zero(tmp_path):
    path = write(
        tmp_path / "ChinesePublicDiplomacy.csv",
        "receiving_country,year,confucius_institutes,government_visits,military_visits\n"
        '"Mongolia",2000,0,7,4\n"Mongolia",2016,0,"N/A","N/A"\n"Mongolia",2011,0,7,0\n"Angola",2000,0,1,1\n',
    )
    df = aiddata.parse(path)["china_visits"]
    assert [
        (r["country"], r["year"], r["military_visits"], r["government_visits"], r["locator"]) for r in records(df)
    ] == [
        ("Mongolia", 2000, 4, 7, "line 2"),
        ("Mongolia", 2016, None, None, "line 3"),
        ("Mongolia", 2011, 0, 7, "line 4"),
    ]


# ----------------------------------------------------------------------------- FMTR: places and foreign trainees

FMTR_PLACES = FMTR_NEW.replace(
    "<training><course_title>Basic Officer </course_title><location>Fort Benning, GA </location><quantity>1 </quantity><total_cost>$30,000 </total_cost></training>\n"
    "      <training><course_title>Basic Officer </course_title><location>Fort Benning, GA </location>",
    "<training><course_title>Basic Officer </course_title><location>Fort Benning, GA </location><quantity>1 </quantity><total_cost>$30,000 </total_cost></training>\n"
    "      <training><course_title>MTT </course_title><location>Ulaanbaatar, Mongolia </location><quantity>20 </quantity><total_cost>$5,000 </total_cost></training>\n"
    "      <training><course_title>Basic Officer </course_title><location>VARIOUS </location>",
)


def test_fmtr_places_and_foreign_trainees_in_mongolia(tmp_path):
    out = fmtr.parse(write(tmp_path / "2019_2020_East_Asia_and_Pacific_fmtrpt_dedup.xml", FMTR_PLACES))
    places = records(out["us_training_places"])
    assert [
        (p["program"], p["place"], p["course_lines"], p["students"], p["cost_usd"], p["locator"]) for p in places
    ] == [
        ("IMET-1", "abroad", 1, 1, 30000, "2019_2020 report, program element(s) #2: 1 course line(s)"),
        ("IMET-1", "in_mongolia", 1, 20, 5000, "2019_2020 report, program element(s) #2: 1 course line(s)"),
        ("IMET-1", "not_stated", 1, 1, 30000, "2019_2020 report, program element(s) #2: 1 course line(s)"),
        # the PKO line has no location; its titleless last line is the printed total, not a course
        ("PKO", "not_stated", 1, 3, 1000, "2019_2020 report, program element(s) #3: 1 course line(s)"),
    ]
    foreign = records(out["us_training_foreign"])
    assert foreign == [
        {
            "fiscal_year": 2019,
            "country": "Brunei",
            "program": "CTIWFP",
            "program_group": fmtr.program_group("CTIWFP"),
            "course_title": "Khaan Quest 19 FTX",
            "location": "Five Hills, Mongolia",
            "start_date": "2019-06-14",
            "end_date": "2019-06-28",
            "students": 2,
            "cost_usd": 1,
            "fy_reported_as_completed": True,
            "report": "2019_2020",
            "source_id": "fmtr",
            "locator": "2019_2020 report, program element #1, training line 2",
        }
    ]


@pytest.mark.parametrize(
    "location, where",
    [
        ("Five Hills PSOTC, Tavan Tolgoi, Mongolia", "in_mongolia"),
        ("UB,KHOVD,TSETSERLEG", "in_mongolia"),
        ("Ulaan Bataar and Five Hills Training Area", "in_mongolia"),
        ("Lackland AFB, TX, US", "abroad"),
        ("Birendra POTC, Panchkhal, Nepal", "abroad"),
        ("", "not_stated"),
        ("VARIOUS", "not_stated"),
        ("N/A", "not_stated"),
    ],
)
def test_fmtr_place_of_a_location(location, where):
    assert fmtr.place(location) == where


def test_fmtr_course_extract_gives_places_for_mongolia_and_foreign_rows_for_others(tmp_path):
    cols = (
        "fiscal_year,program,program_group,course_title,location,start_date,end_date,quantity,total_cost,us_unit,student_unit,"
        "page_number,program_as_printed,country_as_printed,report,source_file,fy_reported_as_completed"
    )
    mongolia = write(
        tmp_path / "fmtr_mongolia_courses.csv",
        cols + "\n"
        '2006,IMET,IMET,INF,"Ft. Benning, GA, US",,,2,100,,,,IMET - FY 2006 DoS Training,Mongolia,2006_2007,f,TRUE\n'
        '2006,IMET,IMET,MTT,"Ulaanbaatar, Mongolia",,,10,50,,,,IMET - FY 2006 DoS Training,Mongolia,2006_2007,f,TRUE\n'
        '2019,IMET-1,IMET,X,"Ft. Benning, GA, US",,,2,100,,,,IMET-1,Mongolia,2019_2020,f,TRUE\n',
    )
    out = fmtr.parse(mongolia)
    assert set(out) == {"us_training_places"}  # no exercise rows from Mongolia's own course extract
    assert [
        (r["fiscal_year"], r["place"], r["students"], r["locator"]) for r in records(out["us_training_places"])
    ] == [
        (2006, "abroad", 2, "2006_2007 report, heading 'IMET - FY 2006 DoS Training': 1 course line(s) (via extract)"),
        (
            2006,
            "in_mongolia",
            10,
            "2006_2007 report, heading 'IMET - FY 2006 DoS Training': 1 course line(s) (via extract)",
        ),
    ]
    others = write(
        tmp_path / "fmtr_other_countries_trained_in_mongolia.csv",
        cols + "\n"
        '2006,Misc,Misc,Khaan Quest 06,"Five Hills, Mongolia",8/5/2006,8/16/2006,4,1000,,,,Misc - FY 2006,Tonga,2006_2007,f,TRUE\n',
    )
    out = fmtr.parse(others)
    assert [(r["country"], r["students"], r["start_date"]) for r in records(out["us_training_foreign"])] == [
        ("Tonga", 4, "2006-08-05")
    ]
    assert out["exercises"].exercise_id.tolist() == ["khaan-quest-2006"]


# ----------------------------------------------------------------------------- run_import and validation


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    for name in ("sources.csv", "partners.csv", "country_aliases.csv", "cow_codes.csv"):
        shutil.copy(REPO_DATA / name, root / "data" / name)
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    return root


def test_run_import_un_open_data_two_files_two_slots(data_root, tmp_path):
    rank = write(tmp_path / "Rank.csv", RANK)
    by_year = write(tmp_path / "CountryByYear.csv", BY_YEAR)
    assert run_import("un_pk_open_data", rank) == 2
    assert run_import("un_pk_open_data", by_year) == 2
    sources = pd.read_csv(data_root / "data" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    assert sources.loc["un_pk_open_data", "sha256"].split(";") == [
        hashlib.sha256(rank.read_bytes()).hexdigest(),
        hashlib.sha256(by_year.read_bytes()).hexdigest(),
    ]
    assert read_table("pk_contributors").personnel.tolist() == [6711, 886]
    assert read_table("pk_yearly").year.tolist() == [2017, 2019]


def test_run_import_radpko_keeps_un_rows_in_the_same_table(data_root, tmp_path):
    run_import("un_pk_open_data", write(tmp_path / "CountryByYear.csv", BY_YEAR))
    cols = "mission,country,base,year,mongolia_pko,mongolia_untrp,mongolia_unpol,mongolia_unmob"
    run_import(
        "radpko", write(tmp_path / "radpko_bases_cc_y.csv", cols + "\nUNMISS,South Sudan,bentiu,2016,800,800,0,0\n")
    )
    df = read_table("pk_yearly")
    assert sorted(zip(df.source_id, df.year)) == [
        ("radpko", 2016),
        ("un_pk_open_data", 2017),
        ("un_pk_open_data", 2019),
    ]


def test_run_import_wrong_file_for_a_new_source(data_root, tmp_path):
    with pytest.raises(
        ImportError_, match=r"Rank.csv: cannot import as radpko: Rank.csv: not the RADPKO base-year file"
    ):
        run_import("radpko", write(tmp_path / "Rank.csv", RANK))


def test_bad_row_in_a_new_table_names_file_row_and_column(data_root):
    (data_root / "data" / "pk_yearly.csv").write_text(
        "country,year,mission,measure,personnel,troops,police,observers,female,n_bases,usable,quality,source_id,locator\n"
        "Mongolia,2019,UNMISS,un_yearly_mean,875,,,,40,,true,,un_pk_open_data,CountryByYear.csv line 2\n"
        "Mongolia,2019,UNMISS,monthly,875,,,,40,,true,,un_pk_open_data,CountryByYear.csv line 3\n"
        "Atlantis,2019,UNMISS,un_yearly_mean,-1,,,,,,true,,un_pk_open_data,CountryByYear.csv line 4\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        read_table("pk_yearly")
    problems = [str(p) for p in info.value.problems]
    assert (
        "data/pk_yearly.csv:3: measure: not one of the allowed values: african_bases_mean, un_yearly_mean (monthly)"
        in problems
    )
    assert "data/pk_yearly.csv:4: personnel: negative (must be 0 or more) (-1)" in problems
    assert "data/pk_yearly.csv:4: country: not found in data/partners.csv column partner (Atlantis)" in problems


# ----------------------------------------------------------------------------- the committed tables


def test_committed_context_tables():
    pk = read_table("pk_contributors")
    assert pk.groupby("date").size().to_dict() == {"2014-03-31": 122, "2021-01-31": 122}
    mng = pk[pk.iso3 == "MNG"].set_index("date")
    assert mng.loc["2014-03-31", "personnel"] == 938 and tuple(mng.loc["2021-01-31", ["personnel", "un_rank"]]) == (
        886,
        24,
    )
    # the IPI snapshot agrees with the monthly series for March 2014
    monthly = read_table("pk_monthly").set_index("date").loc["2014-03-31"]
    assert monthly.troops + monthly.police + monthly.experts == 938
    y = read_table("pk_yearly")
    rad = y[(y.country == "Mongolia") & (y.measure == "african_bases_mean")].groupby("year").personnel.sum()
    assert (
        round(rad[2016], 1) == 934.1 and round(rad[2018], 1) == 873.2 and round(rad[2019], 1) == 875.9
    )  # provenance check figures
    un = y[(y.country == "Mongolia") & (y.measure == "un_yearly_mean") & y.usable].groupby("year").personnel.sum()
    assert un.to_dict() == {2011: 103.0, 2018: 885.0, 2019: 889.0, 2020: 888.0}
    pop = read_table("population").set_index(["iso3", "year"]).population
    assert (pop[("MNG", 2020)], pop[("MNG", 2021)], pop[("MNG", 2024)]) == (3327204, 3383741, 3524788)
    me = read_table("peer_military_expenditure").set_index(["country", "measure", "year"]).value
    assert (
        round(me[("Kazakhstan", "constant_2023_usd_m", 2024)], 1) == 1145.0
        and round(me[("Fiji", "constant_2023_usd_m", 2024)], 1) == 74.4
    )
    cv = read_table("china_visits").query("country == 'Mongolia'").set_index("year").military_visits
    assert cv.loc[2000:2015].tolist() == [4, 3, 0, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0] and cv.loc[2016:].isna().all()
    fo = read_table("us_training_foreign")
    assert len(fo) == 186 and fo.students.sum() == 610
    places = read_table("us_training_places")
    assert places.course_lines.sum() == 2597  # every Mongolian course line of the reports, once
