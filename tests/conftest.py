import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh fixture project; PARTNERSHIPS_ROOT points at it for the test."""
    from fixture_project import make_project

    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    return root


REPO = Path(__file__).resolve().parents[1]


def build_real_report(dest: Path, *extra: str, source: Path = REPO) -> Path:
    """Copy data/, notebooks/ and report.yml (of the repository, or of ``source``) into ``dest`` and build there.

    The build runs in a subprocess with ``PARTNERSHIPS_ROOT=dest`` (so this process's
    environment is left alone); a failure fails the calling test with the build's stderr.
    """
    import os
    import shutil
    import subprocess

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data")
    shutil.copytree(source / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copyfile(source / "report.yml", dest / "report.yml")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(dest))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "2", *extra],
        env=env, capture_output=True, text=True, timeout=1200,
    )
    if res.returncode != 0:
        pytest.fail(f"the real report did not build (exit {res.returncode}):\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return dest


@pytest.fixture(scope="session")
def real_report(tmp_path_factory):
    """The REAL report (repo data/, notebooks/, report.yml), built once per session in a tmp project.

    Returns the project root; the files are ``report/<name>.html`` / ``.pdf`` and the
    executed notebooks ``build/executed/*.ipynb``.
    """
    import os

    reuse = os.environ.get("PARTNERSHIPS_TEST_REAL_REPORT")  # developer shortcut: an already built copy
    if reuse:
        return Path(reuse).resolve()
    return build_real_report(tmp_path_factory.mktemp("real") / "proj")


def report_files(root: Path) -> tuple[Path, Path]:
    import yaml

    name = yaml.safe_load((root / "report.yml").read_text(encoding="utf-8"))["name"]
    return root / "report" / f"{name}.html", root / "report" / f"{name}.pdf"
