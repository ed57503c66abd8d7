"""The programme dashboard in real Chromium at phone size: its charts and tables fit without
sideways scrolling, and axe-core finds no serious or critical violation. The browser and axe
fixtures are tests/browser.py's."""

import pytest

from tests.browser import no_sideways_scroll, serious_violations, sign_in
from tests.reports.conftest import make_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_at_phone_size(axe_phone, live_server, cora, debrief, upcoming, care, hank):
    make_items(care, hank, 6)
    page = axe_phone.new_page()
    sign_in(page, live_server, cora, next_url="/reports/programmes/autumn/")
    page.goto(f"{live_server.url}/reports/programmes/autumn/")
    assert page.locator("svg.chart").count() == 5
    assert page.get_by_role("img", name="Participation by department").count() == 1
    no_sideways_scroll(page)
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/reports/")
    no_sideways_scroll(page)
    assert serious_violations(page) == []
