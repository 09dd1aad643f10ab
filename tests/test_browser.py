"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

The report is opened from a file with every request that is not ``file:`` or ``data:``
aborted (and counted); the tests assert that no request leaves the page, no console
error, every figure's SVG is visible with a non-zero size, each table-of-contents link
lands on its chapter, and nothing overflows sideways at phone width (390 px). A
full-page screenshot of each report is saved under ``build/screenshots/`` for a person
to look at. Runs against the fixture report, then the real one (``real_report``).

The browser is the system's ``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright
never downloads one.
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
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO / "build" / "screenshots"

pytestmark = pytest.mark.needs_tool("chromium")  # conftest: skipped if missing, failed under CI


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def fixture_html(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("browser") / "proj")
    env = dict(os.environ, PARTNERSHIPS_ROOT=str(root))
    res = subprocess.run(
        [sys.executable, "-m", "partnerships.cli", "build", "--no-pdf", "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    return root / "report" / "fixture.html"


@pytest.fixture(scope="module", params=["fixture", "real"])
def report(request, fixture_html):
    if request.param == "fixture":
        return request.param, fixture_html
    return request.param, report_files(request.getfixturevalue("real_report"))[0]


class Page:
    """A page opened offline, with what it tried to fetch and what it logged."""

    def __init__(self, browser, html: Path, width: int = 1280, height: int = 900):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.goto(html.as_uri(), wait_until="load")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def opened(browser, report):
    kind, html = report
    pg = Page(browser, html)
    yield kind, pg
    pg.close()


def test_no_request_leaves_the_page_and_no_console_error(opened):
    kind, pg = opened
    pg.page.wait_for_timeout(300)  # anything scheduled after load
    assert pg.blocked == [], f"{kind}: requests that tried to leave the page: {pg.blocked}"
    assert pg.errors == [], f"{kind}: {pg.errors}"
    # and nothing in the document points outside it
    external = pg.page.evaluate(
        """() => [...document.querySelectorAll('[src],[href]')]
              .map(e => e.getAttribute('src') || e.getAttribute('href'))
              .filter(u => !/^(#|data:)/.test(u))"""
    )
    assert external == [], external


def test_every_figure_is_visible_with_a_size(opened):
    kind, pg = opened
    figures = pg.page.locator("figure[data-kind=figure]")
    n = figures.count()
    assert n >= (3 if kind == "fixture" else 10), f"{kind}: only {n} figures"
    svgs = pg.page.locator("figure[data-kind=figure] svg")
    assert svgs.count() >= n
    for i in range(n):
        fig = figures.nth(i)
        svg = fig.locator("svg").first
        fig.scroll_into_view_if_needed()
        assert svg.is_visible(), f"{kind}: figure {i + 1} not visible"
        box = svg.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"{kind}: figure {i + 1} box {box}"
        caption = fig.locator("figcaption").inner_text()
        assert caption.startswith(f"Figure {i + 1}"), caption


def test_toc_links_land_on_their_chapters(opened):
    kind, pg = opened
    page = pg.page
    links = page.locator("#report-contents a.toc-chapter, #report-contents li.toc-chapter > a")
    n = links.count()
    chapters = page.locator("section.chapter").count()
    assert n == chapters and n >= (3 if kind == "fixture" else 10), (n, chapters)
    for i in range(n):
        link = links.nth(i)
        href = link.get_attribute("href")
        title = link.locator(".toc-text").inner_text()
        page.evaluate("window.scrollTo(0, 0)")
        link.click()
        page.wait_for_function("h => location.hash === h", arg=href, timeout=5000)
        # the target exists, is the chapter heading with the TOC's title, and is on screen
        page.wait_for_function(
            """id => { const e = document.getElementById(id); if (!e) return false;
                       const r = e.getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight / 2; }""",
            arg=href[1:],
            timeout=5000,
        )
        target = page.locator(f"[id='{href[1:]}']")
        assert target.count() == 1, href
        assert target.evaluate("e => e.tagName") == "H1", href
        assert " ".join(target.inner_text().split()) == " ".join(title.split()), (href, title)
        mark = link.locator(".toc-num").inner_text().strip()
        assert target.evaluate("e => e.closest('section.chapter').dataset.chapter") == mark
        kicker = target.evaluate("e => e.closest('section.chapter').querySelector('.chapter-kicker').textContent")
        assert kicker == (f"Chapter {mark}" if mark.isdigit() else f"Annex {mark}")


def test_full_page_screenshot_for_a_person(opened):
    kind, pg = opened
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{kind}-report.png"
    pg.page.evaluate("window.scrollTo(0, 0)")
    pg.page.screenshot(path=str(out), full_page=True)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 1280 and height > 2000, (width, height)


def test_phone_width_has_no_horizontal_overflow(browser, report):
    kind, html = report
    pg = Page(browser, html, width=390, height=844)
    try:
        sizes = pg.page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]")
        assert sizes[0] <= 390 and sizes[1] <= 390, f"{kind}: page is {sizes[0]} px wide at a 390 px viewport"
        # which elements stick out (for the message): none may pass the right edge
        wide = pg.page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => {
                   // inside an <svg> drawings are clipped by the svg's own box; wide tables scroll in .table-body
                   if (e.ownerSVGElement || e.closest('.table-body')) return false;
                   const r = e.getBoundingClientRect();
                   return r.right > innerWidth + 1 && getComputedStyle(e).position !== 'fixed';
               }).slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class') + '#' + e.id)"""
        )
        assert wide == [], f"{kind}: elements wider than the phone: {wide}"
        assert pg.blocked == [] and pg.errors == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.page.screenshot(path=str(SCREENSHOTS / f"{kind}-report-phone.png"))
    finally:
        pg.close()
