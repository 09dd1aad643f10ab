"""Helpers for the tests that break one thing in a built fixture project (bad inputs,
hostile machines): run the CLI, digest report/, find leftover kernels, edit CSVs."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import time
from pathlib import Path

import nbformat
from fixture_project import MANIFEST, notebook

from partnerships import cli

REPO = Path(__file__).resolve().parents[1]

DATA_NB = notebook(
    [
        "MD:# Fixture data chapter",
        """
        from partnerships import data
        from partnerships.analysis import present
        df = data.load("partners")
        row = df[df["partner"] == partner][["partner", "iso3", "note"]]
        present.table(row, f"The partner {partner} from {start_year} to {end_year}", sources=["art_growth"])
        """,
    ],
    params=(
        'partner: str = "Russia"  # partner country; choices: partners.partner\n'
        "start_year: int = 1990  # first year; range: 1900..2100\n"
        "end_year: int = 2025  # last year; range: 1900..2100"
    ),
)

GOOD_MANIFEST = MANIFEST + "  - notebook: notebooks/03-data.ipynb\n    parameters: {partner: Russia}\n"


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def digest(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kernel_processes(root: Path) -> list[str]:
    """Live processes (other than this one) started for the project at ``root``.

    Every worker and kernel of a build inherits ``PARTNERSHIPS_ROOT=<root>``; a kernel
    left running after a build shows up here.
    """
    marker = f"PARTNERSHIPS_ROOT={root}".encode() + b"\0"
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            if (d / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue  # a zombie holds no resources and runs nothing
            env = (d / "environ").read_bytes()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if marker in env or str(root) in cmd:
            found.append(f"{d.name}: {cmd}")
    return found


def wait_no_kernels(root: Path, seconds: float = 5.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while True:
        left = kernel_processes(root)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, table: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


def row_of(path: Path, column: str, value: str) -> int:
    """The data row (1 = first row after the header) whose ``column`` is ``value``."""
    table = rows(path)
    j = table[0].index(column)
    return next(i for i, r in enumerate(table) if i and r[j] == value)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set data row ``row`` (1 = first row after the header) of ``column``."""
    table = rows(path)
    table[row][table[0].index(column)] = value
    write_rows(path, table)


def sleeper(seconds: int) -> nbformat.NotebookNode:
    return notebook(
        [
            "MD:# Fixture sleeper",
            f"""
            import os, pathlib, time
            (pathlib.Path(os.environ["PARTNERSHIPS_ROOT"]) / "sleeping").write_text(str(os.getpid()))
            time.sleep({seconds})
            """,
        ]
    )


def wait_for(path: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.1)


def assert_untouched(proj: Path, before: dict) -> None:
    assert digest(proj / "report") == before, "report/ changed"


def build_fails(proj: Path, before: dict, code: int, *expected: str, args=("build",)) -> str:
    got, out, err = run(*args)
    assert got == code, f"exit {got}\nstdout:\n{out}\nstderr:\n{err}"
    for text in expected:
        assert text in err, f"{text!r} not in:\n{err}"
    assert_untouched(proj, before)
    return err


def data_error(proj: Path, before: dict, line: str) -> str:
    """A data problem: exit 2, one header line, the problem line; nothing executed."""
    err = build_fails(proj, before, 2, "nothing was built:\n", f"  {line}")
    assert err.startswith("error: data/ has ")
    return err


def manifest(proj: Path, text: str) -> None:
    (proj / "report.yml").write_text(text)


def line_of(proj: Path, needle: str) -> int:
    """The 1-based line of report.yml holding ``needle`` (messages name it)."""
    lines = (proj / "report.yml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def add_chapter(proj: Path, name: str, nb, extra: str = "") -> None:
    nbformat.write(nb, proj / "notebooks" / name)
    manifest(proj, GOOD_MANIFEST + f"  - notebook: notebooks/{name}\n{extra}")
