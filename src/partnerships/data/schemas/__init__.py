"""The table schemas: one module per curated table, found automatically.

Convention (to add a table ``data/<name>.csv``, add ``schemas/<name>.py``)::

    \"\"\"<name>: what one row means (one line), then anything a reader needs.\"\"\"
    from partnerships.data.schemas._helpers import schema, dtypes, text, integer, number, count, year, boolean, date, source_id, locator

    SCHEMA = schema({                       # every column, nothing else (unknown columns are errors)
        "partner": text(required=True),
        "year": year(),                      # integer 1900-2100
        "students": count(),                 # integer >= 0, empty = missing
        "kind": text(required=True, isin=["a", "b"]),
        "source_id": source_id(),
        "locator": locator(),
    })
    DTYPES = dtypes(SCHEMA)                  # column -> str | int | float | bool (how cells are read)
    KEY = ["partner", "year"]                # columns that together are unique ([] = no key)
    FOREIGN_KEYS = {                         # column -> (table, column) it must exist in
        "source_id": ("sources", "source_id"),
        "partner": ("partners", "partner"),
    }

Checks across columns go in ``schema({...}, checks=[...])``: ``not_after("start_year",
"end_year")`` or ``row_check(["date", "year"], lambda df: ..., "year does not match the date")``
(the problem then names those columns: ``data/events.csv:7: date+year: ...``).

Optional module attributes: ``MULTI_FOREIGN_KEYS`` (same shape as FOREIGN_KEYS, for
columns holding several ids separated by ``;``), ``ALLOW_EMPTY`` (True if a header-only
file is valid; default False). The module name is the table name; files whose name starts
with ``_`` are helpers, not tables. Build columns with ``_helpers`` so that error messages
stay plain; any ``pandera`` check works too (its ``error=`` text is shown to the user).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: object  # pandera DataFrameSchema
    dtypes: dict[str, str]
    key: list[str]
    foreign_keys: dict[str, tuple[str, str]]
    multi_foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    allow_empty: bool = False
    module_path: Path | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)


def names() -> list[str]:
    """Names of all tables that have a schema module (no pandera import needed)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE_DIR)]) if not m.name.startswith("_"))


def module_path(name: str) -> Path:
    return PACKAGE_DIR / f"{name}.py"


def _spec_from(module: ModuleType, name: str) -> TableSpec:
    from partnerships.data.schemas._helpers import dtypes

    schema = module.SCHEMA
    return TableSpec(
        name=name,
        schema=schema,
        dtypes=dict(getattr(module, "DTYPES", None) or dtypes(schema)),
        key=list(getattr(module, "KEY", [])),
        foreign_keys=dict(getattr(module, "FOREIGN_KEYS", {})),
        multi_foreign_keys=dict(getattr(module, "MULTI_FOREIGN_KEYS", {})),
        allow_empty=bool(getattr(module, "ALLOW_EMPTY", False)),
        module_path=Path(module.__file__) if getattr(module, "__file__", None) else None,
    )


def get(name: str) -> TableSpec:
    """The spec for table ``name``; KeyError if there is no ``schemas/<name>.py``."""
    if name not in names():
        raise KeyError(name)
    module = importlib.import_module(f"{__name__}.{name}")
    return _spec_from(module, name)


def all_specs() -> dict[str, TableSpec]:
    return {n: get(n) for n in names()}
