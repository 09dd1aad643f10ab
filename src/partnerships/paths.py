"""Every path the project uses, anchored at the repository root (never relative to the cwd).

The root is ``$PARTNERSHIPS_ROOT`` when set (the tests build small fixture reports in
temporary folders that way); else the nearest folder holding ``report.yml`` from the current
directory up (so a command builds the project it is run in, whichever .venv runs it); else
the checkout holding this package.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    """The project root: ``$PARTNERSHIPS_ROOT`` if set, else the nearest folder with a
    ``report.yml`` from the current directory up, else the checkout holding this package."""
    env = os.environ.get("PARTNERSHIPS_ROOT")
    if env:
        return Path(env).resolve()
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was deleted
        return PACKAGE.parents[1]
    for folder in (here, *here.parents):
        if (folder / "report.yml").is_file():
            return folder
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
