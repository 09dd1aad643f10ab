"""A committed notebook opened in JupyterLab (headless Chromium): its figures show without
running anything, and saving it unchanged leaves the file byte for byte as committed.

JupyterLab runs on a copy of notebooks/ in a temporary folder with the project's kernel
(``make setup`` installs it into .venv); the screenshot is kept in build/jupyterlab/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port = _free_port()
    env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="1", PARTNERSHIPS_ROOT=str(ROOT))
    env["JUPYTER_CONFIG_DIR"] = str(work / "config")  # no user settings (e.g. autosave) leak in
    env["JUPYTERLAB_SETTINGS_DIR"] = str(work / "settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(work / "workspaces")
    cmd = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={work / 'notebooks'}",
        "--ServerApp.disable_check_xsrf=True",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                    url + "/api", timeout=1
                )  # answers without a token
                break
            except urllib.error.HTTPError:
                break  # the server answers
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield {"url": url, "dir": work / "notebooks"}
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _stored_figures(nb_bytes: bytes) -> int:
    nb = json.loads(nb_bytes)
    return sum(
        "figure-svg" in "".join(o.get("data", {}).get("text/html", []))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )


def test_committed_figures_show_and_saving_changes_nothing(lab):
    """Every notebook: each stored chart is drawn (untrusted), and Ctrl+S leaves the file as it was."""
    from playwright.sync_api import sync_playwright

    shots = ROOT / "build" / "jupyterlab"
    shots.mkdir(parents=True, exist_ok=True)
    problems, shot = [], None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for nb_path in sorted(lab["dir"].glob("*.ipynb")):
                before = nb_path.read_bytes()
                stored = _stored_figures(before)
                checkpoint = lab["dir"] / ".ipynb_checkpoints" / f"{nb_path.stem}-checkpoint.ipynb"
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{lab['url']}/lab/tree/{nb_path.name}?reset")  # ?reset: only this notebook open
                page.wait_for_selector(".jp-Notebook .jp-OutputArea-output", timeout=60_000)
                # the kernel the notebook names is the project's, and it is found
                page.wait_for_selector(".jp-Toolbar-kernelName:has-text('Python (partnerships)')", timeout=60_000)
                page.wait_for_function(
                    "n => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook img.figure-svg')].filter(i => i.complete && i.naturalWidth > 100).length === n",
                    arg=stored,
                    timeout=60_000,
                )
                if stored and shot is None:  # a screenshot of the first notebook with a chart
                    page.locator(".jp-Notebook:visible img.figure-svg").first.scroll_into_view_if_needed()
                    time.sleep(0.5)
                    shot = shots / f"{nb_path.stem}-figure.png"
                    page.screenshot(path=str(shot))
                page.locator(".jp-Notebook:visible").first.click(position={"x": 5, "y": 5})
                page.keyboard.press("Control+s")
                deadline = time.time() + 30
                while time.time() < deadline and not checkpoint.exists():
                    time.sleep(0.2)
                time.sleep(1.0)
                page.close()
                if not checkpoint.exists():
                    problems.append(f"{nb_path.name}: JupyterLab did not save")
                elif nb_path.read_bytes() != before:
                    import difflib

                    diff = "".join(
                        difflib.unified_diff(
                            before.decode().splitlines(True), nb_path.read_bytes().decode().splitlines(True), n=1
                        )
                    )
                    problems.append(f"{nb_path.name}: saving changed it:\n{diff[:2000]}")
        finally:
            browser.close()
    assert problems == []
