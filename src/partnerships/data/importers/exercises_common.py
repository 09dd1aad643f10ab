"""Shared vocabulary of the exercise importers (MME, the Russian list, FMTR, the articles)."""

from __future__ import annotations

import re

import pandas as pd

EXERCISE_COLUMNS = [
    "exercise_id",
    "name",
    "name_original",
    "series",
    "year",
    "start_date",
    "end_date",
    "location",
    "host",
    "type",
    "multilateral",
    "source_id",
    "locator",
    "note",
]
EXERCISE_KEY = ["exercise_id", "source_id"]
PARTICIPANT_COLUMNS = ["exercise_id", "partner", "role", "source_id", "locator"]
PARTICIPANT_KEY = ["exercise_id", "partner", "source_id"]
TYPES = ["peacekeeping", "counter_terrorism", "disaster_relief", "warfighting", "other"]

# Cyrillic -> Latin (the BGN/PCGN-style letters used for these names)
_TRANSLIT = dict(
    zip(
        "абвгдезийклмнопрстуфхцчшыэ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "y",
            "e",
        ],
    )
)
_TRANSLIT.update({"ё": "e", "ж": "zh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu", "я": "ya"})


def transliterate(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _TRANSLIT:
            t = _TRANSLIT[low]
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
    return "".join(out)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def series_of(name: str) -> str:
    """khaan_quest | selenga (Darkhan before 2011, Selenge/Selenga after) | '' (decided by the caller)."""
    low = transliterate(name).lower()
    if "khaan quest" in low or "khan quest" in low:
        return "khaan_quest"
    if low.startswith(("darkhan", "selenga", "selenge")):
        return "selenga"
    return ""


def exercise_id(series: str, name: str, year: int) -> str:
    """Editions of the two big series share ids across sources: khaan-quest-2006, selenga-2009."""
    if series in ("khaan_quest", "selenga"):
        return f"{series.replace('_', '-')}-{year}"
    s = slug(transliterate(name))
    return s if s.endswith(str(year)) else f"{s}-{year}"


def frames(exercises: list[dict], participants: list[dict]) -> dict[str, pd.DataFrame]:
    return {
        "exercises": pd.DataFrame(exercises, columns=EXERCISE_COLUMNS),
        "exercise_participants": pd.DataFrame(participants, columns=PARTICIPANT_COLUMNS),
    }
