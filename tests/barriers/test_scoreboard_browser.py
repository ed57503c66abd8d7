"""The department scoreboard in real Chromium at 390 px: a table that reflows without sideways
scrolling, sorted from its "Sort by" form and, on a wide screen, from its headers, `aria-sort`
on the sorted column; no serious axe-core violation.

Screenshots go to $BACKLOG_SCREENSHOTS when set (docs/screenshots/scoreboard-390.png)."""

import pytest

from barriers.services.claims import barrier_claim
from shadowing import clock
from tests.barriers.conftest import file_report, item_of
from tests.browser import AXE, serious_violations, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROW_CODES = """() => [...document.querySelectorAll('table.scoreboard tbody th[scope=row] .muted')]
    .map(e => e.textContent.replace(/[()]/g, ''))"""


@pytest.fixture
def board(visit, hank, billing, bill, finance):
    claimed = item_of(file_report(visit, title="Refunds need a supervisor"))
    file_report(visit, title="Two systems for one address change")
    for n in range(3):
        file_report(visit, title=f"Billing barrier {n}", department="BILL")
    barrier_claim(barrier=claimed, by=hank, due=clock.local_today(), first_step="Ask IT")


def context_at(browser, width: int):
    if not AXE.is_file():
        pytest.skip("axe-core is missing (run `npm ci`)")
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=width < 768, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    return context


def test_scoreboard_at_390_px_reflows_and_sorts_from_its_form(browser, live_server, nina, board):
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in(page, live_server, nina, "/backlog/scoreboard/")
    page.goto(f"{live_server.url}/backlog/scoreboard/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.evaluate(ROW_CODES) == ["BILL", "CARE"]
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Open")
    assert page.locator("text=Nothing on its backlog: Finance (FIN)").is_visible()
    assert serious_violations(page) == []
    shot(page, "scoreboard-390", folder_variable="BACKLOG_SCREENSHOTS")
    page.get_by_label("Sort by", exact=True).select_option("new")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("?sort=new")
    assert page.evaluate(ROW_CODES) == ["CARE", "BILL"]
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("New")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    context.close()


def test_scoreboard_on_a_wide_screen_sorts_from_its_headers(browser, live_server, nina, board):
    context = context_at(browser, 1280)
    page = context.new_page()
    sign_in(page, live_server, nina, "/backlog/scoreboard/")
    page.goto(f"{live_server.url}/backlog/scoreboard/")
    page.get_by_role("link", name="Department", exact=True).click()
    page.wait_for_load_state("load")
    assert page.evaluate(ROW_CODES) == ["BILL", "CARE"]
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Department")
    page.locator("th[aria-sort] a").click()  # again: the other way round
    page.wait_for_load_state("load")
    assert page.evaluate(ROW_CODES) == ["CARE", "BILL"]
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Department")
    assert serious_violations(page) == []
    context.close()


def test_scoreboard_in_french_at_390_px_fits_the_screen(browser, live_server, nina, board):
    """French headers and "Sort by" options are the longest: none widens the page."""
    nina.ui_language = "fr-ca"
    nina.save(update_fields=["ui_language"])
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in(page, live_server, nina, "/backlog/scoreboard/")
    page.goto(f"{live_server.url}/backlog/scoreboard/?sort=days_to_resolve")
    page.wait_for_load_state("load")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.locator('td[data-label="Nouveaux"]').count() == 2
    assert serious_violations(page) == []
    context.close()
