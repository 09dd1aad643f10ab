"""RADPKO base-year file (``radpko_bases_cc_y.csv``: African UN missions, October 1999 to
September 2019; Hunnicutt and Nomikos 2020) -> ``pk_yearly`` (measure ``african_bases_mean``).

Load: one row per base (deployment site) and year, with ``mission, country, base, year, ...``
and, for each contributor ``<c>`` (lower case, dots for spaces: ``sierra.leone``), the columns
``<c>_pko`` (all personnel), ``<c>_untrp`` (troops), ``<c>_unpol`` (police) and ``<c>_unmob``
(military observers). Each value is the mean over the months in which the base appears in the
monthly data.
Process: for the comparison countries RADPKO covers (``_common.COMPARISON``; it has no Fiji,
Kazakhstan, Kyrgyzstan or Uzbekistan), sum the base means by year and mission, with
``n_bases`` = bases with a positive figure. The sum approximates the yearly mean strength in
African missions only; a base open for part of a year is over-weighted (its mean covers only
its own months), so the sum can exceed a yearly head-count mean. ``usable`` is true (the
caveat is in ``quality``).
Save: rows of ``data/pk_yearly.csv``; ``locator`` names the upstream lines and the column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from partnerships.data.importers._common import COMPARISON, canonical_partner, clean
from partnerships.data.importers.ipi import _span
from partnerships.data.importers.un_pk_open_data import TABLE_YEARLY, YEARLY_COLUMNS

SOURCE_ID = "radpko"
QUALITY = "African missions only"


def _country(prefix: str) -> str | None:
    try:
        c = canonical_partner(prefix.replace(".", " "))
    except ValueError:
        return None
    return c if c in COMPARISON else None


def parse(path: Path) -> dict[str, pd.DataFrame]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [clean(h) for h in next(reader, [])]
        if not {"mission", "year", "base"} <= set(header):
            raise ValueError(f"{Path(path).name}: not the RADPKO base-year file (no columns mission, year, base)")
        idx = {h: i for i, h in enumerate(header)}
        prefixes = {h[: -len("_pko")]: _country(h[: -len("_pko")]) for h in header if h.endswith("_pko")}
        prefixes = {
            p: c for p, c in prefixes.items() if c and all(f"{p}_{s}" in idx for s in ("untrp", "unpol", "unmob"))
        }
        acc: dict[tuple, dict] = {}
        for rec in reader:
            if not rec:
                continue
            n = reader.line_num
            year, mission = int(clean(rec[idx["year"]])), clean(rec[idx["mission"]])
            for p, country in prefixes.items():
                pko = float(clean(rec[idx[f"{p}_pko"]]) or 0)
                if pko <= 0:
                    continue
                a = acc.setdefault(
                    (country, year, mission, p), {"pko": 0.0, "untrp": 0.0, "unpol": 0.0, "unmob": 0.0, "lines": []}
                )
                a["pko"] += pko
                for s in ("untrp", "unpol", "unmob"):
                    a[s] += float(clean(rec[idx[f"{p}_{s}"]]) or 0)
                a["lines"].append(n)
    rows = [
        {
            "country": c,
            "year": y,
            "mission": m,
            "measure": "african_bases_mean",
            "personnel": round(a["pko"], 3),
            "troops": round(a["untrp"], 3),
            "police": round(a["unpol"], 3),
            "observers": round(a["unmob"], 3),
            "female": None,
            "n_bases": len(a["lines"]),
            "usable": True,
            "quality": QUALITY,
            "source_id": SOURCE_ID,
            "locator": f"{_span(a['lines'])}; columns {p}_pko, {p}_untrp, {p}_unpol, {p}_unmob",
        }
        for (c, y, m, p), a in sorted(acc.items())
    ]
    return {TABLE_YEARLY: pd.DataFrame(rows, columns=YEARLY_COLUMNS)}
