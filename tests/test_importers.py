"""Importers: each upstream format, from a tiny fixture written here in that format, gives exact curated rows.

Nothing here reads the shared upstream collection: the fixtures are written into tmp_path.
The last tests check key facts of the committed curated tables.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from partnerships import paths
from partnerships.data.importers import (
    ImportError_,
    armed_forces,
    atop,
    dcad,
    fmtr,
    geopko,
    ipi,
    mme,
    owid_sipri_milex,
    run_import,
    russia_exercises,
    sipri_milex,
    sipri_tiv_360info,
    sipri_trade_register,
    troopdata,
    world_atlas,
)

REPO_DATA = Path(__file__).resolve().parents[1] / "data"


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with NaN/NA turned into None (for exact comparisons)."""
    return [
        {k: (None if (not isinstance(v, (list, dict)) and pd.isna(v)) else v) for k, v in r.items()}
        for r in df.astype(object).to_dict("records")
    ]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- SIPRI milex (xlsx)


def _milex_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Front page"
    years = [1986, 1987, 1988, 1989, 1990, 1991]
    sheets = {
        # sheet: (leading columns, Mongolia's values by year)
        "Constant (2023) US$": (["Country", "", "Notes"], ["...", "...", "...", "...", 137.9, "..."]),
        "Current US$": (["Country", "Notes"], ["...", 0, 0, 0, 0, 41.5]),
        "Share of GDP": (["Country", "Notes"], ["...", 0.0583, "xxx", 0.0625, 0.0428, 0.0125]),
        "Share of Govt. spending": (["Country"], ["...", "...", 0.1396, 0.1259, 0.0915, 0.0854]),
        "Per capita": (["Country", "Notes"], ["...", "...", "...", "...", "...", 50.75]),
        "Local currency calendar years": (
            ["Country", "Currency", "Notes"],
            ["...", 700000000, "...", "...", 592000000, 1234500000],
        ),
    }
    for name, (lead, values) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([f"{name} title      © SIPRI 2024"])
        ws.append(["a note line"])
        ws.append(lead + years)
        ws.append(["Asia & Oceania"])
        ws.append(["Mongolia"] + [""] * (len(lead) - 1) + values)
        ws.append(["Nepal"] + [""] * (len(lead) - 1) + [1, 2, 3, 4, 5, 6])
    wb.save(path)
    return path


def test_sipri_milex_xlsx(tmp_path):
    df = sipri_milex.parse(_milex_workbook(tmp_path / "SIPRI-Milex-data-1949-2024.xlsx"))["military_expenditure"]
    const = records(df[df.measure == "constant_2023_usd_m"])
    assert const == [
        {
            "year": 1990,
            "measure": "constant_2023_usd_m",
            "value": 137.9,
            "source_id": "sipri_milex",
            "locator": "Constant (2023) US$!H5",
            "note": "",
        },
        {
            "year": 1991,
            "measure": "constant_2023_usd_m",
            "value": None,
            "source_id": "sipri_milex",
            "locator": "Constant (2023) US$!I5",
            "note": "SIPRI: data unavailable (...)",
        },
    ]
    cur = records(df[df.measure == "current_usd_m"])
    assert [(r["year"], r["value"], r["note"]) for r in cur] == [
        (1987, None, "SIPRI records 0 (no market exchange rate); read as missing"),
        (1988, None, "SIPRI records 0 (no market exchange rate); read as missing"),
        (1989, None, "SIPRI records 0 (no market exchange rate); read as missing"),
        (1990, None, "SIPRI records 0 (no market exchange rate); read as missing"),
        (1991, 41.5, ""),
    ]
    gdp = records(df[df.measure == "share_gdp_pct"])
    # fractions become percent; "xxx" is missing with its own note
    assert [(r["year"], r["value"], r["note"]) for r in gdp] == [
        (1987, 5.83, ""),
        (1988, None, "SIPRI: country not independent (xxx)"),
        (1989, 6.25, ""),
        (1990, 4.28, ""),
        (1991, 1.25, ""),
    ]
    local = records(df[df.measure == "local_currency_m"])
    assert [(r["year"], r["value"]) for r in local] == [
        (1987, 700.0),
        (1988, None),
        (1989, None),
        (1990, 592.0),
        (1991, 1234.5),
    ]
    assert records(df[df.measure == "per_capita_usd"]) == [
        {
            "year": 1991,
            "measure": "per_capita_usd",
            "value": 50.75,
            "source_id": "sipri_milex",
            "locator": "Per capita!H5",
            "note": "",
        }
    ]
    assert df[df.measure == "share_govt_pct"].year.tolist() == [1988, 1989, 1990, 1991]


def test_sipri_milex_missing_sheet_is_named(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Current US$"
    wb.save(tmp_path / "milex.xlsx")
    with pytest.raises(ValueError, match=r"milex.xlsx: sheet 'Constant \(2023\) US\$' not found"):
        sipri_milex.parse(tmp_path / "milex.xlsx")


# ----------------------------------------------------------------------------- SIPRI trade register

TRADE_PREAMBLE = "\n".join(
    [
        "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made ...",
        "A '?' in a column indicates uncertain data.",
        "An empty field for 'Number ordered' ...",
        "SIPRI trend-indicator values (TIVs) are in millions.",
        "An empty field for 'SIPRI TIV for total order' ...",
        "A '0' for 'SIPRI TIV of delivered weapons' ...",
        "Figures may not add up ...",
        "For the method ... <https://www.sipri.org>.",
        "",
        "Source: SIPRI Arms Transfers Database (c) SIPRI.",
        "Data generated: 13 Mar 2025 10:02:49 AM",
    ]
)
TRADE_HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,"
    "Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)


def test_trade_register_latin1_preamble(tmp_path):
    body = (
        "\n".join(
            [
                TRADE_PREAMBLE,
                TRADE_HEADER,
                "Afghanistan,Brazil,2017,,6,,EMB-314 Super Tucano,trainer/combat aircraft,6,,2018,New,financed by USA,4.5,27,27",
                'Mongolia,Soviet Union,1975,?,50,?,BTR-60PB,APC,50,?,1975; 1976,New,"Sold via Société X, ""used""",0.25,12.5,12.5',
                "Mongolia,United States,2023,,50,,L-ATV,APC/armoured car,,,,New,,0.3,15,",
                "Mongolia,Russia,2019,,2,,Mi-171,transport helicopter,2,,2021,New,,6,12,0",
            ]
        )
        + "\n"
    )
    path = write(tmp_path / "trade-register.csv", body, encoding="latin-1")
    df = sipri_trade_register.parse(path)["arms_transfers"]
    assert records(df) == [
        {
            "deal_id": "soviet-union-1975-btr-60pb",
            "supplier": "Soviet Union",
            "weapon_designation": "BTR-60PB",
            "weapon_description": "APC",
            "number_ordered": 50,
            "number_ordered_uncertain": True,
            "order_year": 1975,
            "order_year_uncertain": True,
            "delivery_years": "1975; 1976",
            "number_delivered": 50,
            "number_delivered_uncertain": True,
            "tiv_per_unit": 0.25,
            "tiv_total_order": 12.5,
            "tiv_delivered": 12.5,
            "status": "New",
            "comments": 'Sold via Société X, "used"',
            "source_id": "sipri_trade_register",
            "locator": "line 14",
        },
        {
            "deal_id": "united-states-2023-l-atv",
            "supplier": "United States",
            "weapon_designation": "L-ATV",
            "weapon_description": "APC/armoured car",
            "number_ordered": 50,
            "number_ordered_uncertain": False,
            "order_year": 2023,
            "order_year_uncertain": False,
            "delivery_years": "",
            "number_delivered": None,
            "number_delivered_uncertain": False,
            "tiv_per_unit": 0.3,
            "tiv_total_order": 15,
            "tiv_delivered": None,
            "status": "New",
            "comments": "",
            "source_id": "sipri_trade_register",
            "locator": "line 15",
        },
        {
            "deal_id": "russia-2019-mi-171",
            "supplier": "Russia",
            "weapon_designation": "Mi-171",
            "weapon_description": "transport helicopter",
            "number_ordered": 2,
            "number_ordered_uncertain": False,
            "order_year": 2019,
            "order_year_uncertain": False,
            "delivery_years": "2021",
            "number_delivered": 2,
            "number_delivered_uncertain": False,
            "tiv_per_unit": 6,
            "tiv_total_order": 12,
            "tiv_delivered": 0,
            "status": "New",
            "comments": "",
            "source_id": "sipri_trade_register",
            "locator": "line 16",
        },
    ]


def test_trade_register_without_header_fails(tmp_path):
    path = write(tmp_path / "x.csv", "just,a,file\n1,2,3\n")
    with pytest.raises(ValueError, match="x.csv: no header row starting with 'Recipient' found"):
        sipri_trade_register.parse(path)


def test_tiv_360info(tmp_path):
    path = write(
        tmp_path / "sipri-exports-processed.csv",
        "supplier,recipient,year,value,supplier_cown,recipient_cown,supplier_lon,supplier_lat,recipient_lon,recipient_lat\n"
        "Austria,Australia,2021,11,305,900,14.1,47.6,134.4,-25.6\n"
        "Soviet Union,Mongolia,1975,12,365,712,1,2,3,4\n"
        "Russia,Mongolia,2019,6,365,712,1,2,3,4\n",
    )
    assert records(sipri_tiv_360info.parse(path)["arms_tiv_by_year"]) == [
        {"supplier": "Soviet Union", "year": 1975, "tiv_m": 12, "source_id": "sipri_tiv_360info", "locator": "line 3"},
        {"supplier": "Russia", "year": 2019, "tiv_m": 6, "source_id": "sipri_tiv_360info", "locator": "line 4"},
    ]


# ----------------------------------------------------------------------------- IPI


def test_ipi_country_file_na_is_zero(tmp_path):
    path = write(
        tmp_path / "Mongolia.csv", '"Date","Troops","Police","Experts"\n2002-08-30,NA,NA,2\n2014-03-31,850,NA,13\n'
    )
    assert records(ipi.parse(path)["pk_monthly"]) == [
        {"date": "2002-08-30", "troops": 0, "police": 0, "experts": 2, "source_id": "ipi_pk", "locator": "line 2"},
        {"date": "2014-03-31", "troops": 850, "police": 0, "experts": 13, "source_id": "ipi_pk", "locator": "line 3"},
    ]


def test_ipi_current_month(tmp_path):
    header = "Date,Contributor,Contributor_ISO-3,Mission,Experts_on_Mission,Formed_Police_Units,Inidividual_Police,Civilian_Police,Troops,Observers,Total"
    path = write(
        tmp_path / "current_month.csv",
        header + "\n"
        "2014-03-31,Nepal,NPL,UNMISS,5,NA,NA,NA,900,NA,905\n"
        "2014-03-31,Mongolia,MNG,UNMISS,4,NA,NA,NA,850,NA,854\n"
        "2014-03-31,Mongolia,MNG,UNAMA,NA,NA,NA,NA,NA,NA,NA\n",
    )
    assert records(ipi.parse(path)["pk_missions"]) == [
        {
            "date": "2014-03-31",
            "mission": "UNMISS",
            "personnel_type": "troops",
            "sex": "total",
            "count": 850,
            "source_id": "ipi_pk",
            "locator": "line 3; column Troops",
        },
        {
            "date": "2014-03-31",
            "mission": "UNMISS",
            "personnel_type": "experts",
            "sex": "total",
            "count": 4,
            "source_id": "ipi_pk",
            "locator": "line 3; column Experts_on_Mission",
        },
        {
            "date": "2014-03-31",
            "mission": "UNMISS",
            "personnel_type": "total",
            "sex": "total",
            "count": 854,
            "source_id": "ipi_pk",
            "locator": "line 3; column Total",
        },
        {
            "date": "2014-03-31",
            "mission": "UNAMA",
            "personnel_type": "total",
            "sex": "total",
            "count": 0,
            "source_id": "ipi_pk",
            "locator": "line 4; column Total",
        },
    ]


def test_ipi_gender(tmp_path):
    cols = ["Individual Police", "Formed Police Units", "Experts on Mission", "Troops", "Total"]
    header = ",Date,Contributor,Contributor ISO-3,Mission," + ",".join(
        f"{c} {s}" for c in cols for s in ("Male", "Female", "Total")
    )
    row = "14825,2013-05-31,Mongolia,MNG,UNMISS," + ",".join(["0,0,0", "0,0,0", "1,0,1", "800,30,830", "801,30,831"])
    path = write(tmp_path / "Gender.Full.csv", header + "\n" + row + "\n")
    df = ipi.parse(path)["pk_missions"]
    assert [(r["personnel_type"], r["sex"], r["count"]) for r in records(df)] == [
        ("experts", "male", 1),
        ("experts", "total", 1),
        ("troops", "male", 800),
        ("troops", "female", 30),
        ("troops", "total", 830),
        ("total", "male", 801),
        ("total", "female", 30),
        ("total", "total", 831),
    ]
    assert set(df.source_id) == {"ipi_gender"} and df.locator.iloc[0] == "line 2; column Experts on Mission Male"


def test_ipi_unknown_header(tmp_path):
    with pytest.raises(ValueError, match=r"odd.csv: not an IPI country, current-month or gender file \(header: a, b\)"):
        ipi.parse(write(tmp_path / "odd.csv", "a,b\n1,2\n"))


# ----------------------------------------------------------------------------- Geo-PKO


def test_geopko_size_unknown(tmp_path):
    path = write(
        tmp_path / "TCCMap_v.2.3.csv",
        "mission,year,location,latitude,longitude,No.TCC,year.overview\n"
        "MINUJUSTH,2017,Cap-Haïtien,19.75938,-72.19815,1,Nepal (size unknown)\n"
        'UNMISS,2015,Bentiu,9.259905,29.80011,3,"Cambodia (size unknown), Ghana (800), Mongolia (650)"\n'
        'UNAMID,2016,Kabkabiya,13.64746,24.086729,2,"Mongolia (size unknown), Rwanda (300)"\n'
        'UNMIL,2008,Somewhere,6.3,-10.8,1,"Inner Mongolia Unit (35)"\n',
    )
    assert records(geopko.parse(path)["pk_deployments"]) == [
        {
            "mission": "UNMISS",
            "year": 2015,
            "location": "Bentiu",
            "host_country": "South Sudan",
            "latitude": 9.259905,
            "longitude": 29.80011,
            "mongolia_unit_size": 650,
            "unit_size_flag": "estimate",
            "contributors_at_location": 3,
            "source_id": "geopko",
            "locator": "line 3",
        },
        {
            "mission": "UNAMID",
            "year": 2016,
            "location": "Kabkabiya",
            "host_country": "Sudan",
            "latitude": 13.64746,
            "longitude": 24.086729,
            "mongolia_unit_size": None,
            "unit_size_flag": "size_unknown",
            "contributors_at_location": 2,
            "source_id": "geopko",
            "locator": "line 4",
        },
    ]


# ----------------------------------------------------------------------------- DCAD, ATOP, COW, OWID, troopdata

DCAD_HEADER = (
    "ccode1,cowName1,ccode2,cowName2,signDay,signMonth,signYear,EIFDay,EIFMonth,EIFYear,type,category1,category2,category3,"
    "span,renewType,renewYears,terminated,durationActual,endYearEstimate,asymmetry,categoryConf,UNTS,fullText,sourceType,"
    "source,factivaConf,factivaSign,factivaEIF,DCAid"
)


def test_dcad(tmp_path):
    path = write(
        tmp_path / "DCAD-v1.0-main.csv",
        DCAD_HEADER + "\n"
        "2,USA,20,CAN,1,4,1984,1,4,1984,sector,PROCUREMENT,,,,,,0,,2010,1,atypical,,Y,treaty,US DOD,,,,DCADv1.0-0001\n"
        '2,USA,712,MON,,6,1996,,,,sector,TREX,,,,,,-88,,2002,2,atypical,,,factiva,"Wires, newspapers",1,1,,DCADv1.0-0128\n'
        "365,RUS,712,MON,27,4,1993,,,,sector,PROCUREMENT,,,,,,-88,,1999,1,low,,N,treaty,Treaty,,,,DCADv1.0-1335\n"
        "712,MON,750,IND,,,2005,,,,sector,COMMISSION,TREX,,,,,-88,,2010,0,low,,,factiva,Wires,2,-99,,DCADv1.0-1824\n",
    )
    assert records(dcad.parse(path)["agreements"]) == [
        {
            "agreement_id": "DCADv1.0-0128",
            "partner": "United States",
            "year": 1996,
            "date": "1996-06",
            "type": "sector",
            "category": "TREX",
            "description": "DCAD sector agreement: training and exercises",
            "dcad_source_type": "factiva",
            "confidence": "atypical",
            "source_id": "dcad",
            "locator": "DCADv1.0-0128",
        },
        {
            "agreement_id": "DCADv1.0-1335",
            "partner": "Russia",
            "year": 1993,
            "date": "1993-04-27",
            "type": "sector",
            "category": "PROCUREMENT",
            "description": "DCAD sector agreement: defense procurement",
            "dcad_source_type": "treaty",
            "confidence": "low",
            "source_id": "dcad",
            "locator": "DCADv1.0-1335",
        },
        {
            "agreement_id": "DCADv1.0-1824",
            "partner": "India",
            "year": 2005,
            "date": "",
            "type": "sector",
            "category": "COMMISSION; TREX",
            "description": "DCAD sector agreement: joint commission; training and exercises",
            "dcad_source_type": "factiva",
            "confidence": "low",
            "source_id": "dcad",
            "locator": "DCADv1.0-1824",
        },
    ]


def test_atop_spells(tmp_path):
    rows = ["ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul"]
    rows += [f"365,712,{y},1,0,0,1,1" for y in (1946, 1947)]  # the reverse direction: ignored
    rows += [f"712,365,{y},1,0,0,1,1" for y in (1990, 1991)]  # Soviet Union ...
    rows += [f"712,365,{y},1,0,0,1,1" for y in (1992, 1993)]  # ... then Russia (same code 365)
    rows += [f"712,365,{y},0,0,0,1,1" for y in (1994, 1995)]  # flags change: a new spell
    rows += ["712,710,2005,0,0,0,1,0", "712,710,2007,0,0,0,1,0"]  # a gap year: two spells
    df = atop.parse(write(tmp_path / "atop.csv", "\n".join(rows) + "\n"))["alliances"]
    assert [
        (r["partner"], r["year_from"], r["year_to"], r["defense"], r["nonagg"], r["consul"], r["locator"])
        for r in records(df)
    ] == [
        ("China", 2005, 2005, 0, 1, 0, "line 10"),
        ("China", 2007, 2007, 0, 1, 0, "line 11"),
        ("Russia", 1992, 1993, 1, 1, 1, "lines 6-7"),
        ("Russia", 1994, 1995, 0, 1, 1, "lines 8-9"),
        ("Soviet Union", 1990, 1991, 1, 1, 1, "lines 4-5"),
    ]
    # the treaty of a spell comes from the curated atop_treaties.csv; an unattributed spell stays empty
    # (validation then rejects it), so a re-import can never show a spell without its treaty
    treaty = {(r["partner"], r["year_from"]): (r["treaty"], r["multilateral"]) for r in records(df)}
    assert treaty[("Russia", 1994)] == ("Russia-Mongolia Treaty on Friendly Relations and Cooperation (1993)", "false")
    assert treaty[("China", 2005)] == ("", "")


def test_cow_nmc_thousands_to_persons(tmp_path):
    path = write(
        tmp_path / "cow_nmc.csv",
        "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
        "712,1921,,0,0,26,663,0,0.0001\n712,1990,100,33,0,1,2,0,0.1\n2,1990,1,2000,0,0,0,0,0.1\n712,2022,,,0,0,0,0,0\n",
    )
    assert records(armed_forces.parse(path)["armed_forces"]) == [
        {
            "year": 1921,
            "measure": "cow_milper",
            "personnel": 0,
            "source_id": "cow_nmc",
            "locator": "line 2; column milper",
        },
        {
            "year": 1990,
            "measure": "cow_milper",
            "personnel": 33000,
            "source_id": "cow_nmc",
            "locator": "line 3; column milper",
        },
    ]


def test_owid_personnel(tmp_path):
    col = "Armed forces personnel (IISS via World Bank (2017))"
    path = write(
        tmp_path / "owid.csv",
        f"Entity,Year,{col},Total population (World Bank (2017)),Armed forces personnel (% of total population) (World Bank (2017))\n"
        "Mongolia,1984,,1800000,\nMongolia,1990,33000.0,2252000,1.465\nNepal,1990,1,2,3\n",
    )
    assert records(armed_forces.parse(path)["armed_forces"]) == [
        {
            "year": 1990,
            "measure": "iiss_active_personnel",
            "personnel": 33000,
            "source_id": "owid_personnel",
            "locator": "line 3",
        }
    ]


def test_owid_sipri_milex(tmp_path):
    path = write(
        tmp_path / "owid.csv",
        "Entity,Year,military_expenditure,military_expenditure_share_gdp,military_expenditure_per_capita\n"
        "Mongolia,1987,,5.83,\nMongolia,1990,128886753.0,4.28,\n",
    )
    assert [
        (r["year"], r["measure"], r["value"]) for r in records(owid_sipri_milex.parse(path)["military_expenditure"])
    ] == [
        (1987, "owid_share_gdp_pct", 5.83),
        (1990, "owid_constant_2019_usd_m", 128.886753),
        (1990, "owid_share_gdp_pct", 4.28),
    ]


def test_troopdata_missing_quarters(tmp_path):
    path = write(
        tmp_path / "troopdata.csv",
        "ccode,iso3c,countryname,year,month,quarter,source,troops_ad\n"
        "712,MNG,Mongolia,1950,June,2,,0\n"
        "712,MNG,Mongolia,2022,September,3,September 2022,13\n"
        "712,MNG,Mongolia,2022,December,4,,0\n"
        "710,CHN,China,2022,December,4,December 2022,40\n",
    )
    assert records(troopdata.parse(path)["us_troops"]) == [
        {
            "date": "1950-06-30",
            "year": 1950,
            "quarter": 2,
            "troops": 0,
            "report_source": "",
            "source_id": "troopdata",
            "locator": "line 2",
            "note": "no report; no recorded US presence (0 as in troopdata)",
        },
        {
            "date": "2022-09-30",
            "year": 2022,
            "quarter": 3,
            "troops": 13,
            "report_source": "September 2022",
            "source_id": "troopdata",
            "locator": "line 3",
            "note": "",
        },
        {
            "date": "2022-12-31",
            "year": 2022,
            "quarter": 4,
            "troops": None,
            "report_source": "",
            "source_id": "troopdata",
            "locator": "line 4",
            "note": "no DMDC report for this quarter: missing, not zero",
        },
    ]


# ----------------------------------------------------------------------------- exercises: MME, Russian list

MME_HEADER = (
    "MMEID,Ex_Name,Series_Name,gwcode,country,year,Location,lat,lon,StartDate,s.year,s.month,s.day,EndDate,e.year,e.month,"
    "e.day,CPX,Air,Land,Sea,Amphibious,Cyber,Warfighting,Peacekeeping,Humanitarian,FocusDescription,AdditionalParticipantInfo,participant_count"
)


def test_mme(tmp_path):
    def row(mid, name, series, country, loc, start, end, w, p, h, focus=""):
        return f'{mid},{name},{series},0,{country},2009,"{loc}",0,0,{start},0,0,0,{end},0,0,0,0,0,1,0,0,0,{w},{p},{h},{focus},,2'

    lines = [
        MME_HEADER,
        row(
            "mme3254", "Darkhan-2", "Darkhan", "Mongolia", "mongolia, near Ulaanbaatar.", "8/23/09", "9/12/09", 0, 1, 0
        ),
        row("mme3254", "Darkhan-2", "Darkhan", "Russia", "mongolia, near Ulaanbaatar.", "8/23/09", "9/12/09", 0, 1, 0),
        row("mme2275", "-9", "", "Belgium", "Tavan Tolgoy, Mongolia", "3/17/03", "3/24/03", 1, 0, 0),
        row("mme2275", "-9", "", "Mongolia", "Tavan Tolgoy, Mongolia", "3/17/03", "3/24/03", 1, 0, 0),
        row("mme9999", "Other", "", "India", "India", "2009-06-xx", "", 0, 0, 0, "anti-terror drill"),
        row("mme9999", "Other", "", "Nepal", "India", "2009-06-xx", "", 0, 0, 0, "anti-terror drill"),
    ]
    out = mme.parse(write(tmp_path / "mme.csv", "\n".join(lines) + "\n"))
    ex = records(out["exercises"])
    assert [
        (
            e["exercise_id"],
            e["name"],
            e["series"],
            e["year"],
            e["start_date"],
            e["end_date"],
            e["host"],
            e["type"],
            e["multilateral"],
            e["locator"],
        )
        for e in ex
    ] == [
        (
            "selenga-2009",
            "Darkhan-2",
            "selenga",
            2009,
            "2009-08-23",
            "2009-09-12",
            "Mongolia",
            "peacekeeping",
            False,
            "mme3254",
        ),
        (
            "mme2275-2009",
            "unnamed (mme2275)",
            "single",
            2009,
            "2003-03-17",
            "2003-03-24",
            "Mongolia",
            "warfighting",
            False,
            "mme2275",
        ),
    ]
    assert records(out["exercise_participants"]) == [
        {
            "exercise_id": "selenga-2009",
            "partner": "Russia",
            "role": "participant",
            "source_id": "mme",
            "locator": "mme3254",
        },
        {
            "exercise_id": "mme2275-2009",
            "partner": "Belgium",
            "role": "participant",
            "source_id": "mme",
            "locator": "mme2275",
        },
    ]


def test_russian_exercise_list(tmp_path):
    parts = ",".join(f"part{i}" for i in range(1, 29))
    empty = "," * 27
    body = (
        f"id,name,yr,{parts},comments,source,source2\r\n"
        f"1,Индра-2018,2018,India{empty},,https://example.org/1,\r\n"
        f",,{empty},,,\r\n"
        f"90,Дархан-2,2009,Mongolia{empty},,http://redstar.example/2,\r\n"
        f"37,Селенга-2012,2012,Mongolia{empty},,https://mil.example/3,\r\n"
    )
    out = russia_exercises.parse(write(tmp_path / "Joint Military Exercises Involving Russia.csv", body))
    ex = records(out["exercises"])
    assert [(e["exercise_id"], e["name"], e["name_original"], e["series"], e["year"], e["locator"]) for e in ex] == [
        ("selenga-2009", "Darkhan-2", "Дархан-2", "selenga", 2009, "id 90; line 4"),
        ("selenga-2012", "Selenga-2012", "Селенга-2012", "selenga", 2012, "id 37; line 5"),
    ]
    assert out["exercise_participants"].partner.tolist() == ["Russia", "Russia"]


# ----------------------------------------------------------------------------- FMTR

FMTR_NEW = """<?xml version="1.0"?>
<countries>
  <country name="Brunei">
    <c_name>Brunei</c_name>
    <program name="CTIWFP - Fiscal Year 2019 Department of Defense Training">
      <training><course_title>X </course_title><quantity>2 </quantity><total_cost>$14,849 </total_cost></training>
      <training><course_title>Khaan Quest 19 FTX </course_title><location>Five Hills, Mongolia </location><start_date>6/14/2019 </start_date><end_date>6/28/2019 </end_date><quantity>2 </quantity><total_cost>$1 </total_cost></training>
    </program>
  </country>
  <country name="Mongolia">
    <c_name>Mongolia</c_name>
    <program name="IMET-1 - Fiscal Year 2019 Department of State Training">
      <training><course_title>Basic Officer </course_title><location>Fort Benning, GA </location><quantity>1 </quantity><total_cost>$30,000 </total_cost></training>
      <training><course_title>Basic Officer </course_title><location>Fort Benning, GA </location><quantity>1 </quantity><total_cost>$30,000 </total_cost></training>
      <training><course_title>Fiscal Year 2019 Program Totals </course_title><quantity>69 </quantity><total_cost>$1,516,371 </total_cost></training>
    </program>
    <program name="PKO - Fiscal Year 2019 Department of State Training">
      <training><course_title>UNSOC </course_title><quantity>3 </quantity><total_cost>$1,000 </total_cost></training>
      <training><quantity>3 </quantity><total_cost>$1,000 </total_cost></training>
    </program>
  </country>
</countries>
"""

FMTR_OLD = """<?xml version="1.0"?>
<countries>
  <country name="Mongolia">
    <program name="DOS East Asia and Pacific Region, Mongolia,  International Military Education and Training (IMET), FY02">
      <training><course_title>AMERICAN LANGUAGE</course_title><quantity>2</quantity><total_cost>$10,000</total_cost></training>
    </program>
    <program name="East Asia and Pacific Region, Mongolia,  International Military Education and Training (IMET), FY02">
      <training><course_title>INF OFF BASIC</course_title><quantity>3</quantity><total_cost>$1,500</total_cost></training>
      <training><course_title>BAD ROW</course_title><quantity>45 Ulaanbaatar,</quantity><total_cost>$</total_cost></training>
    </program>
    <program name="DoS East Asia and Pacific Region, Mongolia,  Non-Security Assistance, Unified Command (Note 4), FY 03">
      <training><course_title>EXERCISE</course_title><quantity>75</quantity><total_cost>$148,000</total_cost></training>
    </program>
  </country>
</countries>
"""


def test_fmtr_xml_printed_totals(tmp_path):
    out = fmtr.parse(write(tmp_path / "2019_2020_East_Asia_and_Pacific_fmtrpt_dedup.xml", FMTR_NEW))
    # other countries' training lines naming Khaan Quest make an edition with those countries
    assert [(e["exercise_id"], e["start_date"], e["end_date"], e["locator"]) for e in records(out["exercises"])] == [
        ("khaan-quest-2019", "2019-06-14", "2019-06-28", "2019_2020 report: Khaan Quest 19 FTX")
    ]
    assert out["exercise_participants"].partner.tolist() == ["Brunei", "United States"]
    df = out["us_training"]
    assert records(df) == [
        {
            "fiscal_year": 2019,
            "program": "IMET-1",
            "program_group": "IMET",
            "students": 69,
            "cost_usd": 1516371,
            "totals_source": "printed",
            "fy_reported_as_completed": True,
            "report": "2019_2020",
            "source_id": "fmtr",
            "locator": "2019_2020 report, program element(s) #2",
        },
        # a totals line without a course title, last in its program (as in the FY2007-08 file)
        {
            "fiscal_year": 2019,
            "program": "PKO",
            "program_group": "PKO",
            "students": 3,
            "cost_usd": 1000,
            "totals_source": "printed",
            "fy_reported_as_completed": True,
            "report": "2019_2020",
            "source_id": "fmtr",
            "locator": "2019_2020 report, program element(s) #3",
        },
    ]


def test_fmtr_xml_old_format_sums_split_headings(tmp_path):
    df = fmtr.parse(write(tmp_path / "2002_2003_East_Asia_and_Pacific_fmtrpt_dedup.xml", FMTR_OLD))["us_training"]
    assert records(df) == [
        {
            "fiscal_year": 2002,
            "program": "International Military Education and Training (IMET)",
            "program_group": "IMET",
            "students": 5,
            "cost_usd": 11500,
            "totals_source": "sum_of_courses",
            "fy_reported_as_completed": True,
            "report": "2002_2003",
            "source_id": "fmtr",
            "locator": "2002_2003 report, program element(s) #1, #2",
        },
        {
            "fiscal_year": 2003,
            "program": "Non-Security Assistance, Unified Command",
            "program_group": "Non-SA, Unified Command",
            "students": 75,
            "cost_usd": 148000,
            "totals_source": "sum_of_courses",
            "fy_reported_as_completed": False,
            "report": "2002_2003",
            "source_id": "fmtr",
            "locator": "2002_2003 report, program element(s) #3",
        },
    ]


def test_fmtr_split_report_file_name():
    assert fmtr.report_of(Path("1999_2000_East_Asia_and_Pacific_2_fmtrpt_dedup.xml")) == "1999_2000_2"
    assert fmtr.split_heading("Asia Pacific Center, FY 99") == ("Asia Pacific Center", 1999)


FMTR_EXTRACT_COLS = (
    "fiscal_year,program,program_group,students,total_cost,report,totals_source,students_as_printed,total_cost_as_printed,"
    "course_rows,course_rows_quantity_sum,course_rows_cost_sum,course_rows_quantity_unparsed,course_rows_cost_unparsed,"
    "fy_reported_as_completed,program_as_printed"
)


def test_fmtr_totals_extract_only_fy2005_fy2006(tmp_path):
    path = write(
        tmp_path / "fmtr_mongolia_program_totals.csv",
        FMTR_EXTRACT_COLS + "\n"
        '2005,Foreign Military Financing (FMF),FMF,11,81461,2005_2006,sum of course rows (report has no totals row),,,1,11,81461,0,0,TRUE,"DOS East Asia and Pacific Region, Mongolia,  Foreign Military Financing (FMF), FY05"\n'
        "2006,IMET,IMET,168,796945,2006_2007,report 'Program Totals' row,168,\"$796,945\",20,168,796945,0,0,TRUE,IMET - FY 2006 DoS Training\n"
        "2019,IMET-1,IMET,69,1516371,2019_2020,report 'Program Totals' row,69,x,66,69,1,0,0,TRUE,IMET-1 - Fiscal Year 2019\n",
    )
    df = fmtr.parse(path)["us_training"]
    assert [
        (r["fiscal_year"], r["program"], r["students"], r["cost_usd"], r["totals_source"], r["report"])
        for r in records(df)
    ] == [
        (2005, "Foreign Military Financing (FMF)", 11, 81461, "sum_of_courses", "2005_2006"),
        (2006, "IMET", 168, 796945, "printed", "2006_2007"),
    ]


def test_fmtr_khaan_quest_from_trained_in_mongolia(tmp_path):
    cols = (
        "fiscal_year,program,program_group,course_title,location,start_date,end_date,quantity,total_cost,us_unit,student_unit,"
        "page_number,program_as_printed,country_as_printed,report,source_file,fy_reported_as_completed"
    )
    path = write(
        tmp_path / "fmtr_other_countries_trained_in_mongolia.csv",
        cols + "\n"
        '2006,Misc,Misc,KHAAN QUEST 06 CPX,"Five Hills, Mongolia",8/1/2006,8/10/2006,4,1000,,,,Misc,Tonga,2006_2007,f,TRUE\n'
        '2006,Misc,Misc,Khaan Quest 06,"Five Hills, Mongolia",8/5/2006,8/16/2006,4,1000,,,,Misc,"Korea, Republic of",2006_2007,f,TRUE\n'
        '2007,GPOI,GPOI,KHAAN QUEST 07 FTX,"Five Hills, Mongolia",8/5/2007,8/16/2007,4,1000,,,,GPOI,Fiji,2007_2008,f,TRUE\n'
        '2009,GPOI,GPOI,UN Staff Officer Course,"Five Hills, Mongolia",,,1,1,,,,GPOI,Thailand,2009_2010,f,TRUE\n',
    )
    out = fmtr.parse(path)
    ex = records(out["exercises"])
    assert [(e["exercise_id"], e["year"], e["start_date"], e["end_date"], e["host"], e["source_id"]) for e in ex] == [
        ("khaan-quest-2006", 2006, "2006-08-01", "2006-08-16", "Mongolia", "fmtr")
    ]  # FY2007 lines come from the XML
    assert out["exercise_participants"].partner.tolist() == ["South Korea", "Tonga", "United States"]


# ----------------------------------------------------------------------------- world-atlas TopoJSON


def test_topojson_decoder(tmp_path):
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [100, 40]},
        # arc 0: (0,0)->(4,0)->(4,4) ; arc 1: (4,4)->(0,4)->(0,0)   (delta-encoded)
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "496", "properties": {"name": "Mongolia"}},
                    {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "properties": {"name": "Nowhere"}},
                ],
            }
        },
    }
    features = world_atlas.parse(write(tmp_path / "countries-110m.json", json.dumps(topo)))["geo/world"]
    mongolia = [f for f in features if f["properties"]["iso3"] == "MNG"][0]
    assert mongolia["properties"] == {"iso3": "MNG", "name": "Mongolia"}
    assert mongolia["geometry"] == {
        "type": "Polygon",
        "coordinates": [[[100.0, 40.0], [102.0, 40.0], [102.0, 41.0], [100.0, 41.0], [100.0, 40.0]]],
    }
    other = [f for f in features if f["properties"]["name"] == "Nowhere"][0]
    assert other["properties"]["iso3"] == ""
    assert other["geometry"]["coordinates"] == [
        [[[100.0, 40.0], [100.0, 41.0], [102.0, 41.0], [102.0, 40.0], [100.0, 40.0]]]
    ]


# ----------------------------------------------------------------------------- run_import: tables and sources.csv


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    """A project root with the committed reference tables (sources, partners, aliases, COW codes) only."""
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    for name in ("sources.csv", "partners.csv", "country_aliases.csv", "cow_codes.csv"):
        shutil.copy(REPO_DATA / name, root / "data" / name)
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    return root


def test_run_import_keeps_other_sources_and_updates_sha(data_root, tmp_path):
    agreements = data_root / "data" / "agreements.csv"
    agreements.write_text(
        "agreement_id,partner,year,date,type,category,description,dcad_source_type,confidence,source_id,locator\n"
        "art_growth-kor-1999,South Korea,1999,,,,stated in article A,,,art_growth,para 12\n"
        "DCADv1.0-9999,Qatar,2007,,sector,TREX,old row,factiva,low,dcad,DCADv1.0-9999\n",
        encoding="utf-8",
    )
    up = write(
        tmp_path / "DCAD-v1.0-main.csv",
        DCAD_HEADER + "\n"
        "365,RUS,712,MON,27,4,1993,,,,sector,PROCUREMENT,,,,,,-88,,1999,1,low,,N,treaty,Treaty,,,,DCADv1.0-1335\n",
    )
    assert run_import("dcad", up) == 1
    table = pd.read_csv(agreements, dtype=str, keep_default_na=False)
    assert table.agreement_id.tolist() == ["art_growth-kor-1999", "DCADv1.0-1335"]
    sources = pd.read_csv(data_root / "data" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    assert sources.loc["dcad", "sha256"] == hashlib.sha256(up.read_bytes()).hexdigest()
    # the rest of sources.csv is untouched
    before = pd.read_csv(REPO_DATA / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    assert sources.drop("dcad").equals(before.drop("dcad"))


def test_run_import_multi_file_source_sets_its_slot(data_root, tmp_path):
    up = write(
        tmp_path / "current_month.csv",
        "Date,Contributor,Contributor_ISO-3,Mission,Troops,Total\n2014-03-31,Mongolia,MNG,UNMISS,850,850\n",
    )
    assert run_import("ipi_pk", up) == 3  # two pk_missions rows (troops, total) and one pk_contributors row
    sources = pd.read_csv(data_root / "data" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    before = pd.read_csv(REPO_DATA / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    assert sources.loc["ipi_pk", "sha256"].split(";") == [
        before.loc["ipi_pk", "sha256"].split(";")[0],
        hashlib.sha256(up.read_bytes()).hexdigest(),
    ]


def test_run_import_errors(data_root, tmp_path):
    with pytest.raises(
        ImportError_,
        match="unknown source id 'nope'; importers exist for: aiddata_china_pd, art_forefront, art_growth, atop, cow_nmc",
    ):
        run_import("nope", tmp_path / "x.csv")
    bad = write(tmp_path / "Mongolia.csv", "a,b\n")
    with pytest.raises(ImportError_, match=r"Mongolia.csv: cannot import as ipi_pk: .*not an IPI country"):
        run_import("ipi_pk", bad)
    gender = tmp_path / "g.csv"
    cols = ["Individual Police", "Formed Police Units", "Experts on Mission", "Troops", "Total"]
    gender.write_text(
        ",Date,Contributor,Contributor ISO-3,Mission,"
        + ",".join(f"{c} {s}" for c in cols for s in ("Male", "Female", "Total"))
        + "\n1,2013-05-31,Mongolia,MNG,UNAMA,"
        + ",".join(["0"] * 15)
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_, match="this file holds rows for source ipi_gender, not 'ipi_pk'"):
        run_import("ipi_pk", gender)


# ----------------------------------------------------------------------------- the committed tables


def load(name: str) -> pd.DataFrame:
    from partnerships.data.validate import read_table

    return read_table(name)


def test_committed_arms_transfers():
    at = load("arms_transfers")
    assert len(at) == 52
    assert at.supplier.value_counts().to_dict() == {
        "Soviet Union": 40,
        "Russia": 8,
        "Poland": 2,
        "United States": 1,
        "Australia": 1,
    }
    latv = at[at.weapon_designation == "L-ATV"].iloc[0]
    assert (latv.order_year, latv.number_delivered) == (2023, 0)


def test_committed_peacekeeping():
    pk = load("pk_monthly")
    assert len(pk) == 140
    assert (pk.date.min(), pk.date.max()) == ("2002-08-30", "2014-03-31")
    dep = load("pk_deployments")
    assert len(dep) == 47 and dep.groupby("mission").size().to_dict() == {
        "MINURCAT": 3,
        "UNAMID": 5,
        "UNMIL": 5,
        "UNMISS": 34,
    }
    missions = load("pk_missions")
    # the two IPI files agree: per-mission totals add up to the monthly totals in every shared month
    totals = (
        missions[(missions.personnel_type == "total") & (missions.sex == "total")]
        .groupby(["source_id", "date"])["count"]
        .sum()
    )
    monthly = pk.assign(total=pk.troops + pk.police + pk.experts).set_index("date").total
    gender = totals["ipi_gender"]
    assert len(gender) == 52 and (monthly[gender.index] == gender).all()
    assert totals[("ipi_pk", "2014-03-31")] == monthly["2014-03-31"] == 938
    snap = missions[(missions.source_id == "ipi_pk") & (missions.personnel_type == "total")]
    assert sorted(snap.mission) == ["MINURSO", "MONUSCO", "UNAMA", "UNAMID", "UNISFA", "UNMISS"]


def test_committed_military_expenditure():
    me = load("military_expenditure")
    v = me.set_index(["measure", "year"]).value
    # SIPRI workbook, sheet "Constant (2023) US$", Mongolia row, 2024 column
    assert v[("constant_2023_usd_m", 2024)] == pytest.approx(166.09669770370803, rel=1e-12)
    assert v[("share_gdp_pct", 2024)] == pytest.approx(0.7423073, abs=1e-7)
    assert me[(me.measure == "current_usd_m") & me.year.between(1987, 1990)].value.isna().all()
    assert me[me.measure == "constant_2023_usd_m"].year.min() == 1990


def test_committed_agreements_dcad():
    ag = load("agreements")
    dcad_rows = ag[ag.source_id == "dcad"]
    assert len(dcad_rows) == 12 and dcad_rows.partner.nunique() == 10
    assert "China" not in set(dcad_rows.partner)
    assert ag[ag.source_id == "art_growth"][["partner", "year"]].values.tolist() == [["South Korea", 1999]]


def test_committed_us_troops_and_training():
    ut = load("us_troops")
    assert ut[ut.troops.isna()].date.tolist() == ["2022-12-31", "2023-03-31", "2023-06-30"]
    tr = load("us_training").set_index(["fiscal_year", "program", "report"])
    assert tuple(tr.loc[(2008, "GPOI", "2008_2009"), ["students", "cost_usd"]]) == (250, 501770)
    assert tuple(tr.loc[(2019, "IMET-1", "2019_2020"), ["students", "cost_usd"]]) == (69, 1516371)
    assert tuple(tr.loc[(2007, "IMET-1", "2007_2008"), ["students", "cost_usd", "totals_source"]]) == (
        115,
        976831,
        "printed",
    )


def test_committed_exercises():
    ex = load("exercises")
    assert ex[ex.source_id == "mme"].exercise_id.nunique() == 26
    assert sorted(ex[ex.source_id == "russia_exercises"].exercise_id) == [
        "selenga-2009",
        "selenga-2010",
        "selenga-2012",
        "selenga-2015",
    ]
    assert ex[(ex.exercise_id == "selenga-2008") & (ex.source_id == "mme")].name.tolist() == ["Darkhan 1"]
    assert sorted(ex[ex.source_id == "fmtr"].year) == [2006, 2007, 2008, 2014]
    parts = load("exercise_participants")
    assert set(parts[parts.exercise_id == "khaan-quest-2006"].partner) >= {
        "Fiji",
        "Tonga",
        "South Korea",
        "United States",
    }


def test_committed_world_geojson():
    path = paths.data_dir() / "geo" / "world.geojson"
    assert path.stat().st_size < 400_000
    fc = json.loads(path.read_text(encoding="utf-8"))
    mng = [f for f in fc["features"] if f["properties"]["iso3"] == "MNG"]
    assert (
        len(fc["features"]) == 177
        and mng[0]["properties"]["name"] == "Mongolia"
        and mng[0]["geometry"]["type"] == "Polygon"
    )
