"""Load the curated tables in data/ (validated), and cite their sources.

``load("exercises")`` reads ``data/exercises.csv`` with the column types its schema
declares (``partnerships.data.schemas``), validates it, and returns a DataFrame. A bad
table raises :class:`partnerships.data.validate.DataError` whose message names the file,
row and column.

Every file read is also recorded, so the build can cache a chapter on exactly the
data it used (see ``engine/cache.py``): when ``$PARTNERSHIPS_DEPS_FILE`` is set, each
loaded path is appended to it with the sha256 of the bytes that were read (so a file
saved while the chapter runs is seen as changed by the next build).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from partnerships import paths
from partnerships.files import boolean, is_junk, read_csv, sha256_file


def record_dependency(path: Path, sha256: str | None = None) -> None:
    """Note that the running chapter read ``path`` whose bytes had hash ``sha256`` (default:
    the file's hash now; used by the build cache)."""
    target = os.environ.get("PARTNERSHIPS_DEPS_FILE")
    if target:
        digest = sha256 or (sha256_file(path) if Path(path).is_file() else "missing")
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{paths.relative(path)}\t{digest}\n")


def table_path(name: str) -> Path:
    return paths.data_dir() / f"{name}.csv"


#: (path, content hash, validate) -> (frame, the other tables its check read: name -> sha256)
_LOADED: dict[tuple[str, str, bool], tuple[pd.DataFrame, dict[str, str | None]]] = {}


def _unchanged(consulted: dict[str, str | None]) -> bool:
    """Whether the tables a check read still hold what it read (each read again, as a new
    check would read it, so the build records the same files for the chapter)."""
    for table, digest in consulted.items():
        path = table_path(table)
        try:
            now = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        except OSError:
            return False
        if now != digest:
            return False
    return True


def load(name: str, validate: bool = True) -> pd.DataFrame:
    """The curated table ``data/<name>.csv`` as a DataFrame (a copy: edit freely)."""
    path = table_path(name)
    if not path.exists():
        from partnerships.data.validate import DataError

        raise DataError(f"{paths.relative(path)}: file not found (known tables: {', '.join(tables())})")
    raw = path.read_bytes()  # read once: what is parsed is what is hashed
    digest = hashlib.sha256(raw).hexdigest()
    record_dependency(path, digest)
    key = (str(path), digest, validate)  # keyed by content: a switched root or an edit reloads
    hit = _LOADED.get(key)
    if hit is None or not _unchanged(hit[1]):
        from partnerships.data import validate as v

        hit = v.CHECKED.get(key)  # checked by the build before it started this chapter's kernel
        if hit is None or not _unchanged(hit[1]):
            hit = v.checked_table(name, validate=validate, raw=raw)
        _LOADED[key] = hit
    return hit[0].copy()


def tables() -> list[str]:
    """Names of the curated tables present in data/."""
    return sorted(p.stem for p in paths.data_dir().glob("*.csv") if not is_junk(p.name))


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
    """A true/false column -> bool (missing -> False), by the project's one rule for
    true/false cells (:func:`partnerships.files.boolean`)."""
    if s.dtype == bool:
        return s
    return s.map(lambda v: boolean(str(v)) is True).astype(bool)


def source_facts() -> dict:
    """Every source with the fields a reader checks between editions (for the edition's facts).

    Read as text with the project's CSV reader (no pandas: the build calls this on every
    run, a no-op build included; the build has validated the table before)."""
    from partnerships.errors import DataError

    table, problems = read_csv(table_path("sources"))
    if table is None:
        raise DataError(f"data/sources.csv: {problems[0].message}", problems)
    fields = [c for c in ("title", "producer", "published", "accessed", "sha256") if c in table.header]
    return {r["source_id"]: {f: r[f] for f in fields} for r in table.records()}


def tag(source_id: str) -> str:
    """The compact citation of a source id for a table cell or a sentence (column ``tag`` of
    data/sources.csv: "Article A", "SIPRI arms", "DCAD"); the references annex pairs each
    tag with its full reference."""
    s = sources().set_index("source_id")
    if source_id not in s.index:
        raise KeyError(f"unknown source id {source_id!r} (see data/sources.csv)")
    return str(s.loc[source_id, "tag"]).strip()


def tags(source_ids) -> str:
    """'Article A; SIPRI arms' for source ids given as a list or a ';'-separated string (sorted, unique)."""
    if isinstance(source_ids, str):
        source_ids = source_ids.split(";")
    return "; ".join(sorted({tag(i.strip()) for i in source_ids if isinstance(i, str) and i.strip()}))
