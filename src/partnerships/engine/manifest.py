"""The report manifest (``report.yml``) and the chapter parameters it sets.

Everything here is checked BEFORE any kernel starts: the manifest's shape, that each
notebook exists, that every parameter a chapter sets is declared in the notebook's
tagged ``parameters`` cell with a compatible type, and that values drawn from the data
(e.g. a partner) exist. A mistake raises :class:`UserError` with one message naming the
chapter, the parameter, the bad value and the valid ones.

The parameters cell is read with :mod:`ast` (no Jupyter import, so a no-op build stays
fast). Each line declares one parameter, typed and commented::

    partner: str = "Russia"  # partner country; choices: partners.partner
    start_year: int = 1990  # first year shown; range: 1900..2100

``choices: TABLE.COLUMN`` takes the valid values from ``data/TABLE.csv``;
``choices: A|B|C`` lists them inline; ``range: LO..HI`` bounds a number.
A chapter may be expanded over a list::

    - notebook: notebooks/02-partner-profile.ipynb
      foreach:
        partner: {table: partners, column: partner, where: profile}   # or a YAML list
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from partnerships import paths
from partnerships.errors import UserError  # noqa: F401  (re-exported)

REQUIRED_META = ("name", "title", "edition", "chapters")
OPTIONAL_META = ("subtitle", "author", "timeout", "producer", "data_as_of", "citation", "changes_after")
CHAPTER_KEYS = {"notebook", "parameters", "foreach", "id", "timeout", "annex"}
TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}




@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object
    help: str
    choices_spec: str | None = None
    range: tuple[float, float] | None = None


@dataclass
class Chapter:
    id: str
    notebook: Path  # relative to the root
    parameters: dict = field(default_factory=dict)
    timeout: int = 600
    index: int = 0  # position in the manifest (1-based, before expansion)
    annex: bool = False  # an annex (lettered A, B, ... after the numbered chapters)

    @property
    def notebook_path(self) -> Path:
        return paths.root() / self.notebook


@dataclass
class Manifest:
    meta: dict
    chapters: list[Chapter]
    path: Path


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return s or "x"


# --------------------------------------------------------------------------- parameters cell
def notebook_parameters(nb_path: Path) -> dict[str, Param]:
    """The parameters declared in the notebook's cell tagged ``parameters``."""
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{paths.relative(nb_path)}: cannot read notebook: {exc}") from None
    cells = [c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    src = cells[0]["source"]
    src = "".join(src) if isinstance(src, list) else src
    comments = {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    params: dict[str, Param] = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, ann = node.target.id, ast.unparse(node.annotation)
            value = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, ann, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        typ = (ann or type(default).__name__).split("[")[0]
        help_text = comments.get(node.lineno, "")
        choices = re.search(r"choices:\s*([^;]+)", help_text)
        rng = re.search(r"range:\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)", help_text)
        params[name] = Param(
            name,
            typ,
            default,
            help_text,
            choices.group(1).strip() if choices else None,
            (float(rng.group(1)), float(rng.group(2))) if rng else None,
        )
    return params


def _read_column(table: str, column: str, where: str | None = None) -> list[str]:
    path = paths.data_dir() / f"{table}.csv"
    if not path.exists():
        raise UserError(f"{paths.relative(path)}: file not found (needed for the valid values of {table}.{column})")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and column not in rows[0]:
        raise UserError(f"{paths.relative(path)}: no column {column!r} (needed for the valid values)")
    truthy = {"true", "1", "yes", "y"}
    return [r[column] for r in rows if where is None or str(r.get(where, "")).strip().lower() in truthy]


def valid_choices(param: Param) -> list[str] | None:
    spec = param.choices_spec
    if not spec:
        return None
    if "|" in spec or "." not in spec:
        return [c.strip() for c in spec.split("|")]
    table, column = spec.split(".", 1)
    return sorted(set(_read_column(table.strip(), column.strip())))


def _type_ok(value, typ: str) -> bool:
    if typ == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    expected = TYPES.get(typ)
    return expected is None or isinstance(value, expected)


def check_parameters(chapter: Chapter, declared: dict[str, Param]) -> None:
    where = f"chapter {chapter.id!r} ({chapter.notebook.as_posix()})"
    for name, value in chapter.parameters.items():
        if name not in declared:
            valid = ", ".join(sorted(declared)) or "none: the notebook has no cell tagged 'parameters'"
            raise UserError(f"{where}: unknown parameter {name!r} = {value!r}; valid parameters: {valid}")
        p = declared[name]
        if not _type_ok(value, p.type):
            raise UserError(
                f"{where}: parameter {name!r} must be {p.type}, got {type(value).__name__} {value!r}"
                + (f" ({p.help})" if p.help else "")
            )
        choices = valid_choices(p)
        if choices is not None and value not in choices:
            raise UserError(f"{where}: parameter {name!r} has unknown value {value!r}; valid values: {', '.join(choices)}")
        if p.range is not None and not (p.range[0] <= value <= p.range[1]):
            lo, hi = (int(x) if float(x).is_integer() else x for x in p.range)
            raise UserError(f"{where}: parameter {name!r} = {value!r} is out of range; valid: {lo} to {hi}")
    merged = {k: p.default for k, p in declared.items()} | chapter.parameters
    for a, b in (("start_year", "end_year"), ("start", "end")):
        if a in merged and b in merged and isinstance(merged[a], int) and isinstance(merged[b], int):
            if merged[a] > merged[b]:
                raise UserError(f"{where}: parameter {a!r} = {merged[a]} is after {b!r} = {merged[b]}; {a} must be <= {b}")


# --------------------------------------------------------------------------- manifest
def _expand(entry: dict, where: str) -> list[dict]:
    foreach = entry.get("foreach")
    if not foreach:
        return [dict(entry.get("parameters") or {})]
    if not isinstance(foreach, dict) or len(foreach) != 1:
        raise UserError(f"{where}: 'foreach' must map ONE parameter name to a list or a table spec")
    (name, spec), = foreach.items()
    if isinstance(spec, list):
        values = spec
    elif isinstance(spec, dict) and {"table", "column"} <= set(spec) and set(spec) <= {"table", "column", "where"}:
        values = _read_column(spec["table"], spec["column"], spec.get("where"))
    else:
        raise UserError(f"{where}: foreach.{name} must be a list or {{table: T, column: C, where: FLAG}}, got {spec!r}")
    if not values:
        raise UserError(f"{where}: foreach.{name} expands to no value")
    return [dict(entry.get("parameters") or {}) | {name: v} for v in values]


def _partial_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    import datetime as dt

    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return False
    try:
        dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def load(path: Path | None = None) -> Manifest:
    """Read and check the manifest and every chapter's parameters. Raises UserError."""
    import yaml

    path = Path(path) if path else paths.manifest()
    shown = paths.relative(path)
    if not path.exists():
        raise UserError(f"{shown}: manifest not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{shown}: malformed YAML{at}: {problem}") from None
    if not isinstance(raw, dict):
        raise UserError(f"{shown}: expected a mapping with {', '.join(REQUIRED_META)}")
    missing = [k for k in REQUIRED_META if k not in raw]
    if missing:
        raise UserError(f"{shown}: missing key(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(REQUIRED_META) - set(OPTIONAL_META))
    if unknown:
        raise UserError(f"{shown}: unknown key(s): {', '.join(unknown)}; valid: {', '.join(REQUIRED_META + OPTIONAL_META)}")
    if not isinstance(raw["chapters"], list) or not raw["chapters"]:
        raise UserError(f"{shown}: 'chapters' must be a non-empty list")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", str(raw["name"])):
        raise UserError(f"{shown}: name {raw['name']!r} must be a plain file name (letters, digits, . _ -)")
    meta = {k: str(raw.get(k) or "") for k in ("name", "title", "subtitle", "edition", "author", "producer", "citation",
                                                "changes_after")}
    meta["data_as_of"] = str(raw.get("data_as_of") or "")
    if meta["data_as_of"] and not _partial_date(meta["data_as_of"]):
        raise UserError(f"{shown}: data_as_of must be a date written as YYYY-MM-DD, YYYY-MM or YYYY, got {raw['data_as_of']!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["edition"]):
        raise UserError(f"{shown}: edition must be a date written as YYYY-MM-DD, got {raw['edition']!r}")
    default_timeout = raw.get("timeout", 600)
    chapters: list[Chapter] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["chapters"], start=1):
        where = f"{shown}: chapter {i}"
        if isinstance(entry, str):
            entry = {"notebook": entry}
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise UserError(f"{where}: each chapter needs a 'notebook'")
        bad = sorted(set(entry) - CHAPTER_KEYS)
        if bad:
            raise UserError(f"{where}: unknown key(s) {', '.join(bad)}; valid: {', '.join(sorted(CHAPTER_KEYS))}")
        nb = Path(entry["notebook"])
        nb_path = paths.root() / nb
        if nb.is_absolute() or not nb_path.is_file():
            have = sorted(p.relative_to(paths.root()).as_posix() for p in paths.notebooks_dir().glob("*.ipynb"))
            raise UserError(f"{where}: notebook {nb.as_posix()!r} not found; notebooks: {', '.join(have) or 'none'}")
        declared = notebook_parameters(nb_path)
        base = entry.get("id") or nb.stem
        timeout = entry.get("timeout", default_timeout)
        for params in _expand(entry, where):
            if entry.get("foreach"):
                (fname,) = entry["foreach"].keys()
                cid = f"{base}--{slug(params[fname])}"
            else:
                cid = base
            if cid in seen:
                raise UserError(f"{where}: duplicate chapter id {cid!r} (give the chapter an 'id')")
            seen.add(cid)
            annex = entry.get("annex", False)
            if not isinstance(annex, bool):
                raise UserError(f"{where}: annex must be true or false, got {annex!r}")
            if chapters and chapters[-1].annex and not annex:
                raise UserError(f"{where}: a numbered chapter cannot follow an annex (annexes come last)")
            ch = Chapter(cid, nb, params, int(timeout), i, annex)
            check_parameters(ch, declared)
            chapters.append(ch)
    return Manifest(meta, chapters, path)
