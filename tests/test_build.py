"""End-to-end builds of a small fixture report (made in a temporary folder by the tests)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import nbformat
import pytest
from fixture_project import MANIFEST, notebook

from partnerships import cli


def run(*args) -> tuple[int, str, str]:
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def digest_tree(folder: Path) -> dict:
    return (
        {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}
        if folder.exists()
        else {}
    )


def test_end_to_end_html_and_pdf(project):
    code, out, err = run("build", "--jobs", "2")
    assert code == 0, err
    assert "3 executed, 0 cached" in out
    html = (project / "report" / "fixture.html").read_text(encoding="utf-8")
    for title in ("Fixture summary", "Fixture profile", "About Russia", "About China"):
        assert title in html
    # figures and tables numbered across the report
    assert re.search(r"Figure\s*1\b", html) and re.search(r"Figure\s*3\b", html) and re.search(r"Table\s*1\b", html)
    # nothing external, no code, no live script
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "present.figure(" not in html and "import matplotlib" not in html
    assert str(project) not in html

    from pypdf import PdfReader

    reader = PdfReader(project / "report" / "fixture.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    for title in ("Fixture summary", "Fixture profile", "About China"):
        assert title in text
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in text  # footer on the last page (the cover has none)
    assert f"Page 2 of {pages}" in text
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert any("Fixture summary" in t for t in outline), outline
    assert any("Fixture profile" in t for t in outline), outline


def test_cache_and_partial_rebuild(project):
    assert run("build", "--no-pdf")[0] == 0
    code, out, _ = run("build", "--no-pdf")
    assert code == 0 and "0 executed, 3 cached" in out
    # change one parameter set: only the chapters it touches run again
    (project / "report.yml").write_text(MANIFEST.replace("partner: [Russia, China]", "partner: [Russia, Japan]"))
    code, out, _ = run("build", "--no-pdf")
    assert code == 0, out
    assert "1 executed, 2 cached" in out
    assert re.search(r"done\s+02-profile--japan", out)
    # --no-cache forces execution
    code, out, _ = run("build", "--no-pdf", "--no-cache")
    assert "3 executed, 0 cached" in out


def test_failing_notebook_leaves_report_untouched(project):
    assert run("build")[0] == 0
    before = digest_tree(project / "report")
    bad = notebook(["MD:# Broken", "x = 1", "raise ValueError('the data ran out')"])
    nbformat.write(bad, project / "notebooks" / "03-broken.ipynb")
    (project / "report.yml").write_text(MANIFEST + "  - notebooks/03-broken.ipynb\n")
    code, out, err = run("build")
    assert code == 1
    assert "chapter '03-broken' (notebooks/03-broken.ipynb) failed in cell 3: ValueError: the data ran out" in err
    assert "build/failed/03-broken.ipynb" in err
    assert (project / "build" / "failed" / "03-broken.ipynb").exists()
    assert digest_tree(project / "report") == before


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "{year: 2001}",
            "{year: 2001, colour: red}",
            "unknown parameter 'colour' = 'red'; valid parameters: partner, year",
        ),
        (
            "[Russia, China]",
            "[Russia, Mars]",
            "parameter 'partner' has unknown value 'Mars'; valid values: Russia, China, Japan",
        ),
        ("{year: 2001}", "{year: '2001'}", "parameter 'year' must be int, got str '2001'"),
        ("{year: 2001}", "{year: 1800}", "parameter 'year' = 1800 is out of range; valid: 1990 to 2025"),
    ],
)
def test_bad_parameters_exit_2_before_any_kernel(project, old, new, message):
    (project / "report.yml").write_text(MANIFEST.replace(old, new))
    code, out, err = run("build")
    assert code == 2
    assert message in err
    assert "chapter '02-profile--" in err
    assert not (project / "build" / "executed").exists()  # no kernel ran
    assert not (project / "report").exists()


def test_two_builds_are_byte_identical(project, tmp_path, monkeypatch):
    from fixture_project import make_project

    assert run("build", "--no-pdf")[0] == 0
    other = make_project(tmp_path / "second")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(other))
    assert run("build", "--no-pdf")[0] == 0
    assert digest_tree(project / "report") == digest_tree(other / "report")
    assert digest_tree(project / "build" / "executed") == digest_tree(other / "build" / "executed")
    for nb in (other / "build" / "executed").glob("*.ipynb"):
        text = nb.read_text()
        assert str(tmp_path) not in text and "/tmp/" not in text
