"""The report manifest (``report.yml``): a typed model, read and checked before any kernel starts.

A mistake gives one message naming the line and the key (``report.yml:12: chapter 3:
timeout: ...``): a key written twice, an unknown key, a missing notebook, parameters
written as a list, an edition date that does not exist, a timeout that is not a whole
number of seconds above zero, a chapter id that is not slug-safe, a file not saved as
UTF-8. Then every chapter's parameters are checked against its notebook
(:mod:`.params`). A chapter may be expanded over a list or a data column::

    - notebook: notebooks/02-partner-profile.ipynb
      foreach:
        partner: {table: partners, column: partner, where: profile}   # or a YAML list
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from partnerships import paths
from partnerships.engine.params import Param, check_parameters, notebook_parameters, read_column  # noqa: F401
from partnerships.errors import RenderError, UserError

EXPECTED = {  # what a key must hold, as said to the user
    "name": "must be a plain file name (letters, digits, . _ -)",
    "title": "must be text",
    "subtitle": "must be text",
    "author": "must be text",
    "edition": "must be a date written as YYYY-MM-DD",
    "timeout": "must be a whole number of seconds greater than 0 (e.g. 600)",
    "chapters": "must be a non-empty list of chapters",
    "notebook": "must name a notebook file, e.g. notebooks/05-exercises.ipynb",
    "parameters": "must be a mapping of parameter names to values (name: value)",
    "foreach": "must map ONE parameter name to a list or to {table: T, column: C, where: FLAG}",
    "id": "must be slug-safe: lowercase letters, digits and single or double hyphens (e.g. 05-exercises)",
    "annex": "must be true or false",
    "producer": "must be text",
    "citation": "must be text",
    "changes_after": "must be a chapter id",
    "data_as_of": "must be a date written as YYYY-MM-DD, YYYY-MM or YYYY",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ForeachTable(_Strict):
    table: str
    column: str
    where: str | None = None


class ChapterEntry(_Strict):
    notebook: str = Field(min_length=1)
    parameters: dict[str, Any] | None = None
    foreach: dict[str, list | ForeachTable] | None = None
    id: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")
    timeout: int | None = Field(default=None, gt=0)
    annex: bool = False  # an annex (lettered A, B, ... after the numbered chapters)

    @field_validator("foreach", mode="before")
    @classmethod
    def _one(cls, value):
        if value is not None and (not isinstance(value, dict) or len(value) != 1):
            raise ValueError(EXPECTED["foreach"])
        return value


class ManifestModel(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str
    subtitle: str | None = None
    edition: str
    author: str | None = None
    producer: str | None = None
    data_as_of: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    citation: str | None = None
    changes_after: str | None = None
    timeout: int = Field(default=600, gt=0)
    chapters: list[ChapterEntry] = Field(min_length=1)

    @field_validator("data_as_of", mode="before")
    @classmethod
    def _partial_date(cls, value):
        if value is None:
            return None
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text or "")
        try:
            dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except (AttributeError, ValueError):
            raise ValueError(f"{EXPECTED['data_as_of']}, got {value!r}") from None
        return text

    @field_validator("edition")
    @classmethod
    def _date(cls, value: str) -> str:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"must be a date written as YYYY-MM-DD, got {value!r}")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the calendar (written YYYY-MM-DD)") from None
        return value


@dataclass
class Chapter:
    id: str
    notebook: Path  # relative to the root
    parameters: dict = field(default_factory=dict)
    timeout: int = 600
    index: int = 0  # position in the manifest (1-based, before expansion)
    annex: bool = False  # an annex (lettered A, B, ... after the numbered chapters)
    line: int = 0  # line of its entry in the manifest

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


def load(path: Path | None = None) -> Manifest:
    """Read and check the manifest and every chapter's parameters. Raises UserError."""
    from partnerships.engine.yamlfile import read_yaml

    path = Path(path) if path else paths.manifest()
    shown = paths.relative(path)
    if not path.exists():
        raise UserError(f"{shown}: manifest not found")
    raw = read_yaml(path, shown)
    if not isinstance(raw, dict):
        raise UserError(f"{shown}: expected a mapping with name, title, edition, chapters")
    if isinstance(raw.get("chapters"), list):  # `- notebooks/x.ipynb` is short for `- notebook: notebooks/x.ipynb`
        for i, entry in enumerate(raw["chapters"]):
            if isinstance(entry, str):
                raw["chapters"][i] = type(raw)({"notebook": entry}, lines={"notebook": raw["chapters"].lines[i]})
    try:
        model = ManifestModel.model_validate(raw)
    except ValidationError as exc:
        raise UserError(_explain(exc.errors()[0], raw, shown)) from None
    meta = {
        k: getattr(model, k) or ""
        for k in (
            "name",
            "title",
            "subtitle",
            "edition",
            "author",
            "producer",
            "citation",
            "changes_after",
            "data_as_of",
        )
    }
    chapters: list[Chapter] = []
    seen: set[str] = set()
    for i, entry in enumerate(model.chapters, start=1):
        line = raw["chapters"].lines[i - 1]
        where = f"{shown}:{line}: chapter {i}"
        nb = Path(entry.notebook)
        nb_path = paths.root() / nb
        if nb.is_absolute() or not nb_path.is_file():
            have = sorted(p.relative_to(paths.root()).as_posix() for p in paths.notebooks_dir().glob("*.ipynb"))
            raise UserError(f"{where}: notebook {nb.as_posix()!r} not found; notebooks: {', '.join(have) or 'none'}")
        declared = notebook_parameters(nb_path)
        for params in _expand(entry, f"{where}: foreach"):
            base = entry.id or nb.stem
            cid = f"{base}--{slug(params[next(iter(entry.foreach))])}" if entry.foreach else base
            if cid in seen:
                raise UserError(f"{where}: duplicate chapter id {cid!r} (give the chapter an 'id')")
            seen.add(cid)
            _check_id(cid, where, given=entry.id is not None and not entry.foreach)
            if chapters and chapters[-1].annex and not entry.annex:
                raise UserError(f"{where}: a numbered chapter cannot follow an annex (annexes come last)")
            ch = Chapter(cid, nb, params, entry.timeout or model.timeout, i, entry.annex, line)
            check_parameters(f"{shown}:{line}: chapter {cid!r} ({nb.as_posix()})", ch.parameters, declared)
            chapters.append(ch)
    return Manifest(meta, chapters, path)


def _expand(entry: ChapterEntry, where: str) -> list[dict]:
    base = dict(entry.parameters or {})
    if not entry.foreach:
        return [base]
    ((name, spec),) = entry.foreach.items()
    try:
        values = spec if isinstance(spec, list) else read_column(spec.table, spec.column, spec.where)
    except UserError as exc:
        raise UserError(f"{where}: {name}: {exc}") from None
    if not values:
        how = (
            "an empty list"
            if isinstance(spec, list)
            else f"no row of data/{spec.table}.csv" + (f" with {spec.where} = true" if spec.where else "")
        )
        raise UserError(f"{where}: {name} expands to no value ({how})")
    return [base | {name: v} for v in values]


def _check_id(cid: str, where: str, given: bool) -> None:
    from partnerships.engine.page import check_chapters

    try:
        check_chapters([{"id": cid}])
    except RenderError as exc:
        hint = (
            "choose another 'id'"
            if given
            else "give the chapter an 'id'" + (f" such as {slug(cid)!r}" if slug(cid) != cid else "")
        )
        raise UserError(f"{where}: {exc}; {hint}") from None


def _explain(err: dict, raw, shown: str) -> str:
    """One pydantic error -> 'report.yml:LINE: [chapter N: ]key: what is wrong'."""
    loc = [p for p in err["loc"] if p not in ("list[any]", "ForeachTable")]
    keys = [str(p) for p in loc if isinstance(p, str) and p != "[key]"]
    line, node = getattr(raw, "line", 1), raw
    for part in loc:  # the deepest node of the path that exists, and its line
        lines = getattr(node, "lines", None)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if lines is not None:
            line = lines.get(part, line) if isinstance(lines, dict) else lines[part]
    key = keys[-1] if keys else "chapters"
    chapter = f"chapter {loc[1] + 1}: " if len(loc) > 1 and loc[0] == "chapters" and isinstance(loc[1], int) else ""
    path = ".".join(keys[1:] if chapter else keys) or key
    kind = err["type"]
    got = err.get("input")
    got = "nothing" if got is None else repr(got)
    if kind == "missing":
        what = f"key {path!r} is missing"
    elif kind == "extra_forbidden":
        valid = ChapterEntry.model_fields if chapter and len(keys) == 2 else ManifestModel.model_fields
        what = f"unknown key {key!r}; valid: {', '.join(valid)}"
    elif chapter and len(loc) == 2:
        what = f"a chapter is a notebook path or a mapping with {', '.join(ChapterEntry.model_fields)}; got {got}"
    elif "[key]" in loc:
        what = f"{keys[1]}: names must be text, got {loc[-2]!r}"
    elif chapter and keys[1:2] == ["foreach"]:
        what = f"foreach: {EXPECTED['foreach']}, got {node!r}"
    elif kind == "value_error":
        what = f"{path}: {err['msg'].removeprefix('Value error, ')}"
    else:
        what = f"{path}: {EXPECTED.get(key, err['msg'])}, got {got}"
    return f"{shown}:{line}: {chapter}{what}"
