"""SIPRI Military Expenditure Database workbook (``SIPRI-Milex-data-1949-2024*.xlsx``) -> ``military_expenditure``
(Mongolia) and ``peer_military_expenditure`` (the comparison countries).

Load: the producer's xlsx workbook, as downloaded from https://www.sipri.org/databases/milex.
Process: on each country sheet, find the header row (first cell ``Country``) and the single
``Mongolia`` row; every year cell becomes one row ``(year, measure, value)``.
Save: ``data/military_expenditure.csv``.

The same sheets' rows of the peers and the two neighbours (``_common.PEERS`` and
``NEIGHBOURS``; SIPRI writes "Kyrgyz Republic") give ``peer_military_expenditure`` for the
years from ``PEER_FROM`` on, with the measures of ``PEER_SHEETS`` (no local currency: it does
not compare across countries). Mongolia is not repeated there (it is in
``military_expenditure``, from the same cells).

Units (one measure per sheet):

=====================  ===============================  =====================================
measure                sheet                            unit of ``value``
=====================  ===============================  =====================================
constant_2023_usd_m    Constant (2023) US$              US$ million, constant 2023 prices
current_usd_m          Current US$                      US$ million, current prices
share_gdp_pct          Share of GDP                     percent of GDP (SIPRI's fraction x 100)
share_govt_pct         Share of Govt. spending          percent of general govt. spending (x 100)
per_capita_usd         Per capita                       current US$ per person
local_currency_m       Local currency calendar years    million tugriks, current prices
=====================  ===============================  =====================================

Caveats kept as data: SIPRI's text codes ``...`` (no data) and ``xxx`` (not independent)
become an empty value with a note; the current-US$ zeros of 1987-1990 (no market exchange
rate) become empty with a note. Years before a measure's first number are left out.
The locator is ``<sheet>!<cell>`` of the upstream workbook.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from partnerships.data.importers._common import NEIGHBOURS, PEERS, canonical_partner

SOURCE_ID = "sipri_milex"
TABLE = "military_expenditure"
COLUMNS = ["year", "measure", "value", "source_id", "locator", "note"]
KEY = ["measure", "year"]
COUNTRY = "Mongolia"

# sheet name -> (measure, factor applied to the stored value, decimals kept)
SHEETS = {
    "Constant (2023) US$": ("constant_2023_usd_m", 1, None),
    "Current US$": ("current_usd_m", 1, None),
    "Share of GDP": ("share_gdp_pct", 100, 8),
    "Share of Govt. spending": ("share_govt_pct", 100, 8),
    "Per capita": ("per_capita_usd", 1, None),
    "Local currency calendar years": ("local_currency_m", 1e-6, 6),
}
ZERO_IS_MISSING = {"current_usd_m": range(1987, 1991)}

PEER_TABLE = "peer_military_expenditure"
PEER_COLUMNS = ["country", "year", "measure", "value", "source_id", "locator", "note"]
PEER_KEY = ["country", "measure", "year"]
PEER_SHEETS = ["Constant (2023) US$", "Current US$", "Share of GDP", "Per capita"]
PEER_FROM = 1990


def parse(path: Path) -> dict[str, pd.DataFrame]:
    wb = load_workbook(path, read_only=True, data_only=True)
    rows, peer_rows = [], []
    for sheet, (measure, factor, digits) in SHEETS.items():
        if sheet not in wb.sheetnames:
            raise ValueError(f"{Path(path).name}: sheet {sheet!r} not found (sheets: {', '.join(wb.sheetnames)})")
        header = None
        found = False
        for r, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            if not row:
                continue
            if header is None and row[0] == "Country":
                header = row
                continue
            if header is None or not isinstance(row[0], str) or not row[0].strip():
                continue
            name = row[0].strip()
            if name == COUNTRY:
                rows += _melt(sheet, measure, factor, digits, header, row, r)
                found = True
            elif sheet in PEER_SHEETS and _peer(name):
                peer_rows += [
                    dict(x, country=_peer(name))
                    for x in _melt(sheet, measure, factor, digits, header, row, r)
                    if x["year"] >= PEER_FROM
                ]
        if not found:
            raise ValueError(f"{Path(path).name}: sheet {sheet!r} has no {COUNTRY} row")
    df = pd.DataFrame(rows, columns=COLUMNS)
    peers = pd.DataFrame(peer_rows, columns=PEER_COLUMNS)
    return {TABLE: df, PEER_TABLE: peers}


def _peer(name: str) -> str | None:
    """The canonical name if a SIPRI row names a comparison country, else None."""
    try:
        c = canonical_partner(name)
    except ValueError:
        return None
    return c if c in PEERS or c in NEIGHBOURS else None


def _melt(sheet, measure, factor, digits, header, row, r):
    out = []
    started = False
    for c, (year, cell) in enumerate(zip(header, row), start=1):
        if not isinstance(year, int):
            continue
        locator = f"{sheet}!{get_column_letter(c)}{r}"
        note = ""
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            started = True
            value = cell * factor
            if digits is not None:
                value = round(value, digits)
            if cell == 0 and year in ZERO_IS_MISSING.get(measure, ()):
                value, note = None, "SIPRI records 0 (no market exchange rate); read as missing"
        else:
            if not started:
                continue
            text = str(cell).strip() if cell is not None else ""
            value = None
            note = {"...": "SIPRI: data unavailable (...)", "xxx": "SIPRI: country not independent (xxx)"}.get(
                text, f"SIPRI cell {text!r}"
            )
        out.append(
            {"year": year, "measure": measure, "value": value, "source_id": SOURCE_ID, "locator": locator, "note": note}
        )
    return out
