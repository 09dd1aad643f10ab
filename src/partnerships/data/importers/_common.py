"""Helpers shared by the importers: deterministic CSV output, checksums, partner names.

Every importer follows the same skeleton (load the upstream file / process / save):
``parse(path) -> {table_name: DataFrame}``. :func:`save` writes a table so that rows of
*other* sources in the same table are kept (a table such as ``exercises`` is fed by
several sources and by hand-curated article rows): the rows of the importing source are
replaced, everything else stays, and rows are sorted by the table's key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from partnerships import paths
from partnerships.files import read_csv, sha256_file


def sha256(path: Path) -> str:
    return sha256_file(path)


def table_file(name: str) -> Path:
    return paths.data_dir() / f"{name}.csv"


def canonical_partner(name: str) -> str:
    """The canonical partner name (``partnerships.data.countries.canonical``), e.g. 'USA' -> 'United States'."""
    from partnerships.data.countries import canonical

    return canonical(name)


def clean(value) -> str:
    """Cell text with outer whitespace trimmed and inner runs of spaces collapsed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def to_int(value):
    """'1,234' / '$1,234' / '12.0' -> 1234; '' / None / unparseable -> None."""
    text = clean(value).replace("$", "").replace(",", "")
    if text == "":
        return None
    try:
        f = float(text)
    except ValueError:
        return None
    return int(round(f))


def save(
    name: str,
    df: pd.DataFrame,
    key: list[str],
    source_ids: set[str] | None = None,
    columns: list[str] | None = None,
    scope: dict[str, set] | None = None,
) -> Path:
    """Write ``data/<name>.csv``: replace the rows of ``source_ids`` (default: those in ``df``), keep the rest.

    ``scope`` narrows what is replaced: only old rows of those sources whose ``col`` value is in
    ``scope[col]`` (e.g. one FMTR report's rows). Columns are written in ``columns`` order (default: ``df``'s), rows sorted by ``key``,
    LF line endings, UTF-8, no index: the same input gives the same bytes.
    """
    path = table_file(name)
    columns = columns or list(df.columns)
    source_ids = source_ids if source_ids is not None else set(df["source_id"].dropna().unique())
    new = df[columns].copy()
    if path.exists():
        table, problems = read_csv(path)  # the project's one CSV reader (BOM, CRLF, blank lines)
        if table is None:
            raise ValueError(f"{paths.relative(path)}: {problems[0].message}; fix the file before importing")
        old = pd.DataFrame(table.records(), columns=table.header, dtype=str)
        drop = old["source_id"].isin(source_ids)
        for col, values in (scope or {}).items():
            drop &= old[col].isin({str(v) for v in values})
        old = old[~drop]
        if len(old):
            for col in columns:
                if col not in old.columns:
                    old[col] = ""
            new = pd.concat([old[columns], new.astype(object)], ignore_index=True)
    new = new.astype(object).where(new.notna(), "")
    new = _stringify(new)
    sort_cols = [c for c in key if c in new.columns]
    if sort_cols:
        new = new.sort_values(sort_cols, key=_sort_key, kind="stable")
    path.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(path, index=False, lineterminator="\n")
    return path


def _stringify(df: pd.DataFrame) -> pd.DataFrame:
    def fmt(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
        return str(v)

    return df.apply(lambda col: col.map(fmt))


def _sort_key(s: pd.Series) -> pd.Series:
    """Sort numbers numerically and text alphabetically (all values are strings here)."""
    num = pd.to_numeric(s, errors="coerce")
    if num.notna().sum() == (s != "").sum():
        return num
    return s.str.lower()


# The comparison set of the peers chapter (after ../ANALYSIS "Peers": states of similar size, position or
# peacekeeping profile, and the two neighbours for scale). The peer importers keep these countries and
# Mongolia; the report's own choice of peers (a chapter parameter) must be among them.
PEERS = ["Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Nepal", "Bangladesh", "Rwanda", "Fiji", "Uruguay", "Ghana"]
NEIGHBOURS = ["China", "Russia"]
COMPARISON = ["Mongolia"] + PEERS + NEIGHBOURS


def to_iso3(name: str) -> str:
    """ISO alpha-3 code of a country name (``partnerships.data.countries.to_iso3``)."""
    from partnerships.data.countries import to_iso3 as iso3

    return iso3(name)
