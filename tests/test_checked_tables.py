"""Tables the build has checked are not checked again by the chapters (issue 14, speed).

`partnerships build` validates every table before any kernel starts (validate_all); the
chapters' kernels are forked from that process, and ``data.load`` takes the checked frame
instead of checking the table a second time, but only while the table and every table its
check read (foreign keys, article paragraphs) hold the same bytes. These tests hold it to
that: the frame is the one a fresh check gives, a change to any of those files is checked
again, and the chapter's recorded reads (the build cache's dependencies) are the same
files with the same hashes as when the table is checked in the chapter.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from partnerships.data import validate
from partnerships.data.validate import DataError, validate_all

REPO = Path(__file__).resolve().parents[1]
TABLES = sys.modules["partnerships.data.tables"]  # the module (partnerships.data.tables is also a function name)


@pytest.fixture
def root(tmp_path, monkeypatch):
    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(tmp_path))
    monkeypatch.setattr(TABLES, "_LOADED", {})
    monkeypatch.setattr(validate, "CHECKED", {})
    return tmp_path


def load_recording(name: str, deps: Path, monkeypatch) -> tuple[pd.DataFrame, list[str]]:
    """data.load(name) with the build's dependency file set; the frame and the lines written."""
    deps.write_text("")
    monkeypatch.setenv("PARTNERSHIPS_DEPS_FILE", str(deps))
    frame = TABLES.load(name)
    return frame, sorted(set(deps.read_text().splitlines()))


def forget() -> None:
    TABLES._LOADED.clear()
    validate.CHECKED.clear()


def test_validate_all_keeps_what_data_load_would_check(root):
    assert validate_all(use_cache=False) == []
    names = TABLES.tables()
    assert len(validate.CHECKED) == len(names)
    kept = {name: TABLES.load(name) for name in names}
    forget()  # now every load checks its table itself
    for name in names:
        fresh = TABLES.load(name)
        pd.testing.assert_frame_equal(kept[name], fresh, check_exact=True)
        assert list(kept[name].dtypes) == list(fresh.dtypes)


def test_a_checked_frame_is_a_copy(root):
    validate_all(use_cache=False)
    first = TABLES.load("exercises")
    first.loc[:, "name"] = "changed"
    assert (TABLES.load("exercises")["name"] != "changed").all()


def test_the_same_files_are_recorded_as_when_the_chapter_checks_the_table(root, tmp_path, monkeypatch):
    validate_all(use_cache=False)
    _, from_checked = load_recording("exercises", tmp_path / "a.deps", monkeypatch)
    forget()
    _, from_check = load_recording("exercises", tmp_path / "b.deps", monkeypatch)
    assert from_checked == from_check
    # data.load records the table it returns; the files its check read are recorded by the
    # kernel's audit hook, which reads them again now as the check would have
    assert [line.split("\t")[0] for line in from_check] == ["data/exercises.csv"]


@pytest.mark.parametrize("consulted", ["exercise_series", "sources", "article_paragraphs"])
def test_a_change_to_a_table_the_check_read_is_checked_again(root, monkeypatch, consulted):
    validate_all(use_cache=False)
    assert consulted in validate.CHECKED[next(k for k in validate.CHECKED if k[0].endswith("/exercises.csv"))][1]
    called = []
    real = validate.checked_table
    monkeypatch.setattr(validate, "checked_table", lambda *a, **k: called.append(a) or real(*a, **k))
    TABLES.load("exercises")
    assert called == []  # unchanged: the build's check stands
    path = root / "data" / f"{consulted}.csv"
    path.write_bytes(path.read_bytes() + b"\n")  # a blank line: same rows, other bytes
    TABLES.load("exercises")
    assert [a[0] for a in called] == ["exercises"]


def test_a_broken_foreign_key_after_the_build_checked_is_an_error(root):
    validate_all(use_cache=False)
    TABLES.load("exercises")
    series = root / "data" / "exercise_series.csv"
    lines = series.read_text(encoding="utf-8").splitlines(keepends=True)
    used = set(TABLES.load("exercises")["series"])
    kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(",")[0] not in used]
    series.write_text("".join(kept), encoding="utf-8")
    with pytest.raises(DataError, match=r"data/exercises\.csv:\d+: series"):
        TABLES.load("exercises")


def test_a_changed_table_is_read_and_checked_again(root):
    validate_all(use_cache=False)
    before = TABLES.load("pk_monthly")
    path = root / "data" / "pk_monthly.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert len(TABLES.load("pk_monthly")) == len(before) - 1


def test_one_checked_version_of_each_table_is_kept(root):
    """The preview server validates on every save: a table edited many times keeps one frame."""
    path = root / "data" / "pk_monthly.csv"
    for _ in range(3):
        validate_all(use_cache=False)
        path.write_bytes(path.read_bytes() + b"\n")
    validate_all(use_cache=False)
    assert sum(k[0] == str(path) for k in validate.CHECKED) == 1
    assert len(validate.CHECKED) == len(TABLES.tables())
