"""The bad-input matrix: one broken thing per test, an exact message, report/ untouched.

A good fixture report (the fixture notebooks plus a chapter that reads data/, over a copy
of the repository's data/) is built once per test session (``good`` in conftest.py). Each test copies that project (with
its build cache, so nothing re-executes needlessly), breaks ONE thing, runs the CLI and
checks the exit code, the key text of the message and that every byte of report/ is as
it was. Accepted inputs (Windows line endings, HTML in a cell) must build.

Data messages come from the validation layer: ``data/<file>.csv:<row>: <column>:
<problem> (<value>)``. Execution cases (a raising cell, a hanging cell, Ctrl-C, a second
build) also check that no kernel process is left behind (``/proc``).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from badinputs import (
    GOOD_MANIFEST,
    add_chapter,
    assert_untouched,
    build_fails,
    data_error,
    digest,
    kernel_processes,
    line_of,
    manifest,
    rows,
    run,
    set_cell,
    sleeper,
    wait_for,
    wait_no_kernels,
    write_rows,
)
from fixture_project import notebook

# --------------------------------------------------------------------------- data
PK = "data/pk_monthly.csv"


def test_data_missing_file(proj, before):
    (proj / PK).unlink()
    data_error(proj, before, "data/pk_monthly.csv: file not found")


def test_data_empty_file(proj, before):
    (proj / PK).write_bytes(b"")
    data_error(proj, before, "data/pk_monthly.csv: empty file (expected a header line with the column names)")


def test_data_missing_column(proj, before):
    table = [r[:2] + r[3:] for r in rows(proj / PK)]  # drop 'police'
    write_rows(proj / PK, table)
    data_error(proj, before, "data/pk_monthly.csv:1: police: missing column")


def test_data_extra_unknown_column(proj, before):
    table = rows(proj / PK)
    write_rows(proj / PK, [r + (["colour"] if i == 0 else ["red"]) for i, r in enumerate(table)])
    data_error(proj, before, "data/pk_monthly.csv:1: colour: unknown column")


def test_data_wrong_type(proj, before):
    set_cell(proj / PK, 3, "troops", "many")
    data_error(proj, before, "data/pk_monthly.csv:4: troops: not a whole number (many)")


def test_data_out_of_range_year(proj, before):
    set_cell(proj / "data/military_expenditure.csv", 2, "year", "1850")
    data_error(proj, before, "data/military_expenditure.csv:3: year: outside the range 1900-2100 (1850)")


def test_data_negative_count(proj, before):
    set_cell(proj / PK, 5, "troops", "-5")
    data_error(proj, before, "data/pk_monthly.csv:6: troops: negative (must be 0 or more) (-5)")


def test_data_duplicate_key(proj, before):
    table = rows(proj / PK)
    write_rows(proj / PK, table[:3] + [table[2]] + table[3:])  # row 2 again as line 4
    data_error(proj, before, f"data/pk_monthly.csv:4: date: duplicate key: same as row 3 ({table[2][0]})")


def test_data_unknown_source_id(proj, before):
    set_cell(proj / PK, 1, "source_id", "nosuch_source")
    data_error(
        proj, before, "data/pk_monthly.csv:2: source_id: not found in data/sources.csv column source_id (nosuch_source)"
    )


def test_data_unknown_partner(proj, before):
    set_cell(proj / "data/training_flows.csv", 1, "partner", "Atlantis")
    data_error(
        proj, before, "data/training_flows.csv:2: partner: not found in data/partners.csv column partner (Atlantis)"
    )


def test_data_non_utf8_bytes(proj, before):
    path = proj / "data/partners.csv"
    raw = path.read_bytes()
    offset = raw.index(b"Russia,RUS") + 1
    line = raw[:offset].count(b"\n") + 1  # the file's line of Russia's row (the header is line 1)
    path.write_bytes(raw.replace(b"Russia,RUS", "R\u00fcssia,RUS".encode("latin-1")))
    data_error(
        proj,
        before,
        f"data/partners.csv:{line}: partner: not valid UTF-8: byte 0xFC at byte offset {offset}; save the file as UTF-8 (R\ufffdssia)",
    )


def test_data_bom_accepted(proj, before):
    """A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted and ignored."""
    path = proj / "data" / "partners.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = run("build")
    assert code == 0, err
    assert re.search(r"done +03-data", out)  # the chapter that reads partners.csv ran again
    assert digest(proj / "report") == before  # same values: the same bytes


def test_data_windows_line_endings_accepted(proj, before):
    for name in ("partners.csv", "pk_monthly.csv"):
        path = proj / "data" / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    code, out, err = run("build")
    assert code == 0, err
    assert re.search(r"done +03-data", out)  # the chapter that reads partners.csv ran again
    # the same table values: the report comes out byte for byte the same
    assert digest(proj / "report") == before


def test_data_html_in_a_cell_is_inert(proj, before):
    russia = [r[0] for r in rows(proj / "data/partners.csv")].index("Russia")
    set_cell(proj / "data/partners.csv", russia, "note", "<script>alert(1)</script>")
    code, out, err = run("build")
    assert code == 0, err
    html = (proj / "report" / "fixture.html").read_text(encoding="utf-8")
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "<script" not in html.lower()
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(proj / "report" / "fixture.pdf").pages)
    assert text.count("<script>alert(1)</script>") == 2  # the fixture summary's table and the data chapter


# --------------------------------------------------------------------------- manifest and parameters
def test_manifest_unknown_notebook(proj, before):
    manifest(proj, GOOD_MANIFEST + "  - notebooks/99-nope.ipynb\n")
    build_fails(
        proj,
        before,
        2,
        f"error: report.yml:{line_of(proj, '99-nope')}: chapter 4: notebook 'notebooks/99-nope.ipynb' not found; "
        "notebooks: notebooks/01-summary.ipynb, notebooks/02-profile.ipynb, notebooks/03-data.ipynb\n",
    )


def test_manifest_unknown_chapter_parameter(proj, before):
    manifest(proj, GOOD_MANIFEST.replace("{partner: Russia}", "{partner: Russia, colour: red}"))
    build_fails(
        proj,
        before,
        2,
        f"error: report.yml:{line_of(proj, '03-data')}: chapter '03-data' (notebooks/03-data.ipynb): unknown parameter 'colour' = 'red'; "
        "valid parameters: end_year, partner, start_year\n",
    )


def test_manifest_wrong_parameter_type(proj, before):
    manifest(proj, GOOD_MANIFEST.replace("{partner: Russia}", "{partner: Russia, start_year: 'nineteen ninety'}"))
    build_fails(
        proj,
        before,
        2,
        f"error: report.yml:{line_of(proj, '03-data')}: chapter '03-data' (notebooks/03-data.ipynb): parameter 'start_year' must be int, "
        "got str 'nineteen ninety' (first year; range: 1900..2100)\n",
    )


def test_manifest_unknown_partner_lists_partners_from_data(proj, before):
    manifest(proj, GOOD_MANIFEST.replace("{partner: Russia}", "{partner: Atlantis}"))
    with open(proj / "data" / "partners.csv", encoding="utf-8") as fh:
        valid = sorted({r["partner"] for r in csv.DictReader(fh)})
    assert "Russia" in valid and len(valid) > 50
    build_fails(
        proj,
        before,
        2,
        f"error: report.yml:{line_of(proj, '03-data')}: chapter '03-data' (notebooks/03-data.ipynb): parameter 'partner' has unknown value 'Atlantis'; "
        f"valid values: {', '.join(valid)}\n",
    )


def test_manifest_start_year_after_end_year(proj, before):
    manifest(proj, GOOD_MANIFEST.replace("{partner: Russia}", "{partner: Russia, start_year: 2020, end_year: 2000}"))
    build_fails(
        proj,
        before,
        2,
        f"error: report.yml:{line_of(proj, '03-data')}: chapter '03-data' (notebooks/03-data.ipynb): parameter 'start_year' = 2020 is after "
        "'end_year' = 2000; start_year must be <= end_year\n",
    )


def test_manifest_malformed_yaml(proj, before):
    manifest(proj, GOOD_MANIFEST.replace("chapters:\n", "chapters: [notebooks/01-summary.ipynb\n", 1))
    build_fails(proj, before, 2, "error: report.yml: malformed YAML at line ")
    err = run("build")[2]
    assert re.fullmatch(r"error: report\.yml: malformed YAML at line \d+, column \d+: [^\n]+\n", err), err


# Simple mistakes in report.yml: one message naming the line and the key, exit 2, no kernel.
EXTRA = GOOD_MANIFEST + "  - notebook: notebooks/01-summary.ipynb\n    id: extra\n"


def _edit(old: str, new: str):
    return lambda text: text.replace(old, new, 1) if old in text else pytest.fail(f"{old!r} not in the manifest")


MANIFEST_MISTAKES = {
    # case: (edit of EXTRA, the line the message names (a text on it), the message after "report.yml:<line>: ")
    "impossible-date": (
        _edit("edition: 2026-01-01", "edition: 2026-02-30"),
        "edition:",
        "edition: '2026-02-30' is not a date in the calendar (written YYYY-MM-DD)",
    ),
    "month-13": (
        _edit("edition: 2026-01-01", "edition: 2026-13-01"),
        "edition:",
        "edition: '2026-13-01' is not a date in the calendar (written YYYY-MM-DD)",
    ),
    "date-in-words": (
        _edit("edition: 2026-01-01", "edition: January 2026"),
        "edition:",
        "edition: must be a date written as YYYY-MM-DD, got 'January 2026'",
    ),
    "timeout-with-unit": (
        _edit("timeout: 60", "timeout: 5m"),
        "timeout:",
        "timeout: must be a whole number of seconds greater than 0 (e.g. 600), got '5m'",
    ),
    "timeout-zero": (
        _edit("timeout: 60", "timeout: 0"),
        "timeout:",
        "timeout: must be a whole number of seconds greater than 0 (e.g. 600), got 0",
    ),
    "timeout-negative": (
        _edit("timeout: 60", "timeout: -1"),
        "timeout:",
        "timeout: must be a whole number of seconds greater than 0 (e.g. 600), got -1",
    ),
    "chapter-timeout-fraction": (
        _edit("    id: extra\n", "    id: extra\n    timeout: 1.5\n"),
        "timeout: 1.5",
        "chapter 4: timeout: must be a whole number of seconds greater than 0 (e.g. 600), got 1.5",
    ),
    "empty-notebook": (
        lambda t: t + "  - notebook:\n",
        "- notebook:\n",
        "chapter 5: notebook: must name a notebook file, e.g. notebooks/05-exercises.ipynb, got nothing",
    ),
    "notebook-missing": (
        _edit("  - notebook: notebooks/01-summary.ipynb\n    id: extra\n", "  - id: extra\n"),
        "id: extra",
        "chapter 4: key 'notebook' is missing",
    ),
    "parameters-as-list": (
        _edit("parameters: {year: 2001}", "parameters:\n      - year: 2001"),
        "parameters:\n      - year",
        "chapter 2: parameters: must be a mapping of parameter names to values (name: value), got [{'year': 2001}]",
    ),
    "id-not-slug": (
        _edit("id: extra", "id: Extra Chapter"),
        "id: Extra",
        "chapter 4: id: must be slug-safe: lowercase letters, digits and single or double hyphens (e.g. 05-exercises), got 'Extra Chapter'",
    ),
    "id-reserved": (
        _edit("id: extra", "id: fig-1"),
        "01-summary.ipynb\n    id: fig-1",
        "chapter 4: chapter id 'fig-1' is reserved by the report page; choose another 'id'",
    ),
    "duplicate-chapters-key": (
        lambda t: t + "chapters:\n  - notebooks/01-summary.ipynb\n",
        "chapters:\n  - notebooks/01-summary.ipynb\n",
        "key 'chapters' appears twice (lines 7 and 17); keep one (YAML would silently use the last)",
    ),
    "duplicate-parameters-key": (
        _edit("    parameters: {year: 2001}\n", "    parameters: {year: 2001}\n    parameters: {year: 2002}\n"),
        "{year: 2002}",
        "key 'parameters' appears twice (lines 10 and 11); keep one (YAML would silently use the last)",
    ),
    "where-names-a-missing-column": (
        _edit("partner: [Russia, China]", "partner: {table: partners, column: partner, where: profil}"),
        "- notebook: notebooks/02-profile",
        "chapter 2: foreach: partner: data/partners.csv: no column 'profil' (named by where:); columns: "
        "partner, iso3, historical, named_in, profile, source_id, locator, note",
    ),
    "foreach-two-names": (
        _edit("partner: [Russia, China]", "partner: [Russia, China]\n      year: [2001]"),
        "foreach:",
        "chapter 2: foreach: must map ONE parameter name to a list or to {table: T, column: C, where: FLAG}, "
        "got {'partner': ['Russia', 'China'], 'year': [2001]}",
    ),
    "unknown-key": (
        lambda t: t + "colour: red\n",
        "colour: red",
        "unknown key 'colour'; valid: name, title, subtitle, edition, author, producer, data_as_of, citation, changes_after, timeout, chapters",
    ),
    "chapter-not-a-mapping": (
        lambda t: t + "  - 5\n",
        "  - 5",
        "chapter 5: a chapter is a notebook path or a mapping with notebook, parameters, foreach, id, timeout, annex; got 5",
    ),
    "parameter-name-not-text": (
        _edit("{year: 2001}", "{2001: year}"),
        "{2001: year}",
        "chapter 2: parameters: names must be text, got 2001",
    ),
}


@pytest.mark.parametrize("case", sorted(MANIFEST_MISTAKES))
def test_manifest_simple_mistakes(proj, before, case):
    edit, on_line, message = MANIFEST_MISTAKES[case]
    text = edit(EXTRA)
    manifest(proj, text)
    line = text[: text.rindex(on_line)].count("\n") + 1 + on_line[: on_line.index(on_line.strip()[0])].count("\n")
    err = build_fails(proj, before, 2)
    assert err == f"error: report.yml:{line}: {message}\n"
    assert not (proj / "build" / "run").exists() and not list((proj / "build").glob("run-*"))


def test_manifest_not_saved_as_utf8(proj, before):
    text = EXTRA.replace("Built by the tests", "Built by the tests \u2013 caf\u00e9")
    (proj / "report.yml").write_bytes(text.encode("cp1252"))
    err = build_fails(proj, before, 2)
    assert err == (
        "error: report.yml:3: not valid UTF-8 (byte 0x96); the file was probably saved as Windows-1252 or Latin-1: "
        "save it as UTF-8\n"
    )


def test_chapter_id_from_a_notebook_name_that_is_not_slug_safe(proj, before):
    shutil.copyfile(proj / "notebooks" / "01-summary.ipynb", proj / "notebooks" / "Summary Two.ipynb")
    manifest(proj, EXTRA + "  - notebooks/Summary Two.ipynb\n")
    err = build_fails(proj, before, 2)
    assert err == (
        f"error: report.yml:{line_of(proj, 'Summary Two')}: chapter 5: chapter id 'Summary Two' is not slug-safe "
        "(lowercase letters, digits and single or double hyphens); give the chapter an 'id' such as 'summary-two'\n"
    )


# --------------------------------------------------------------------------- execution
def test_cell_that_raises(proj, before):
    add_chapter(proj, "04-broken.ipynb", notebook(["MD:# Broken", "x = 1", "raise ValueError('the data ran out')"]))
    build_fails(
        proj,
        before,
        1,
        "chapter '04-broken' (notebooks/04-broken.ipynb) failed in cell 3: ValueError: the data ran out; "
        "the executed notebook is kept at build/failed/04-broken.ipynb\nreport/ was left as it was.\n",
    )
    assert (proj / "build" / "failed" / "04-broken.ipynb").exists()
    assert wait_no_kernels(proj) == []


def test_cell_that_hangs_past_the_timeout(proj, before):
    hang = notebook(["MD:# Hangs", "x = 1", "import time\ntime.sleep(120)", "y = 2"])
    add_chapter(proj, "04-hang.ipynb", hang, "    timeout: 3\n")
    t0 = time.monotonic()
    build_fails(
        proj,
        before,
        1,
        "error: chapter '04-hang' (notebooks/04-hang.ipynb) timed out: cell 3 ran longer than 3 s; the kernel was stopped",
        "report/ was left as it was.\n",
    )
    assert time.monotonic() - t0 < 60
    assert wait_no_kernels(proj) == [], "a kernel outlived its timed-out chapter"


def test_ctrl_c_during_a_build(proj, before):
    add_chapter(proj, "04-sleep.ipynb", sleeper(120))
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(proj))
    p = subprocess.Popen(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(proj / "sleeping")
        assert kernel_processes(proj), "the sleeping kernel should be visible"
        os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, err
    assert "error: build interrupted (Ctrl-C): kernels stopped, report/ left as it was\n" in err, err
    assert "Traceback" not in err
    assert_untouched(proj, before)
    assert wait_no_kernels(proj) == [], "a kernel outlived Ctrl-C"
    assert not list((proj / "build").glob("run-*")) and not list((proj / "build").glob("render-*"))


def test_second_build_while_one_runs(proj, before):
    add_chapter(proj, "04-sleep.ipynb", sleeper(4))
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(proj))
    p = subprocess.Popen(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(proj / "sleeping")
        build_fails(
            proj,
            before,
            3,
            f"error: another build is already running in this project (pid {p.pid}); "
            "wait for it to finish, then build again. report/ was not touched.\n",
        )
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    assert re.search(r"done +04-sleep", out) and "wrote report/fixture.html, report/fixture.pdf" in out
    after = digest(proj / "report")
    assert (
        set(after) == {"fixture.html", "fixture.pdf", "fixture.facts.json"}
        and after["fixture.html"] != before["fixture.html"]
    )
    html = (proj / "report" / "fixture.html").read_text(encoding="utf-8")
    assert "Fixture sleeper" in html and "Fixture data chapter" in html and html.rstrip().endswith("</html>")
    from pypdf import PdfReader

    assert "Fixture sleeper" in "\n".join(pg.extract_text() for pg in PdfReader(proj / "report" / "fixture.pdf").pages)
    # and the first build's result is a clean state: a rebuild has nothing to do
    code, out, _ = run("build")
    assert code == 0 and "0 executed, 5 cached; up to date:" in out
    assert digest(proj / "report") == after
    assert wait_no_kernels(proj) == []
