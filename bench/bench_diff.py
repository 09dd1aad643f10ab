"""How many lines of `git diff` one changed data value makes, in the notebooks' JSON and in
their text views.

Takes the project as committed at a git revision (default HEAD) into a temporary folder,
adds one person to the peak month of UN peacekeeping (data/pk_monthly.csv), runs
`partnerships outputs` there with that revision's own code, and prints `git diff --numstat`
for notebooks/ (lines added + removed per file, .ipynb and .txt). Usage:
`.venv/bin/python bench/bench_diff.py [REV] [NOTEBOOK ...]` (e.g. an older revision to compare).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sh(*cmd, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, check=check, capture_output=True, text=True)


def bump_peak(path: Path) -> str:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    total = lambda r: sum(int(r[k] or 0) for k in ("troops", "police", "experts"))  # noqa: E731
    peak = max(rows, key=total)
    peak["troops"] = str(int(peak["troops"]) + 1)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"{peak['date']}: {total(peak) - 1} -> {total(peak)}"


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    only = sys.argv[2:]
    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    try:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        sh("git", "init", "-q", cwd=work)
        sh("git", "add", "-A", cwd=work)
        sh("git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "base", cwd=work)
        change = bump_peak(work / "data" / "pk_monthly.csv")
        env = dict(os.environ, PARTNERSHIPS_ROOT=str(work), PYTHONPATH=str(work / "src"))
        res = sh(
            sys.executable, "-m", "partnerships.cli", "outputs", "--jobs", "2", *only, cwd=work, env=env, check=False
        )
        print(f"revision {rev}; peak month {change}; `partnerships outputs {' '.join(only)}` exit {res.returncode}")
        print((res.stdout + res.stderr).strip().splitlines()[-1][:300] if (res.stdout + res.stderr).strip() else "")
        stat = sh("git", "diff", "--numstat", "--", "notebooks", cwd=work).stdout.split("\n")
        totals = {".ipynb": 0, ".txt": 0}
        for line in filter(None, stat):
            added, removed, name = line.split("\t")
            n = int(added) + int(removed)
            totals[Path(name).suffix] = totals.get(Path(name).suffix, 0) + n
            print(f"  {name:<48} +{added} -{removed}")
        print(f"  lines changed: notebook JSON {totals['.ipynb']}, text views {totals['.txt']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
