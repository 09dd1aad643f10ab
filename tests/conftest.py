import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

#: System tools some tests need, and the Debian package that has each (`make sysdeps` installs them).
TOOLS = {
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_tool(name): the test runs a system tool (chromium, pdftotext...)")


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None


def pytest_runtest_setup(item):
    """A test marked ``needs_tool(name)`` is skipped when the tool is missing, except under CI
    (``CI=true``), where it fails: a CI run must run every test."""
    for mark in item.iter_markers("needs_tool"):
        name = mark.args[0]
        if not have_tool(name):
            why = f"needs `{name}` (Debian package {TOOLS.get(name, name)}; `make sysdeps` installs it)"
            if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
                pytest.fail(f"{why}: under CI a missing tool fails the test instead of skipping it", pytrace=False)
            pytest.skip(why)


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
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    if res.returncode != 0:
        pytest.fail(
            f"the real report did not build (exit {res.returncode}):\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
        )
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


@pytest.fixture(scope="session")
def good(tmp_path_factory):
    """A fixture project with a copy of data/, built once (HTML and PDF): what the bad-input
    and hostile-machine tests break, one thing at a time (``proj`` gives each a copy)."""
    import subprocess

    from badinputs import DATA_NB, GOOD_MANIFEST
    from fixture_project import make_project

    root = make_project(tmp_path_factory.mktemp("good") / "proj", GOOD_MANIFEST, {"03-data.ipynb": DATA_NB})
    shutil.copytree(REPO / "data", root / "data")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--jobs", "2"], env=env, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    return root


@pytest.fixture
def proj(good, tmp_path, monkeypatch):
    """A private copy of the good project (report/ and build cache included)."""
    root = tmp_path / "proj"
    shutil.copytree(good, root, copy_function=shutil.copy)  # fresh mtimes: no stale in-memory table cache
    (root / "build" / ".lock").unlink(missing_ok=True)
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    return root


@pytest.fixture
def before(proj):
    """report/ of the copy, file by file (sha256), before the test breaks something."""
    from badinputs import digest

    d = digest(proj / "report")
    assert set(d) == {"fixture.html", "fixture.pdf", "fixture.facts.json"}
    return d
