"""A notebook's parameters (its cell tagged ``parameters``) and the check of the values a
chapter sets, before any kernel starts.

The cell is read with :mod:`ast` (no Jupyter import, so a no-op build stays fast). Each
line declares one parameter, typed and commented::

    partner: str = "Russia"  # partner country; choices: partners.partner
    start_year: int = 1990  # first year shown; range: 1900..2100

``choices: TABLE.COLUMN`` takes the valid values from ``data/TABLE.csv``;
``choices: A|B|C`` lists them inline; ``range: LO..HI`` bounds a number.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from partnerships import paths
from partnerships.errors import UserError
from partnerships.files import boolean, read_csv

TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object
    help: str
    choices_spec: str | None = None
    range: tuple[float, float] | None = None


def notebook_parameters(nb_path: Path) -> dict[str, Param]:
    """The parameters declared in the notebook's cell tagged ``parameters``."""
    shown = paths.relative(nb_path)
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{shown}: cannot read notebook: {exc}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        version = nb.get("nbformat") if isinstance(nb, dict) else None
        raise UserError(
            f"{shown}: not a notebook in Jupyter's current format (nbformat {version or 'unknown'}, expected 4); "
            "open it in JupyterLab and save it, then build again"
        )
    found = [
        (i, c) for i, c in enumerate(nb["cells"], start=1) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if not found:
        return {}
    number, cell = found[0]
    src = cell.get("source", "")
    src = "".join(src) if isinstance(src, list) else src
    where = f"{shown}: cell {number} (tagged 'parameters')"
    magic = next((i for i, line in enumerate(src.splitlines(), start=1) if line.lstrip().startswith(("%", "!"))), None)
    if magic:
        raise UserError(
            f"{where}, line {magic}: {src.splitlines()[magic - 1].strip()!r} is not a parameter; "
            "the parameters cell holds only `name: type = value  # comment` lines: move it to another cell"
        )
    try:
        tree = ast.parse(src)
        comments = {
            tok.start[0]: tok.string.lstrip("#").strip()
            for tok in tokenize.generate_tokens(io.StringIO(src).readline)
            if tok.type == tokenize.COMMENT
        }
    except (SyntaxError, tokenize.TokenError) as exc:
        line = getattr(exc, "lineno", None) or (exc.args[1][0] if len(exc.args) > 1 else "?")
        msg = getattr(exc, "msg", None) or exc.args[0]
        raise UserError(f"{where}, line {line}: not valid Python ({msg}); fix the cell, then build again") from None
    params: dict[str, Param] = {}
    for node in tree.body:
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
        # the comment on the statement's line (or on any of its lines, if a formatter wrapped it)
        help_text = next(
            (comments[n] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1) if n in comments), ""
        )
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


def read_column(table: str, column: str, where: str | None = None) -> list[str]:
    """The values of ``data/TABLE.csv`` column ``column`` (rows whose ``where`` cell is true)."""
    path = paths.data_dir() / f"{table}.csv"
    shown = paths.relative(path)
    data, problems = read_csv(path)
    if data is None:
        p = problems[0]
        raise UserError(
            f"{shown}{f':{p.line}' if p.line else ''}: {p.message} (needed for the valid values of {table}.{column})"
        )
    for name in (column, where):
        if name is not None and name not in data.header:
            need = "named by where:" if name == where and name != column else f"needed for {table}.{column}"
            raise UserError(f"{shown}: no column {name!r} ({need}); columns: {', '.join(data.header)}")
    return [r[column] for r in data.records() if where is None or boolean(r[where])]


def valid_choices(param: Param) -> list[str] | None:
    spec = param.choices_spec
    if not spec:
        return None
    if "|" in spec or "." not in spec:
        return [c.strip() for c in spec.split("|")]
    table, column = spec.split(".", 1)
    return sorted(set(read_column(table.strip(), column.strip())))


def _type_ok(value, typ: str) -> bool:
    if typ == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    expected = TYPES.get(typ)
    return expected is None or isinstance(value, expected)


def check_parameters(where: str, values: dict, declared: dict[str, Param]) -> None:
    """Every value a chapter sets is declared, typed, among the choices and in range."""
    for name, value in values.items():
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
            raise UserError(
                f"{where}: parameter {name!r} has unknown value {value!r}; valid values: {', '.join(choices)}"
            )
        if p.range is not None and not (p.range[0] <= value <= p.range[1]):
            lo, hi = (int(x) if float(x).is_integer() else x for x in p.range)
            raise UserError(f"{where}: parameter {name!r} = {value!r} is out of range; valid: {lo} to {hi}")
    merged = {k: p.default for k, p in declared.items()} | values
    for a, b in (("start_year", "end_year"), ("start", "end")):
        if a in merged and b in merged and isinstance(merged[a], int) and isinstance(merged[b], int):
            if merged[a] > merged[b]:
                raise UserError(
                    f"{where}: parameter {a!r} = {merged[a]} is after {b!r} = {merged[b]}; {a} must be <= {b}"
                )
