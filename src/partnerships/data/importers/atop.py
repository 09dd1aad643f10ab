"""ATOP v5.1 alliance dyad-years -> ``alliances`` (spells).

Load: no raw ATOP file is stored here. The importer reads the **extract CSV format** made
from peacesciencer's ``atop_alliance.rda`` (directed dyad-years, R ``NA`` written as empty):
columns ``ccode1, ccode2, year, atop_defense, atop_offense, atop_neutral, atop_nonagg,
atop_consul`` (0/1 flags). A CSV written from the R data with those columns also works.
Process: keep ``ccode1 == 712`` (Mongolia; the data are directed, so this gives one row per
pair-year), then collapse each partner's consecutive years with identical flags into one
spell ``year_from``-``year_to``. Partners are named from COW codes (``partnerships.data.countries.from_cow``,
the ``data/cow_codes.csv`` mapping: 365 is the Soviet Union up to 1991). ATOP ends in 2018.
The extract carries no treaty id, so the treaty each spell belongs to comes from the curated
``atop_treaties.csv`` next to this module (partner, year_from -> treaty, whether it is
multilateral, its citation and the confidence of the attribution). A spell missing there gets
an empty treaty, which validation rejects: a new spell after a re-import must be attributed.
Save: ``data/alliances.csv``; ``locator`` gives the upstream line range of the spell.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.countries import from_cow

SOURCE_ID = "atop"
TABLE = "alliances"
FLAGS = ["defense", "offense", "neutral", "nonagg", "consul"]
TREATY_COLUMNS = ["treaty", "multilateral", "treaty_source_id", "treaty_locator", "treaty_confidence"]
COLUMNS = ["partner", "year_from", "year_to", *FLAGS, *TREATY_COLUMNS, "source_id", "locator"]
TREATIES_FILE = Path(__file__).with_name("atop_treaties.csv")
KEY = ["partner", "year_from"]
MONGOLIA = 712


def parse(path: Path) -> dict[str, pd.DataFrame]:
    recs = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for rec in reader:
            if int(float(rec["ccode1"])) != MONGOLIA:
                continue
            year = int(float(rec["year"]))
            flags = tuple(int(float(rec[f"atop_{f}"] or 0)) for f in FLAGS)
            recs.append((from_cow(int(float(rec["ccode2"])), year), year, flags, reader.line_num))
    recs.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for partner, year, flags, line in recs:
        last = rows[-1] if rows else None
        if (
            last
            and last["partner"] == partner
            and last["year_to"] == year - 1
            and tuple(last[f] for f in FLAGS) == flags
        ):
            last["year_to"] = year
            last["_lines"].append(line)
            continue
        rows.append(
            {
                "partner": partner,
                "year_from": year,
                "year_to": year,
                **dict(zip(FLAGS, flags)),
                "source_id": SOURCE_ID,
                "_lines": [line],
            }
        )
    treaties = treaty_map()
    for r in rows:
        lines = r.pop("_lines")
        r["locator"] = f"lines {min(lines)}-{max(lines)}" if len(lines) > 1 else f"line {lines[0]}"
        r.update(treaties.get((r["partner"], r["year_from"]), dict.fromkeys(TREATY_COLUMNS, "")))
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}


def treaty_map(path: Path = TREATIES_FILE) -> dict[tuple[str, int], dict[str, str]]:
    """(partner, year_from) -> the treaty columns, from the curated ``atop_treaties.csv``."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["partner"], int(r["year_from"])): {c: r[c] for c in TREATY_COLUMNS} for r in csv.DictReader(fh)}
