"""Debrief completion with attendance: no-shows owe nothing and are never reminded; "remind
everyone" in one POST, once; search by name or e-mail; the CSV; the filed debriefs; the same
through the API; and the agent's home panel, where attendance is recorded in one tap."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse

from debriefs.models import Debrief, DebriefStatus
from debriefs.selectors import debrief_completion
from debriefs.services.nudges import debrief_nudge
from debriefs.tasks import debrief_reminders_sweep
from shadowing.programmes.pairing_models import Pairing
from tests.debriefs.conftest import local_today, make_visit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def no_show(pairing):
    Pairing.objects.filter(pk=pairing.pk).update(attendance="no_show")
    pairing.refresh_from_db()
    return pairing


@pytest.fixture
def eds(programme, ed, ada):
    """Ed's visit beside Ada two days ago, recorded as a no-show."""
    return no_show(make_visit(programme, ed, ada, local_today(ada.site) - dt.timedelta(days=2)))


def completion_url(programme, **query):
    url = reverse("debriefs:completion", args=[programme.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def remind_all(client, programme, **data):
    return client.post(reverse("debriefs:nudge-everyone", args=[programme.slug]), data)


def test_a_no_show_is_counted_apart_and_not_missing(programme, visit, eds):
    by_code = {row.code: row for row in debrief_completion(programme)}
    assert (by_code["FIN"].missing, by_code["FIN"].no_show) == (1, 1)
    assert by_code["FIN"].due == 1


def test_the_page_leaves_a_no_show_out_of_the_unfiled(client, cora, programme, visit, eds):
    client.force_login(cora)
    html = client.get(completion_url(programme)).content.decode()
    unfiled = html.split('id="unfiled"')[1].split('id="filed"')[0]
    assert "Eve Executive" in unfiled
    assert "Ed Executive" not in unfiled
    assert "1 executive did not come" in html


def test_the_sweep_never_reminds_a_no_show(programme, visit, eds, cora):
    no_show(visit)
    for days in (1, 3, 6):
        debrief_reminders_sweep(now=visit.ends_at + dt.timedelta(days=days))
    # The agents' links only: no reminder to the executives, nothing overdue to coordinators.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "adam@example.com"]


def test_a_nudge_to_a_no_show_sends_nothing(cora, eds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert debrief_nudge(pairing=eds, by=cora) is None
    assert mail.outbox == []


def test_remind_everyone_mails_each_missing_person_once_and_a_second_click_none(
    client, cora, programme, visit, hanks, eds, django_capture_on_commit_callbacks
):
    # Eve's second unfiled visit: still one message for her.
    make_visit(programme, visit.executive, PersonFactory(), visit.date - dt.timedelta(days=3))
    client.force_login(cora)
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_all(client, programme)
    assert first.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["eve@example.com", "hank@example.com"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = remind_all(client, programme)
    assert mail.outbox == []
    page = client.get(second.url)
    assert "reminded within the hour" in page.content.decode()


def test_remind_everyone_keeps_to_the_search(
    client, cora, programme, visit, hanks, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    with django_capture_on_commit_callbacks(execute=True):
        remind_all(client, programme, q="hank@")
    assert [m.to for m in mail.outbox] == [["hank@example.com"]]


@pytest.mark.parametrize(("who", "status"), [("eve", 403), ("adam", 403), ("hank", 403)])
def test_only_coordinators_remind_everyone(client, request, programme, visit, who, status):
    client.force_login(request.getfixturevalue(who))
    assert remind_all(client, programme).status_code == status
    assert mail.outbox == []


def test_remind_everyone_is_a_post(client, cora, programme):
    client.force_login(cora)
    assert client.get(reverse("debriefs:nudge-everyone", args=[programme.slug])).status_code == 405


def test_search_by_name_or_email(client, cora, programme, visit, hanks):
    client.force_login(cora)
    by_name = client.get(completion_url(programme, q="hank")).content.decode()
    assert "Hank Head" in by_name
    assert "Eve Executive" not in by_name.split('id="unfiled"')[1]
    by_email = client.get(completion_url(programme, q="EVE@EXAMPLE")).content.decode()
    assert "Eve Executive" in by_email.split('id="unfiled"')[1]
    nobody = client.get(completion_url(programme, q="zed%00")).content.decode()
    assert "Nobody of that name" in nobody


def test_the_filed_debriefs_are_listed_with_links(client, cora, programme, visit, hanks):
    Debrief.objects.create(
        pairing=visit,
        status=DebriefStatus.SUBMITTED,
        overall="Seen.",
        rating=3,
        submitted_at=visit.ends_at,
    )
    client.force_login(cora)
    html = client.get(completion_url(programme)).content.decode()
    filed = html.split('id="filed"')[1]
    assert reverse("debriefs:pairing-debrief", args=[visit.pk]) in filed
    assert "Hank Head" not in filed


def test_the_csv_holds_every_visit_and_where_it_stands(
    client, cora, programme, visit, hanks, eds, upcoming
):
    Pairing.objects.filter(pk=hanks.pk).update(attendance="cut_short")
    Debrief.objects.create(
        pairing=visit,
        status=DebriefStatus.SUBMITTED,
        overall="Seen.",
        rating=3,
        submitted_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    )
    client.force_login(cora)
    response = client.get(reverse("debriefs:completion-csv", args=[programme.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_visit = {(row["executive_email"], row["date"]): row for row in rows}
    assert len(rows) == 4
    eve = by_visit[("eve@example.com", visit.date.isoformat())]
    assert eve == {
        "executive_name": "Eve Executive",
        "executive_email": "eve@example.com",
        "department": "FIN",
        "date": visit.date.isoformat(),
        "agent_email": "adam@example.com",
        "attendance": "",
        "debrief_status": "submitted",
        "submitted_at": "2026-01-02T03:04:05Z",
    }
    hank = by_visit[("hank@example.com", hanks.date.isoformat())]
    assert (hank["attendance"], hank["debrief_status"]) == ("cut_short", "missing")
    ed = by_visit[("ed@example.com", eds.date.isoformat())]
    assert (ed["attendance"], ed["debrief_status"]) == ("no_show", "no_show")
    assert by_visit[("eve@example.com", upcoming.date.isoformat())]["debrief_status"] == "upcoming"


def test_the_csv_neutralises_formulas(client, cora, programme, ada):
    sly = PersonFactory(full_name="=HYPERLINK(1)", is_executive=True)
    make_visit(programme, sly, ada, local_today(ada.site) - dt.timedelta(days=1))
    client.force_login(cora)
    body = client.get(reverse("debriefs:completion-csv", args=[programme.slug])).content
    assert b"'=HYPERLINK(1)" in body


@pytest.mark.parametrize("who", ["eve", "adam", "hank", "nina"])
def test_the_csv_is_for_coordinators(client, request, programme, visit, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("debriefs:completion-csv", args=[programme.slug])).status_code in (
        403,
        404,
    )


# The API -------------------------------------------------------------------------------------


def test_completion_visits_through_the_api(api_as, cora, programme, visit, hanks, eds):
    response = api_as(cora).get(
        f"/api/v1/debriefs/completion-visits/?programme={programme.slug}&q=ed"
    )
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["executive"] == "ed@example.com"
    assert (row["attendance"], row["debrief_status"], row["debrief"]) == (
        "no_show",
        "no_show",
        None,
    )


def test_completion_visits_needs_a_programme(api_as, cora):
    response = api_as(cora).get("/api/v1/debriefs/completion-visits/")
    assert response.status_code == 400
    assert "programme" in response.json()


def test_completion_export_through_the_api(api_as, cora, programme, visit):
    response = api_as(cora).get(
        f"/api/v1/debriefs/completion-visits/export/?programme={programme.slug}"
    )
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].startswith("executive_name,executive_email")


@pytest.mark.parametrize(
    ("who", "status"), [("cora", 200), ("eve", 403), ("adam", 403), ("hank", 403)]
)
def test_who_lists_completion_through_the_api(api_as, request, programme, visit, who, status):
    url = f"/api/v1/debriefs/completion-visits/?programme={programme.slug}"
    assert api_as(request.getfixturevalue(who)).get(url).status_code == status


def test_nudge_everyone_through_the_api_once(
    api_as, cora, eve, programme, visit, hanks, eds, django_capture_on_commit_callbacks
):
    client = api_as(cora)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/v1/debriefs/nudge-everyone/", {"programme": programme.slug})
        second = client.post("/api/v1/debriefs/nudge-everyone/", {"programme": programme.slug})
    assert first.json() == {"sent": 2, "skipped": 0}
    assert second.json() == {"sent": 0, "skipped": 2}
    assert len(mail.outbox) == 2
    refused = api_as(eve).post("/api/v1/debriefs/nudge-everyone/", {"programme": programme.slug})
    assert refused.status_code == 403


def test_nudge_everyone_names_a_bad_programme(api_as, cora):
    response = api_as(cora).post("/api/v1/debriefs/nudge-everyone/", {"programme": "nope"})
    assert response.status_code == 400
    assert "programme" in response.json()


# The agent's home panel ----------------------------------------------------------------------


def test_an_agent_with_no_visit_sees_a_next_step(client, adam):
    client.force_login(adam)
    html = client.get("/").content.decode()
    assert "Your visits as host" in html
    assert "No executive is booked to shadow you yet" in html
    assert reverse("invitations:feed-settings") in html


def test_an_agent_sees_their_next_visit(client, adam, upcoming, programme, ed):
    make_visit(programme, ed, adam, local_today(adam.site) + dt.timedelta(days=3))
    client.force_login(adam)
    html = client.get("/").content.decode()
    assert "Next: Ed Executive shadows you" in html


def test_the_agent_records_attendance_in_one_tap_from_home(client, adam, visit):
    client.force_login(adam)
    html = client.get("/").content.decode()
    url = reverse(
        "shadowing:pairing-attendance", kwargs={"slug": visit.programme.slug, "pk": visit.pk}
    )
    assert f'action="{url}"' in html
    response = client.post(url, {"attendance": "cut_short", "next": "/"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.attendance, visit.attendance_recorded_by) == ("cut_short", adam)
    assert 'aria-pressed="true"' in client.get("/").content.decode()


def test_the_report_counts_who_came_as_visited_and_no_shows_apart(programme, visit, hanks, eds):
    from django.utils import timezone

    from reports.selectors import programme_figures

    Pairing.objects.filter(pk=visit.pk).update(attendance="attended")
    totals = programme_figures(programme, now=timezone.now()).totals
    # Hank's visit ended but nobody said he came: not visited.
    assert (totals["invited"], totals["visited"], totals["no_show"]) == (3, 1, 1)
    # Until he files his debrief: his own word that he came, where nobody recorded it.
    Debrief.objects.create(
        pairing=hanks,
        status=DebriefStatus.SUBMITTED,
        rating=3,
        overall="Seen.",
        submitted_at=timezone.now(),
    )
    totals = programme_figures(programme, now=timezone.now()).totals
    assert (totals["visited"], totals["debriefed"]) == (2, 1)
