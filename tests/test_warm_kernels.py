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
import subprocess
import sys

import nbformat as nbf
from fixture_project import make_project, notebook

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
