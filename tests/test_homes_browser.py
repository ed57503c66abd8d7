"""The executive's home in real Chromium at 390 px (a common phone): the next step and the visit
card fit the width, and "See your visit" leads to the card."""

import datetime as dt

import pytest

from tests.browser import TIMEOUT_MS, sign_in
from tests.browser import shot as browser_shot
from tests.debriefs.conftest import local_today, make_visit, programme  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def test_executive_visit_card_fits_a_390px_phone(browser, live_server, eve, ada, programme):  # noqa: F811
    ada.title = "Customer Care Agent, Vancouver contact centre, evening team"
    ada.save()
    ada.site.address = "1055 West Georgia Street, 12th floor, Vancouver BC V6E 3P3"
    ada.site.save()
    programme.visit_briefing = (
        "Closed shoes and a photo ID; ask for the floor lead at the security desk.\n"
        "Headsets are provided; https://intranet.example/very/long/path/to/the/visitor-guide"
    )
    programme.save()
    visit = make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=5))
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server, eve, "/")
        page.goto(live_server.url + "/")
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        browser_shot(page, "home-executive-390", folder_variable="HOME_SCREENSHOTS")
        page.get_by_role("link", name="See your visit").click()
        card = page.locator(f"#visit-{visit.pk}")
        assert card.is_visible()
        assert card.get_by_role("link", name="Add to calendar").is_visible()
        assert card.get_by_role("link", name="Can’t make it?").is_visible()
        box = card.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= WIDTH
    finally:
        context.close()
