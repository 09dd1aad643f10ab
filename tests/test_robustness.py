"""Issue 13: a user's mistakes and a hostile machine, case by case (the numbers are the
issue's). Each test breaks one thing in a copy of the built fixture project (``proj``) and
checks the exit code, the exact message, report/ byte for byte, and that no kernel is left.

Cases that need to make a folder read-only, fill a disk or mount a second filesystem use
what Linux offers an unprivileged user (``unshare --map-root-user --mount``, chattr as
root, /dev/shm); where the machine cannot, they are skipped with the reason.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from badinputs import (
    GOOD_MANIFEST,
    add_chapter,
    assert_untouched,
    build_fails,
    data_error,
    digest,
    kernel_processes,
    manifest,
    row_of,
    rows,
    run,
    set_cell,
    sleeper,
    wait_for,
    wait_no_kernels,
    write_rows,
)
from fixture_project import notebook

CLI = [sys.executable, "-m", "partnerships.cli"]


def popen_build(proj: Path, *args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(proj), **kw.pop("env", {}))
    return subprocess.Popen(
        [*CLI, "build", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


def build_cli(proj: Path, *args: str, env: dict | None = None, cwd=None, prefix=()) -> subprocess.CompletedProcess:
    full = dict(os.environ, PARTNERSHIPS_ROOT=str(proj), **(env or {}))
    return subprocess.run(
        [*prefix, *CLI, "build", *args], env=full, capture_output=True, text=True, timeout=600, cwd=cwd
    )


def touch_subtitle(proj: Path, text: str = "Changed subtitle") -> None:
    """A change that needs a new render but no kernel."""
    manifest(proj, GOOD_MANIFEST.replace("subtitle: Built by the tests", f"subtitle: {text}"))


def can_unshare() -> bool:
    try:
        return subprocess.run(["unshare", "--map-root-user", "--mount", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


needs_unshare = pytest.mark.skipif(
    not can_unshare(), reason="needs `unshare --map-root-user --mount` (user namespaces)"
)


def in_namespace(setup: str) -> tuple[str, ...]:
    """A command prefix running the build in a private mount namespace after ``setup`` (shell)."""
    return ("unshare", "--map-root-user", "--mount", "bash", "-c", f'{setup} && exec "$@"', "namespace")


# --------------------------------------------------------------------------- 1. Ctrl-C in the PDF step
def _big_svg(n: int = 1500) -> str:
    import random

    rnd = random.Random(1)
    paths = "".join(
        f'<path d="M {rnd.random() * 400:.2f} {rnd.random() * 300:.2f} '
        + " ".join(f"L {rnd.random() * 400:.2f} {rnd.random() * 300:.2f}" for _ in range(40))
        + '" style="fill:none;stroke:#123456;stroke-width:0.3"/>'
        for _ in range(n)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">{paths}</svg>'


def test_1_ctrl_c_while_weasyprint_draws_an_svg_stops_the_pdf(tmp_path):
    """WeasyPrint catches BaseException around SVG drawing: the interruption must win anyway."""
    page = tmp_path / "p.html"
    page.write_text(
        f'<html><head><meta name="dcterms.created" content="2026-01-01"></head><body><p>x</p>{_big_svg()}</body></html>'
    )
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent("""
        import logging, sys
        class Show(logging.Handler):
            def emit(self, record):
                print(record.getMessage(), flush=True)
        progress = logging.getLogger("weasyprint.progress")
        progress.addHandler(Show()); progress.setLevel(logging.INFO)
        from partnerships.engine.pdf import render_pdf
        try:
            render_pdf(sys.argv[1], sys.argv[2])
        except KeyboardInterrupt:
            print("INTERRUPTED", flush=True); sys.exit(130)
        print("WROTE", flush=True)
    """)
    )
    env = dict(os.environ, PARTNERSHIPS_PDF_ENGINE="weasyprint")  # the route that draws SVG in Python
    p = subprocess.Popen(
        [sys.executable, str(script), str(page), str(tmp_path / "p.pdf")], stdout=subprocess.PIPE, text=True, env=env
    )
    for line in p.stdout:
        if line.startswith("Step 6"):  # drawing the pages: the SVG takes about two seconds
            time.sleep(0.5)
            p.send_signal(signal.SIGINT)
            break
    rest = p.communicate(timeout=60)[0]
    assert p.returncode == 130 and "INTERRUPTED" in rest and "WROTE" not in rest
    assert not (tmp_path / "p.pdf").exists()


def test_1_ctrl_c_during_the_pdf_step_of_a_build(proj, before, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_PDF_ENGINE", "weasyprint")  # seconds of PDF step: time to press Ctrl-C
    heavy = notebook(
        ["MD:# Heavy figure", f"from IPython.display import HTML, display\ndisplay(HTML('''{_big_svg(800)}'''))"]
    )
    add_chapter(proj, "04-heavy.ipynb", heavy)
    code, out, err = run("build")  # executes the new chapter; report/ changes
    assert code == 0, err
    after_first = digest(proj / "report")
    touch_subtitle(proj)
    p = popen_build(proj, "--jobs", "1", start_new_session=True, env={"PARTNERSHIPS_PDF_ENGINE": "weasyprint"})
    try:
        deadline = time.monotonic() + 120
        while not list((proj / "build").glob("render-*/fixture.html")):  # the HTML is done: the PDF step runs
            assert time.monotonic() < deadline and p.poll() is None, p.communicate()
            time.sleep(0.05)
        time.sleep(1.0)
        os.killpg(p.pid, signal.SIGINT)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, (out, err)
    assert err == "error: interrupted; report/ left as it was\n"
    assert digest(proj / "report") == after_first
    assert not list((proj / "build").glob("render-*")) and not list((proj / "report").glob(".partnerships-*"))
    code, out, _ = run("build")  # the next build renders again: nothing was recorded as done
    assert code == 0 and "wrote report/fixture.html" in out and "up to date" not in out


def test_1_a_figure_that_cannot_be_drawn_fails_the_build(proj, before, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_PDF_ENGINE", "weasyprint")  # Typst's own SVG reader drops a bad transform
    broken = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5" transform="rotate(x)"/></svg>'
    add_chapter(
        proj,
        "04-broken-figure.ipynb",
        notebook(["MD:# Broken figure", f"from IPython.display import HTML, display\ndisplay(HTML('{broken}'))"]),
    )
    err = build_fails(proj, before, 2)
    assert err == (
        "error: the PDF could not draw 1 image(s) (an SVG figure: ValueError: could not convert string to float: 'x'); "
        "a figure is never left out silently: check the chapter's figure, then build again\n"
    )


# --------------------------------------------------------------------------- 2. the build killed
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_2_killing_the_build_leaves_no_worker_kernel_or_lock(proj, before, sig):
    add_chapter(proj, "04-sleep.ipynb", sleeper(120))
    p = popen_build(proj, "--jobs", "2")
    try:
        wait_for(proj / "sleeping")
        assert kernel_processes(proj)
        os.kill(p.pid, sig)  # the build's pid only, not its group
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == (-9 if sig == signal.SIGKILL else 130), err
    if sig == signal.SIGTERM:
        assert err.endswith("error: build interrupted (Ctrl-C): kernels stopped, report/ left as it was\n")
    assert wait_no_kernels(proj, 10) == [], "a worker or kernel outlived the build"
    assert_untouched(proj, before)
    add_chapter(proj, "04-sleep.ipynb", sleeper(0))
    code, out, err = run("build")  # not "another build is already running"
    assert code == 0, err


def test_2_a_lock_kept_by_leftovers_of_a_dead_build_names_them(proj, before):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import fcntl, sys, time
        fh = open({str(proj / "build" / ".lock")!r}, "a+")
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0); fh.truncate(); fh.write("999999"); fh.flush()  # the pid of a build that died
        print("locked", flush=True)
        time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        err = build_fails(proj, before, 3)
        assert err == (
            f"error: a build (pid 999999) ended but left processes holding build/.lock (pid {holder.pid}); "
            f"stop them (kill {holder.pid}), then build again. report/ was not touched.\n"
        )
    finally:
        holder.kill()
        holder.wait()
    assert run("build")[0] == 0  # the lock of a dead build, held by nobody, is simply taken


# --------------------------------------------------------------------------- 3, 4. dependencies
GATED = notebook(
    [
        "MD:# Fixture gated",
        """
        import os, pathlib, time
        from partnerships import data
        from partnerships.analysis import present
        df = data.load("partners")
        root = pathlib.Path(os.environ["PARTNERSHIPS_ROOT"])
        (root / "loaded").write_text("1")
        while not (root / "go").exists():
            time.sleep(0.05)
        present.table(df[df["partner"] == "Russia"][["partner", "iso3"]], "Gated", sources=[])
        """,
    ]
)


def test_3_a_table_saved_while_its_chapter_runs_is_read_again_next_time(proj, before):
    add_chapter(proj, "04-gated.ipynb", GATED)
    p = popen_build(proj, "--jobs", "2")
    try:
        wait_for(proj / "loaded")
        set_cell(
            proj / "data" / "partners.csv",
            row_of(proj / "data" / "partners.csv", "partner", "Russia"),
            "note",
            "edited while the chapter ran",
        )  # after the chapter read it
        (proj / "go").write_text("1")
        out, err = p.communicate(timeout=300)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    code, out, err = run("build")
    assert code == 0, err
    assert "done     04-gated" in out  # the file changed after it was read: executed again, never cached stale
    code, out, err = run("build")
    assert "cached   04-gated" in out


READS_DIRECTLY = notebook(
    [
        "MD:# Fixture direct reads",
        """
        import pandas as pd
        import helpers
        from partnerships.analysis import present
        df = pd.read_csv("../data/pk_monthly.csv")
        present.table(pd.DataFrame({"rows": [len(df)], "helper": [helpers.VALUE]}), "Read directly", sources=[])
        """,
    ]
)


@pytest.mark.parametrize("what", ["data read with pandas", "a helper module"])
def test_4_files_read_outside_data_load_are_in_the_cache_key(proj, before, what):
    (proj / "notebooks" / "helpers.py").write_text("VALUE = 1\n")
    add_chapter(proj, "04-direct.ipynb", READS_DIRECTLY)
    code, out, err = run("build")
    assert code == 0 and "done     04-direct" in out, err
    deps = json.loads((proj / "build" / "cache" / "04-direct.json").read_text())["deps"]
    assert {"data/pk_monthly.csv", "notebooks/helpers.py"} <= set(deps)
    if what == "a helper module":
        (proj / "notebooks" / "helpers.py").write_text("VALUE = 2\n")
    else:
        table = rows(proj / "data" / "pk_monthly.csv")
        write_rows(proj / "data" / "pk_monthly.csv", table[:-1])  # one row fewer
    code, out, err = run("build")
    assert code == 0, err
    assert "done     04-direct" in out  # before: "cached", the report kept the old value
    shown = "2" if what == "a helper module" else str(len(table) - 2)
    assert f'<td class="num">{shown}</td>' in (proj / "report" / "fixture.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 5, 6. putting files into report/
def chattr(path: Path, flag: str) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_5_a_pdf_that_cannot_be_replaced_leaves_the_html_as_it_was(proj, before):
    pdf = proj / "report" / "fixture.pdf"
    if not chattr(pdf, "+i"):
        pytest.skip("needs chattr +i (root on ext4/xfs)")
    try:
        touch_subtitle(proj)
        err = build_fails(proj, before, 1)
        assert (
            err == "error: cannot write (report/fixture.pdf): it is read-only, locked or not yours; make it writable "
            "(or work in a writable copy), then build again. report/ was left as it was.\n"
        )
    finally:
        chattr(pdf, "-i")
    assert not list((proj / "report").glob(".partnerships-*"))


def test_5_a_failure_between_the_two_renames_is_rolled_back(proj, before, monkeypatch):
    from partnerships.engine import place

    real = os.rename
    calls = []

    def flaky(src, dst):
        calls.append(Path(dst).name)
        if Path(dst).name == "fixture.pdf" and Path(src).parent.name.startswith(".partnerships-new-"):
            raise OSError(5, "Input/output error", str(dst))  # the second file fails to go in
        return real(src, dst)

    monkeypatch.setattr(place.os, "rename", flaky)
    touch_subtitle(proj)
    err = build_fails(proj, before, 1)
    assert err == "error: Input/output error (report/fixture.pdf). report/ was left as it was.\n"
    assert "fixture.html" in calls  # the HTML had been swapped in, and was put back


def test_6_report_on_another_filesystem(proj, before):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == proj.stat().st_dev:
        pytest.skip("needs /dev/shm on another filesystem than the project")
    elsewhere = Path(tempfile.mkdtemp(dir=shm, prefix="report-"))
    try:
        for f in (proj / "report").iterdir():
            shutil.copy(f, elsewhere / f.name)
        shutil.rmtree(proj / "report")
        (proj / "report").symlink_to(elsewhere)
        touch_subtitle(proj)
        code, out, err = run("build")
        assert code == 0, err
        assert "Changed subtitle" in (elsewhere / "fixture.html").read_text(encoding="utf-8")
        assert digest(elsewhere)["fixture.pdf"] != before["fixture.pdf"]
        assert sorted(p.name for p in elsewhere.iterdir()) == ["fixture.facts.json", "fixture.html", "fixture.pdf"]
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)


# --------------------------------------------------------------------------- 7. content, not mtime
def test_7_an_edit_that_keeps_size_and_mtime_is_validated(proj, before):
    assert run("validate")[0] == 0  # the validation cache now knows this copy's files
    path = proj / "data" / "pk_monthly.csv"
    st = path.stat()
    table = rows(path)
    col = table[0].index("troops")
    row = next(i for i, r in enumerate(table) if i and len(r[col]) >= 2)
    old = table[row][col]
    set_cell(path, row, "troops", "-" + old[1:])  # same length, now negative
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    data_error(proj, before, f"data/pk_monthly.csv:{row + 1}: troops: negative (must be 0 or more) (-{old[1:]})")


# --------------------------------------------------------------------------- 10. notebooks
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ('partner: str = "Russia"  # x\nstart_year: int = (1990', "line 2: not valid Python ('(' was never closed)"),
        (
            '%matplotlib inline\npartner: str = "Russia"  # x',
            "line 1: '%matplotlib inline' is not a parameter; "
            "the parameters cell holds only `name: type = value  # comment` lines: move it to another cell",
        ),
    ],
)
def test_10_a_broken_parameters_cell_names_notebook_and_cell(proj, before, params, message):
    nb = notebook(["MD:# Params", "x = 1"], params=params)
    add_chapter(proj, "04-params.ipynb", nb)
    err = build_fails(proj, before, 2)
    tail = "; fix the cell, then build again" if "valid Python" in message else ""
    assert err == f"error: notebooks/04-params.ipynb: cell 2 (tagged 'parameters'), {message}{tail}\n"


def test_10_an_old_format_notebook_is_named(proj, before):
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": []}]}],
    }
    (proj / "notebooks" / "04-old.ipynb").write_text(json.dumps(v3))
    manifest(proj, GOOD_MANIFEST + "  - notebooks/04-old.ipynb\n")
    err = build_fails(proj, before, 2)
    assert err == (
        "error: notebooks/04-old.ipynb: not a notebook in Jupyter's current format (nbformat 3, expected 4); "
        "open it in JupyterLab and save it, then build again\n"
    )


# --------------------------------------------------------------------------- 11. the machine
def test_11_report_folder_read_only(proj, before):
    if not chattr(proj / "report", "+i"):
        pytest.skip("needs chattr +i (root on ext4/xfs)")
    try:
        touch_subtitle(proj)
        err = build_fails(proj, before, 1)
        assert err.startswith("error: cannot write (report/.partnerships-new-")
        assert err.endswith(
            "): it is read-only, locked or not yours; make it writable (or work in a writable copy), "
            "then build again. report/ was left as it was.\n"
        )
    finally:
        chattr(proj / "report", "-i")


@needs_unshare
def test_11_read_only_checkout(proj, before):
    res = build_cli(proj, prefix=in_namespace(f"mount --bind -o ro {proj} {proj}"))
    assert res.returncode == 2, res.stderr
    assert res.stderr == (
        "error: cannot write build/ (the project folder is read-only): a build writes build/ and report/; make the "
        "folder writable, or copy the project to a writable folder and build there\n"
    )
    assert_untouched(proj, before)


@needs_unshare
@pytest.mark.parametrize("when", ["render", "execution"])
def test_11_disk_full(proj, before, when):
    if when == "execution":
        add_chapter(proj, "04-big.ipynb", notebook(["MD:# Big", "print('x' * 3_000_000)"]))
    else:
        touch_subtitle(proj)
    pages = sum(-(-p.stat().st_size // 4096) for p in (proj / "build").rglob("*") if p.is_file())
    size = (pages + 40) * 4096  # what build/ holds now, and 160 KB: less than a new HTML file
    stash = proj.parent / "build-copy"
    shutil.copytree(proj / "build", stash)
    setup = f"mount -t tmpfs -o size={size} tmpfs {proj}/build && cp -a {stash}/. {proj}/build/"
    res = build_cli(proj, prefix=in_namespace(setup))
    assert res.returncode == 1, res.stderr
    if when == "render":
        assert res.stderr.startswith("error: the disk is full")
        assert res.stderr.endswith(": free some space, then build again. report/ was left as it was.\n")
    else:
        assert "error: chapter '04-big' (notebooks/04-big.ipynb) could not run: the disk is full" in res.stderr
        assert "Notebook does not appear to be JSON" not in res.stderr and "Traceback" not in res.stderr
    assert_untouched(proj, before)


def test_11_a_long_tmpdir(proj, before, tmp_path):
    long = tmp_path / ("t" * 60) / ("u" * 60)
    long.mkdir(parents=True)
    add_chapter(proj, "04-sleep.ipynb", sleeper(0))
    res = build_cli(proj, env={"TMPDIR": str(long)})
    assert res.returncode == 0, res.stderr
    assert "done     04-sleep" in res.stdout


# --------------------------------------------------------------------------- 12, 13. kernels
def test_12_another_python3_kernelspec_first_on_the_path(proj, before, tmp_path):
    for name in ("python3", "partnerships"):  # both names a user could have installed, both broken
        spec = tmp_path / "jupyter" / "kernels" / name
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps({"argv": ["/bin/false", "{connection_file}"], "display_name": "broken", "language": "python"})
        )
    add_chapter(proj, "04-sleep.ipynb", sleeper(0))
    jupyter = str(tmp_path / "jupyter")
    res = build_cli(proj, env={"JUPYTER_PATH": jupyter, "JUPYTER_DATA_DIR": jupyter})
    assert res.returncode == 0, res.stderr
    assert "done     04-sleep" in res.stdout


def test_13_a_kernel_killed_by_the_system_names_the_cell_and_keeps_the_notebook(proj, before):
    add_chapter(
        proj,
        "04-oom.ipynb",
        notebook(["MD:# Killed", "x = 1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "y = 2"]),
    )
    err = build_fails(proj, before, 1)
    assert err == (
        "error: chapter '04-oom' (notebooks/04-oom.ipynb) failed in cell 3: DeadKernelError: the kernel died "
        "(killed by the system, e.g. out of memory, or crashed); the executed notebook is kept at build/failed/04-oom.ipynb\n"
        "report/ was left as it was.\n"
    )
    kept = nbformat.read(proj / "build" / "failed" / "04-oom.ipynb", as_version=4)
    assert "os.kill" in kept.cells[2].source and kept.cells[3].execution_count is None  # the run stopped there
    assert wait_no_kernels(proj) == []


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_13_a_worker_killed_by_the_system_is_one_message(proj, before):
    """What the out-of-memory killer does to a build worker (not to its kernel)."""
    add_chapter(proj, "04-sleep.ipynb", sleeper(120))
    p = popen_build(proj, "--jobs", "2")
    try:
        wait_for(proj / "sleeping")
        worker = int((proj / "sleeping").read_text())  # the kernel; its ancestors lead to the build
        while _parent(worker) != p.pid:
            worker = _parent(worker)
        os.kill(worker, signal.SIGKILL)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 1
    assert (
        err.startswith("error: a build worker was killed by the system (out of memory?) while running: ")
        and "04-sleep" in err
    )
    assert err.endswith("; report/ was left as it was. Build again, with --jobs 1 if memory is short.\n")
    assert "Traceback" not in err
    assert_untouched(proj, before)
    assert wait_no_kernels(proj) == []


# --------------------------------------------------------------------------- 14-17. data files
def test_14_a_truncated_geojson_is_a_data_error(proj, before):
    path = proj / "data" / "geo" / "world.geojson"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    err = build_fails(proj, before, 2)
    assert re.fullmatch(
        r"error: data/ has 1 problem\(s\); nothing was built:\n  data/geo/world\.geojson:\d+: not valid JSON \([^)]+, column \d+\); "
        r"rebuild it with `partnerships data import world_atlas FILE` \(or restore it from git\)\n",
        err,
    ), err


@pytest.mark.parametrize(
    "junk", ["._partners.csv", ".#partners.csv", "~$partners.csv", "partners.csv~", ".DS_Store", "Thumbs.db"]
)
def test_15_files_systems_and_editors_leave_in_data_are_ignored(proj, before, junk):
    (proj / "data" / junk).write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00\x02")
    code, out, err = run("build")
    assert code == 0, err
    assert "up to date" in out
    assert run("validate")[0] == 0


def test_15_the_rule_is_written_in_the_data_dictionary():
    readme = (Path(__file__).resolve().parents[1] / "data" / "README.md").read_text(encoding="utf-8")
    for example in ("._partners.csv", ".#partners.csv", "~$", "Thumbs.db"):
        assert example in readme


def test_16_excel_rows_of_commas_only_are_blank_lines(proj, before):
    path = proj / "data" / "pk_monthly.csv"
    width = len(rows(path)[0])
    path.write_text(path.read_text(encoding="utf-8") + ("," * (width - 1) + "\r\n") * 23, encoding="utf-8")
    code, out, err = run("build")
    assert code == 0, err


def test_16_a_utf16_file_says_save_as_utf8(proj, before):
    path = proj / "data" / "pk_monthly.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    err = data_error(
        proj,
        before,
        "data/pk_monthly.csv: saved as UTF-16 (the text reads as garbage); save it as UTF-8 "
        "with commas (in Excel: Save As > CSV UTF-8 (Comma delimited))",
    )
    assert err.count("\n") == 2  # one problem line


def test_16_a_semicolon_separated_file_says_so_in_one_line(proj, before):
    path = proj / "data" / "pk_monthly.csv"
    table = rows(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows(table)
    err = data_error(
        proj,
        before,
        f"data/pk_monthly.csv:1: the columns are separated by semicolons, not commas; save it as "
        f"UTF-8 with commas (in Excel: Save As > CSV UTF-8 (Comma delimited)) ({';'.join(table[0])})",
    )
    assert err.count("\n") == 2


def test_17_a_partner_written_again_in_another_case_names_the_row(proj, before):
    path = proj / "data" / "partners.csv"
    table = rows(path)
    russia = next(i for i, r in enumerate(table) if r[0] == "Russia")
    table.append(["russia"] + table[russia][1:])
    write_rows(path, table)
    data_error(
        proj,
        before,
        f"data/partners.csv:{len(table)}: partner: duplicate key: same as row {russia + 1} (Russia) "
        "except for upper/lower case (russia)",
    )


# --------------------------------------------------------------------------- 18, 19. what chapters show
def test_18_markup_quoted_as_text_is_not_an_external_url(proj, before):
    add_chapter(proj, "04-quote.ipynb", notebook(['MD:# Quoting\n\nWrite `<img src="//example.org/x.png">` nowhere.']))
    code, out, err = run("build")
    assert code == 0, err
    assert '<code>&lt;img src="//example.org/x.png"&gt;</code>' in (proj / "report" / "fixture.html").read_text(
        encoding="utf-8"
    )


def test_18_a_real_external_image_names_the_notebook_and_cell(proj, before):
    add_chapter(
        proj, "04-img.ipynb", notebook(["MD:# Image", "x = 1", "MD:Logo: ![logo](https://example.org/logo.png)"])
    )
    err = build_fails(proj, before, 2)
    assert err == (
        "error: chapter 04-img: notebook notebooks/04-img.ipynb, cell 3 shows an image from "
        "'https://example.org/logo.png'; the report is offline: embed the image in the notebook output instead\n"
    )


@pytest.mark.parametrize("route", ["typst", "weasyprint"])
def test_19_cyrillic_in_data_is_drawn_with_the_bundled_fonts(proj, before, route, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("PARTNERSHIPS_PDF_ENGINE", route)

    set_cell(
        proj / "data" / "partners.csv",
        row_of(proj / "data" / "partners.csv", "partner", "Russia"),
        "note",
        "Оросын Холбооны Улс: Өмнөд, Үндэсний",
    )  # Russia's row
    code, out, err = run("build")
    assert code == 0, err
    reader = PdfReader(proj / "report" / "fixture.pdf")
    assert "Үндэсний" in "\n".join(p.extract_text() for p in reader.pages)
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for p in reader.pages
        for f in p["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all(f.replace("-", "").startswith(("SourceSerif4", "SourceSans3")) for f in fonts), (
        fonts
    )  # either PDF route


def test_19_a_character_no_bundled_font_has_names_the_cell(proj, before):
    set_cell(
        proj / "data" / "partners.csv",
        row_of(proj / "data" / "partners.csv", "partner", "Russia"),
        "note",
        "\u182e\u1823\u1829",
    )  # Mongolian script
    err = build_fails(proj, before, 2)
    assert err.startswith(
        "error: chapter 03-data: notebook notebooks/03-data.ipynb, cell 3 shows '\u182e\u1823\u1829' "
        "with the character '\u182e' (U+182E MONGOLIAN LETTER MA), which the report's fonts cannot draw"
    )


# --------------------------------------------------------------------------- 20, 21. which chapter, which project
def test_20_only_with_the_notebook_of_a_foreach_chapter_asks_which(proj, before):
    err = build_fails(proj, before, 2, args=("build", "--only", "02-profile"))
    assert err == (
        "error: --only '02-profile': the notebook makes 2 chapters (02-profile--russia, 02-profile--china); "
        "name one, e.g. --only 02-profile--russia\n"
    )
    code, out, err = run("build", "--only", "02-profile--china")
    assert code == 0 and "wrote build/preview/02-profile--china.html" in out


def test_21_the_project_is_the_one_of_the_current_folder(proj, before):
    env = {k: v for k, v in os.environ.items() if k != "PARTNERSHIPS_ROOT"}
    touch_subtitle(proj)
    res = subprocess.run(
        [*CLI, "build", "--no-pdf"], cwd=proj / "notebooks", env=env, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr
    assert "Changed subtitle" in (proj / "report" / "fixture.html").read_text(encoding="utf-8")


def test_21_another_checkouts_package_is_refused(proj, before):
    (proj / "src" / "partnerships").mkdir(parents=True)  # this folder is a checkout with its own package
    env = {k: v for k, v in os.environ.items() if k != "PARTNERSHIPS_ROOT"}
    res = subprocess.run([*CLI, "build"], cwd=proj, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 2
    package = Path(__file__).resolve().parents[1] / "src" / "partnerships"
    assert res.stderr == (
        f"error: this command runs the partnerships package of another checkout ({package}), not this project's "
        f"({proj / 'src' / 'partnerships'}); run `make setup` here and use .venv/bin/partnerships of this project\n"
    )
    assert_untouched(proj, before)


@pytest.fixture(autouse=True)
def _weasyprint_route_for_its_own_cases(request, monkeypatch):
    """Case 1 is about the WeasyPrint route (its SVG drawing swallows BaseException): it runs
    on it, since the default route is now Typst. Case 19 runs on both routes."""
    if request.node.name.startswith("test_1_"):
        monkeypatch.setenv("PARTNERSHIPS_PDF_ENGINE", "weasyprint")
