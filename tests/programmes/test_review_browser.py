"""The pairing review in real Chromium: the progress bar follows a run through the API with the
static script under the strict CSP and reloads when it ends; the page scrolls its table, not
itself, on a phone; axe-core finds nothing serious or critical.

Debian's chromium, driven by Playwright with the flags of MACHINE.md; axe-core from npm.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shadowing.programmes.pairing_models import PairingRun, PairingRunStatus
from shadowing.programmes.store.runs import pairing_run_start
from tests.browser import no_sideways_scroll, serious_violations, sign_in
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, make_pairing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(context, live_server, person, path):
    page = context.new_page()
    sign_in(page, live_server, person, next_url=path)
    assert urlsplit(page.url).path == path
    return page


def test_the_progress_bar_follows_the_run_and_the_page_reloads_when_it_ends(
    browser, live_server, cora, spring, eve, ada
):
    run = pairing_run_start(programme=spring)
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.RUNNING, progress=5, message="Reading the programme."
    )
    context = browser.new_context()
    context.set_default_timeout(10_000)
    path = reverse("shadowing:programme-pairings", kwargs={"slug": spring.slug})
    page = signed_in_page(context, live_server, cora, path)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    bar = page.locator("#run-progress")
    expect(bar).to_have_attribute("value", "5")

    PairingRun.objects.filter(pk=run.pk).update(progress=60, message="Saving the pairings.")
    expect(bar).to_have_attribute("value", "60")  # the property reflects to the attribute
    expect(page.locator("#run-message")).to_have_text("Saving the pairings.")

    make_pairing(spring, eve, ada, MON)
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.DONE, progress=100, message="Paired 1 of 1 executives."
    )
    expect(page.get_by_text("Paired 1 of 1 executives.")).to_be_visible()
    expect(page.locator("#run-progress")).to_have_count(0)
    expect(page.locator("table.pairings")).to_contain_text("eve@example.com")
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_on_a_phone_the_table_scrolls_not_the_page_and_axe_is_clean(
    axe_phone, live_server, cora, spring
):
    for n in range(12):
        make_pairing(
            spring,
            PersonFactory(is_executive=True, full_name=f"Executive with a long name {n}"),
            PersonFactory(is_agent=True),
            MON,
        )
    path = reverse("shadowing:programme-pairings", kwargs={"slug": spring.slug})
    page = signed_in_page(axe_phone, live_server, cora, path)
    no_sideways_scroll(page)
    wrap = page.locator(".table-wrap:has(table.pairings)")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside
    assert serious_violations(page) == []
