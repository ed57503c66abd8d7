"""Each role's main path in real Chromium at 390 px, walked by tapping what the pages offer (no
typed URL after sign-in): every page on the way fits the width, has no serious axe-core
violation, and nothing it loads answers 4xx or 5xx (the favicon included).

The executive files the debrief of yesterday's visit from the home's next step; the agent
records that the executive came and adds a barrier of their own; the department head claims
the item waiting in their backlog; the coordinator goes from the programme's next step to its
dashboard and reminds everyone whose debrief is missing, in one tap.

With $ROLE_PATH_SCREENSHOTS set, each page is saved there as path-ROLE-N.png and the taps and
page loads of each path are written to paths.txt (docs/screenshots/ holds a set).
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core import mail

from barriers.models import BacklogItem, Status
from debriefs.models import BarrierReport, Debrief, DebriefStatus
from shadowing.programmes.pairing_models import Attendance, Pairing
from tests.barriers.conftest import file_report, fresh_vector_index, item_of, mo  # noqa: F401
from tests.browser import AXE, TIMEOUT_MS, serious_violations, sign_in
from tests.debriefs.conftest import local_today, make_visit, programme, visit  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
FOLDER = os.environ.get("ROLE_PATH_SCREENSHOTS", "")


class Walk:
    """One person's way through the product: taps, page loads, and what each page must hold."""

    def __init__(self, context, live_server, role: str):
        self.page = context.new_page()
        self.live_server = live_server
        self.role = role
        self.taps = 0
        self.loads = 0
        self.pages = 0
        self.failures: list[str] = []
        self.page.on("load", self._loaded)
        self.page.on("response", self._answered)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def _answered(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def sign_in(self, person) -> None:
        sign_in(self.page, self.live_server, person)
        self.loads = 0  # the path is counted from the home page on
        self.look("home")

    def tap(self, locator) -> None:
        locator.click()
        self.taps += 1
        self.page.wait_for_load_state("load")

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.taps += 1

    def look(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{name}: {page.url} is {width}px wide"
        assert serious_violations(page) == [], f"{name}: {page.url}"
        assert self.failures == [], f"{name}: {self.failures}"
        self.pages += 1
        if FOLDER:
            Path(FOLDER).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(Path(FOLDER) / f"path-{self.role}-{self.pages}-{name}.png"),
                full_page=True,
            )

    def record(self) -> None:
        if FOLDER:
            with open(Path(FOLDER) / "paths.txt", "a", encoding="utf-8") as out:
                out.write(f"{self.role}: {self.taps} taps, {self.loads} page loads\n")


@pytest.fixture
def phone390(browser):
    if not AXE.is_file():
        pytest.skip("axe-core is missing (run `npm ci`)")
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def waiting_item(programme, ed, ada, hank):  # noqa: F811
    """A CARE item from another executive's visit yesterday, waiting for hank's claim."""
    other = make_visit(programme, ed, ada, local_today(ada.site) - dt.timedelta(days=1))
    return item_of(file_report(other))


def test_the_executive_files_the_debrief_from_home(phone390, live_server, eve, visit, care):  # noqa: F811
    walk = Walk(phone390, live_server, "executive")
    walk.sign_in(eve)
    page = walk.page
    walk.tap(page.get_by_role("link", name="File your debrief").first)
    page.wait_for_selector("#debrief-form")
    walk.look("debrief")
    walk.fill("#id_overall", "Long holds while the agent waited for a supervisor's override.")
    walk.tap(page.locator("label[for=id_rating_2]"))
    walk.tap(page.get_by_role("button", name="Add a barrier"))
    walk.fill("#id_barriers-0-title", "Refund needs a supervisor")
    walk.fill("#id_barriers-0-description", "Every refund over $20 waits for one.")
    for field, value in (
        ("category", "process"),
        ("department", "CARE"),
        ("severity", "3"),
        ("frequency", "daily"),
    ):
        page.select_option(f"#id_barriers-0-{field}", value)
        walk.taps += 1
    walk.tap(page.get_by_role("button", name="Submit debrief"))
    page.wait_for_selector("#read-only-note")
    walk.look("submitted")
    assert Debrief.objects.get(pairing=visit).status == DebriefStatus.SUBMITTED
    assert BarrierReport.objects.filter(pairing=visit).count() == 1
    walk.record()


def test_the_agent_records_attendance_and_adds_a_barrier(
    phone390,
    live_server,
    adam,
    visit,  # noqa: F811
    care,
):
    walk = Walk(phone390, live_server, "agent")
    walk.sign_in(adam)
    page = walk.page
    walk.tap(page.get_by_role("button", name="Attended").first)
    walk.look("attendance")
    visit.refresh_from_db()
    assert (visit.attendance, visit.attendance_recorded_by) == (Attendance.ATTENDED, adam)
    walk.tap(page.get_by_role("link", name="Add the barriers you face").first)
    walk.look("agent-form")
    walk.fill("#id_title", "The knowledge base search finds nothing")
    for field, value in (
        ("category", "technology"),
        ("department", "CARE"),
        ("severity", "2"),
        ("frequency", "most_calls"),
    ):
        page.select_option(f"#id_{field}", value)
        walk.taps += 1
    walk.tap(page.get_by_role("button", name="Send this barrier"))
    page.wait_for_selector("text=your barrier is filed")
    walk.look("agent-filed")
    assert BarrierReport.objects.filter(pairing=visit, reporter=adam).count() == 1
    walk.record()


def test_the_head_claims_the_waiting_item(phone390, live_server, hank, mo, waiting_item):  # noqa: F811
    walk = Walk(phone390, live_server, "head")
    walk.sign_in(hank)
    page = walk.page
    assert "waits for a claim" in page.text_content(".next-step")
    walk.tap(page.locator(".next-step").get_by_role("link", name="Claim the most pressing"))
    walk.look("item")
    page.select_option("#id_owner", str(mo.pk))
    walk.taps += 1
    due = local_today(hank.site) + dt.timedelta(days=14)
    walk.fill("#id_due", due.isoformat())
    walk.fill("#id_first_step", "Ask billing for one refund form.")
    walk.tap(page.get_by_role("button", name="Claim", exact=True))
    walk.look("claimed")
    stored = BacklogItem.objects.get(pk=waiting_item.pk)
    assert (stored.status, stored.owner) == (Status.CLAIMED, mo)
    walk.record()


def test_the_coordinator_follows_the_programme_and_reminds_everyone(
    phone390,
    live_server,
    cora,
    eve,
    visit,  # noqa: F811
    programme,  # noqa: F811
):
    Pairing.objects.filter(pk=visit.pk).update(attendance=Attendance.ATTENDED)
    walk = Walk(phone390, live_server, "coordinator")
    walk.sign_in(cora)
    page = walk.page
    walk.tap(page.locator(".next-step").get_by_role("link", name=programme.name).first)
    walk.look("programme")
    walk.tap(page.get_by_role("link", name="Dashboard").first)
    walk.look("dashboard")
    page.go_back()
    walk.loads += 1
    walk.tap(page.get_by_role("link", name="Debrief completion").first)
    walk.look("completion")
    mail.outbox.clear()
    walk.tap(page.get_by_role("button", name=re.compile("^Remind everyone listed")))
    walk.look("reminded")
    assert [message.to for message in mail.outbox] == [[eve.email]]
    walk.record()
