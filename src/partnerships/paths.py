"""Every path the project uses, anchored at the repository root (never relative to the cwd).

The root is the folder holding ``pyproject.toml`` and ``report.yml``.  It can be moved
with the ``PARTNERSHIPS_ROOT`` environment variable (the tests build small fixture
reports in temporary folders that way).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    """The project root: ``$PARTNERSHIPS_ROOT`` if set, else the checkout holding this package."""
    env = os.environ.get("PARTNERSHIPS_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE.parents[1]


def data_dir() -> Path:
    """Curated tables (``data/*.csv``) and ``data/sources.csv``."""
    return root() / "data"


def notebooks_dir() -> Path:
    return root() / "notebooks"


def report_dir() -> Path:
    """Finished report files (git-ignored); only complete builds are moved in."""
    return root() / "report"


def build_dir() -> Path:
    """Work folder (git-ignored): executed notebooks, cache, failed runs, screenshots."""
    return root() / "build"


def manifest() -> Path:
    return root() / "report.yml"


def templates_dir() -> Path:
    return PACKAGE / "templates"


def fonts_dir() -> Path:
    return PACKAGE / "fonts"


def relative(path: os.PathLike | str) -> str:
    """A path as shown to users and written into outputs: relative to the root when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(root()).as_posix()
    except ValueError:
        return p.name
