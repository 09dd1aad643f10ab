"""Benchmark: the preview loop, from saving an edit to the reloaded page in the browser.

Runs `partnerships preview` on a temporary copy of the project, opens the page in headless
Chromium (Playwright, Debian's chromium), then, three times each:

(p) prose: edits a Markdown cell of one chapter (no chapter is executed again);
(c) code: edits a code cell of one chapter (that chapter is executed again, the others cached);

and measures the time from the file being written to the page having reloaded and showing
the change. Prints each median and the ratio to the 5 s target. Usage:
`.venv/bin/python bench/bench_preview.py [CHAPTER]` (default: 01-summary).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit(nb_path: Path, kind: str, n: int) -> str:
    """Change one cell of the notebook on disk (as an editor's save does); return a word the page will show."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    marker = f"benchmark{kind}{n}"
    if kind == "prose":
        cell = next(
            c for c in nb["cells"] if c["cell_type"] == "markdown" and not "".join(c["source"]).lstrip().startswith("#")
        )
        cell["source"] = "".join(cell["source"]).rstrip() + f" ({marker})"
    else:
        cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
        cell["source"] = "".join(cell["source"]).rstrip() + f'\npresent.finding("({marker})")'
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return marker


def main() -> None:
    chapter = sys.argv[1] if len(sys.argv) > 1 else "01-summary"
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    proc = None
    try:
        proj = work / "proj"
        proj.mkdir()
        for item in ("data", "notebooks", "report.yml"):
            src = ROOT / item
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, proj / item)
        env = dict(os.environ, PARTNERSHIPS_ROOT=str(proj))
        port = free_port()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(BIN / "partnerships"), "preview", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while True:
            try:
                opener.open(url, timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(proc.stdout.read()) from None
                time.sleep(0.2)
        first = time.perf_counter() - t0
        nb_path = proj / "notebooks" / f"{chapter}.ipynb"
        times: dict[str, list[float]] = {"prose": [], "code": []}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            for kind in ("prose", "code"):
                for n in range(3):
                    time.sleep(1.0)  # the watcher's snapshot settles
                    page.evaluate("window.__before_edit = 1")
                    t = time.perf_counter()
                    marker = edit(nb_path, kind, n)
                    page.wait_for_function(
                        "() => window.__before_edit === undefined && document.readyState === 'complete'",
                        timeout=120_000,
                        polling=20,
                    )
                    took = time.perf_counter() - t
                    if not page.evaluate("m => document.body.textContent.includes(m)", marker):
                        raise SystemExit(f"the page reloaded without the {kind} edit {marker!r}")
                    times[kind].append(took)
            browser.close()
        print(f"chapter edited: {chapter}   cores: {os.cpu_count()}   first full build + serve: {first:.1f} s")
        for kind, label in (
            ("prose", "(p) Markdown edit -> reloaded page"),
            ("code", "(c) code-cell edit -> reloaded page"),
        ):
            med = statistics.median(times[kind])
            runs = ", ".join(f"{x:.2f}" for x in times[kind])
            print(f"{label}: median {med:5.2f} s  (runs {runs})   / {TARGET:.0f} s target = {med / TARGET:.2f}")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
