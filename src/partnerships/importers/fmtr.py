"""US Foreign Military Training Report (FMTR) -> ``us_training``; Khaan Quest editions -> exercises.

Three input formats, told apart by the file:

1. ``*_fmtrpt_dedup.xml`` (Security Force Monitor's extraction of one report, e.g.
   ``2019_2020_East_Asia_and_Pacific_fmtrpt_dedup.xml``): ``<countries><country name=..>
   <program name="IMET-1 - Fiscal Year 2019 Department of State Training"><training>
   <course_title/><quantity/><total_cost/>...``. For ``country name="Mongolia"``, each program
   gives one row per (fiscal year, program): ``students`` and ``cost_usd`` from the report's own
   **Program Totals** line when it has one (``totals_source = printed``; FY2006 reports and
   later; in the FY2007-08 file that line has no ``course_title`` and is the program's last
   element), else the **sum of the course lines** (``sum_of_courses``; the 1999-2005 reports,
   where one program is often split over several headings: those are summed). Unreadable
   quantities/costs count as 0 in sums. The fiscal year comes from the heading ("FY 99",
   "FY02", "FY 2007", "Fiscal Year 2019"); ``fy_reported_as_completed`` is true when it is the
   report's first year (the second year of the FY1999-2000 and FY2000-2001 reports is
   planned training). ``locator``: the file's report id and the 1-based indexes of the
   ``<program>`` elements among all ``<program>`` elements of the file.
2. The extract CSV ``fmtr_mongolia_program_totals.csv`` (columns ``fiscal_year, program,
   program_group, students, total_cost, report, totals_source, ...``): used **only for the
   FY2005 (2005-2006 report) and FY2006 (2006-2007 report) rows**, whose upstream files (an
   all-regions XML of 3.9 MB and a State Department HTML page) are not stored here.
3. The extract CSV ``fmtr_other_countries_trained_in_mongolia.csv`` (other recipient countries'
   training lines located in Mongolia, same columns as the course extract plus
   ``country_as_printed``): lines whose course title names Khaan Quest become Khaan Quest
   editions (by fiscal year) with the foreign countries whose trainees the US report lists
   there. These are **participants reported by the US report**, not complete participant
   lists; the report names Khaan Quest only for FY2006-FY2008.

``program_group`` is a convenience grouping across report formats (IMET, FMF, GPOI, ...),
kept as data in ``fmtr_program_groups.csv`` next to this module (the grouping used by the
extract's author); an unknown program keeps its own name as group.
"""

from __future__ import annotations

import csv
import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from ._common import canonical_partner, clean, to_int
from .exercises_common import exercise_id, frames

SOURCE_ID = "fmtr"
TABLE = "us_training"
COLUMNS = ["fiscal_year", "program", "program_group", "students", "cost_usd", "totals_source",
           "fy_reported_as_completed", "report", "source_id", "locator"]
# ``report``: the report (file) id, e.g. 2019_2020; the FY1999-2000 report is split in two files, 1999_2000_1 and _2
KEY = ["fiscal_year", "program", "report"]
EXTRACT_ONLY_REPORTS = ("2005_2006", "2006_2007")
GROUPS_FILE = Path(__file__).with_name("fmtr_program_groups.csv")

_PREFIX = re.compile(r"^(?:DoS|DOS|DoD|DOD)?\s*East Asia and Pacific Region,\s*Mongolia,\s*", re.I)
_OLD_FY = re.compile(r",?\s*FY\s*'?(\d{2,4})\s*$", re.I)
_NEW_FY = re.compile(r"^(.*?)\s+-\s+(?:FY|Fiscal Year)\s*(\d{4})\b", re.I)


@functools.lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    with open(GROUPS_FILE, encoding="utf-8", newline="") as fh:
        return {r["program"]: r["program_group"] for r in csv.DictReader(fh)}


def program_group(program: str) -> str:
    return _groups().get(program.lower(), program)


def _year(text: str) -> int:
    y = int(text)
    return y if y > 1900 else (1900 + y if y > 50 else 2000 + y)


def split_heading(heading: str) -> tuple[str, int]:
    """'IMET-1 - FY 2007 DoS Training' -> ('IMET-1', 2007); 'DOS East Asia ..., Mongolia,  X (IMET), FY02' -> ('X (IMET)', 2002)."""
    heading = clean(heading)
    m = _NEW_FY.match(heading)
    if m:
        return clean(m.group(1)), int(m.group(2))
    m = _OLD_FY.search(heading)
    if not m:
        raise ValueError(f"FMTR program heading without a fiscal year: {heading!r}")
    name = _PREFIX.sub("", heading[: m.start()])
    name = re.sub(r"\s*\(Note \d+\)", "", name)
    return clean(name), _year(m.group(1))


def report_of(path: Path) -> str:
    """'2019_2020_East_Asia...xml' -> '2019_2020'; a report split over files keeps its part: '1999_2000_1'."""
    name = Path(path).name
    m = re.match(r"(\d{4}_\d{4})", name)
    if not m:
        raise ValueError(f"{name}: FMTR file name should start with the report years, e.g. 2019_2020_...")
    part = re.search(r"_(\d)_fmtrpt", name)
    return m.group(1) + (f"_{part.group(1)}" if part else "")


def _is_totals(training: ET.Element, last: bool, new_format: bool) -> bool:
    title = clean(training.findtext("course_title"))
    if "program totals" in title.lower():
        return True
    return new_format and last and title == "" and not clean(training.findtext("start_date")) and not clean(training.findtext("location"))


def replace_scope(path: Path) -> dict[str, set] | None:
    """Which ``us_training`` rows an import of ``path`` replaces: that report's (or the extract's reports)."""
    path = Path(path)
    if path.suffix.lower() == ".xml":
        return {"report": {report_of(path)}}
    return {"report": set(EXTRACT_ONLY_REPORTS)}


def parse(path: Path) -> dict[str, pd.DataFrame]:
    path = Path(path)
    if path.suffix.lower() == ".xml":
        return {TABLE: parse_xml(path)}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    if "totals_source" in header:
        return {TABLE: parse_totals_extract(path)}
    if "country_as_printed" in header and "course_title" in header:
        return parse_trained_in_mongolia(path)
    raise ValueError(f"{path.name}: not an FMTR dedup XML or one of the FMTR extract CSVs")


def parse_xml(path: Path) -> pd.DataFrame:
    report = report_of(path)
    first_year = int(report[:4])
    root = ET.parse(path).getroot()
    groups: dict[tuple[int, str], dict] = {}
    index = 0
    for country in root.iter("country"):
        for program in country.findall("program"):
            index += 1
            if clean(country.get("name")) != "Mongolia":
                continue
            heading = program.get("name") or program.findtext("p_name") or ""
            name, fy = split_heading(heading)
            new_format = bool(_NEW_FY.match(clean(heading)))
            g = groups.setdefault((fy, name.lower()), {"name": name, "printed": None, "students": 0, "cost": 0, "elements": []})
            g["elements"].append(index)
            trainings = program.findall("training")
            for i, t in enumerate(trainings):
                q, c = to_int(t.findtext("quantity")), to_int(t.findtext("total_cost"))
                if _is_totals(t, i == len(trainings) - 1, new_format):
                    g["printed"] = (q or 0, c or 0)
                else:
                    g["students"] += q or 0
                    g["cost"] += c or 0
    rows = []
    for (fy, _), g in groups.items():
        printed = g["printed"]
        students, cost = printed if printed else (g["students"], g["cost"])
        rows.append({
            "fiscal_year": fy, "program": g["name"], "program_group": program_group(g["name"]),
            "students": students, "cost_usd": cost,
            "totals_source": "printed" if printed else "sum_of_courses",
            "fy_reported_as_completed": fy == first_year, "report": report, "source_id": SOURCE_ID,
            "locator": f"{report} report, program element(s) {', '.join(f'#{i}' for i in g['elements'])}",
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def parse_totals_extract(path: Path) -> pd.DataFrame:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if rec["report"] not in EXTRACT_ONLY_REPORTS:
                continue
            printed = rec["totals_source"].lower().startswith("report")
            rows.append({
                "fiscal_year": int(rec["fiscal_year"]), "program": clean(rec["program"]),
                "program_group": program_group(clean(rec["program"])),
                "students": to_int(rec["students"]), "cost_usd": to_int(rec["total_cost"]),
                "totals_source": "printed" if printed else "sum_of_courses",
                "fy_reported_as_completed": rec["fy_reported_as_completed"].strip().upper() == "TRUE",
                "report": rec["report"], "source_id": SOURCE_ID,
                "locator": f"{rec['report']} report, heading '{clean(rec['program_as_printed']).split(' | ')[0]}' (via extract)",
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def parse_trained_in_mongolia(path: Path) -> dict[str, pd.DataFrame]:
    editions: dict[int, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            title = clean(rec["course_title"])
            if "khaan quest" not in title.lower():
                continue
            fy = int(rec["fiscal_year"])
            e = editions.setdefault(fy, {"countries": {}, "locations": set(), "starts": set(), "ends": set(), "report": rec["report"], "titles": set()})
            e["countries"].setdefault(canonical_partner(clean(rec["country_as_printed"])), []).append(reader.line_num)
            e["locations"].add(clean(rec["location"]))
            e["titles"].add(title)
            for k, col in (("starts", "start_date"), ("ends", "end_date")):
                d = clean(rec[col])
                if d:
                    mth, day, yr = d.split("/")
                    e[k].add(f"{int(yr):04d}-{int(mth):02d}-{int(day):02d}")
    exercises, participants = [], []
    for fy, e in sorted(editions.items()):
        eid = exercise_id("khaan_quest", "Khaan Quest", fy)
        loc = f"{e['report']} report: {', '.join(sorted(e['titles']))}"
        exercises.append({
            "exercise_id": eid, "name": f"Khaan Quest {fy}", "name_original": "", "series": "khaan_quest", "year": fy,
            "start_date": min(e["starts"]) if e["starts"] else "", "end_date": max(e["ends"]) if e["ends"] else "",
            "location": "; ".join(sorted(x for x in e["locations"] if x)), "host": "Mongolia", "type": "peacekeeping",
            "multilateral": True, "source_id": SOURCE_ID, "locator": loc,
            "note": "year is the US fiscal year of the training lines; participants are only the countries whose trainees the US report lists (US-funded), not a complete list",
        })
        for partner in sorted(e["countries"]):
            participants.append({"exercise_id": eid, "partner": partner, "role": "participant", "source_id": SOURCE_ID,
                                 "locator": loc + f"; recipient {partner}"})
        participants.append({"exercise_id": eid, "partner": "United States", "role": "participant", "source_id": SOURCE_ID,
                             "locator": loc + "; the reporting (training) country"})
    return frames(exercises, participants)
