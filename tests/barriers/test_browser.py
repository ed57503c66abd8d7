"""The backlog in real Chromium at phone size (360 x 740): a department head signs in, opens the
backlog, claims an item for someone in the department with a due date and a first step; the
coordinator's triage and the scoreboard; no sideways scrolling, no serious axe-core violation.

Screenshots go to $BACKLOG_SCREENSHOTS when set.
"""

import datetime as dt

import pytest

from barriers.models import BacklogItem, Status
from shadowing import clock
from tests.barriers.conftest import file_report, item_of
from tests.browser import no_sideways_scroll, serious_violations, sign_in
from tests.browser import shot as browser_shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    browser_shot(page, name, folder_variable="BACKLOG_SCREENSHOTS")


@pytest.fixture
def items(visit, adam, hank):
    first = item_of(file_report(visit))
    file_report(
        visit,
        by=adam,
        title="Agents re-type the customer's address on the second refund screen",
        description="Everything keyed on the first screen has to be entered again.",
        anonymous=True,
        withheld_from=[hank.pk],
    )
    return first


def test_head_claims_an_item_on_a_phone(phone, live_server, hank, mo, items):
    page = phone.new_page()
    sign_in(page, live_server, hank, "/backlog/")
    page.goto(live_server.url + "/backlog/")
    no_sideways_scroll(page)
    shot(page, "backlog-list-head")
    page.get_by_role("link", name=f"#{items.pk} {items.title}").click()
    page.wait_for_url(f"**/backlog/{items.pk}/")
    no_sideways_scroll(page)
    page.select_option("#id_owner", str(mo.pk))
    due = clock.local_today() + dt.timedelta(days=14)
    page.fill("#id_due", due.isoformat())
    page.fill("#id_first_step", "Ask billing for one form.")
    page.get_by_role("button", name="Claim", exact=True).click()
    page.wait_for_load_state()
    assert "Claimed." in page.content()
    no_sideways_scroll(page)
    shot(page, "backlog-item-claimed")
    stored = BacklogItem.objects.get(pk=items.pk)
    assert (stored.status, stored.owner, stored.due) == (Status.CLAIMED, mo, due)


def test_coordinator_pages_fit_a_phone(phone, live_server, cora, items):
    page = phone.new_page()
    sign_in(page, live_server, cora, "/backlog/triage/")
    for path, name in (
        ("/backlog/triage/", "backlog-triage"),
        ("/backlog/scoreboard/", "backlog-scoreboard"),
        (f"/backlog/{items.pk}/", "backlog-item-coordinator"),
    ):
        page.goto(live_server.url + path)
        no_sideways_scroll(page)
        shot(page, name)


def test_no_serious_accessibility_violations(axe_phone, live_server, cora, items):
    page = axe_phone.new_page()
    sign_in(page, live_server, cora, "/backlog/")
    for path in ("/backlog/", f"/backlog/{items.pk}/", "/backlog/triage/", "/backlog/scoreboard/"):
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path
