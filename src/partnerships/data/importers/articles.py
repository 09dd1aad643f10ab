"""Exercise and agreement facts stated in the two articles (hand-curated rows, paraphrased).

Not an upstream format: these rows are written once by :func:`rows` into ``exercises``,
``exercise_participants`` and ``agreements`` with ``source_id`` art_growth / art_forefront and
a paragraph locator ("para N" = the Nth non-empty line of the article's text file, as in
data/sources.csv). Recurring exercises stated without a year get an empty ``year`` and an
``exercise_id`` ending in ``-recurring``. The "32 countries" aggregate names no countries
and is not an agreement row (it is in aggregate_claims).
"""

from __future__ import annotations

import pandas as pd

from partnerships.data.importers.dcad import COLUMNS as AGREEMENT_COLUMNS
from partnerships.data.importers.exercises_common import EXERCISE_COLUMNS, PARTICIPANT_COLUMNS

A, B = "art_growth", "art_forefront"


def _ex(eid, name, series, year, etype, host, multilateral, source, para, note, location="", start=""):
    return {"exercise_id": eid, "name": name, "name_original": "", "series": series, "year": year, "start_date": start,
            "end_date": "", "location": location, "host": host, "type": etype, "multilateral": multilateral,
            "source_id": source, "locator": f"para {para}", "note": note}


EXERCISES = [
    _ex("selenga-recurring", "Selenge (annual joint exercise with Russia)", "selenga", None, "other", "", False, A, 9,
        "article A calls it an annual bilateral exercise, spelled Selenge; the usual spelling is Selenga; type not stated"),
    _ex("selenga-2024", "Selenga-2024", "selenga", 2024, "warfighting", "", False, B, 10,
        "held in August 2024 (day not stated); scenario: freeing a captured settlement, with drones", start=""),
    _ex("china-joint-exercises-recurring", "Joint exercises with China on counter-terrorism and natural disasters", "other", None,
        "counter_terrorism", "", False, A, 10, "stated as held by the two defence ministries; also covers disaster response; no name or year given"),
    _ex("south-korea-joint-exercises-recurring", "Joint exercises with South Korea", "other", None, "other", "", False, A, 12,
        "stated as joint exercises to exchange experience; no name, type or year given"),
    _ex("khaan-quest-recurring", "Khaan Quest (annual)", "khaan_quest", None, "peacekeeping", "Mongolia", True, A, 15,
        "hosted every year at the Tavan Tolgoi base near Ulaanbaatar; Mongolia aims to widen participation; the US helped build the facilities (para 11)",
        location="Tavan Tolgoi military base near Ulaanbaatar"),
]
PARTICIPANTS = [
    {"exercise_id": "selenga-recurring", "partner": "Russia", "role": "participant", "source_id": A, "locator": "para 9"},
    {"exercise_id": "selenga-2024", "partner": "Russia", "role": "participant", "source_id": B, "locator": "para 10"},
    {"exercise_id": "china-joint-exercises-recurring", "partner": "China", "role": "participant", "source_id": A, "locator": "para 10"},
    {"exercise_id": "south-korea-joint-exercises-recurring", "partner": "South Korea", "role": "participant", "source_id": A, "locator": "para 12"},
]
AGREEMENTS = [
    {"agreement_id": "art_growth-kor-1999", "partner": "South Korea", "year": 1999, "date": "", "type": "",
     "category": "", "description": "defence ministries signed a cooperation agreement (article A)", "dcad_source_type": "",
     "confidence": "", "source_id": A, "locator": "para 12"},
]


def rows() -> dict[str, pd.DataFrame]:
    return {
        "exercises": pd.DataFrame(EXERCISES, columns=EXERCISE_COLUMNS).astype({"year": "Int64"}),
        "exercise_participants": pd.DataFrame(PARTICIPANTS, columns=PARTICIPANT_COLUMNS),
        "agreements": pd.DataFrame(AGREEMENTS, columns=AGREEMENT_COLUMNS),
    }
