"""US Foreign Military Training Report (FMTR) -> ``us_training``, ``us_training_places``,
``us_training_foreign``; Khaan Quest editions -> exercises.

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
   ``country_as_printed``): used only for the FY2006 report (no upstream file here).

Where the training took place (``us_training_places``): each Mongolian course line's
``location`` is classed ``in_mongolia`` (it names Mongolia, Ulaanbaatar, Five Hills / Tavan
Tolgoi or another Mongolian town), ``not_stated`` (empty, "various", "unknown", ...) or
``abroad`` (any other place: US schools and bases, regional centres, third countries). Rows
are (fiscal year, program, place) with the number of course lines and the sums of their
students and costs: course lines, not the printed totals (which have no place), so a year's
sum can differ from ``us_training`` (unreadable lines count 0; FY2009's lines are garbled).
FY2005 and FY2006 come from the course extract ``fmtr_mongolia_courses.csv`` (same columns as
format 3, all rows Mongolia's).

Foreign trainees in Mongolia (``us_training_foreign``): every training line of **another**
recipient country whose location is in Mongolia (as above), one row per line, with its
course, place, dates, students and cost. Only the East Asia and Pacific sections of the
reports are read here, so recipients from other regions are not covered.

Khaan Quest: in the XML (every recipient country) and in format 3, training lines whose
course title names Khaan Quest become Khaan Quest editions (``exercises``, source fmtr) with
the foreign countries whose trainees the US report lists there, plus the United States.
These are **participants reported by the US report**, not complete participant lists; the
reports name the exercise only for 2006, 2007, 2008 and 2014.

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

from partnerships.data.importers._common import canonical_partner, clean, to_int
from partnerships.data.importers.exercises_common import exercise_id, frames

SOURCE_ID = "fmtr"
TABLE = "us_training"
COLUMNS = [
    "fiscal_year",
    "program",
    "program_group",
    "students",
    "cost_usd",
    "totals_source",
    "fy_reported_as_completed",
    "report",
    "source_id",
    "locator",
]
# ``report``: the report (file) id, e.g. 2019_2020; the FY1999-2000 report is split in two files, 1999_2000_1 and _2
KEY = ["fiscal_year", "program", "report"]
EXTRACT_ONLY_REPORTS = ("2005_2006", "2006_2007")
PLACES_TABLE = "us_training_places"
PLACES_COLUMNS = [
    "fiscal_year",
    "program",
    "program_group",
    "place",
    "course_lines",
    "students",
    "cost_usd",
    "fy_reported_as_completed",
    "report",
    "source_id",
    "locator",
]
PLACES_KEY = ["fiscal_year", "program", "place", "report"]
FOREIGN_TABLE = "us_training_foreign"
FOREIGN_COLUMNS = [
    "fiscal_year",
    "country",
    "program",
    "program_group",
    "course_title",
    "location",
    "start_date",
    "end_date",
    "students",
    "cost_usd",
    "fy_reported_as_completed",
    "report",
    "source_id",
    "locator",
]
FOREIGN_KEY = ["report", "locator"]
IN_MONGOLIA = re.compile(
    r"mongolia|ulaa?n\s*ba|ulan\s*bator|five\s*hills|tavan\s*tolgoi|\b5htc\b|khovd|tsetserleg|^ub\b", re.I
)
NOT_STATED = {"", "-", "various", "n/a", "na", "unknown", "tbd", "virtual event", "virtural event"}
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


def place(location: str) -> str:
    """Where a course line took place: ``in_mongolia``, ``not_stated`` or ``abroad`` (see the module doc)."""
    text = clean(location)
    if IN_MONGOLIA.search(text):
        return "in_mongolia"
    if text.lower().strip(" ,.") in NOT_STATED:
        return "not_stated"
    return "abroad"


def _is_totals(training: ET.Element, last: bool, new_format: bool) -> bool:
    title = clean(training.findtext("course_title"))
    if "program totals" in title.lower():
        return True
    return (
        new_format
        and last
        and title == ""
        and not clean(training.findtext("start_date"))
        and not clean(training.findtext("location"))
    )


def replace_scope(path: Path, table: str) -> dict[str, set] | None:
    """Which rows of ``table`` an import of ``path`` replaces (other fmtr rows stay).

    ``us_training``: that report's rows (the extracts: the FY2005/FY2006 reports').
    ``exercises``/``exercise_participants``: the Khaan Quest editions of the report's years.
    """
    path = Path(path)
    reports = {report_of(path)} if path.suffix.lower() == ".xml" else set(EXTRACT_ONLY_REPORTS)
    if table in (TABLE, PLACES_TABLE, FOREIGN_TABLE):
        return {"report": reports}
    # a report covers the fiscal year it starts with; Khaan Quest is held in June-September,
    # so an edition's calendar year equals that fiscal year
    years = {int(r[:4]) for r in reports}
    return {"exercise_id": {exercise_id("khaan_quest", "Khaan Quest", y) for y in years}}


def parse(path: Path) -> dict[str, pd.DataFrame]:
    path = Path(path)
    if path.suffix.lower() == ".xml":
        return parse_xml(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    if "totals_source" in header:
        return {TABLE: parse_totals_extract(path)}
    if "country_as_printed" in header and "course_title" in header:
        return parse_course_extract(path)
    raise ValueError(f"{path.name}: not an FMTR dedup XML or one of the FMTR extract CSVs")


def parse_xml(path: Path) -> dict[str, pd.DataFrame]:
    report = report_of(path)
    first_year = int(report[:4])
    root = ET.parse(path).getroot()
    groups: dict[tuple[int, str], dict] = {}
    index = 0
    kq_lines = []
    places: dict[tuple[int, str, str], dict] = {}
    foreign = []
    for country in root.iter("country"):
        cname = clean(country.get("name"))
        for program in country.findall("program"):
            index += 1
            trainings = program.findall("training")
            heading = program.get("name") or program.findtext("p_name") or ""
            for j, t in enumerate(trainings, start=1):
                title = clean(t.findtext("course_title"))
                if "khaan quest" in title.lower():
                    kq_lines.append(
                        {
                            "country": cname,
                            "title": title,
                            "location": clean(t.findtext("location")),
                            "start": clean(t.findtext("start_date")),
                            "end": clean(t.findtext("end_date")),
                            "fiscal_year": split_heading(heading)[1],
                            "report": report,
                        }
                    )
                if _is_totals(t, j == len(trainings), bool(_NEW_FY.match(clean(heading)))):
                    continue
                line = {
                    "country": cname,
                    "heading": heading,
                    "title": title,
                    "location": clean(t.findtext("location")),
                    "start": clean(t.findtext("start_date")),
                    "end": clean(t.findtext("end_date")),
                    "quantity": t.findtext("quantity"),
                    "cost": t.findtext("total_cost"),
                    "locator": f"{report} report, program element #{index}, training line {j}",
                }
                if cname == "Mongolia":
                    _add_place(places, line, report, first_year)
                elif place(line["location"]) == "in_mongolia":
                    foreign.append(_foreign_row(line, report, first_year))
            if cname != "Mongolia":
                continue
            heading = program.get("name") or program.findtext("p_name") or ""
            name, fy = split_heading(heading)
            new_format = bool(_NEW_FY.match(clean(heading)))
            g = groups.setdefault(
                (fy, name.lower()), {"name": name, "printed": None, "students": 0, "cost": 0, "elements": []}
            )
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
        rows.append(
            {
                "fiscal_year": fy,
                "program": g["name"],
                "program_group": program_group(g["name"]),
                "students": students,
                "cost_usd": cost,
                "totals_source": "printed" if printed else "sum_of_courses",
                "fy_reported_as_completed": fy == first_year,
                "report": report,
                "source_id": SOURCE_ID,
                "locator": f"{report} report, program element(s) {', '.join(f'#{i}' for i in g['elements'])}",
            }
        )
    return {
        TABLE: pd.DataFrame(rows, columns=COLUMNS),
        PLACES_TABLE: _places_frame(places),
        FOREIGN_TABLE: pd.DataFrame(foreign, columns=FOREIGN_COLUMNS),
        **khaan_quest(kq_lines),
    }


def _add_place(
    places: dict, line: dict, report: str, first_year: int, fy: int | None = None, name: str | None = None
) -> None:
    """Add one Mongolian course line to its (fiscal year, program, place) group."""
    if fy is None or name is None:
        name, fy = split_heading(line["heading"])
    where = place(line["location"])
    g = places.setdefault(
        (fy, name.lower(), where),
        {
            "name": name,
            "lines": 0,
            "students": 0,
            "cost": 0,
            "locs": [],
            "completed": fy == first_year,
            "report": report,
        },
    )
    g["lines"] += 1
    g["students"] += to_int(line["quantity"]) or 0
    g["cost"] += to_int(line["cost"]) or 0
    g["locs"].append(line["locator"])


def _places_frame(places: dict) -> pd.DataFrame:
    rows = []
    for (fy, _, where), g in places.items():
        elements = sorted(
            {loc.split("program element ")[1].split(",")[0] for loc in g["locs"] if "program element " in loc},
            key=lambda e: int(e.lstrip("#")),
        )
        if elements:
            loc = f"{g['report']} report, program element(s) {', '.join(elements)}: {g['lines']} course line(s)"
        else:  # extract: '<report> report, heading 'X', extract line N (via extract)'
            heading = g["locs"][0].split(", extract line")[0]
            loc = f"{heading}: {g['lines']} course line(s) (via extract)"
        rows.append(
            {
                "fiscal_year": fy,
                "program": g["name"],
                "program_group": program_group(g["name"]),
                "place": where,
                "course_lines": g["lines"],
                "students": g["students"],
                "cost_usd": g["cost"],
                "fy_reported_as_completed": g["completed"],
                "report": g["report"],
                "source_id": SOURCE_ID,
                "locator": loc,
            }
        )
    return pd.DataFrame(rows, columns=PLACES_COLUMNS)


def _foreign_row(line: dict, report: str, first_year: int, fy: int | None = None, name: str | None = None) -> dict:
    if fy is None or name is None:
        name, fy = split_heading(line["heading"])
    return {
        "fiscal_year": fy,
        "country": canonical_partner(line["country"]),
        "program": name,
        "program_group": program_group(name),
        "course_title": line["title"],
        "location": line["location"],
        "start_date": _iso(line["start"]),
        "end_date": _iso(line["end"]),
        "students": to_int(line["quantity"]),
        "cost_usd": to_int(line["cost"]),
        "fy_reported_as_completed": fy == first_year,
        "report": report,
        "source_id": SOURCE_ID,
        "locator": line["locator"],
    }


def parse_totals_extract(path: Path) -> pd.DataFrame:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if rec["report"] not in EXTRACT_ONLY_REPORTS:
                continue
            printed = rec["totals_source"].lower().startswith("report")
            rows.append(
                {
                    "fiscal_year": int(rec["fiscal_year"]),
                    "program": clean(rec["program"]),
                    "program_group": program_group(clean(rec["program"])),
                    "students": to_int(rec["students"]),
                    "cost_usd": to_int(rec["total_cost"]),
                    "totals_source": "printed" if printed else "sum_of_courses",
                    "fy_reported_as_completed": rec["fy_reported_as_completed"].strip().upper() == "TRUE",
                    "report": rec["report"],
                    "source_id": SOURCE_ID,
                    "locator": f"{rec['report']} report, heading '{clean(rec['program_as_printed']).split(' | ')[0]}' (via extract)",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def parse_course_extract(path: Path) -> dict[str, pd.DataFrame]:
    """Format 3 (and the Mongolian course extract of the same columns), FY2005-2006 and FY2006-2007 reports only.

    Lines of Mongolia itself -> ``us_training_places``; lines of other countries (located in
    Mongolia) -> ``us_training_foreign`` and the Khaan Quest editions.
    """
    lines, places, foreign = [], {}, []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if rec["report"] not in EXTRACT_ONLY_REPORTS:
                continue  # the other reports are read from their XML files
            report, fy, name = rec["report"], int(rec["fiscal_year"]), clean(rec["program"])
            line = {
                "country": clean(rec["country_as_printed"]),
                "heading": clean(rec["program_as_printed"]),
                "title": clean(rec["course_title"]),
                "location": clean(rec["location"]),
                "start": clean(rec["start_date"]),
                "end": clean(rec["end_date"]),
                "quantity": rec["quantity"],
                "cost": rec["total_cost"],
                "locator": f"{report} report, heading '{clean(rec['program_as_printed']).split(' | ')[0]}', extract line {reader.line_num} (via extract)",
            }
            completed_year = int(report[:4])
            if line["country"] == "Mongolia":
                _add_place(places, line, report, completed_year, fy=fy, name=name)
                continue
            lines.append(
                {
                    "country": line["country"],
                    "title": line["title"],
                    "location": line["location"],
                    "start": line["start"],
                    "end": line["end"],
                    "fiscal_year": fy,
                    "report": report,
                }
            )
            if place(line["location"]) == "in_mongolia":
                foreign.append(_foreign_row(line, report, completed_year, fy=fy, name=name))
    out: dict[str, pd.DataFrame] = {}
    if places:
        out[PLACES_TABLE] = _places_frame(places)
    if lines:
        out[FOREIGN_TABLE] = pd.DataFrame(foreign, columns=FOREIGN_COLUMNS)
        out.update(khaan_quest(lines, via_extract=True))
    return out


def _iso(mdy: str) -> str:
    try:
        mth, day, yr = mdy.split("/")
        return f"{int(yr):04d}-{int(mth):02d}-{int(day):02d}"
    except ValueError:
        return ""


def khaan_quest(lines: list[dict], via_extract: bool = False) -> dict[str, pd.DataFrame]:
    """Khaan Quest editions from FMTR training lines whose course title names the exercise.

    The edition's year is the calendar year of its earliest start date (else the fiscal year).
    Participants: every recipient country other than Mongolia whose trainees the report lists
    there, and the United States (the country reporting the training).
    """
    editions: dict[int, dict] = {}
    for ln in lines:
        if "khaan quest" not in ln["title"].lower():
            continue
        start = _iso(ln["start"])
        year = int(start[:4]) if start else ln["fiscal_year"]
        e = editions.setdefault(
            year,
            {"countries": set(), "locations": set(), "starts": set(), "ends": set(), "titles": set(), "reports": set()},
        )
        if ln["country"] != "Mongolia":
            e["countries"].add(canonical_partner(ln["country"]))
        e["locations"].add(ln["location"])
        e["titles"].add(ln["title"])
        e["reports"].add(ln["report"])
        if start:
            e["starts"].add(start)
        if _iso(ln["end"]):
            e["ends"].add(_iso(ln["end"]))
    exercises, participants = [], []
    for year, e in sorted(editions.items()):
        eid = exercise_id("khaan_quest", "Khaan Quest", year)
        loc = f"{', '.join(sorted(e['reports']))} report: {', '.join(sorted(e['titles']))}" + (
            " (via extract)" if via_extract else ""
        )
        exercises.append(
            {
                "exercise_id": eid,
                "name": f"Khaan Quest {year}",
                "name_original": "",
                "series": "khaan_quest",
                "year": year,
                "start_date": min(e["starts"]) if e["starts"] else "",
                "end_date": max(e["ends"]) if e["ends"] else "",
                "location": "; ".join(sorted(x for x in e["locations"] if x)),
                "host": "Mongolia",
                "type": "peacekeeping",
                "multilateral": True,
                "source_id": SOURCE_ID,
                "locator": loc,
                "note": "from US-funded training lines naming the exercise; participants are only the countries whose trainees the US report lists, not a complete list; type as MME codes Khaan Quest (peacekeeping)",
            }
        )
        for partner in sorted(e["countries"]):
            participants.append(
                {
                    "exercise_id": eid,
                    "partner": partner,
                    "role": "participant",
                    "source_id": SOURCE_ID,
                    "locator": loc + f"; recipient {partner}",
                }
            )
        participants.append(
            {
                "exercise_id": eid,
                "partner": "United States",
                "role": "participant",
                "source_id": SOURCE_ID,
                "locator": loc + "; the reporting (training) country",
            }
        )
    return frames(exercises, participants)
