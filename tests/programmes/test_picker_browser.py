"""The agent picker in real Chromium on a phone (390 px): no sideways scroll, axe-core finds
nothing serious, and a coordinator filters by name, chooses an agent who needs a waiver, ticks
the rule, gives the reason and lands on the review page with the waiver shown."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shadowing.programmes.pairing_models import Pairing
from tests.browser import no_sideways_scroll, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_a_coordinator_picks_an_agent_with_a_waiver(
    axe_phone, live_server, cora, spring, eve, monday
):
    path = reverse("shadowing:pairing-pick", kwargs={"slug": spring.slug})
    page = axe_phone.new_page()
    sign_in(page, live_server, cora, next_url=f"{path}?executive=eve@example.com")
    assert urlsplit(page.url).path == path
    expect(page.get_by_role("heading", name="Assign Eve Executive by hand")).to_be_visible()
    no_sideways_scroll(page)
    assert serious_violations(page) == []

    page.get_by_label("Agent's name").fill("olga")
    page.get_by_role("button", name="Show agents").click()
    expect(page.get_by_text("Ada Agent")).to_have_count(0)
    page.get_by_label("Olga Agent").check()
    page.get_by_role("button", name="Assign and lock").click()
    expect(page.get_by_role("alert")).to_contain_text("Rule 6: Toronto is in region East")

    page.get_by_label("Olga Agent").check()
    page.get_by_label("Rule 6: the region").check()
    page.get_by_label("Why (required with a waiver)").fill("Eve agreed by phone")
    page.get_by_role("button", name="Assign and lock").click()
    expect(page.locator("table.pairings")).to_contain_text("Why: Eve agreed by phone")
    assert Pairing.objects.get().waived_rules == ["region"]
