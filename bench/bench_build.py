"""Benchmark: the naive route vs `partnerships build`, in one run on the real report.

(a) naive: for each chapter, the `papermill` CLI, then `jupyter nbconvert --to html`,
    then WeasyPrint on that HTML (one process chain per chapter, one after another);
(b) cold full build: `partnerships build --no-cache` (all chapters, the HTML and the PDF);
(c) a no-op rebuild (everything cached);
(d) a rebuild after changing one partner's row in one data table;
(e) a one-chapter edit to a refreshed HTML: one sentence of one chapter's notebook
    changed, then `partnerships build --only CHAPTER` (the preview's HTML);
(f) the PDF alone: the build's PDF route (Typst unless PARTNERSHIPS_PDF_ENGINE says
    weasyprint) rendering the whole report's HTML from (b), in seconds.

Issue 14's targets: b/a <= 0.10, e/a <= 0.03, (f) under 5 s. Everything runs in a
temporary copy of the project, so report/ and build/ are untouched.
Usage: `make bench` (or python bench/bench_build.py).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def touch_partner_row(data_dir: Path, partner: str = "Russia") -> str:
    """Change the note of one row about `partner` in the first table that has one."""
    for path in sorted(data_dir.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "partner" not in rows[0] or "note" not in rows[0]:
            continue
        for row in rows:
            if row["partner"] == partner:
                row["note"] = (row["note"] + " (edited)").strip()
                out = io.StringIO()
                w = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
                path.write_text(out.getvalue(), encoding="utf-8")
                return path.name
    raise SystemExit(f"no table with a 'note' for {partner}")


def edit_chapter(nb_path: Path) -> None:
    """Append a sentence to the first markdown cell of a notebook (what an author does)."""
    import json

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = src.rstrip("\n") + " This sentence was added by the benchmark.\n"
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


PDF_SCRIPT = """
import sys, time
from partnerships.engine import pdf
t0 = time.perf_counter()
pdf.render_pdf(sys.argv[1], sys.argv[2])
print(time.perf_counter() - t0)
"""


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        proj = work / "proj"
        proj.mkdir()
        for item in ("data", "notebooks", "report.yml"):
            src = ROOT / item
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, proj / item)
        env = dict(os.environ, PARTNERSHIPS_ROOT=str(proj))
        os.environ["PARTNERSHIPS_ROOT"] = str(proj)
        from partnerships.engine.manifest import load

        chapters = load().chapters
        naive = work / "naive"
        naive.mkdir()
        t_a = 0.0
        for ch in chapters:
            out_nb = naive / f"{ch.id}.ipynb"
            cmd = [
                str(BIN / "papermill"),
                str(ch.notebook_path),
                str(out_nb),
                "-k",
                "python3",
                "--cwd",
                str(proj / "notebooks"),
            ]
            for k, v in ch.parameters.items():
                cmd += ["-p", k, str(v)]
            t_a += timed(cmd, env, proj)
            t_a += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out_nb)], env, proj)
            t_a += timed(
                [sys.executable, "-m", "weasyprint", str(out_nb.with_suffix(".html")), str(out_nb.with_suffix(".pdf"))],
                env,
                proj,
            )
        build = [str(BIN / "partnerships"), "build"]
        t_b = timed(build + ["--no-cache"], env, proj)
        t_c = timed(build, env, proj)
        changed = touch_partner_row(proj / "data")
        t_d = timed(build, env, proj)
        # a plain chapter (no parameters) that previews alone (no links into other chapters)
        one = (
            next((c for c in chapters if c.id == "05-exercises"), None) or [c for c in chapters if not c.parameters][-1]
        )
        edit_chapter(one.notebook_path)
        t_e = timed(build + ["--only", one.id], env, proj)
        html = next((proj / "report").glob("*.html"))
        out = subprocess.run(
            [sys.executable, "-c", PDF_SCRIPT, str(html), str(work / "alone.pdf")],
            env=env,
            cwd=proj,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        t_f = float(out.strip().splitlines()[-1])
        print(f"chapters: {len(chapters)}   cores: {os.cpu_count()}")
        print(f"(a) naive papermill + nbconvert + weasyprint CLIs per chapter: {t_a:7.1f} s")
        print(
            f"(b) cold full build (build --no-cache, HTML + PDF):          {t_b:7.1f} s   b/a = {t_b / t_a:.3f}   (target <= 0.10)"
        )
        print(f"(c) no-op rebuild:                                           {t_c:7.2f} s   c/a = {t_c / t_a:.3f}")
        print(f"(d) rebuild after editing one Russia row in data/{changed}: {t_d:7.1f} s   d/a = {t_d / t_a:.3f}")
        print(
            f"(e) one-chapter edit ({one.id}) to its refreshed HTML (--only): {t_e:7.2f} s   e/a = {t_e / t_a:.3f}   (target <= 0.03)"
        )
        print(f"(f) PDF rendering of the whole report:                       {t_f:7.2f} s   (target < 5 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
