"""Column builders shared by the table schemas (pandera), so each schema reads like a data dictionary.

Every builder returns a ``pandera.Column`` whose checks carry a plain-English ``error``
text: that text is what a user sees after ``data/<file>.csv:<row>: <column>:``.

Types (the dtype map ``dtypes(SCHEMA)`` gives the reader):

=========  ===================  ====================================================
builder    pandas dtype          cell text accepted
=========  ===================  ====================================================
text       object (str)          anything (HTML is data: it is escaped when rendered)
integer    Int64 (nullable)      ``-?[0-9]+``; empty = missing
number     Float64 (nullable)    a decimal number (``1.5``, ``-2``, ``1e3``); empty = missing
boolean    boolean (nullable)    ``true`` / ``false`` (any case); empty = missing
year       Int64                 an integer in 1900-2100
=========  ===================  ====================================================
"""

from __future__ import annotations

import pandera.pandas as pa

YEAR_MIN, YEAR_MAX = 1900, 2100

# ISO date, year-month or year: "2024-09-03", "2024-09", "2024"
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
SOURCE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SHA256_LIST_PATTERN = r"^([0-9a-f]{64}(;[0-9a-f]{64})*)?$"

_DTYPE_NAMES = {"Int64": "int", "Float64": "float", "boolean": "bool", "str": "str", "string": "str", "object": "str"}


def text(
    required: bool = False,
    isin: list[str] | None = None,
    pattern: str | None = None,
    pattern_error: str | None = None,
    max_length: int | None = None,
) -> pa.Column:
    """A text column. ``required``: must not be empty; ``isin``: allowed values (empty allowed unless required)."""
    checks = []
    if required or isin is not None or pattern is not None:
        # ids, names and categories: "Russia " would pass a glance but not a join
        checks.append(
            pa.Check(lambda s: s == s.str.strip(), element_wise=False, error="has leading or trailing spaces")
        )
    if required:
        checks.append(
            pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False, error="is empty (a value is required)")
        )
    if isin is not None:
        allowed = list(isin) if required else list(isin) + [""]
        checks.append(pa.Check.isin(allowed, error=f"not one of the allowed values: {', '.join(isin)}"))
    if pattern is not None:
        rx = pattern if required else f"(?:{pattern})|^$"
        checks.append(pa.Check.str_matches(rx, error=pattern_error or f"does not match the pattern {pattern}"))
    if max_length is not None:
        checks.append(pa.Check.str_length(max_value=max_length, error=f"longer than {max_length} characters"))
    # object dtype: cells stay Python str exactly as written (pandas 3 would otherwise pick its
    # own string dtype, which pandera maps differently depending on options)
    return pa.Column(object, checks, nullable=False)


def integer(required: bool = False, min_value: int | None = None, max_value: int | None = None) -> pa.Column:
    return pa.Column("Int64", _range_checks(min_value, max_value, "integer"), nullable=not required)


def number(required: bool = False, min_value: float | None = None, max_value: float | None = None) -> pa.Column:
    return pa.Column("Float64", _range_checks(min_value, max_value, "number"), nullable=not required)


def count(required: bool = False) -> pa.Column:
    """A non-negative whole number (people, items, agreements)."""
    return integer(required=required, min_value=0)


def year(required: bool = True) -> pa.Column:
    return integer(required=required, min_value=YEAR_MIN, max_value=YEAR_MAX)


def boolean(required: bool = True) -> pa.Column:
    return pa.Column("boolean", nullable=not required)


def date(required: bool = True) -> pa.Column:
    """ISO date with the precision the source gives: YYYY-MM-DD, YYYY-MM or YYYY."""
    return text(required=required, pattern=DATE_PATTERN, pattern_error="not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")


def source_id(required: bool = True) -> pa.Column:
    return text(
        required=required,
        pattern=SOURCE_ID_PATTERN,
        pattern_error="not a source id (lower case letters, digits, underscores)",
    )


def source_ids(required: bool = False) -> pa.Column:
    """Several source ids separated by ';' (each must exist in sources.csv)."""
    return text(
        required=required,
        pattern=r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$",
        pattern_error="not a ';'-separated list of source ids",
    )


def locator() -> pa.Column:
    return text(required=True)


def _range_checks(lo, hi, kind: str) -> list[pa.Check]:
    checks = []
    if lo is not None and hi is not None:
        checks.append(pa.Check.in_range(lo, hi, error=f"outside the range {lo}-{hi}"))
    elif lo is not None:
        checks.append(pa.Check.ge(lo, error="negative (must be 0 or more)" if lo == 0 else f"less than {lo}"))
    elif hi is not None:
        checks.append(pa.Check.le(hi, error=f"more than {hi}"))
    return checks


def schema(
    columns: dict[str, pa.Column], name: str | None = None, checks: list[pa.Check] | None = None
) -> pa.DataFrameSchema:
    """A table schema: exactly these columns (no unknown ones), in any order.

    ``checks``: row checks across columns (see :func:`row_check`).
    """
    return pa.DataFrameSchema(columns, checks=checks or [], strict=True, ordered=False, coerce=False, name=name)


# row-check error text -> the columns it reads (so a problem names those, not the whole row)
ROW_CHECK_COLUMNS: dict[str, list[str]] = {}


def row_check(columns: list[str], fn, error: str) -> pa.Check:
    """A check across ``columns``: ``fn(frame)`` returns one bool per row (True = fine; rows
    with a missing value should return True). A problem names those columns and values."""
    ROW_CHECK_COLUMNS[error] = list(columns)
    return pa.Check(fn, error=error)


def not_after(first: str, second: str) -> pa.Check:
    """``first`` <= ``second`` where both are given (e.g. start_year and end_year)."""
    return row_check(
        [first, second],
        lambda df: (df[first].isna() | df[second].isna() | (df[first] <= df[second])).fillna(True),
        error=f"{first} is after {second}",
    )


def dtypes(s: pa.DataFrameSchema) -> dict[str, str]:
    """Column -> 'str' | 'int' | 'float' | 'bool': how the reader converts each cell."""
    out = {}
    for name, col in s.columns.items():
        key = str(col.dtype)
        out[name] = _DTYPE_NAMES.get(key, "str")
    return out
