"""Warm kernels (engine/warm.py) change nothing but the time (issue 14).

The fixture report is built twice, with warm kernels and with a plain kernel per chapter
(PARTNERSHIPS_WARM_KERNELS=0): the executed notebooks are byte-identical and the cache
records the same data files for every chapter. A chapter that leaves state behind (a
global, an rc setting, an environment variable) does not leak it into the next chapter:
every chapter gets a fresh kernel whose execution count starts at 1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat as nbf
from fixture_project import make_project, notebook

REPO = Path(__file__).resolve().parents[1]

LEAKY = notebook(
    [
        "MD:# Leaky\n\nSets state.",
        "import os, matplotlib\nLEAK = 42\nos.environ['PARTNERSHIPS_LEAK'] = '1'\nmatplotlib.rcParams['lines.linewidth'] = 9\nprint('set')",
    ]
)
CHECK = notebook(
    [
        "MD:# Check\n\nSees none of it.",
        "import os, matplotlib\nprint('LEAK' in globals(), os.environ.get('PARTNERSHIPS_LEAK'), matplotlib.rcParams['lines.linewidth'], get_ipython().execution_count)",
    ]
)


READS_TABLES = notebook(
    [
        "MD:# Tables\n\nReads checked tables.",
        "import hashlib\nfrom partnerships import data\nex = data.load('exercises')\npk = data.load('pk_monthly')\n"
        "print(len(ex), len(pk), hashlib.sha256(ex.to_csv().encode() + pk.to_csv().encode()).hexdigest())\n"
        "print(get_ipython().history_manager.hist_file)",
    ]
)


def _build(root, warm: bool, jobs: int = 1):
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root), PARTNERSHIPS_WARM_KERNELS="1" if warm else "0")
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--no-pdf", "--no-cache", "--jobs", str(jobs)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "NOTE: When using the `ipython kernel`" not in res.stdout + res.stderr  # no kernel banner
    executed = {p.name: p.read_bytes() for p in sorted((root / "build" / "executed").glob("*.ipynb"))}
    deps = {
        p.name: json.loads(p.read_text())["deps"]
        for p in sorted((root / "build" / "cache").glob("*.json"))
        if p.name != "report.json"
    }
    return executed, deps


def test_warm_and_cold_kernels_give_the_same_notebooks_and_dependencies(tmp_path):
    root = make_project(tmp_path / "proj")
    warm = _build(root, warm=True)
    cold = _build(root, warm=False)
    assert warm[0] and warm[0] == cold[0]
    assert warm[1] == cold[1]


def test_no_state_leaks_from_one_chapter_into_the_next(tmp_path):
    root = make_project(tmp_path / "proj")
    nbf.write(LEAKY, root / "notebooks" / "aa-leaky.ipynb")
    nbf.write(CHECK, root / "notebooks" / "ab-check.ipynb")
    manifest = root / "report.yml"
    text = manifest.read_text(encoding="utf-8")
    first = text.index("  - notebook:")
    manifest.write_text(
        text[:first]
        + "  - notebook: notebooks/aa-leaky.ipynb\n  - notebook: notebooks/ab-check.ipynb\n"
        + text[first:],
        encoding="utf-8",
    )
    outs = {}
    for warm in (True, False):
        _build(root, warm=warm, jobs=1)  # one worker: both chapters through the same warm server
        nb = nbf.read(root / "build" / "executed" / "ab-check.ipynb", as_version=4)
        outs[warm] = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs).strip()
    leaked, env, linewidth, count = outs[True].split()
    assert (leaked, env, linewidth) == ("False", "None", "1.5"), outs  # no global, no variable, matplotlib's default
    assert outs[True] == outs[False]  # and the execution count is a cold kernel's


def test_tables_the_build_checked_give_the_same_notebooks_and_dependencies(tmp_path):
    """The build validates data/ before forking the kernels; a warm kernel takes those checked
    frames (tests/test_checked_tables.py) and must record what a cold kernel, which checks
    the tables itself, records: the tables and every table their checks read."""
    root = make_project(tmp_path / "proj", extra={"03-tables.ipynb": READS_TABLES})
    shutil.copytree(REPO / "data", root / "data")
    manifest = root / "report.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "  - notebooks/03-tables.ipynb\n", encoding="utf-8")
    warm = _build(root, warm=True, jobs=2)
    shutil.rmtree(root / "build")  # validated afresh, as in a new folder
    cold = _build(root, warm=False, jobs=2)
    assert warm[0]["03-tables.ipynb"] == cold[0]["03-tables.ipynb"]
    assert warm[1] == cold[1]
    read = set(warm[1]["03-tables.json"])
    assert {"data/exercises.csv", "data/pk_monthly.csv", "data/sources.csv", "data/exercise_series.csv"} <= read
    assert "data/article_paragraphs.csv" in read
    nb = nbf.read(root / "build" / "executed" / "03-tables.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert text.strip().splitlines()[-1] == ":memory:"  # the chapter's history is not written to ~/.ipython
