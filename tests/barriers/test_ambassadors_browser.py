"""An ambassador's queue in real Chromium at phone size: claim an item on the head's behalf and
nudge for another; no sideways scrolling, no serious axe-core violation."""

import datetime as dt

import pytest

from barriers.models import BacklogItem, Notice, Status
from shadowing import clock
from tests.barriers.conftest import file_report, item_of
from tests.browser import no_sideways_scroll, serious_violations, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ambassador_works_the_queue_on_a_phone(
    axe_phone, live_server, visit, hank, care, west_site
):
    amy = PersonFactory(
        email="amy@example.com",
        full_name="Amy Ambassador",
        department=care,
        site=west_site,
        is_cx_ambassador=True,
    )
    first = item_of(file_report(visit))
    page = axe_phone.new_page()
    sign_in(page, live_server, amy, "/backlog/ambassador/")
    page.goto(live_server.url + "/backlog/ambassador/")
    no_sideways_scroll(page)
    assert serious_violations(page) == []
    due = clock.local_today() + dt.timedelta(days=14)
    page.get_by_role("button", name="Nudge Hank Head").click()
    page.wait_for_load_state()
    assert "The head will be told by e-mail." in page.content()
    page.fill(f"#due-{first.pk}", due.isoformat())
    page.fill(f"#step-{first.pk}", "Ask billing for one form.")
    page.get_by_role("button", name="Claim on behalf of Hank Head").click()
    page.wait_for_load_state()
    assert "Claimed on behalf of Hank Head." in page.content()
    no_sideways_scroll(page)
    stored = BacklogItem.objects.get(pk=first.pk)
    assert (stored.status, stored.owner) == (Status.CLAIMED, hank)
    assert Notice.objects.filter(item=first, recipient=hank).count() == 1
