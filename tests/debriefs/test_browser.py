"""The debrief in real Chromium at phone size (360 x 740): sign in by link, fill a debrief with
two barriers, lose the connection mid-way and close the tab, come back and find the draft,
submit, see it read-only. Also the live warnings, the checks before submit, the agent's form,
sideways scrolling, and axe-core (no serious or critical violation).

Debian's chromium, driven by Playwright with the flags of MACHINE.md; axe-core from npm
(`npm ci`). Screenshots go to $DEBRIEF_SCREENSHOTS when set (docs/screenshots/ holds a set).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from debriefs.agent_links import agent_link_token
from debriefs.models import BarrierReport, Debrief, DebriefStatus
from tests.browser import no_sideways_scroll, serious_violations, sign_in
from tests.browser import shot as browser_shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    browser_shot(page, name, folder_variable="DEBRIEF_SCREENSHOTS")


def fill_barrier(page, index: int, title: str) -> None:
    prefix = f"#id_barriers-{index}"
    page.fill(f"{prefix}-title", title)
    page.fill(f"{prefix}-description", f"What happens with {title.lower()}.")
    page.select_option(f"{prefix}-category", "technology")
    page.select_option(f"{prefix}-department", "CARE")
    page.select_option(f"{prefix}-severity", "3")
    page.select_option(f"{prefix}-frequency", "daily")


def wait_saved(page) -> None:
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")


def test_file_a_debrief_on_a_phone_offline_and_back(phone, live_server, eve, visit, care):
    page = phone.new_page()
    sign_in(page, live_server, eve)
    assert page.url.rstrip("/") == live_server.url
    shot(page, "home-executive-360")
    no_sideways_scroll(page)
    page.locator(".next-step").get_by_role("link", name="File your debrief").click()
    page.wait_for_selector("#debrief-form")

    page.fill("#id_overall", "Long holds while the agent waited for a supervisor's override.")
    page.click("label[for=id_rating_2]")
    page.get_by_role("button", name="Add a barrier").click()
    assert page.evaluate("document.activeElement.id") == "id_barriers-0-title"
    fill_barrier(page, 0, "Two systems for one address change")
    page.get_by_role("button", name="Add a barrier").click()
    fill_barrier(page, 1, "Refund needs a supervisor")
    wait_saved(page)
    debrief = Debrief.objects.get()
    assert [b["title"] for b in debrief.barriers] == [
        "Two systems for one address change",
        "Refund needs a supervisor",
    ]
    no_sideways_scroll(page)
    shot(page, "debrief-form-360")

    # The connection drops; the executive goes on typing, then closes the tab.
    phone.set_offline(True)
    page.fill("#id_commitment", "My team gives agents the refund override under $50.")
    page.fill("#id_barriers-1-suggested_fix", "Let agents approve small refunds.")
    expect(page.locator("#save-status")).to_contain_text("No connection")
    shot(page, "debrief-offline-360")
    page.close()
    assert Debrief.objects.get().commitment == ""

    # Back online, a new tab: what was typed offline is there and reaches the server.
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(live_server.url + reverse("debriefs:pairing-debrief", args=[visit.pk]))
    assert page.input_value("#id_commitment").startswith("My team gives agents")
    assert page.input_value("#id_barriers-1-suggested_fix") == "Let agents approve small refunds."
    wait_saved(page)
    assert Debrief.objects.get().commitment.startswith("My team gives agents")

    page.get_by_role("button", name="Submit debrief").click()
    page.wait_for_selector("#read-only-note")
    assert page.locator("textarea").count() == 0
    assert "Refund needs a supervisor" in page.content()
    key = page.get_attribute("#read-only-note", "data-clear-draft")
    assert page.evaluate(f"localStorage.getItem({key!r})") is None
    no_sideways_scroll(page)
    shot(page, "debrief-submitted-360")
    debrief = Debrief.objects.get()
    assert debrief.status == DebriefStatus.SUBMITTED
    assert BarrierReport.objects.filter(debrief=debrief).count() == 2

    # A second submit (the back button, a double tap) changes nothing.
    page.go_back()
    page.wait_for_load_state()
    assert BarrierReport.objects.count() == 2


def test_removing_a_barrier_and_the_checks_before_submit(phone, live_server, eve, visit, care):
    page = phone.new_page()
    sign_in(page, live_server, eve, reverse("debriefs:pairing-debrief", args=[visit.pk]))
    page.get_by_role("button", name="Add a barrier").click()
    page.fill("#id_barriers-0-title", "Kept")
    page.get_by_role("button", name="Add a barrier").click()
    page.fill("#id_barriers-1-title", "Removed")
    page.locator("#barrier-1").get_by_role("button", name="Remove this barrier").click()
    assert page.locator("[data-barrier]").count() == 1
    assert "Barrier removed" in page.text_content("#barrier-count")

    page.get_by_role("button", name="Submit debrief").click()
    summary = page.locator("#js-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "js-error-summary"
    assert page.is_visible("#id_overall-error")
    assert page.get_attribute("#id_overall", "aria-invalid") == "true"
    assert page.is_visible("#id_barriers-0-category-error")
    shot(page, "debrief-errors-360")
    wait_saved(page)
    assert Debrief.objects.get().status == DebriefStatus.DRAFT
    assert [b["title"] for b in Debrief.objects.get().barriers] == ["Kept"]


def test_customer_data_warning_while_typing(phone, live_server, eve, visit):
    page = phone.new_page()
    sign_in(page, live_server, eve, reverse("debriefs:pairing-debrief", args=[visit.pk]))
    page.type("#id_overall", "She read out her card 4111 1111 1111 1111 and 604-555-0199")
    warning = page.text_content("#id_overall-warning")
    assert "a card number" in warning
    assert "a phone number" in warning
    shot(page, "debrief-warning-360")
    page.fill("#id_overall", "Nothing sensitive.")
    assert page.text_content("#id_overall-warning") == ""


def test_the_agents_link_on_a_phone(phone, live_server, visit, adam, care):
    page = phone.new_page()
    page.goto(live_server.url + reverse("debriefs:agent-barriers", args=[agent_link_token(visit)]))
    page.fill("#id_title", "The knowledge base search finds nothing")
    page.select_option("#id_category", "technology")
    page.select_option("#id_department", "CARE")
    page.select_option("#id_severity", "2")
    page.select_option("#id_frequency", "most_calls")
    assert page.is_checked("#id_anonymous")
    no_sideways_scroll(page)
    shot(page, "agent-form-360")
    page.get_by_role("button", name="Send this barrier").click()
    page.wait_for_selector("text=your barrier is filed")
    report = BarrierReport.objects.get()
    assert report.anonymous_to_management
    assert report.reporter == adam


def test_accessibility_and_width_of_every_page(
    axe_phone, live_server, cora, eve, adam, visit, hanks
):
    from debriefs.services.submission import debrief_submit
    from tests.debriefs.conftest import barrier

    page = axe_phone.new_page()
    sign_in(page, live_server, eve, reverse("debriefs:pairing-debrief", args=[visit.pk]))
    page.get_by_role("button", name="Add a barrier").click()
    page.fill("#id_overall", "call 604-555-0199")  # a warning on screen
    checked = {}
    checked["form"] = serious_violations(page)
    page.get_by_role("button", name="Save draft").click()  # server-side, no JS check
    page.wait_for_load_state()
    page.evaluate("document.getElementById('debrief-form').setAttribute('novalidate', '')")
    page.locator("[data-submit]").evaluate("b => b.removeAttribute('data-submit')")
    page.get_by_role("button", name="Submit debrief").click()
    page.wait_for_selector("#error-summary")
    checked["form with errors"] = serious_violations(page)
    no_sideways_scroll(page)

    debrief = Debrief.objects.get()
    debrief_submit(
        debrief=debrief,
        by=eve,
        body={"overall": "Seen.", "rating": 4, "commitment": "", "barriers": [barrier()]},
    )
    page.goto(live_server.url + reverse("debriefs:pairing-debrief", args=[visit.pk]))
    checked["read-only"] = serious_violations(page)
    page.goto(live_server.url + "/")
    checked["home"] = serious_violations(page)

    page.goto(live_server.url + reverse("debriefs:agent-barriers", args=[agent_link_token(visit)]))
    checked["agent form"] = serious_violations(page)
    no_sideways_scroll(page)

    coordinator = axe_phone.new_page()
    sign_in(coordinator, live_server, cora, reverse("debriefs:completion-list"))
    checked["completion list"] = serious_violations(coordinator)
    coordinator.goto(live_server.url + reverse("debriefs:completion", args=[visit.programme.slug]))
    checked["completion"] = serious_violations(coordinator)
    assert coordinator.get_by_role("button", name="Remind Hank Head").is_visible()
    no_sideways_scroll(coordinator)
    shot(coordinator, "completion-360")
    coordinator.goto(live_server.url + reverse("debriefs:barrier-reports"))
    checked["reports"] = serious_violations(coordinator)
    no_sideways_scroll(coordinator)
    assert {name: found for name, found in checked.items() if found} == {}


def test_french_page_on_a_phone(phone, live_server, eve, visit):
    eve.ui_language = "fr-ca"
    eve.save()
    page = phone.new_page()
    sign_in(page, live_server, eve, reverse("debriefs:pairing-debrief", args=[visit.pk]))
    assert page.get_attribute("html", "lang") == "fr-ca"
    assert page.is_visible("text=Qu’avez-vous vu\u202f?")
    page.get_by_role("button", name="Ajouter un obstacle").click()
    assert "Obstacle 1" in page.text_content("#barrier-0 legend")
    no_sideways_scroll(page)
    shot(page, "debrief-form-fr-360")


@pytest.mark.parametrize(
    ("language", "submit", "add"),
    [("en", "Submit debrief", "Add a barrier"), ("fr-ca", "Soumettre", "Ajouter un obstacle")],
)
def test_a_fix_this_message_goes_once_the_field_is_right(
    phone, live_server, eve, visit, care, language, submit, add
):
    """The client-side check and the server's: each message, its aria-invalid and its line in
    the summary go as soon as the field is valid, in either language."""
    eve.ui_language = language
    eve.save()
    page = phone.new_page()
    sign_in(page, live_server, eve, reverse("debriefs:pairing-debrief", args=[visit.pk]))
    page.get_by_role("button", name=add).click()
    page.fill("#id_barriers-0-title", "Two screens")
    page.get_by_role("button", name=submit, exact=False).first.click()

    summary = page.locator("#js-error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#id_overall-error")).to_be_visible()
    assert page.get_attribute("#id_overall", "aria-invalid") == "true"
    expect(page.locator("#id_rating-error")).to_be_visible()
    expect(page.locator("#id_barriers-0-category-error")).to_be_visible()

    page.fill("#id_overall", "Long holds.")
    expect(page.locator("#id_overall-error")).to_be_hidden()
    assert page.get_attribute("#id_overall", "aria-invalid") is None
    assert "id_overall-error" not in (page.get_attribute("#id_overall", "aria-describedby") or "")
    expect(summary.locator("a[href='#id_overall']")).to_have_count(0)
    # The others are still wrong: their messages stay.
    expect(page.locator("#id_rating-error")).to_be_visible()
    expect(page.locator("#id_barriers-0-category-error")).to_be_visible()

    page.click("label[for=id_rating_4]")
    expect(page.locator("#id_rating-error")).to_be_hidden()
    assert page.get_attribute("#id_rating_1", "aria-invalid") is None

    page.select_option("#id_barriers-0-category", "technology")
    expect(page.locator("#id_barriers-0-category-error")).to_be_hidden()
    assert page.get_attribute("#id_barriers-0-category", "aria-invalid") is None
    # Emptying the title of a barrier that still has other fields brings its message back on
    # the next submit, not before; clearing the whole barrier clears all of its messages.
    page.fill("#id_barriers-0-title", "")
    for name in ("category",):
        page.select_option(f"#id_barriers-0-{name}", "")
    for name in ("department", "severity", "frequency"):
        expect(page.locator(f"#id_barriers-0-{name}-error")).to_be_hidden()
    expect(summary).to_be_hidden()
