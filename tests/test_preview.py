"""The preview: rebuilds on change, reload script in the served copy only, prose edits
executed by no kernel, and the CLI's message and exit code for an unknown value or label."""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import time
import urllib.request
from pathlib import Path

import nbformat

from partnerships import cli
from partnerships.engine import preview
from partnerships.errors import UserError


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_served_copy_has_the_reload_script_the_file_does_not(tmp_path):
    out = tmp_path / "report.html"

    def build(memo):
        out.write_text("<!DOCTYPE html><html><body><p>Report</p></body></html>", encoding="utf-8")

    p = preview.Preview(build, out, stream=io.StringIO())
    p.rebuild()
    assert p.version == 1 and p.error is None
    served = p.page()
    assert preview.RELOAD_SCRIPT in served and served.index(preview.RELOAD_SCRIPT) < served.index("</body>")
    assert "<script" not in out.read_text(encoding="utf-8")


def test_failed_rebuild_keeps_the_last_page_and_shows_why(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("<html><body><p>Last good</p></body></html>", encoding="utf-8")

    def build(memo):
        raise UserError("chapter x: notebook notebooks/x.ipynb, cell 3 (Markdown): unknown value {{peek}}")

    p = preview.Preview(build, out, stream=io.StringIO())
    p.rebuild()
    served = p.page()
    assert "Last good" in served and 'role="alert"' in served
    assert "unknown value {{peek}}" in served and p.version == 1


def test_snapshot_sees_edits_and_ignores_checkpoints_and_text_views(tmp_path):
    (tmp_path / "notebooks" / ".ipynb_checkpoints").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    nb = tmp_path / "notebooks" / "01-x.ipynb"
    nb.write_text("{}")
    (tmp_path / "report.yml").write_text("name: x\n")
    before = preview.snapshot(tmp_path)
    assert set(before) == {"notebooks/01-x.ipynb", "report.yml"}
    (tmp_path / "notebooks" / ".ipynb_checkpoints" / "01-x-checkpoint.ipynb").write_text("{}")
    (tmp_path / "notebooks" / "01-x.txt").write_text("view")
    assert preview.snapshot(tmp_path) == before
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    assert set(preview.snapshot(tmp_path)) - set(before) == {"data/t.csv"}


def test_server_reloads_the_page_after_a_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(tmp_path))
    (tmp_path / "notebooks").mkdir()
    builds = []

    def build(memo, html_to):
        builds.append(time.monotonic())
        Path(html_to).parent.mkdir(parents=True, exist_ok=True)
        Path(html_to).write_text(f"<html><body><p>build {len(builds)}</p></body></html>", encoding="utf-8")

    urls = []
    server = threading.Thread(
        target=preview.serve,
        args=(build,),
        kwargs={"port": 0, "stream": io.StringIO(), "ready": urls.append},
        daemon=True,
    )
    server.start()
    for _ in range(100):
        if urls:
            break
        time.sleep(0.05)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    page = opener.open(urls[0], timeout=5).read().decode()
    assert "build 1" in page and "/__reload" in page
    events = opener.open(urls[0] + "__reload", timeout=10)
    (tmp_path / "notebooks" / "01-x.ipynb").write_text("{}")  # a save
    assert events.readline() == b"data: reload\n"
    assert "build 2" in opener.open(urls[0], timeout=5).read().decode()
    assert not (tmp_path / "report").exists()


def _md(project: Path, text: str) -> None:
    path = project / "notebooks" / "01-summary.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = text
    nbformat.write(nb, path)


def test_prose_edit_executes_nothing_and_an_unknown_value_exits_2(project):
    code, out, err = run("build", "--jobs", "2", "--no-pdf")
    assert code == 0, err
    _md(project, "# Fixture summary {#ch-summary}\n\nProse edited, see @ch-summary.")
    code, out, err = run("build", "--jobs", "2", "--no-pdf")
    assert code == 0, err
    assert "0 executed, 3 cached" in out
    assert "Prose edited, see Chapter 1." in (project / "report" / "fixture.html").read_text(encoding="utf-8").replace(
        '<a class="xref" href="#ch-summary">', ""
    ).replace("</a>", "")
    before = hashlib.sha256((project / "report" / "fixture.html").read_bytes()).hexdigest()
    _md(project, "# Fixture summary\n\nThe peak was {{peak}}.")
    code, out, err = run("build", "--jobs", "2", "--no-pdf")
    assert code == 2
    assert err == (
        "error: chapter 01-summary: notebook notebooks/01-summary.ipynb, cell 1 (Markdown): unknown value {{peak}}; "
        "values shown in this chapter: none (a code cell must call present.value('peak', ...))\n"
    )
    _md(project, "# Fixture summary\n\nAs @fig-nowhere shows.")
    code, out, err = run("build", "--jobs", "2", "--no-pdf")
    assert code == 2
    assert err == (
        "error: chapter 01-summary: notebook notebooks/01-summary.ipynb, cell 1: reference @fig-nowhere to a label "
        "that does not exist\n"
    )
    assert hashlib.sha256((project / "report" / "fixture.html").read_bytes()).hexdigest() == before


def test_outputs_writes_what_succeeded_and_lists_what_failed(project):
    from fixture_project import notebook

    bad = notebook(["MD:# Broken", "x = 1", "raise ValueError('the data ran out')"])
    nbformat.write(bad, project / "notebooks" / "03-broken.ipynb")
    broken_before = (project / "notebooks" / "03-broken.ipynb").read_bytes()
    code, out, err = run("outputs", "--jobs", "2")
    assert code == 1
    assert "2 notebook(s) updated: notebooks/01-summary.ipynb, notebooks/02-profile.ipynb" in out
    assert err.startswith("error: 1 notebook(s) failed and were left as they were: notebooks/03-broken.ipynb\n")
    assert "chapter '03-broken' (notebooks/03-broken.ipynb) failed in cell 3: ValueError: the data ran out" in err
    summary = nbformat.read(project / "notebooks" / "01-summary.ipynb", as_version=4)
    assert any(c.get("outputs") for c in summary.cells if c.cell_type == "code")
    assert (project / "notebooks" / "01-summary.txt").read_text(encoding="utf-8").startswith("# Fixture summary\n")
    assert (project / "notebooks" / "03-broken.ipynb").read_bytes() == broken_before
    assert not (project / "notebooks" / "03-broken.txt").exists()
