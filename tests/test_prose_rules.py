"""Rules for what notebooks say: no typed chapter, annex, figure or table number
(prose refers by label, ``@ch-x``, ``@fig-x``, and the build writes the number)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Not "section": "Section 333" and "Section 1206" name US training authorities (sections are
# referred to by title anyway).
TYPED = re.compile(
    r"\b(?:(?i:chapters?|figures?|tables?|annex(?:es)?|fig\.|figs\.|tab\.|ch\.)\s*\d+|(?i:annex(?:es)?)\s+[A-H]\b)"
)


def typed_numbers(text: str) -> list[str]:
    return [m.group(0) for m in TYPED.finditer(text)]


def test_the_rule_sees_the_usual_spellings():
    assert typed_numbers("as chapter 10 lists; see Figure 3 and tables 2-3, Fig. 4, annex B") == [
        "chapter 10",
        "Figure 3",
        "tables 2",
        "Fig. 4",
        "annex B",
    ]
    assert (
        typed_numbers(
            "see @ch-sources and @fig-spending; a table of 12 rows; 3 figures; Section 333 training; a figure a reader"
        )
        == []
    )


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_number_typed_for_a_chapter_figure_or_table(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb["cells"], start=1):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        found += [f"cell {number}: {t!r}" for t in typed_numbers(src)]
    assert found == [], f"{nb_path.name}: refer by label (@ch-x, @fig-x, @tbl-x, @sec-x) instead of {found}"
