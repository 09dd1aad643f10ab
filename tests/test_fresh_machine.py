"""A fresh machine: `make test` installs (or asks for) the system tools, and under CI a test
that needs a missing tool fails instead of being skipped."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_test_and_ci_install_the_system_tools_the_same_way():
    make = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert ".ci/sysdeps" in make  # `make test` runs the installer before pytest
    assert make.index(".ci/sysdeps") < make.index("pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.strip().splitlines()[-1] == "make test" and "apt-get" not in ci  # one installer, not two
    script = (ROOT / ".ci" / "sysdeps").read_text()
    for package in ("chromium", "chromium-driver", "poppler-utils"):
        assert package in script


def _fake_path(tmp_path: Path, have: tuple[str, ...], apt_ok: bool, sudo: str | None) -> dict:
    """A PATH holding only the given tools (fakes) plus what the script itself runs."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for name in have:
        (bin_ / name).write_text("#!/bin/sh\nexit 0\n")
    (bin_ / "apt-get").write_text(f'#!/bin/sh\necho "apt-get $*" >> {tmp_path}/log\nexit {0 if apt_ok else 100}\n')
    if sudo is not None:
        (bin_ / "sudo").write_text(f"#!/bin/sh\n{sudo}\n")
    for tool in ("bash", "sort", "printf", "id", "env", "cat"):
        real = subprocess.run(["bash", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        if real.startswith("/"):
            (bin_ / tool).symlink_to(real)
    for p in bin_.iterdir():
        p.chmod(0o755)
    return dict(os.environ, PATH=str(bin_))


def test_sysdeps_installs_what_is_missing(tmp_path):
    env = _fake_path(tmp_path, have=("pdftotext", "pdftoppm", "npm"), apt_ok=True, sudo=None)
    res = subprocess.run(["bash", str(ROOT / ".ci" / "sysdeps")], env=env, capture_output=True, text=True)
    log = (tmp_path / "log").read_text() if (tmp_path / "log").exists() else ""
    if os.getuid() == 0:
        assert res.returncode == 0, res.stderr
        assert "install -y -qq --no-install-recommends chromium chromium-driver" in log
    else:  # not root: through sudo, which the fake PATH lacks
        assert res.returncode == 1 and "sudo is not installed" in res.stderr


def test_sysdeps_says_what_to_install_when_it_cannot(tmp_path):
    env = _fake_path(tmp_path, have=("chromium", "chromedriver", "npm"), apt_ok=False, sudo=None)
    res = subprocess.run(["bash", str(ROOT / ".ci" / "sysdeps")], env=env, capture_output=True, text=True)
    assert res.returncode == 1
    if os.getuid() == 0:  # root: it tried apt-get, which failed
        assert res.stderr == (
            "installing poppler-utils (apt-get)...\n"
            "error: the tests need these system packages: poppler-utils.\n"
            "       apt-get update failed (no network?). Install them yourself (Debian/Ubuntu: sudo apt-get install "
            "poppler-utils), then run make test again.\n"
        )
    else:  # not root and no sudo on the fake PATH
        assert "sudo is not installed" in res.stderr and "sudo apt-get install poppler-utils" in res.stderr


def test_sysdeps_does_nothing_when_all_tools_are_there(tmp_path):
    env = _fake_path(
        tmp_path, have=("chromium", "chromedriver", "pdftotext", "pdftoppm", "npm"), apt_ok=False, sudo=None
    )
    res = subprocess.run(["bash", str(ROOT / ".ci" / "sysdeps")], env=env, capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr == "" and not (tmp_path / "log").exists()


def test_under_ci_a_missing_tool_fails_the_test_instead_of_skipping_it(tmp_path):
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "fixture_project.py").write_text((ROOT / "tests" / "fixture_project.py").read_text())
    (tmp_path / "test_tool.py").write_text(
        textwrap.dedent("""
        import pytest

        @pytest.mark.needs_tool("no-such-tool-on-any-machine")
        def test_uses_the_tool():
            pass
    """)
    )
    for ci, outcome in (("", "1 skipped"), ("true", "1 error")):  # fails in setup: reported as an error, exit 1
        env = dict(os.environ, CI=ci)
        res = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert outcome in res.stdout and res.returncode == (1 if ci else 0), res.stdout
        if ci:
            assert "under CI a missing tool fails the test instead of skipping it" in res.stdout
