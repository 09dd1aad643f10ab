"""Multinational Military Exercises 1980-2010 (D'Orazio & Galambos; troopdata ``mme_long``) -> exercises.

Load: no raw file is stored here (the upstream is an R ``.rda``); the importer reads the
**extract CSV format** written from ``mme_long`` (one row per exercise x participant x year;
columns ``MMEID, Ex_Name, Series_Name, gwcode, country, year, Location, StartDate, EndDate,
Warfighting, Peacekeeping, Humanitarian, FocusDescription, ...``; R ``NA`` empty).
Process: every exercise (``MMEID``) with a Mongolia row becomes one edition; its other
countries become ``exercise_participants`` (role ``host`` when the country is named in the
location text, else ``participant``; Mongolia itself is recorded in ``exercises.host`` when
the exercise is in Mongolia, not as a partner). ``type`` comes from MME's flags, in the order
peacekeeping, counter_terrorism (focus text mentions terror), disaster_relief (Humanitarian),
warfighting; ``note`` keeps all flags. ``Ex_Name`` ``-9`` (missing) becomes "unnamed (<MMEID>)".
Save: the ``mme`` rows of ``exercises`` and ``exercise_participants``; ``locator`` is the MMEID.
MME ends in 2010.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from partnerships.data.importers._common import canonical_partner, clean
from partnerships.data.importers.exercises_common import exercise_id, frames, series_of, slug

SOURCE_ID = "mme"


def _date(text: str) -> str:
    text = clean(text)
    try:
        return datetime.strptime(text, "%m/%d/%y").strftime("%Y-%m-%d")
    except ValueError:
        return ""


def parse(path: Path) -> dict:
    by_id: dict[str, list[dict]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            by_id.setdefault(clean(rec["MMEID"]), []).append(rec)
    exercises, participants = [], []
    used: set[str] = set()
    for mmeid, recs in by_id.items():
        countries = sorted({clean(r["country"]) for r in recs})
        if "Mongolia" not in countries:
            continue
        r = recs[0]
        name = clean(r["Ex_Name"])
        if name in ("-9", ""):
            name = f"unnamed ({mmeid})"
        year = min(int(float(x["year"])) for x in recs)
        series = (
            series_of(name)
            or series_of(clean(r["Series_Name"]))
            or (
                slug(clean(r["Series_Name"])).replace("-", "_")
                if clean(r["Series_Name"]) not in ("", "-9")
                else "single"
            )
        )
        eid = (
            exercise_id(series, name, year)
            if series in ("khaan_quest", "selenga")
            else exercise_id("", name if not name.startswith("unnamed") else mmeid, year)
        )
        if eid in used:
            eid = f"{eid}-{mmeid}"
        used.add(eid)
        flags = {
            f: clean(r[f]) == "1" for f in ("Warfighting", "Peacekeeping", "Humanitarian", "CPX", "Air", "Land", "Sea")
        }
        terror = "terror" in clean(r["FocusDescription"]).lower()
        etype = (
            "peacekeeping"
            if flags["Peacekeeping"]
            else "counter_terrorism"
            if terror
            else "disaster_relief"
            if flags["Humanitarian"]
            else "warfighting"
            if flags["Warfighting"]
            else "other"
        )
        location = clean(r["Location"])
        in_mongolia = "mongolia" in location.lower() or "tavan tolgo" in location.lower()
        hosts = [c for c in countries if c != "Mongolia" and c.lower() in location.lower()]
        exercises.append(
            {
                "exercise_id": eid,
                "name": name,
                "name_original": "",
                "series": series,
                "year": year,
                "start_date": _date(r["StartDate"]),
                "end_date": _date(r["EndDate"]),
                "location": location,
                "host": "Mongolia" if in_mongolia else (canonical_partner(hosts[0]) if hosts else ""),
                "type": etype,
                "multilateral": len(countries) > 2,
                "source_id": SOURCE_ID,
                "locator": mmeid,
                "note": "MME flags: "
                + (", ".join(k for k, v in flags.items() if v) or "none")
                + f"; {len(countries)} countries",
            }
        )
        for c in countries:
            if c == "Mongolia":
                continue
            participants.append(
                {
                    "exercise_id": eid,
                    "partner": canonical_partner(c),
                    "role": "host" if c in hosts else "participant",
                    "source_id": SOURCE_ID,
                    "locator": mmeid,
                }
            )
    return frames(exercises, participants)
