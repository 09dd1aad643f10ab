"""Load the curated tables in data/ (validated), and cite their sources.

``load("exercises")`` reads ``data/exercises.csv`` with the column types its schema
declares (``partnerships.data.schemas``), validates it, and returns a DataFrame. A bad
table raises :class:`partnerships.data.validate.DataError` whose message names the file,
row and column.

Every file read is also recorded, so the build can cache a chapter on exactly the
data files it used (see ``build.py``): when ``$PARTNERSHIPS_DEPS_FILE`` is set, each
loaded path is appended to it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from partnerships import paths


def record_dependency(path: Path) -> None:
    """Note that the running chapter read ``path`` (used by the build cache)."""
    target = os.environ.get("PARTNERSHIPS_DEPS_FILE")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(paths.relative(path) + "\n")


def table_path(name: str) -> Path:
    return paths.data_dir() / f"{name}.csv"


@functools.lru_cache(maxsize=None)
def _load_cached(name: str, path: str, mtime_ns: int, size: int, validate: bool) -> pd.DataFrame:
    from partnerships.data import validate as v

    return v.read_table(name, validate=validate)


def load(name: str, validate: bool = True) -> pd.DataFrame:
    """The curated table ``data/<name>.csv`` as a DataFrame (a copy: edit freely)."""
    path = table_path(name)
    if not path.exists():
        from partnerships.data.validate import DataError

        raise DataError(f"{paths.relative(path)}: file not found (known tables: {', '.join(tables())})")
    record_dependency(path)
    st = path.stat()  # keyed by path, time and size: a switched root or an edit reloads
    return _load_cached(name, str(path), st.st_mtime_ns, st.st_size, validate).copy()


def tables() -> list[str]:
    """Names of the curated tables present in data/."""
    return sorted(p.stem for p in paths.data_dir().glob("*.csv"))


def sources() -> pd.DataFrame:
    return load("sources")


def cite(source_id: str) -> str:
    """The short citation of a source id (column ``short`` of data/sources.csv).

    The full reference (producer, title, date, url, licence) is in the same row and is
    listed in the chapter "Sources and discrepancies".
    """
    s = sources().set_index("source_id")
    if source_id not in s.index:
        raise KeyError(f"unknown source id {source_id!r} (see data/sources.csv)")
    return str(s.loc[source_id, "short"]).strip() or str(s.loc[source_id, "title"]).strip()


def numbers(s: pd.Series) -> pd.Series:
    """A column read as text -> numbers (empty -> missing)."""
    return pd.to_numeric(s.replace("", pd.NA), errors="coerce")


def flags(s: pd.Series) -> pd.Series:
    """A true/false column read as text (true, 1, yes) -> bool."""
    if s.dtype == bool:
        return s
    return s.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])


def source_facts() -> dict:
    """Every source with the fields a reader checks between editions (for the edition's facts)."""
    s = load("sources")
    fields = [c for c in ("title", "producer", "published", "accessed", "sha256") if c in s.columns]
    return {str(r["source_id"]): {f: str(r[f]) for f in fields} for _, r in s.iterrows()}
