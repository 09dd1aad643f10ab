"""The HTML report passes axe-core in Chromium (issue 14): WCAG 2.0/2.1/2.2 A and AA, and
axe's best practices, with zero violations, for the fixture report and the real one.

axe-core comes from the npm registry through `make setup` (package-lock.json pins it) into
node_modules/; the test injects it into the page under test only (the published HTML never
contains it), with every request that is not file: or data: aborted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, report_files
from fixture_project import make_project

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def fixture_html(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("a11y") / "proj")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--no-pdf", "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    return root / "report" / "fixture.html"


def axe_violations(html: Path, width: int = 1280) -> list[dict]:
    from playwright.sync_api import sync_playwright

    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make setup` (npm ci installs it into node_modules/)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": 900})
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page = ctx.new_page()
            page.goto(html.as_uri(), wait_until="load")
            assert "axe" not in (page.evaluate("Object.keys(window).filter(k => k === 'axe')") or [])
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # this page only
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
            )
        finally:
            browser.close()
    return result["violations"]


def _explain(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for n in v["nodes"][:4]:
            lines.append(
                f"    {n['target']}: {n['failureSummary'].splitlines()[-1].strip() if n.get('failureSummary') else ''}"
            )
    return "\n".join(lines)


def test_published_html_does_not_carry_axe(real_report):
    html = report_files(real_report)[0].read_text(encoding="utf-8")
    assert "axe-core" not in html and "axe.run" not in html


@pytest.mark.parametrize("width", [1280, 390])
def test_fixture_report_has_no_axe_violations(fixture_html, width):
    v = axe_violations(fixture_html, width)
    assert v == [], _explain(v)


@pytest.mark.parametrize("width", [1280, 390])
def test_real_report_has_no_axe_violations(real_report, width):
    v = axe_violations(report_files(real_report)[0], width)
    assert v == [], _explain(v)
