"""SIPRI Arms Transfers Database trade register (``trade-register.csv``) -> ``arms_transfers``.

Load: the trade register CSV as SIPRI generates it (https://www.sipri.org/databases/armstransfers):
Latin-1 encoded, with a preamble of notes before the header row (11 lines in the
13 March 2025 file; the header is found by its first field ``Recipient``, so a longer or
shorter preamble also works). The header has two columns named ``" "`` holding SIPRI's
``?`` uncertainty markers for the order year and the number ordered (and a third for the
number delivered).
Process: keep the deals whose recipient is Mongolia; suppliers get their canonical
partner name (``partnerships.data.countries``); numbers become integers, TIV stays in SIPRI TIV
millions (a volume index, not prices). An empty ``tiv_delivered`` means no deliveries
identified; ``0`` means between 0 and 0.5 million TIV (SIPRI's convention).
Save: ``data/arms_transfers.csv``; ``locator`` is the line number in the upstream file.

``deal_id`` is stable across releases as long as SIPRI keeps the supplier, order year and
weapon designation: ``<supplier-slug>-<order year>-<designation-slug>`` (a ``-2`` suffix
if the same triple occurs twice).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import canonical_partner, clean, to_int

SOURCE_ID = "sipri_trade_register"
TABLE = "arms_transfers"
RECIPIENT = "Mongolia"
COLUMNS = [
    "deal_id",
    "supplier",
    "weapon_designation",
    "weapon_description",
    "number_ordered",
    "number_ordered_uncertain",
    "order_year",
    "order_year_uncertain",
    "delivery_years",
    "number_delivered",
    "number_delivered_uncertain",
    "tiv_per_unit",
    "tiv_total_order",
    "tiv_delivered",
    "status",
    "comments",
    "source_id",
    "locator",
]
KEY = ["deal_id"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _num(text: str):
    text = clean(text)
    if text == "":
        return None
    f = float(text)
    return int(f) if f.is_integer() else f


def parse(path: Path) -> dict[str, pd.DataFrame]:
    text = Path(path).read_bytes().decode("latin-1")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    rows = []
    seen: dict[str, int] = {}
    line = 1
    for rec in reader:
        start, line = line, reader.line_num + 1
        if header is None:
            if rec and rec[0].strip() == "Recipient":
                header = rec
            continue
        if not rec or clean(rec[0]) != RECIPIENT:
            continue
        # columns by position: the header has duplicate " " names
        (
            recipient,
            supplier,
            order_year,
            oy_unc,
            n_ordered,
            no_unc,
            designation,
            description,
            n_delivered,
            nd_unc,
            delivery_years,
            status,
            comments,
            tiv_unit,
            tiv_total,
            tiv_deliv,
        ) = rec[:16]
        supplier = canonical_partner(clean(supplier))
        base = f"{slug(supplier)}-{clean(order_year)}-{slug(clean(designation))}"
        seen[base] = seen.get(base, 0) + 1
        deal_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        rows.append(
            {
                "deal_id": deal_id,
                "supplier": supplier,
                "weapon_designation": clean(designation),
                "weapon_description": clean(description),
                "number_ordered": to_int(n_ordered),
                "number_ordered_uncertain": clean(no_unc) == "?",
                "order_year": to_int(order_year),
                "order_year_uncertain": clean(oy_unc) == "?",
                "delivery_years": "; ".join(y.strip() for y in clean(delivery_years).split(";") if y.strip()),
                "number_delivered": to_int(n_delivered),
                "number_delivered_uncertain": clean(nd_unc) == "?",
                "tiv_per_unit": _num(tiv_unit),
                "tiv_total_order": _num(tiv_total),
                "tiv_delivered": _num(tiv_deliv),
                "status": clean(status),
                "comments": clean(comments),
                "source_id": SOURCE_ID,
                "locator": f"line {start}",
            }
        )
    if header is None:
        raise ValueError(f"{Path(path).name}: no header row starting with 'Recipient' found")
    return {TABLE: pd.DataFrame(rows, columns=COLUMNS)}
