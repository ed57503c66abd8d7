"""Real Chromium for the browser tests: Debian's chromium driven by Playwright with the flags of
MACHINE.md, at phone size, and axe-core from npm (`npm ci`). The fixtures are made available to
every test folder by tests/conftest.py; the helpers are imported where used."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shadowing.organisation.sign_in import sign_in_link_create

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000


def _missing(what: str):
    # CI installs both (.ci/run: chromium; make install: npm ci): there, missing is a failure.
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("Debian's chromium")
    from playwright import sync_api

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def axe_phone(browser):
    """A phone whose pages accept the injected axe-core script (CSP bypassed for it only)."""
    if not AXE.is_file():
        _missing("axe-core (run `npm ci`)")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def shot(page, name: str, *, folder_variable: str) -> None:
    """A full-page screenshot into the folder that `folder_variable` names, when it is set."""
    folder = os.environ.get(folder_variable)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page, live_server, person, next_url=""):
    url = urlsplit(sign_in_link_create(person=person, next_url=next_url))
    page.goto(f"{live_server.url}{url.path}?{url.query}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    # A page still committing a navigation has no document element yet.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
