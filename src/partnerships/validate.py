"""Placeholder: the validation layer (issue 3) replaces this module."""
from __future__ import annotations

import pandas as pd

from . import paths


class DataError(ValueError):
    """A problem in a curated table: the message names file, row and column."""


def read_table(name: str, validate: bool = True) -> pd.DataFrame:
    return pd.read_csv(paths.data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)
