"""Runs first in the session (file name). In a full run, two builds made minutes apart once gave
differing PDFs from identical HTML: Typst read the faces from one temp folder shared by every
build on the machine, which another checkout (an older conversion, stamping the time into
the faces) could rewrite in between. The folder is now named by what its faces are made from
(tests/test_typst_fonts.py); the file name keeps this test first all the same.

Same inputs, same bytes: two builds of the real report from two separate clean copies.

The first build is the session's ``real_report``; the second is made here in another
temporary folder (another absolute path, so a leaked path would show as a difference).

- the HTML and every executed notebook (``build/executed/*.ipynb``) are byte-identical;
- the PDF is byte-identical too: ``render_pdf`` sets ``SOURCE_DATE_EPOCH`` to the edition
  date while WeasyPrint writes (font subsets otherwise carry the current time,
  WeasyPrint#1553), and the document's /CreationDate and /ModDate come from the edition
  date in the HTML's ``dcterms`` metadata. Nothing is allowed to differ;
- no absolute path of the build machine (the two build folders, the temp folder, the
  home folder, and the top-level root/work/home folders) nor the user's name is in any output: HTML, PDF text,
  PDF metadata and uncompressed PDF bytes, executed notebooks;
- ``partnerships outputs --check`` on the unchanged copy finds no stale notebook, so
  ``make outputs`` on unchanged inputs leaves ``git status`` clean.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import build_real_report, report_files


@pytest.fixture(scope="module")
def second(real_report, tmp_path_factory):
    # the same inputs as the first build (its pristine copy of data/, notebooks/, report.yml:
    # a build never writes there), in another folder
    return build_real_report(tmp_path_factory.mktemp("second") / "proj", source=real_report)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def executed(root: Path) -> dict:
    return {p.name: sha(p) for p in sorted((root / "build" / "executed").glob("*.ipynb"))}


def test_html_is_byte_identical(real_report, second):
    a, b = report_files(real_report)[0], report_files(second)[0]
    assert a.read_bytes() == b.read_bytes()


def test_executed_notebooks_are_byte_identical(real_report, second):
    a, b = executed(real_report), executed(second)
    assert len(a) >= 10 and set(a) == set(b)
    assert {k for k in a if a[k] != b[k]} == set()


def test_pdf_is_byte_identical(real_report, second):
    a, b = report_files(real_report)[1], report_files(second)[1]
    if a.read_bytes() != b.read_bytes():
        from pypdf import PdfReader

        ra, rb = PdfReader(a), PdfReader(b)
        pytest.fail(
            "PDFs differ: "
            f"metadata {dict(ra.metadata)} vs {dict(rb.metadata)}; pages {len(ra.pages)} vs {len(rb.pages)}; "
            f"text equal: {[p.extract_text() for p in ra.pages] == [p.extract_text() for p in rb.pages]}"
        )


def forbidden(root: Path) -> list[str]:
    home = os.path.expanduser("~")
    items = {str(root), str(root.parent), tempfile.gettempdir() + "/", str(Path.cwd())}
    items |= {f"/{top}/" for top in ("root", "work", "home")}  # machine folders, written as patterns
    if home not in ("", "/"):
        items.add(home)
    return sorted(i for i in items if i not in ("", "/"))


def leaks(text: str, root: Path, user_name: bool = True) -> list[str]:
    found = [f for f in forbidden(root) if f in text]
    user = getpass.getuser()
    if user_name and user and re.search(rf"(?<![\w./-]){re.escape(user)}(?![\w-])", text):
        found.append(f"user name {user!r}")
    return found


@pytest.mark.needs_tool("pdftotext")
@pytest.mark.parametrize("which", ["first", "second"])
def test_no_machine_path_or_user_name_in_any_output(which, real_report, second):
    root = real_report if which == "first" else second
    html, pdf = report_files(root)
    problems = {}
    problems["html"] = leaks(html.read_text(encoding="utf-8"), root)
    pdf_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    problems["pdf text"] = leaks(pdf_text, root)
    problems["pdf bytes"] = leaks(
        pdf.read_bytes().decode("latin-1"), root, user_name=False
    )  # compressed data: paths only
    from pypdf import PdfReader

    problems["pdf metadata"] = leaks(repr(dict(PdfReader(pdf).metadata)), root)
    for nb in sorted((root / "build" / "executed").glob("*.ipynb")):
        problems[nb.name] = leaks(nb.read_text(encoding="utf-8"), root)
    assert {k: v for k, v in problems.items() if v} == {}


def test_outputs_check_finds_no_stale_notebook(second):
    """`make outputs` on unchanged inputs would rewrite nothing (git status stays clean)."""
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(second))
    before = {p.name: sha(p) for p in (second / "notebooks").glob("*.ipynb")}
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "outputs", "--check", "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert res.stdout.rstrip().endswith("0 notebook(s) differ: none"), res.stdout[-2000:]
    assert {p.name: sha(p) for p in (second / "notebooks").glob("*.ipynb")} == before
