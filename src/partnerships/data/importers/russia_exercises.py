"""Joint military exercises involving Russia, 2009-2018 (hand-coded list, zleffel-afk) -> exercises.

Load: ``Joint Military Exercises Involving Russia.csv`` (columns ``id, name, yr, part1..part28,
comments, source, source2``; names in Russian; CRLF line endings; many empty lines).
Process: exercises listing Mongolia among the partners. ``name_original`` keeps the Russian
name (e.g. Дархан-2), ``name`` is its transliteration (Darkhan-2). Darkhan (before 2011) and
Selenga are one series (``selenga``). Russia is a participant of every exercise on the list;
the other listed countries are participants too. Host and location are not in the list.
Save: the ``russia_exercises`` rows of ``exercises`` and ``exercise_participants``;
``locator`` is ``id <id>`` (the list's own id) and the line number.
The list is incomplete for Mongolia (no Darkhan-1 2008, Selenga only 2012 and 2015).
"""

from __future__ import annotations

import csv
from pathlib import Path

from partnerships.data.importers._common import canonical_partner, clean
from partnerships.data.importers.exercises_common import exercise_id, frames, series_of, transliterate

SOURCE_ID = "russia_exercises"


def parse(path: Path) -> dict:
    exercises, participants = [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            parts = [clean(rec.get(f"part{i}")) for i in range(1, 29)]
            parts = [p for p in parts if p]
            if "Mongolia" not in parts:
                continue
            original = clean(rec["name"])
            name = transliterate(original)
            year = int(float(rec["yr"]))
            series = series_of(name) or "single"
            eid = exercise_id(series, name, year)
            loc = f"id {clean(rec['id'])}; line {reader.line_num}"
            exercises.append(
                {
                    "exercise_id": eid,
                    "name": name,
                    "name_original": original,
                    "series": series,
                    "year": year,
                    "start_date": "",
                    "end_date": "",
                    "location": "",
                    "host": "",
                    "type": "other",
                    "multilateral": len(parts) > 1,
                    "source_id": SOURCE_ID,
                    "locator": loc,
                    "note": "type not stated in the list; primary source: " + clean(rec["source"]),
                }
            )
            for p in ["Russia", *[p for p in parts if p != "Mongolia"]]:
                participants.append(
                    {
                        "exercise_id": eid,
                        "partner": canonical_partner(p),
                        "role": "participant",
                        "source_id": SOURCE_ID,
                        "locator": loc,
                    }
                )
    return frames(exercises, participants)
