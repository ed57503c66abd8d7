"""The programme dashboard in real Chromium at phone size: its charts and tables fit without
sideways scrolling, chart text is at least 12 px as drawn on the screen, and axe-core finds no
serious or critical violation. The browser and axe fixtures are tests/browser.py's.

Screenshots go to $REPORTS_SCREENSHOTS when set (docs/screenshots/dashboard-390.png)."""

import pytest

from tests.browser import no_sideways_scroll, serious_violations, shot, sign_in
from tests.reports.conftest import make_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The chart text's size as drawn: its font size times the SVG's scale on the screen.
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')]
    .filter(t => t.getClientRects().length)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
PAGE_WIDTH = "document.scrollingElement.scrollWidth"


@pytest.fixture
def phone_390(browser):
    from tests.browser import AXE

    if not AXE.is_file():
        pytest.skip("axe-core is missing (run `npm ci`)")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_dashboard_at_phone_size(axe_phone, live_server, cora, debrief, upcoming, care, hank):
    make_items(care, hank, 6)
    page = axe_phone.new_page()
    sign_in(page, live_server, cora, next_url="/reports/programmes/autumn/")
    page.goto(f"{live_server.url}/reports/programmes/autumn/")
    # The programme's five charts, then the loop's trend for all departments and for CARE.
    assert page.locator(".chart-phone svg.chart").count() == 7
    assert page.get_by_role("img", name="Participation by department").count() == 1
    no_sideways_scroll(page)
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/reports/")
    no_sideways_scroll(page)
    assert serious_violations(page) == []


def test_dashboard_at_390_px_has_readable_charts_and_no_sideways_scroll(
    phone_390, live_server, cora, debrief, upcoming, care, hank
):
    make_items(care, hank, 9)
    page = phone_390.new_page()
    sign_in(page, live_server, cora, next_url="/reports/programmes/autumn/")
    page.goto(f"{live_server.url}/reports/programmes/autumn/")
    page.wait_for_load_state("load")
    assert page.locator(".chart-phone svg.chart").first.is_visible()
    assert not page.locator(".chart-wide svg.chart").first.is_visible()
    assert page.evaluate(SMALLEST_TEXT) >= 12
    assert page.evaluate(PAGE_WIDTH) <= 390
    # Reflowed: each figure on its own line, named, and no header split inside a word.
    label = page.locator('td[data-label="Invited"]').first
    assert label.is_visible()
    assert (
        page.evaluate(
            """() => getComputedStyle(document.querySelector('td[data-label="Invited"]'),
             '::before').content"""
        )
        == '"Invited"'
    )
    assert serious_violations(page) == []
    shot(page, "dashboard-390", folder_variable="REPORTS_SCREENSHOTS")


def test_dashboard_on_a_wide_screen_draws_the_wide_charts_unscaled(
    browser, live_server, cora, debrief, care, hank
):
    make_items(care, hank, 3)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, cora, next_url="/reports/programmes/autumn/")
    page.goto(f"{live_server.url}/reports/programmes/autumn/")
    page.wait_for_load_state("load")
    assert page.locator(".chart-wide svg.chart").first.is_visible()
    assert not page.locator(".chart-phone svg.chart").first.is_visible()
    assert page.evaluate(SMALLEST_TEXT) >= 12
    context.close()


def test_dashboard_in_french_at_390_px_fits_the_screen(
    phone_390, live_server, cora, debrief, upcoming, care, hank
):
    cora.ui_language = "fr-ca"
    cora.save(update_fields=["ui_language"])
    make_items(care, hank, 6)
    page = phone_390.new_page()
    sign_in(page, live_server, cora, next_url="/reports/programmes/autumn/")
    page.goto(f"{live_server.url}/reports/programmes/autumn/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "fr-ca"
    assert page.evaluate(SMALLEST_TEXT) >= 12
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert serious_violations(page) == []
