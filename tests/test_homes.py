"""Each role's home page opens with its next step; the executive's visit cards; the navigation
shows each person only what is theirs; the backlog panel counts what the backlog lists.

The cast is tests/conftest.py's: cora coordinator, hank head of CARE, eve executive, adam and
ada agents.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import time_format

from barriers.kinds import NoticeKind
from barriers.models import Notice
from barriers.services.claims import barrier_claim
from barriers.services.resolution import barrier_resolve
from debriefs.agent_links import agent_link_token
from shadowing import clock
from shadowing.invitations.services import pairing_decline
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import PairingStatus
from tests.barriers.conftest import file_report, item_of
from tests.debriefs.conftest import local_today, make_visit, programme, visit  # noqa: F401
from tests.factories import make_shift

pytestmark = pytest.mark.django_db


def home(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("shadowing:home"))
    assert response.status_code == 200
    return response.content.decode()


def next_step(html: str) -> str:
    match = re.search(r'<section class="card next-step".*?</section>', html, re.S)
    assert match, "the home page has no next-step panel"
    return match.group(0)


def first_section(html: str) -> str:
    return re.search(r'<section class="card([^"]*)"', html).group(1)


# The executive ----------------------------------------------------------------------------------


def test_executive_after_a_visit_files_the_debrief_first(client, eve, visit):  # noqa: F811
    html = home(client, eve)
    assert first_section(html) == " next-step"
    panel = next_step(html)
    assert "File your debrief" in panel
    assert reverse("debriefs:pairing-debrief", args=[visit.pk]) in panel


def test_executive_before_a_visit_sees_the_visit_card(client, eve, ada, programme):  # noqa: F811
    ada.title = "Customer Care Agent"
    ada.save()
    ada.site.address = "1 Main Street, Vancouver BC"
    ada.site.save()
    programme.visit_briefing = "Closed shoes; ask for Ada at the front desk."
    programme.save()
    day = local_today(ada.site) + dt.timedelta(days=7)
    upcoming = make_visit(programme, eve, ada, day, hours=(9, 17))
    html = home(client, eve)
    panel = next_step(html)
    assert "See your visit" in panel
    assert f"#visit-{upcoming.pk}" in panel
    card = re.search(rf'<article[^>]*id="visit-{upcoming.pk}".*?</article>', html, re.S).group(0)
    # The site's wall-clock time, not the server's UTC (09:00 in Vancouver is 16:00 or 17:00 UTC).
    assert time_format(dt.time(9, 0), "TIME_FORMAT") in card
    assert time_format(dt.time(17, 0), "TIME_FORMAT") in card
    assert "America/Vancouver" in card
    assert "Ada Agent, Customer Care Agent" in card
    assert "1 Main Street, Vancouver BC" in card
    assert "openstreetmap.org/search" in card
    assert "Closed shoes; ask for Ada at the front desk." in card
    assert reverse("pairing-invite-ics", kwargs={"pk": upcoming.pk}) in card
    assert "/visits/decline/" in card


def test_executive_card_calendar_link_downloads_the_invitation(client, eve, ada, programme):  # noqa: F811
    upcoming = make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=3))
    client.force_login(eve)
    response = client.get(reverse("pairing-invite-ics", kwargs={"pk": upcoming.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert str(upcoming.uid) in response.content.decode()


def test_executive_sees_no_card_for_a_visit_not_yet_published(client, eve, ada, programme):  # noqa: F811
    day = local_today(ada.site) + dt.timedelta(days=7)
    make_visit(programme, eve, ada, day, status=PairingStatus.PROPOSED)
    html = home(client, eve)
    assert "Your visit days" not in html
    assert "No visit is planned for you yet" in next_step(html)


def test_executive_sees_coming_visits_and_only_the_last_past_one(
    client,
    eve,
    adam,
    ada,
    programme,  # noqa: F811
):
    today = local_today(ada.site)
    older = make_visit(programme, eve, adam, today - dt.timedelta(days=9))
    last = make_visit(programme, eve, ada, today - dt.timedelta(days=2))
    coming = make_visit(programme, eve, ada, today + dt.timedelta(days=5))
    html = home(client, eve)
    assert f'id="visit-{older.pk}"' not in html
    assert html.index(f'id="visit-{coming.pk}"') < html.index(f'id="visit-{last.pk}"')
    assert "Your last visit" in html


def test_executive_who_declined_is_told_and_offered_no_second_decline(
    client,
    eve,
    ada,
    programme,  # noqa: F811
):
    upcoming = make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=7))
    pairing_decline(pairing=upcoming, person=eve, reason="Board meeting.")
    html = home(client, eve)
    card = re.search(rf'<article[^>]*id="visit-{upcoming.pk}".*?</article>', html, re.S).group(0)
    assert "You said you can’t make it" in card
    assert "/visits/decline/" not in card


def test_the_visit_cards_cost_the_same_queries_for_one_visit_and_many(
    client,
    eve,
    adam,
    ada,
    programme,  # noqa: F811
):
    today = local_today(ada.site)
    make_visit(programme, eve, ada, today - dt.timedelta(days=3))
    make_visit(programme, eve, ada, today + dt.timedelta(days=2))
    client.force_login(eve)
    client.get(reverse("shadowing:home"))  # the session's first-request bookkeeping
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("shadowing:home"))
    make_visit(programme, eve, adam, today + dt.timedelta(days=4))
    make_visit(programme, eve, ada, today + dt.timedelta(days=6))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("shadowing:home"))
    assert len(many) == len(one)


# The navigation ---------------------------------------------------------------------------------


def test_executive_navigation_shows_only_what_is_theirs(client, eve, cora):
    html = home(client, eve)
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert reverse("shadowing:programmes") not in nav
    assert reverse("shadowing:roster-import") not in nav
    assert reverse("shadowing:profile") in nav
    coordinator_nav = re.search(r'<nav class="site-nav".*?</nav>', home(client, cora), re.S)
    assert reverse("shadowing:programmes") in coordinator_nav.group(0)


def test_agent_navigation_has_no_programmes(client, adam):
    nav = re.search(r'<nav class="site-nav".*?</nav>', home(client, adam), re.S).group(0)
    assert reverse("shadowing:programmes") not in nav


# The agent --------------------------------------------------------------------------------------


def test_agent_after_a_visit_says_first_whether_the_executive_came(client, adam, visit):  # noqa: F811
    html = home(client, adam)
    assert first_section(html) == " next-step"
    panel = next_step(html)
    assert "Did Eve Executive come to your shift" in panel
    assert f'href="#hosted-{visit.pk}"' in panel
    assert f'id="hosted-{visit.pk}"' in html  # the anchor the step leads to


def test_agent_who_said_so_is_asked_for_the_barriers_then_sees_the_next_visit(
    client,
    adam,
    visit,  # noqa: F811
    programme,  # noqa: F811
):
    visit.attendance = "attended"
    visit.save()
    panel = next_step(home(client, adam))
    assert "Add the barriers you face" in panel
    # The link is signed when the page is drawn: its path, up to the token, is the form's.
    form_path = reverse("debriefs:agent-barriers", args=[agent_link_token(visit)])
    assert form_path.rsplit("/", 2)[0] + "/" in panel
    file_report(visit, by=adam)
    make_visit(programme, visit.executive, adam, local_today(adam.site) + dt.timedelta(days=3))
    panel = next_step(home(client, adam))
    assert "Your next visit: Eve Executive spends your shift" in panel
    assert reverse("invitations:feed-settings") in panel


def test_agent_with_no_visit_is_told_what_comes(client, adam):
    panel = next_step(home(client, adam))
    assert "No executive is planned beside you yet" in panel


# The backlog panel agrees with the backlog ------------------------------------------------------


def test_executive_backlog_count_is_what_the_backlog_lists(client, eve, hank, visit):  # noqa: F811
    open_item = item_of(file_report(visit, title="The refund form asks twice"))
    closed = item_of(file_report(visit, title="Two logins for one customer record"))
    due = clock.local_today() + dt.timedelta(days=10)
    closed = barrier_claim(barrier=closed, by=hank, due=due, first_step="One login.")
    barrier_resolve(barrier=closed, by=hank, resolution="One login now.")
    html = home(client, eve)
    assert "1 open barrier you reported or own is in the backlog." in html
    listed = client.get(reverse("barriers:list"))
    assert [item.pk for item in listed.context["page"]] == [open_item.pk]


# The department head ----------------------------------------------------------------------------


def test_head_is_told_what_waits_for_a_claim_and_what_is_due(client, hank, visit):  # noqa: F811
    first = item_of(file_report(visit, title="The refund form asks twice", severity=4))
    second = item_of(file_report(visit, title="Two logins for one customer record", severity=1))
    Notice.objects.create(
        item=second, kind=NoticeKind.ESCALATION, recipient=hank, stage="escalated"
    )
    panel = next_step(home(client, hank))
    assert "2 items of Customer Care wait for a claim (1 escalated)." in panel
    assert reverse("barriers:item", args=[first.pk]) in panel
    due = clock.local_today() + dt.timedelta(days=5)
    barrier_claim(barrier=first, by=hank, due=due, first_step="Merge the two pages.")
    panel = next_step(home(client, hank))
    assert "1 item of Customer Care waits for a claim (1 escalated)." in panel
    assert "Due soonest" in panel
    assert "The refund form asks twice" in panel
    assert reverse("barriers:item", args=[first.pk]) in panel


def test_head_with_nothing_waiting_is_sent_to_the_backlog(client, hank):
    panel = next_step(home(client, hank))
    assert "Nothing of Customer Care waits for a claim" in panel
    assert reverse("barriers:list") in panel


# The coordinator --------------------------------------------------------------------------------


def draft(slug: str, start: dt.date) -> Programme:
    return Programme.objects.create(
        slug=slug, name=slug.title(), start_date=start, end_date=start + dt.timedelta(days=20)
    )


def test_coordinator_sees_each_open_programme_with_its_next_step(
    client,
    cora,
    eve,
    ada,
    programme,  # noqa: F811
):
    today = clock.local_today()
    empty = draft("spring", today + dt.timedelta(days=40))
    shifts = draft("summer", today + dt.timedelta(days=80))
    make_shift(shifts, ada, shifts.start_date)
    Programme.objects.create(
        slug="old", name="Old", start_date=today - dt.timedelta(days=90),
        end_date=today - dt.timedelta(days=60), status="closed",
    )  # fmt: skip
    ended = make_visit(programme, eve, ada, local_today(ada.site) - dt.timedelta(days=2))
    panel = next_step(home(client, cora))
    assert reverse("shadowing:availability-upload", args=[empty.slug]) in panel
    assert "pair the executives" in panel
    assert reverse("shadowing:programme", args=[shifts.slug]) in panel
    assert "1 visit is over without a debrief." in panel
    assert reverse("debriefs:completion", args=[programme.slug]) in panel
    assert "Old" not in panel
    ended.needs_repair, ended.repair_reason = True, "shift_removed"
    ended.save()
    assert "1 visit needs a new match." in next_step(home(client, cora))


def test_a_programme_past_its_last_day_reads_ended_on_the_home_and_dashboard(
    client,
    cora,
    programme,  # noqa: F811
):
    today = clock.local_today()
    programme.start_date = today - dt.timedelta(days=30)
    programme.end_date = today - dt.timedelta(days=1)
    programme.save()  # stored "running": nobody has closed it yet
    panel = next_step(home(client, cora))
    assert '<span class="tag">Ended</span>' in panel
    dashboard = client.get(reverse("reports:programme-dashboard", args=[programme.slug]))
    assert "· Ended" in dashboard.content.decode()


def test_coordinator_steps_cost_the_same_queries_for_one_programme_and_many(client, cora):
    today = clock.local_today()
    draft("one", today + dt.timedelta(days=10))
    client.force_login(cora)
    client.get(reverse("shadowing:home"))  # the session's first-request bookkeeping
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("shadowing:home"))
    for n in range(4):
        draft(f"more-{n}", today + dt.timedelta(days=20 + n))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("shadowing:home"))
    assert len(many) == len(one)


def test_the_next_step_follows_the_clock(client, eve, ada, programme):  # noqa: F811
    day = local_today(ada.site) + dt.timedelta(days=1)
    upcoming = make_visit(programme, eve, ada, day, hours=(9, 17))
    assert "See your visit" in next_step(home(client, eve))
    with time_machine.travel(upcoming.ends_at + dt.timedelta(hours=1), tick=False):
        panel = next_step(home(client, eve))
    assert "File your debrief" in panel


# What to bring: the programme form and the API ------------------------------------------------


def test_coordinator_sets_what_to_bring_in_the_programme_form(client, cora, programme):  # noqa: F811
    client.force_login(cora)
    edit = reverse("shadowing:programme-edit", args=[programme.slug])
    assert 'name="visit_briefing"' in client.get(edit).content.decode()
    data = {
        "name": programme.name,
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "days_per_executive": 1,
        "max_days_per_agent": 2,
        "reporting_depth": 3,
        "visit_briefing": "Closed shoes.",
    }
    assert client.post(edit, data).status_code == 302
    programme.refresh_from_db()
    assert programme.visit_briefing == "Closed shoes."


def test_the_api_reads_and_writes_what_to_bring(api_as, cora, programme):  # noqa: F811
    url = f"/api/v1/programmes/{programme.slug}/"
    response = api_as(cora).patch(url, {"visit_briefing": "Badge at the desk."}, format="json")
    assert response.status_code == 200
    assert response.json()["visit_briefing"] == "Badge at the desk."
    too_long = api_as(cora).patch(url, {"visit_briefing": "x" * 2001}, format="json")
    assert too_long.status_code == 400
    assert "visit_briefing" in too_long.json()
    programme.refresh_from_db()
    assert programme.visit_briefing == "Badge at the desk."


def test_the_next_step_and_the_card_speak_french(client, eve, ada, programme):  # noqa: F811
    eve.ui_language = "fr-ca"
    eve.save()
    make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=7))
    html = home(client, eve)
    assert "Votre prochaine étape" in html
    assert "Voir votre visite" in html
    assert "Ajouter à l’agenda" in html
    assert "Vous ne pouvez pas y être\u00a0?" in html
