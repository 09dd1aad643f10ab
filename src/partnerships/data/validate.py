"""Validate the curated tables in ``data/`` against their schemas (``partnerships.data.schemas``).

Every problem is reported as one line::

    data/<file>.csv:<row>: <column>: <what is wrong> (<value>)

``<row>`` is the line number a user sees in an editor: the header is line 1, the first
data row line 2 (a quoted value spanning several lines counts all of them; the row is
named by the line it starts on). File-level problems leave out the row or column.

What is checked, in order, for each ``data/<name>.csv``:

1. the file (read by :func:`partnerships.files.read_csv`, as every reader in the
   project reads a CSV): it exists, is not empty, is UTF-8 (a bad byte is named by row, column and
   byte offset). A UTF-8 byte-order mark (what Excel's "CSV UTF-8" writes) is accepted
   and ignored; Windows line endings (CRLF) are accepted; blank lines are skipped.
2. the header: no missing column, no unknown column, no column twice.
3. each row has as many fields as the header (a stray delimiter is named by its row).
4. each cell converts to its column type (``schemas.<name>.DTYPES``): cells are read as
   text (nothing becomes NaN by itself) and then converted, so errors name the cell.
5. the pandera schema: required values, ranges (years 1900-2100, counts >= 0, shares in
   percent 0-100), allowed values, patterns (dates, ids).
6. unique keys (``KEY``) and foreign keys (``FOREIGN_KEYS``: every ``source_id`` exists in
   ``data/sources.csv``, every ``partner`` in ``data/partners.csv``; ``MULTI_FOREIGN_KEYS``
   for ';'-separated lists).
7. article locators, against ``data/article_paragraphs.csv`` (the body paragraphs of each
   article, para 1 = the first paragraph of the body text): a row citing an article has a
   locator ``para N`` (``, sentence M``), ``headline`` or ``whole article`` naming a paragraph
   the article has; a mention such as "art_growth para 7" in any text cell names one too; and a
   ``quote`` (claims) uses only words that stand in the paragraph its locator names.

Text that looks like HTML or JavaScript is valid data: the renderer escapes it.

``validate_all()`` checks every table (and remembers, in ``build/validate-cache.json``,
the content hashes of the files each clean table's check read, so unchanged tables are
not checked again: the one validation cache); ``read_table(name)``
returns one table with typed columns, or raises :class:`DataError` naming the first
problems.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from partnerships import files as files_module
from partnerships import paths
from partnerships.data import schemas
from partnerships.errors import DataError  # noqa: F401  (re-exported)
from partnerships.files import boolean, is_junk, parse_csv, read_csv, sha256_file

if TYPE_CHECKING:  # pandas and pandera load only when a table is actually checked
    import pandas as pd

MAX_IN_MESSAGE = 10  # problems quoted in a DataError


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # as shown to users: data/<name>.csv
    row: int | None  # editor line number (header = 1), None for file-level problems
    column: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        head = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [head] + ([self.column] if self.column else []) + [self.message + _show(self.value)]
        return ": ".join(parts)


def _show(value: str | None) -> str:
    if value is None:
        return ""
    text = str(value)
    if text == "":
        return " (empty)"
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > 160:
        text = text[:157] + "..."
    return f" ({text})"


# --------------------------------------------------------------------------- parsing


@dataclass
class Parsed:
    """A CSV read as text: header, rows of cells, and the editor line each row starts on."""

    file: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    sha256: str = ""


def _rel(name: str) -> str:
    return f"data/{name}.csv"


def parse(name: str, path: Path | None = None, raw: bytes | None = None) -> tuple[Parsed | None, list[Problem]]:
    """Read ``data/<name>.csv`` (or its bytes ``raw``) as text cells with the project's one
    CSV reader (:func:`partnerships.files.read_csv`); file-level problems stop the reading."""
    rel = _rel(name)
    if raw is None:
        table, found = read_csv(path or paths.data_dir() / f"{name}.csv")
    else:
        table, found = parse_csv(raw)
    problems = [Problem(rel, p.line, p.column, p.message, p.value) for p in found]
    if table is None:
        return None, problems
    return Parsed(rel, table.header, table.rows, table.lines, table.sha256), problems


# --------------------------------------------------------------------------- checking


_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TYPE_WORDS = {"int": "not a whole number", "float": "not a number", "bool": "not true or false"}


def _convert(values: list[str], kind: str) -> tuple[list, list[int]]:
    """Typed values and the indexes of cells that do not convert."""
    out, bad = [], []
    for i, raw in enumerate(values):
        cell = raw.strip()
        if kind == "str":
            out.append(raw)
        elif cell == "":
            out.append(None)
        elif kind == "int" and _INT.match(cell):
            out.append(int(cell))
        elif kind == "float" and _FLOAT.match(cell):
            out.append(float(cell))
        elif kind == "bool" and boolean(cell) is not None:
            out.append(boolean(cell))
        else:
            out.append(None)
            bad.append(i)
    return out, bad


_PANDAS_DTYPE = {"int": "Int64", "float": "Float64", "bool": "boolean"}


def _frame(
    parsed: Parsed, spec: schemas.TableSpec, problems: list[Problem]
) -> tuple[pd.DataFrame, list[int], pd.DataFrame]:
    """(typed frame, editor line of each frame row, raw text frame) for the well-formed rows."""
    import pandas as pd

    width = len(parsed.header)
    rows, lines = [], []
    for record, line in zip(parsed.rows, parsed.lines):
        if len(record) != width:
            more = (
                "a stray delimiter, or a value with a comma that is not in quotes?"
                if len(record) > width
                else "a missing delimiter?"
            )
            problems.append(
                Problem(
                    parsed.file,
                    line,
                    None,
                    f"row has {len(record)} fields, the header has {width} ({more})",
                    ",".join(record),
                )
            )
            continue
        rows.append(record)
        lines.append(line)
    raw = (
        pd.DataFrame(rows, columns=parsed.header, dtype=str)
        if rows
        else pd.DataFrame({c: pd.Series([], dtype=str) for c in parsed.header})
    )
    typed = {}
    for column in parsed.header:
        values = raw[column].tolist()
        kind = spec.dtypes.get(column, "str")
        converted, bad = _convert(values, kind)
        for i in bad:
            problems.append(Problem(parsed.file, lines[i], column, _TYPE_WORDS[kind], values[i]))
        if kind == "str":
            typed[column] = pd.Series(converted, dtype=object)
        else:
            typed[column] = pd.Series(pd.array(converted, dtype=_PANDAS_DTYPE[kind]))
    frame = pd.DataFrame(typed, columns=parsed.header)
    return frame, lines, raw


def _header_problems(parsed: Parsed, spec: schemas.TableSpec) -> list[Problem]:
    out = []
    seen = set()
    for col in parsed.header:
        if col in seen:
            out.append(Problem(parsed.file, 1, col, "column appears twice in the header", col))
        seen.add(col)
    for col in spec.columns:
        if col not in parsed.header:
            out.append(Problem(parsed.file, 1, col, f"missing column; expected columns: {', '.join(spec.columns)}"))
    for col in parsed.header:
        if col not in spec.columns:
            hint = difflib.get_close_matches(col, spec.columns, n=1, cutoff=0.8)
            out.append(
                Problem(
                    parsed.file, 1, col, "unknown column" + (f" (did you mean {hint[0]!r}?)" if hint else ""), repr(col)
                )
            )
    return out


_PANDERA_WORDS = {"not_nullable": "is empty (a value is required)"}


def _schema_problems(
    frame: pd.DataFrame, lines: list[int], raw: pd.DataFrame, spec, file: str, skip: set
) -> list[Problem]:
    import pandas as pd
    import pandera.errors as pa_errors

    try:
        spec.schema.validate(frame, lazy=True)
        return []
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa_errors.SchemaError as exc:  # pragma: no cover - non-lazy failure
        return [Problem(file, None, None, str(exc))]
    out = []
    across: dict[tuple[int, str], list[str]] = {}  # row checks: one problem per row, naming all columns
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        index = case.index
        check = str(case.check)
        message = _PANDERA_WORDS.get(check, check)
        if (
            case.schema_context == "DataFrameSchema"
            and column in raw.columns
            and index is not None
            and not pd.isna(index)
        ):
            across.setdefault((int(index), message), []).append(column)
            continue
        if index is None or (isinstance(index, float) and pd.isna(index)):
            out.append(
                Problem(file, None, column, message, None if pd.isna(case.failure_case) else str(case.failure_case))
            )
            continue
        i = int(index)
        if (i, column) in skip:  # already reported as a type error
            continue
        value = raw[column].iloc[i] if column in raw.columns else str(case.failure_case)
        out.append(Problem(file, lines[i], column, message, value))
    from partnerships.data.schemas._helpers import ROW_CHECK_COLUMNS

    for (i, message), columns in across.items():
        named = ROW_CHECK_COLUMNS.get(message)
        columns = [c for c in spec.columns if c in (named or columns)]
        out.append(Problem(file, lines[i], "+".join(columns), message, ", ".join(raw[c].iloc[i] for c in columns)))
    return out


def _key_problems(raw: pd.DataFrame, lines: list[int], spec, file: str) -> list[Problem]:
    if not spec.key or raw.empty or any(k not in raw.columns for k in spec.key):
        return []
    keys = raw[spec.key].apply(lambda col: col.str.strip())
    first: dict[tuple, int] = {}
    folded: dict[tuple, int] = {}
    out = []
    for i, key in enumerate(map(tuple, keys.itertuples(index=False, name=None))):
        fold = tuple(k.casefold() for k in key)
        if key in first:
            out.append(
                Problem(
                    file,
                    lines[i],
                    "+".join(spec.key),
                    f"duplicate key: same as row {lines[first[key]]}",
                    ", ".join(key),
                )
            )
        elif fold in folded:  # 'russia' beside 'Russia': one thing written two ways
            j = folded[fold]
            out.append(
                Problem(
                    file,
                    lines[i],
                    "+".join(spec.key),
                    f"duplicate key: same as row {lines[j]} ({', '.join(keys.iloc[j])}) except for upper/lower case",
                    ", ".join(key),
                )
            )
        else:
            first[key] = i
            folded[fold] = i
    return out


def _fk_problems(raw: pd.DataFrame, lines: list[int], spec, file: str, lookup) -> list[Problem]:
    out = []
    for multi, mapping in ((False, spec.foreign_keys), (True, spec.multi_foreign_keys)):
        for column, (table, target) in mapping.items():
            if column not in raw.columns:
                continue
            known = lookup(table, target)
            if known is None:
                continue  # the target table is itself broken: its own problems say so
            for i, cell in enumerate(raw[column].tolist()):
                values = [v.strip() for v in cell.split(";")] if multi else [cell.strip()]
                for value in values:
                    if value and value not in known:
                        hint = difflib.get_close_matches(value, list(known), n=1, cutoff=0.8)
                        out.append(
                            Problem(
                                file,
                                lines[i],
                                column,
                                f"not found in data/{table}.csv column {target}"
                                + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                                value,
                            )
                        )
    return out


ARTICLE_TABLE = "article_paragraphs"
_ARTICLE_LOCATOR = re.compile(r"^para (\d+)(?:, sentence \d+)?$")
_WHOLE = ("headline", "whole article")
_MENTION = re.compile(r"\b(art_[a-z0-9_]+) paras? (\d+)")


def _article_problems(
    raw: pd.DataFrame, lines: list[int], file: str, index: dict[str, dict[int, set[str]]]
) -> list[Problem]:
    """Locators, mentions and quotes that name an article paragraph (check 7 of the module docstring)."""
    from partnerships.data.importers.articles import words

    out = []
    has_loc = "source_id" in raw.columns and "locator" in raw.columns
    for i, row in enumerate(raw.to_dict("records")):  # rows as dicts: pandas' row access is slow
        src = str(row["source_id"]).strip() if has_loc else ""
        para = None
        if src in index:
            loc = str(row["locator"]).strip()
            m = _ARTICLE_LOCATOR.match(loc)
            if m:
                para = int(m.group(1))
                if para not in index[src]:
                    out.append(
                        Problem(
                            file,
                            lines[i],
                            "locator",
                            f"{src} has no body paragraph {para} (it has {len(index[src])}; para 1 is the first "
                            "paragraph of the body text, after the headline)",
                            loc,
                        )
                    )
                    para = None
            elif loc not in _WHOLE:
                out.append(
                    Problem(
                        file,
                        lines[i],
                        "locator",
                        "not an article locator ('para N', 'para N, sentence M', 'headline' or 'whole article')",
                        loc,
                    )
                )
        for column in raw.columns:
            cell = str(row[column])
            for m in _MENTION.finditer(cell):
                art, n = m.group(1), int(m.group(2))
                if art in index and n not in index[art]:
                    out.append(
                        Problem(
                            file, lines[i], column, f"{art} has no body paragraph {n} (it has {len(index[art])})", cell
                        )
                    )
        if "quote" in raw.columns and src in index:
            quote = str(row["quote"]).strip()
            if not quote:
                out.append(
                    Problem(
                        file, lines[i], "quote", "is empty (a claim from an article quotes the words it paraphrases)"
                    )
                )
                continue
            vocab = index[src].get(para) if para is not None else set().union(*index[src].values())
            if vocab is None:
                continue
            missing = [w for w in words(quote) if w not in vocab]
            if missing:
                where = f"{src} para {para}" if para is not None else src
                out.append(
                    Problem(
                        file,
                        lines[i],
                        "quote",
                        f"not in {where}: {', '.join(repr(w) for w in dict.fromkeys(missing))} (does the locator name the right paragraph?)",
                        quote,
                    )
                )
    return out


class _Checker:
    """Checks tables one by one, reading each referenced table (sources, partners) once."""

    def __init__(self):
        self._keys: dict[tuple[str, str], set[str] | None] = {}
        self._articles: dict[str, dict[int, set[str]]] | None | bool = False
        self._read: dict[str, str | None] = {}  # table -> sha256 of the bytes read (None: no file)
        self.consulted: dict[str, str | None] = {}  # the tables the last check looked into, as read

    def _parse(self, table: str):
        parsed, problems = parse(table)
        self._read[table] = parsed.sha256 if parsed is not None else _file_sha256(table)
        return parsed, problems

    def _consult(self, table: str) -> None:
        self.consulted[table] = self._read.get(table)

    def articles(self) -> dict[str, dict[int, set[str]]] | None:
        """source id -> paragraph -> its words, from data/article_paragraphs.csv (None if absent or unreadable)."""
        if self._articles is False:
            parsed, problems = self._parse(ARTICLE_TABLE)
            index: dict[str, dict[int, set[str]]] | None = None
            if parsed is not None and {"source_id", "para", "words"} <= set(parsed.header):
                index = {}
                h = parsed.header
                for r in parsed.rows:
                    if len(r) != len(h):
                        continue
                    rec = dict(zip(h, r))
                    try:
                        n = int(rec["para"])
                    except ValueError:
                        continue
                    index.setdefault(rec["source_id"].strip(), {})[n] = set(rec["words"].split())
            self._articles = index
        self._consult(ARTICLE_TABLE)
        return self._articles

    def lookup(self, table: str, column: str) -> set[str] | None:
        if (table, column) not in self._keys:
            parsed, problems = self._parse(table)
            if parsed is None or column not in parsed.header:
                self._keys[(table, column)] = None
            else:
                j = parsed.header.index(column)
                self._keys[(table, column)] = {r[j].strip() for r in parsed.rows if len(r) > j}
        self._consult(table)
        return self._keys[(table, column)]

    def check(
        self, name: str, spec: schemas.TableSpec, foreign: bool = True, raw: bytes | None = None
    ) -> tuple[pd.DataFrame | None, list[Problem]]:
        self.consulted = {}
        parsed, problems = parse(name, raw=raw)
        if parsed is None:
            return None, problems
        file = parsed.file
        header = _header_problems(parsed, spec)
        if header:
            return None, problems + header
        if not parsed.rows and not spec.allow_empty:
            return None, problems + [Problem(file, None, None, "no data rows (the file has only a header)")]
        frame, lines, raw = _frame(parsed, spec, problems)
        frame = frame[spec.columns]
        index_of = {line: i for i, line in enumerate(lines)}
        skip = {(index_of[p.row], p.column) for p in problems if p.row in index_of}
        problems += _schema_problems(frame, lines, raw, spec, file, skip)
        problems += _key_problems(raw, lines, spec, file)
        if foreign:
            problems += _fk_problems(raw, lines, spec, file, self.lookup)
            index = self.articles() if name != ARTICLE_TABLE else None
            if index:
                problems += _article_problems(raw, lines, file, index)
        problems.sort(key=lambda p: (p.row or 0, spec.columns.index(p.column) if p.column in spec.columns else -1))
        return frame, problems


# --------------------------------------------------------------------------- public API


def read_table(name: str, validate: bool = True, raw: bytes | None = None) -> pd.DataFrame:
    """``data/<name>.csv`` (or its bytes ``raw``) with typed columns; a bad table raises
    :class:`DataError`.

    With ``validate=False`` only the reading and type conversion must succeed (no range,
    key or foreign-key checks).
    """
    return checked_table(name, validate, raw)[0]


def checked_table(
    name: str, validate: bool = True, raw: bytes | None = None
) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """:func:`read_table`, and the other tables its check looked into (foreign keys, article
    paragraphs), each with the sha256 of what was read (None: the file did not exist): the
    frame is the same as long as they are."""
    try:
        spec = schemas.get(name)
    except KeyError:
        raise DataError(
            f"{_rel(name)}: no schema for this table (add src/partnerships/data/schemas/{name}.py)"
        ) from None
    checker = _Checker()
    if validate:
        frame, problems = checker.check(name, spec, raw=raw)
    else:
        parsed, problems = parse(name, raw=raw)
        frame = None
        if parsed is not None:
            problems += _header_problems(parsed, spec)
            if not problems:
                frame, _, _ = _frame(parsed, spec, problems)
                frame = frame[spec.columns]
    if problems or frame is None:
        raise DataError(_message(problems), problems)
    return frame.reset_index(drop=True), dict(checker.consulted)


def _file_sha256(table: str) -> str | None:
    path = paths.data_dir() / f"{table}.csv"
    try:
        return sha256_file(path) if path.is_file() else None
    except OSError:
        return None


def _message(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems[:MAX_IN_MESSAGE]]
    if len(problems) > MAX_IN_MESSAGE:
        lines.append(f"... and {len(problems) - MAX_IN_MESSAGE} more problems (run `partnerships validate`)")
    return "\n".join(lines)


@dataclass
class Report:
    problems: list[Problem]
    tables: int
    rows: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"{self.tables} tables, {self.rows} rows: OK"
        return f"{len(self.problems)} problems in {len({p.file for p in self.problems})} files"


def _signature(name: str, spec_path: Path | None, targets: list[str]) -> str:
    """The content of everything a table's check reads: the table, the tables its keys point
    to, its schema module, the shared helpers, this module and the CSV reader."""
    h = hashlib.sha256()
    files = [paths.data_dir() / f"{name}.csv"] + [paths.data_dir() / f"{t}.csv" for t in sorted(set(targets))]
    files += [spec_path] if spec_path else []
    files += [Path(__file__), schemas.PACKAGE_DIR / "_helpers.py", Path(files_module.__file__)]
    files += [Path(__file__).parent / "importers" / "articles.py"]  # its words() checks quotes
    for f in files:
        try:
            h.update(f"{paths.relative(f)}:{sha256_file(f)};".encode())
        except OSError:
            h.update(f"{paths.relative(f)}:missing;".encode())
    return h.hexdigest()


def _cache_path() -> Path:
    return paths.build_dir() / "validate-cache.json"


def _load_cache() -> dict:
    try:
        return json.loads(_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_cache(cache: dict) -> None:
    try:
        _cache_path().parent.mkdir(parents=True, exist_ok=True)
        _cache_path().write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still validates, just not faster


def check_all(use_cache: bool = True) -> Report:
    """Validate every table that has a schema or a file in data/; unchanged clean tables are skipped."""
    names = schemas.names()
    files = sorted(p.stem for p in data_files("*.csv"))
    problems: list[Problem] = []
    for path in data_files("geo/*.geojson"):
        problems += geojson_problems(path)
    for stem in files:
        if stem not in names:
            problems.append(
                Problem(
                    _rel(stem), None, None, f"no schema for this table (add src/partnerships/data/schemas/{stem}.py)"
                )
            )
    cache = _load_cache() if use_cache else {}
    new_cache: dict = {}
    rows = 0
    checker = _Checker()
    for name in names:
        module = schemas.module_path(name)
        cached = cache.get(name)
        if cached:
            # the cached signature lists which tables this one references
            sig = _signature(name, module, cached.get("targets", []))
            if cached.get("sig") == sig:
                new_cache[name] = cached
                rows += int(cached.get("rows", 0))
                continue
        try:
            spec = schemas.get(name)
        except Exception as exc:  # a broken schema module is a user-facing problem too
            problems.append(
                Problem(f"src/partnerships/data/schemas/{name}.py", None, None, f"cannot load the schema: {exc}")
            )
            continue
        targets = [t for t, _ in list(spec.foreign_keys.values()) + list(spec.multi_foreign_keys.values())]
        if name != ARTICLE_TABLE:
            targets.append(ARTICLE_TABLE)  # article locators and quotes are checked against it
        before = _signature(name, module, targets)
        raw = _read_bytes(name)
        frame, found = checker.check(name, spec, raw=raw)
        problems += found
        if not found and frame is not None and raw is not None:  # data.load in this process (and in the
            # kernels the build forks from it) takes this frame while the files it was checked against are unchanged
            key = (str(paths.data_dir() / f"{name}.csv"), hashlib.sha256(raw).hexdigest(), True)
            for old in [k for k in CHECKED if k[0] == key[0]]:  # one version per table (the preview builds often)
                del CHECKED[old]
            CHECKED[key] = (frame.reset_index(drop=True), dict(checker.consulted))
        if frame is not None:
            rows += len(frame)
        if not found and frame is not None and _signature(name, module, targets) == before:  # not saved meanwhile
            new_cache[name] = {"sig": before, "rows": len(frame), "targets": sorted(set(targets))}
    if use_cache:
        _save_cache(new_cache)
    problems.sort(key=lambda p: (p.file, p.row or 0))
    return Report(problems, len(names), rows)


#: Tables :func:`check_all` found clean in this process: (path, sha256, True) -> (frame, the
#: tables its check read: name -> sha256). ``data.load`` takes a frame from here while those
#: tables are unchanged; the build validates every table before it forks the chapters'
#: kernels, which then read the tables without checking them again.
CHECKED: dict[tuple[str, str, bool], tuple[pd.DataFrame, dict[str, str | None]]] = {}


def _read_bytes(name: str) -> bytes | None:
    path = paths.data_dir() / f"{name}.csv"
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def data_files(pattern: str) -> list[Path]:
    """Files in data/ matching ``pattern``, leaving out what systems and editors leave
    beside them (:func:`partnerships.files.is_junk`; the rule is in data/README.md)."""
    folder = paths.data_dir()
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not is_junk(p.name)) if folder.is_dir() else []


def geojson_problems(path: Path) -> list[Problem]:
    """A GeoJSON file in data/: valid JSON, a FeatureCollection of polygons with ``iso3`` and
    ``name`` properties."""
    rel = paths.relative(path)
    fix = "rebuild it with `partnerships data import world_atlas FILE` (or restore it from git)"
    try:
        doc = json.loads(path.read_bytes())
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        return [
            Problem(
                rel,
                line,
                None,
                f"not valid JSON ({getattr(exc, 'msg', exc)}, column {getattr(exc, 'colno', '?')}); {fix}",
            )
        ]
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        return [Problem(rel, None, None, f"not a GeoJSON FeatureCollection with a list of features; {fix}")]
    for i, feat in enumerate(features, start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(geom, dict) or not isinstance(props, dict) or not {"iso3", "name"} <= set(props):
            return [Problem(rel, None, None, f"feature {i} lacks a geometry or the properties iso3 and name; {fix}")]
    return []


def validate_all(use_cache: bool = True) -> list[Problem]:
    """Every problem in every table (an empty list means the data are clean)."""
    return check_all(use_cache=use_cache).problems


def build_problems() -> list:
    """What the build checks before any kernel starts: every table, when data/ exists
    (a report without a data/ folder has nothing to validate)."""
    return validate_all() if paths.data_dir().is_dir() else []
