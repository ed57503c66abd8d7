"""The programme page in real Chromium at 390 px: its next step and the blackout-date form
(refused with the error shown, then accepted with what becomes of the visits on that day),
no sideways scroll, axe-core finds nothing serious or critical."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import AXE, TIMEOUT_MS, serious_violations, sign_in
from tests.programmes.conftest import TUE, make_pairing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.fixture
def phone_390(browser):
    if not AXE.is_file():
        pytest.skip("axe-core is missing (run `npm ci`)")
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def fits(page) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width}px wide"


def test_programme_page_with_its_next_step_and_blackout_form_on_a_phone(
    phone_390, live_server, cora, spring, eve, adam
):
    make_pairing(spring, eve, adam, TUE)
    path = reverse("shadowing:programme", kwargs={"slug": spring.slug})
    page = phone_390.new_page()
    sign_in(page, live_server, cora, next_url=path)
    assert urlsplit(page.url).path == path
    expect(page.get_by_role("heading", name="Next step")).to_be_visible()
    card = page.locator("#blackouts")
    expect(card.get_by_role("heading", name="Blackout dates")).to_be_visible()
    fits(page)
    assert serious_violations(page) == []

    card.locator("input[name=date]").fill("2027-04-01")
    card.locator("input[name=reason]").fill("Company town hall")
    card.get_by_role("button", name="Add the blackout date").click()
    page.wait_for_load_state()
    expect(page.locator("#blackouts")).to_contain_text("is outside the programme")
    fits(page)
    assert serious_violations(page) == []

    form = page.locator("#blackouts")
    form.locator("input[name=date]").fill("2027-03-09")
    form.get_by_role("button", name="Add the blackout date").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == path
    expect(page.get_by_text("1 proposed visit falls on this day").first).to_be_visible()
    expect(page.locator("#blackouts")).to_contain_text("Company town hall")
    fits(page)
    assert serious_violations(page) == []
    assert spring.blackout_dates.get().date == TUE
