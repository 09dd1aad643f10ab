"""The two articles: their body paragraphs (an index for locators) and the exercise and agreement facts they state.

**Paragraph locators.** A locator ``para N`` names the Nth *body* paragraph of an article,
counted as a reader counts them: the headline, section labels ("Fresh Take:"), view and
comment counters and the like are not paragraphs; the first paragraph of the body text is
para 1. ``, sentence M`` narrows it to the Mth sentence. :func:`body_paragraphs` finds the
body in an article's text file (one paragraph per line): it starts at the first line of at
least :data:`MIN_BODY_WORDS` words, and every later line of that length is a paragraph
(the closing bullet points of article B included); shorter lines ("0 COMMENTS") are not.
:func:`parse` turns an article file into rows of ``article_paragraphs`` (``partnerships data
import art_growth FILE``): per paragraph its first words and its vocabulary, which is what
validation needs to check that the words a claim quotes stand in the paragraph its locator
names, without committing the article's text.

**Curated facts.** Not an upstream format: the rows of :func:`rows` are written into
``exercises``, ``exercise_participants`` and ``agreements`` with ``source_id`` art_growth /
art_forefront and a paragraph locator. Recurring exercises stated without a year get an empty
``year`` and an ``exercise_id`` ending in ``-recurring``. The "32 countries" aggregate names no
countries and is not an agreement row (it is in aggregate_claims).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from partnerships.data.importers.dcad import COLUMNS as AGREEMENT_COLUMNS
from partnerships.data.importers.exercises_common import EXERCISE_COLUMNS, PARTICIPANT_COLUMNS

A, B = "art_growth", "art_forefront"

MIN_BODY_WORDS = 12  # a line this long or longer is a body paragraph; headlines and counters are shorter
FIRST_WORDS = 8  # words kept verbatim per paragraph, so a reader can find it
PARAGRAPH_COLUMNS = ["source_id", "para", "first_words", "words", "locator"]
PARAGRAPH_KEY = ["source_id", "para"]
TABLE = "article_paragraphs"
PARSE_NEEDS_SOURCE_ID = True  # the file name (000_*.txt) does not say which article it is

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text, lower case, apostrophes kept inside words ("mongolia’s" -> "mongolia's")."""
    return [w.replace("’", "'") for w in _WORD.findall(str(text).lower())]


def body_paragraphs(text: str) -> list[tuple[int, str]]:
    """(non-empty line number, paragraph) for each body paragraph of an article's text, in order."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out, started = [], False
    for i, ln in enumerate(lines, start=1):
        long_enough = len(ln.split()) >= MIN_BODY_WORDS
        started = started or long_enough
        if started and long_enough:
            out.append((i, ln))
    return out


def parse(path: Path, source_id: str) -> dict[str, pd.DataFrame]:
    """An article's text file -> its ``article_paragraphs`` rows (para 1 = first body paragraph)."""
    if source_id not in (A, B):
        raise ValueError(f"{source_id!r} is not one of the articles ({A}, {B})")
    text = Path(path).read_text(encoding="utf-8")
    paras = body_paragraphs(text)
    if not paras:
        raise ValueError(f"no body paragraph of {MIN_BODY_WORDS} or more words found")
    rows = [
        {
            "source_id": source_id,
            "para": n,
            "first_words": " ".join(p.split()[:FIRST_WORDS]),
            "words": " ".join(sorted(set(words(p)))),
            "locator": f"non-empty line {line} of the text file",
        }
        for n, (line, p) in enumerate(paras, start=1)
    ]
    return {TABLE: pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)}


def _ex(eid, name, series, year, etype, host, multilateral, source, para, note, location="", start=""):
    return {
        "exercise_id": eid,
        "name": name,
        "name_original": "",
        "series": series,
        "year": year,
        "start_date": start,
        "end_date": "",
        "location": location,
        "host": host,
        "type": etype,
        "multilateral": multilateral,
        "source_id": source,
        "locator": f"para {para}",
        "note": note,
    }


EXERCISES = [
    _ex(
        "selenga-recurring",
        "Selenge (annual joint exercise with Russia)",
        "selenga",
        None,
        "other",
        "",
        False,
        A,
        4,
        "article A calls it an annual bilateral exercise, spelled Selenge; the usual spelling is Selenga; type not stated",
    ),
    _ex(
        "selenga-2024",
        "Selenga-2024",
        "selenga",
        2024,
        "warfighting",
        "",
        False,
        B,
        8,
        "held in August 2024 (day not stated); scenario: freeing a captured settlement, with drones",
        start="",
    ),
    _ex(
        "china-joint-exercises-recurring",
        "Joint exercises with China on counter-terrorism and natural disasters",
        "other",
        None,
        "counter_terrorism",
        "",
        False,
        A,
        5,
        "stated as held by the two defence ministries; also covers disaster response; no name or year given",
    ),
    _ex(
        "south-korea-joint-exercises-recurring",
        "Joint exercises with South Korea",
        "other",
        None,
        "other",
        "",
        False,
        A,
        7,
        "stated as joint exercises to exchange experience; no name, type or year given",
    ),
    _ex(
        "khaan-quest-recurring",
        "Khaan Quest (annual)",
        "khaan_quest",
        None,
        "peacekeeping",
        "Mongolia",
        True,
        A,
        10,
        "hosted every year at the Tavan Tolgoi base near Ulaanbaatar; Mongolia aims to widen participation; the US helped build the facilities (para 6)",
        location="Tavan Tolgoi military base near Ulaanbaatar",
    ),
]
PARTICIPANTS = [
    {
        "exercise_id": "selenga-recurring",
        "partner": "Russia",
        "role": "participant",
        "source_id": A,
        "locator": "para 4",
    },
    {"exercise_id": "selenga-2024", "partner": "Russia", "role": "participant", "source_id": B, "locator": "para 8"},
    {
        "exercise_id": "china-joint-exercises-recurring",
        "partner": "China",
        "role": "participant",
        "source_id": A,
        "locator": "para 5",
    },
    {
        "exercise_id": "south-korea-joint-exercises-recurring",
        "partner": "South Korea",
        "role": "participant",
        "source_id": A,
        "locator": "para 7",
    },
]
AGREEMENTS = [
    {
        "agreement_id": "art_growth-kor-1999",
        "partner": "South Korea",
        "year": 1999,
        "date": "",
        "type": "",
        "category": "",
        "description": "defence ministries signed a cooperation agreement (article A)",
        "dcad_source_type": "",
        "confidence": "",
        "source_id": A,
        "locator": "para 7",
    },
]


def rows() -> dict[str, pd.DataFrame]:
    return {
        "exercises": pd.DataFrame(EXERCISES, columns=EXERCISE_COLUMNS).astype({"year": "Int64"}),
        "exercise_participants": pd.DataFrame(PARTICIPANTS, columns=PARTICIPANT_COLUMNS),
        "agreements": pd.DataFrame(AGREEMENTS, columns=AGREEMENT_COLUMNS),
    }
