"""The web side of invitations: pages, the API, the admin action and the private feed, by role
and by action; query counts pinned on the pages with one row and with many."""

import datetime as dt

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shadowing.invitations.models import CalendarFeed, InvitationLog, MessageStatus
from shadowing.invitations.services import pairing_decline, programme_publish
from shadowing.programmes.pairing_models import PairingStatus
from tests.factories import PersonFactory
from tests.invitations.conftest import days_ahead, make_pairing, make_shift


@pytest.fixture
def visit(soon, eve, adam):
    return make_pairing(soon, eve, adam, days_ahead(21))


@pytest.fixture
def published(soon, cora, visit, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    mailoutbox.clear()
    visit.refresh_from_db()
    return visit


def many_visits(soon, n, care, finance, west_site):
    visits = []
    for _i in range(n):
        executive = PersonFactory(department=finance, site=west_site, is_executive=True)
        agent = PersonFactory(department=care, site=west_site, is_agent=True)
        visits.append(make_pairing(soon, executive, agent, days_ahead(22)))
    return visits


# Publishing -------------------------------------------------------------------------------------


def test_publish_page_tells_how_many_messages_then_publishes(
    client, cora, soon, visit, sent, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    page = client.get("/programmes/soon/publish/").content.decode()
    assert "1 visit will be published." in page
    assert "2 calendar invitations will be sent" in page
    assert sent() == []  # a GET publishes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/programmes/soon/publish/")
    assert response.status_code == 302
    assert len(sent()) == 2
    detail = client.get("/programmes/soon/").content.decode()
    assert "2 messages sent." in detail


@pytest.mark.parametrize(("who", "status"), [("eve", 403), ("adam", 403), ("nina", 404)])
def test_publish_page_is_for_coordinators(client, request, soon, visit, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/programmes/soon/publish/").status_code == status
    assert client.post("/programmes/soon/publish/").status_code == status
    visit.refresh_from_db()
    assert visit.status == PairingStatus.PROPOSED


def test_the_programme_page_offers_publish_to_the_coordinator_only(client, cora, eve, soon, visit):
    client.force_login(cora)
    assert "/programmes/soon/publish/" in client.get("/programmes/soon/").content.decode()
    client.force_login(eve)
    assert "/programmes/soon/publish/" not in client.get("/programmes/soon/").content.decode()


# Invite health, cancel and change from the pages ------------------------------------------------


def test_invite_health_pages_keep_their_query_count_with_many_rows(
    client, cora, soon, care, finance, west_site, django_capture_on_commit_callbacks
):
    first = many_visits(soon, 1, care, finance, west_site)[0]
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    client.force_login(cora)
    InvitationLog.objects.update(status=MessageStatus.FAILED, error="refused")
    pairing_decline(pairing=first, person=first.executive)
    client.get("/programmes/soon/invitations/")  # warm: the session, the permission rules
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as programme_page:
            assert client.get("/programmes/soon/invitations/").status_code == 200
        with CaptureQueriesContext(connection) as pairing_page:
            assert (
                client.get(f"/programmes/soon/pairings/{first.pk}/invitations/").status_code == 200
            )
        counts.append((len(programme_page), len(pairing_page)))
        more = many_visits(soon, 15, care, finance, west_site)
        with django_capture_on_commit_callbacks(execute=True):
            programme_publish(programme=soon, by=cora)
        InvitationLog.objects.update(status=MessageStatus.FAILED, error="refused")
        for pairing in more:
            pairing_decline(pairing=pairing, person=pairing.agent)
    assert counts[0] == counts[1], counts


def test_the_visit_s_message_log_shows_its_site_s_time_and_says_which(client, cora, published):
    """The log is read in the visit's own zone (Vancouver here), so the time carries its zone's
    name; it used to say "UTC" over a local time."""
    row = InvitationLog.objects.filter(pairing=published).first()
    row.status, row.sent_at = MessageStatus.SENT, dt.datetime(2026, 1, 15, 17, 0, tzinfo=dt.UTC)
    row.save(update_fields=["status", "sent_at"])
    client.force_login(cora)
    page = client.get(f"/programmes/soon/pairings/{published.pk}/invitations/").content.decode()
    log = page.split("<table>")[1].split("</table>")[0]
    assert "Jan 15, 2026, 09:00 PST" in log
    assert "UTC" not in log


@pytest.mark.parametrize(("who", "status"), [("eve", 403), ("adam", 403), ("nina", 404)])
def test_invite_health_is_for_coordinators(client, request, soon, published, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/programmes/soon/invitations/").status_code == status
    assert (
        client.get(f"/programmes/soon/pairings/{published.pk}/invitations/").status_code == status
    )
    response = client.post(f"/programmes/soon/pairings/{published.pk}/cancel/", {"reason": "x"})
    assert response.status_code == status
    published.refresh_from_db()
    assert published.status == PairingStatus.PUBLISHED


def test_cancel_and_change_from_the_pairing_page(
    client, cora, soon, ada, published, sent, django_capture_on_commit_callbacks
):
    make_shift(soon, ada, days_ahead(21))
    client.force_login(cora)
    page = client.get(f"/programmes/soon/pairings/{published.pk}/invitations/").content.decode()
    assert "Eve Executive" in page
    assert str(published.uid) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/programmes/soon/pairings/{published.pk}/change/", {"agent": "ada@example.com"}
        )
    published.refresh_from_db()
    assert (published.agent, published.sequence) == (ada, 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/programmes/soon/pairings/{published.pk}/cancel/", {"reason": "Closed"})
    published.refresh_from_db()
    assert (published.status, published.sequence) == (PairingStatus.CANCELLED, 2)
    methods = sorted((m.to, m.method, m.sequence) for m in sent())
    assert methods == [
        ("Ada Agent <ada@example.com>", "CANCEL", 2),
        ("Ada Agent <ada@example.com>", "REQUEST", 1),
        ("Adam Agent <adam@example.com>", "CANCEL", 1),
        ("Eve Executive <eve@example.com>", "CANCEL", 2),
        ("Eve Executive <eve@example.com>", "REQUEST", 1),
    ]
    log = client.get(f"/programmes/soon/pairings/{published.pk}/invitations/").content.decode()
    assert log.count("Cancellation (CANCEL)") == 3


# The API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("cora", 200), ("eve", 403), ("adam", 403)])
def test_api_cancel_by_role(api_as, request, published, sent, who, status):
    response = api_as(request.getfixturevalue(who)).post(
        f"/api/v1/pairings/{published.pk}/cancel/", {"reason": "Floor closed"}
    )
    assert response.status_code == status, response.content
    published.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "cancelled"
        assert response.json()["sequence"] == 1
        assert published.status == PairingStatus.CANCELLED
    else:
        assert published.status == PairingStatus.PUBLISHED


def test_api_cancel_of_someone_else_s_pairing_is_404(api_as, nina, hank, published):
    for person in (nina, hank):
        response = api_as(person).post(f"/api/v1/pairings/{published.pk}/cancel/", {})
        assert response.status_code == 404
    assert api_as(nina).post("/api/v1/pairings/999999/cancel/", {}).status_code == 404


def test_api_cancel_needs_sign_in(api, published):
    assert api.post(f"/api/v1/pairings/{published.pk}/cancel/", {}).status_code in (401, 403)


@pytest.mark.parametrize(("who", "status"), [("cora", 200), ("eve", 200), ("adam", 200)])
def test_api_invite_ics_for_its_people_and_coordinators(api_as, request, published, who, status):
    response = api_as(request.getfixturevalue(who)).get(
        f"/api/v1/pairings/{published.pk}/invite.ics", HTTP_ACCEPT="text/calendar"
    )
    assert response.status_code == status
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = vobject.readOne(response.content.decode())
    assert calendar.method.value == "REQUEST"
    assert calendar.vevent.uid.value == str(published.uid)
    assert int(calendar.vevent.sequence.value) == published.sequence


@pytest.mark.parametrize("who", ["nina", "hank"])
def test_api_invite_ics_of_someone_else_s_pairing_is_404(api_as, request, published, who):
    response = api_as(request.getfixturevalue(who)).get(
        f"/api/v1/pairings/{published.pk}/invite.ics"
    )
    assert response.status_code == 404


def test_api_invite_ics_of_a_cancelled_visit_is_a_cancel(api_as, cora, eve, published):
    api_as(cora).post(f"/api/v1/pairings/{published.pk}/cancel/", {})
    response = api_as(eve).get(f"/api/v1/pairings/{published.pk}/invite.ics")
    calendar = vobject.readOne(response.content.decode())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) == 1


@pytest.mark.parametrize(("who", "status"), [("cora", 200), ("eve", 403), ("nina", 404)])
def test_api_publish_by_role(api_as, request, soon, visit, sent, who, status):
    response = api_as(request.getfixturevalue(who)).post("/api/v1/programmes/soon/publish/")
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json() == {"published": 1, "messages": 2, "needs_repair": 0, "past": 0}


# The admin --------------------------------------------------------------------------------------


def test_the_admin_action_cancels_through_the_service(
    client, cora, published, sent, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    url = "/admin/shadowing/pairing/"
    assert client.get(url).status_code == 200
    data = {"action": "cancel_pairings", "_selected_action": [published.pk]}
    confirm = client.post(url, data)
    assert "Cancel these pairings" in confirm.content.decode()
    published.refresh_from_db()
    assert published.status == PairingStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "confirm": "yes", "reason": "Storm"})
    published.refresh_from_db()
    assert (published.status, published.sequence) == (PairingStatus.CANCELLED, 1)
    assert {m.method for m in sent()} == {"CANCEL"}
    assert all("Storm" in m.text for m in sent())


# The private calendar feed ----------------------------------------------------------------------


def test_the_feed_is_secret_lists_the_person_s_visits_and_is_revocable(
    client, eve, cora, soon, ed, ada, published, django_capture_on_commit_callbacks
):
    cancelled = make_pairing(soon, ed, ada, days_ahead(23))
    client.force_login(eve)
    page = client.post("/profile/calendar/", {"action": "create"})
    assert page["Cache-Control"] == "no-store"
    url = page.context["feed_url"]
    assert url.startswith("http://testserver/calendar/")
    assert CalendarFeed.objects.get(person=eve).token_hash not in url  # only the hash is kept
    client.logout()

    feed = client.get(url)
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = vobject.readOne(feed.content.decode())
    assert not hasattr(calendar, "method")
    assert [e.uid.value for e in calendar.vevent_list] == [str(published.uid)]
    assert str(cancelled.uid) not in feed.content.decode()

    client.force_login(eve)
    again = client.post("/profile/calendar/", {"action": "create"}).context["feed_url"]
    client.logout()
    assert client.get(url).status_code == 404  # the old address stops working
    assert client.get(again).status_code == 200
    client.force_login(eve)
    client.post("/profile/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(again).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_the_feed_settings_page_needs_sign_in(client):
    assert client.get("/profile/calendar/").status_code == 302
