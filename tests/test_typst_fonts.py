"""The PDF does not depend on what other builds left in the temp folder.

Typst reads TrueType copies of the bundled WOFF2 faces from a folder in the temp folder,
and loads every font in it. That folder used to be one for every build on the machine,
rewritten by whichever checkout found its copies older than its own faces: a checkout
whose conversion stamped the current time into the faces (an older version) made the next
PDF of the same HTML differ in its bytes; one with other family names made it fail. This
was the cause of the reproducibility oddity noted in tests/test_00_reproducible.py (two
builds minutes apart, with other builds on the machine in between). Now the folder is
named by what its faces are made from, and each face is renamed into place complete.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fixture_project import make_project

from partnerships import paths
from partnerships.engine import fonts, pdf, typst_pdf


@pytest.fixture(scope="module")
def fixture_html(tmp_path_factory):
    import os

    root = make_project(tmp_path_factory.mktemp("fonts") / "proj")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root))
    cmd = [sys.executable, "-m", "partnerships.cli", "build", "--no-pdf", "--jobs", "1"]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return root / "report" / "fixture.html"


@pytest.fixture
def tmpdir_(tmp_path, monkeypatch):
    """A temp folder of the test's own (what the builds on a machine share)."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    return shared


def write_like_another_checkout(folder: Path, rename: bool = False) -> None:
    """What another checkout wrote into the one shared folder: every face converted as an
    older version did, with the time of conversion stamped in (and, with ``rename``, the
    family names of a version that named the subsets otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    for file, family, _typeface, weight, style in fonts.FONTS:
        if rename:
            family = family.split(" Cyrillic")[0]
        f = typst_pdf._truetype(paths.fonts_dir() / file, family, weight, style)
        f.recalcTimestamp = True
        f.save(folder / (Path(file).stem + ".ttf"))


def render(html: Path, out: Path) -> bytes:
    pdf.render_pdf(html, out)
    return out.read_bytes()


def test_another_checkouts_faces_change_nothing(fixture_html, tmpdir_, tmp_path):
    first = render(fixture_html, tmp_path / "a.pdf")
    mine = [p for p in tmpdir_.iterdir() if p.name.startswith("partnerships-typst-fonts-")]
    assert len(mine) == 1 and {p.suffix for p in mine[0].iterdir()} == {".ttf"}  # no temporary file left
    write_like_another_checkout(tmpdir_ / "partnerships-typst-fonts")  # the old shared folder
    assert render(fixture_html, tmp_path / "b.pdf") == first
    write_like_another_checkout(tmpdir_ / "partnerships-typst-fonts", rename=True)
    assert render(fixture_html, tmp_path / "c.pdf") == first


def test_the_folder_is_named_by_what_its_faces_are_made_of(tmpdir_):
    same = typst_pdf._fonts_folder(fonts.FONTS)
    assert typst_pdf._fonts_folder(list(fonts.FONTS)) == same
    renamed = [(f, fam + " X", t, w, s) for f, fam, t, w, s in fonts.FONTS]
    other = typst_pdf._fonts_folder(renamed)
    assert other != same and other.parent == same.parent
    fewer = typst_pdf._fonts_folder(fonts.FONTS[:3])
    assert fewer not in (same, other) and len(list(fewer.iterdir())) == 3


def test_a_face_half_written_by_another_build_is_never_read(tmpdir_):
    """Faces are renamed into place whole: a build that finds one reads the complete file."""
    folder = typst_pdf._fonts_folder(fonts.FONTS)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "source-serif-4-latin-400-normal.ttf").unlink()  # as if another build had not got there yet
    again = typst_pdf._fonts_folder(fonts.FONTS)
    assert again == folder
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # the same bytes, written again
