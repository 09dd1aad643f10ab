"""Importers: upstream files as their producers publish them -> the curated tables in data/.

One module per upstream format; each has ``parse(path) -> {table: DataFrame}``. The
registry maps a source id (``data/sources.csv``) to its importer.
:func:`run_import` rebuilds the rows of one source from one upstream file (rows of other
sources in the same table are kept) and records the file's sha256 in ``data/sources.csv``;
``partnerships data import SOURCE FILE`` calls it.
:func:`rebuild_all` re-imports everything from a folder laid out like the shared data
collection (``raw/...`` and ``mongolia/...``); it was used once to build the committed tables
and is not used at run time.

=====================  ========================================  ===================================
source id              upstream file                             tables
=====================  ========================================  ===================================
sipri_milex            SIPRI-Milex-data-1949-2024*.xlsx          military_expenditure; peer_military_expenditure
owid_sipri_milex       SIPRI Military Expenditure Database.csv   military_expenditure (older vintage)
sipri_trade_register   trade-register.csv (Latin-1, preamble)    arms_transfers
sipri_tiv_360info      sipri-exports-processed.csv               arms_tiv_by_year
ipi_pk                 Mongolia.csv; current_month.csv           pk_monthly; pk_missions, pk_contributors
ipi_gender             Gender.Full.csv (or its Mongolia extract) pk_missions
geopko                 TCCMap_v.2.3.csv                          pk_deployments
dcad                   DCAD-v1.0-main.csv                        agreements
atop                   ATOP dyad-year extract CSV                alliances
cow_nmc                COW NMC extract CSV                       armed_forces (cow_milper)
owid_personnel         OWID armed forces personnel CSV           armed_forces (iiss_active_personnel)
troopdata              troopdata extract CSV                     us_troops
mme                    MME (mme_long) extract CSV                exercises, exercise_participants
russia_exercises       Joint Military Exercises Involving ...    exercises, exercise_participants
fmtr                   *_fmtrpt_dedup.xml; FMTR extract CSVs     us_training, us_training_places, us_training_foreign;
                                                                 exercises (Khaan Quest)
world_atlas            countries-110m.json (TopoJSON)            data/geo/world.geojson
wb_population          population.csv (World Bank SP.POP.TOTL)   population
un_pk_open_data        Rank.csv; CountryByYear.csv               pk_contributors; pk_yearly
radpko                 radpko_bases_cc_y.csv                     pk_yearly
aiddata_china_pd       ChinesePublicDiplomacy.csv                china_visits
art_growth             article A as a text file (000_*.txt)      article_paragraphs
art_forefront          article B as a text file (003_*.txt)      article_paragraphs
=====================  ========================================  ===================================
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from partnerships import paths
from partnerships.data.importers import (
    aiddata,
    armed_forces,
    articles,
    atop,
    dcad,
    fmtr,
    geopko,
    ipi,
    mme,
    owid_sipri_milex,
    radpko,
    russia_exercises,
    sipri_milex,
    sipri_tiv_360info,
    sipri_trade_register,
    troopdata,
    un_pk_open_data,
    world_atlas,
    world_bank_population,
)
from partnerships.data.importers._common import save, sha256
from partnerships.data.importers.exercises_common import (
    EXERCISE_COLUMNS,
    EXERCISE_KEY,
    PARTICIPANT_COLUMNS,
    PARTICIPANT_KEY,
)
from partnerships.files import read_csv

__all__ = ["REGISTRY", "TABLES", "run_import", "rebuild_all", "ImportError_"]

REGISTRY = {
    "sipri_milex": sipri_milex,
    "owid_sipri_milex": owid_sipri_milex,
    "sipri_trade_register": sipri_trade_register,
    "sipri_tiv_360info": sipri_tiv_360info,
    "ipi_pk": ipi,
    "ipi_gender": ipi,
    "geopko": geopko,
    "dcad": dcad,
    "atop": atop,
    "cow_nmc": armed_forces,
    "owid_personnel": armed_forces,
    "troopdata": troopdata,
    "mme": mme,
    "russia_exercises": russia_exercises,
    "fmtr": fmtr,
    "world_atlas": world_atlas,
    "wb_population": world_bank_population,
    "un_pk_open_data": un_pk_open_data,
    "radpko": radpko,
    "aiddata_china_pd": aiddata,
    "art_growth": articles,
    "art_forefront": articles,
}

# table -> (columns, key)
TABLES = {
    "military_expenditure": (sipri_milex.COLUMNS, sipri_milex.KEY),
    "arms_transfers": (sipri_trade_register.COLUMNS, sipri_trade_register.KEY),
    "arms_tiv_by_year": (sipri_tiv_360info.COLUMNS, sipri_tiv_360info.KEY),
    "pk_monthly": (ipi.MONTHLY_COLUMNS, ipi.MONTHLY_KEY),
    "pk_missions": (ipi.MISSION_COLUMNS, ipi.MISSION_KEY),
    "pk_deployments": (geopko.COLUMNS, geopko.KEY),
    "agreements": (dcad.COLUMNS, dcad.KEY),
    "alliances": (atop.COLUMNS, atop.KEY),
    "armed_forces": (armed_forces.COLUMNS, armed_forces.KEY),
    "us_troops": (troopdata.COLUMNS, troopdata.KEY),
    "us_training": (fmtr.COLUMNS, fmtr.KEY),
    "exercises": (EXERCISE_COLUMNS, EXERCISE_KEY),
    "exercise_participants": (PARTICIPANT_COLUMNS, PARTICIPANT_KEY),
    "peer_military_expenditure": (sipri_milex.PEER_COLUMNS, sipri_milex.PEER_KEY),
    "population": (world_bank_population.COLUMNS, world_bank_population.KEY),
    "pk_contributors": (ipi.CONTRIBUTOR_COLUMNS, ipi.CONTRIBUTOR_KEY),
    "pk_yearly": (un_pk_open_data.YEARLY_COLUMNS, un_pk_open_data.YEARLY_KEY),
    "china_visits": (aiddata.COLUMNS, aiddata.KEY),
    "us_training_places": (fmtr.PLACES_COLUMNS, fmtr.PLACES_KEY),
    "us_training_foreign": (fmtr.FOREIGN_COLUMNS, fmtr.FOREIGN_KEY),
    "article_paragraphs": (articles.PARAGRAPH_COLUMNS, articles.PARAGRAPH_KEY),
}

# position of a file's checksum in a multi-file source's ';'-separated sha256 list in sources.csv
_FMTR_ORDER = [
    "1999_2000_1",
    "1999_2000_2",
    "2000_2001",
    "2001_2002",
    "2002_2003",
    "2003_2004",
    "2004_2005",
    "2005_2006",
    "2006_2007",
    "2007_2008",
    "2008_2009",
    "2009_2010",
    "2010_2011",
    "2011_2012",
    "2012_2013",
    "2013_2014",
    "2014_2015",
    "2015_2016",
    "2016_2017",
    "2017_2018",
    "2018_2019",
    "2019_2020",
    "2020_2021",
]


class ImportError_(ValueError):
    """An upstream file that does not fit the importer: the message names the file."""


def _slot(source_id: str, file: Path) -> int | None:
    """Index of this file's sha256 in the source's list, or None when the file is an extract, not an upstream file."""
    name = file.name
    if source_id == "ipi_pk":
        return 1 if name.startswith("current_month") else 0
    if source_id == "world_atlas":
        return 1 if "50m" in name else 0
    if source_id == "un_pk_open_data":
        return 1 if name.startswith("CountryByYear") else 0
    if source_id == "fmtr":
        if file.suffix.lower() != ".xml":
            return None
        report = fmtr.report_of(file)
        return _FMTR_ORDER.index(report) if report in _FMTR_ORDER else None
    return 0


def update_sha(source_id: str, file: Path) -> bool:
    """Write the file's sha256 into data/sources.csv (its slot in a ';' list). True if it changed."""
    path = paths.data_dir() / "sources.csv"
    slot = _slot(source_id, file)
    if slot is None or not path.exists():
        return False
    table, problems = read_csv(path)  # the project's one CSV reader (BOM, CRLF, blank lines)
    if table is None:
        raise ImportError_(f"data/sources.csv: {problems[0].message}")
    rows, fields = table.records(), table.header
    for row in rows:
        if row["source_id"] == source_id:
            shas = row.get("sha256", "").split(";") if row.get("sha256") else []
            while len(shas) <= slot:
                shas.append("")
            new = sha256(file)
            if shas[slot] == new:
                return False
            shas[slot] = new
            row["sha256"] = ";".join(shas)
            break
    else:
        raise ImportError_(f"data/sources.csv: no row for source id {source_id!r}; add the source first")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return True


def _write(source_id: str, table: str, df: pd.DataFrame, file: Path) -> int:
    if table == "geo/world":
        world_atlas.save(df)
        return len(df)
    columns, key = TABLES[table]
    ids = set(df["source_id"]) if len(df) else {source_id}
    if ids != {source_id}:
        raise ImportError_(f"this file holds rows for source {', '.join(sorted(ids))}, not {source_id!r}")
    scope = fmtr.replace_scope(file, table) if source_id == "fmtr" else None
    save(table, df, key, source_ids={source_id}, columns=columns, scope=scope)
    return len(df)


def run_import(source_id: str, file: Path, update_checksum: bool = True) -> int:
    """Rebuild the rows of ``source_id`` from the upstream ``file``; returns the number of rows written.

    Rows of other sources in the same tables are kept. The file's sha256 goes into
    data/sources.csv (for multi-file sources, into this file's place in the list).
    """
    file = Path(file)
    if source_id not in REGISTRY:
        raise ImportError_(f"unknown source id {source_id!r}; importers exist for: {', '.join(sorted(REGISTRY))}")
    if not file.is_file():
        raise ImportError_(f"{file}: file not found")
    try:
        module = REGISTRY[source_id]
        frames = (
            module.parse(file, source_id) if getattr(module, "PARSE_NEEDS_SOURCE_ID", False) else module.parse(file)
        )
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{file.name}: cannot import as {source_id}: {exc}") from exc
    n = 0
    for table, df in frames.items():
        n += _write(source_id, table, df, file)
    if update_checksum:
        update_sha(source_id, file)
    return n


# source id -> files under a folder laid out like the shared data collection, and whether each is
# the upstream file itself (its sha256 is recorded) or a Mongolia-only extract (sources.csv keeps
# the checksum of the upstream original it was cut from)
LAYOUT = {
    "sipri_milex": [("raw/sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx", True)],
    "owid_sipri_milex": [("raw/owid_sipri_milex/SIPRI Military Expenditure Database.csv", True)],
    "sipri_trade_register": [("raw/sipri_arms_transfers/trade-register.csv", True)],
    "sipri_tiv_360info": [("raw/sipri_tiv_360info/sipri-exports-processed.csv", True)],
    "ipi_pk": [("raw/ipi_peacekeeping/Mongolia.csv", True), ("raw/ipi_peacekeeping/current_month.csv", True)],
    "ipi_gender": [("mongolia/ipi_gender_by_mission_mongolia_2009-2014.csv", False)],
    "geopko": [("raw/geo_pko/TCCMap_v.2.3.csv", True)],
    "dcad": [("raw/dcad/DCAD-v1.0-main.csv", True)],
    "atop": [("mongolia/atop5.1_alliance_dyadyears_mongolia.csv", False)],
    "cow_nmc": [("mongolia/cow_nmc_v7_mongolia.csv", False)],
    "owid_personnel": [
        (
            "raw/owid_armed_forces_personnel/Armed forces personnel as a share of the total population (OWID based on World Bank).csv",
            True,
        )
    ],
    "troopdata": [("mongolia/troopdata_us_troops_in_mongolia.csv", False)],
    "mme": [("mongolia/mme_exercises_with_mongolia_all_participants.csv", False)],
    "russia_exercises": [("raw/russia_exercises/Joint Military Exercises Involving Russia.csv", True)],
    "fmtr": [
        ("raw/fmtrpt_sfm/*_fmtrpt_dedup.xml", True),
        ("mongolia/fmtr_mongolia_program_totals.csv", False),
        ("mongolia/fmtr_other_countries_trained_in_mongolia.csv", False),
        ("mongolia/fmtr_mongolia_courses.csv", False),
    ],
    "world_atlas": [("raw/world_atlas/countries-110m.json", True)],
    "wb_population": [("raw/world_bank_population/population.csv", True)],
    "un_pk_open_data": [("raw/un_pk_open_data/Rank.csv", True), ("raw/un_pk_open_data/CountryByYear.csv", True)],
    "radpko": [("raw/radpko/radpko_bases_cc_y.csv", True)],
    "aiddata_china_pd": [("raw/aiddata_china_public_diplomacy/ChinesePublicDiplomacy.csv", True)],
}


def rebuild_all(folder: Path, with_articles: bool = True) -> dict[str, int]:
    """Re-import every source from ``folder`` (a copy of the shared data collection). Returns rows per source."""
    from partnerships.data.importers import articles

    folder = Path(folder)
    counts: dict[str, int] = {}
    for source_id, files in LAYOUT.items():
        for pattern, upstream in files:
            matches = sorted(folder.glob(pattern))
            if not matches:
                raise ImportError_(f"{folder / pattern}: not found")
            for f in matches:
                counts[source_id] = counts.get(source_id, 0) + run_import(source_id, f, update_checksum=upstream)
    if with_articles:
        for table, df in articles.rows().items():
            columns, key = TABLES[table]
            save(table, df, key, source_ids=set(df["source_id"]), columns=columns)
            counts["articles"] = counts.get("articles", 0) + len(df)
    return counts
