"""Publishing: two invitations per visit, once; what each message says and how it is built.

Every message is read back with the email package (MIME) and vobject (iCalendar)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shadowing.invitations.models import InvitationLog, MessageKind, MessageStatus
from shadowing.invitations.services import programme_publish
from shadowing.programmes.models import ProgrammeStatus
from shadowing.programmes.pairing_models import PairingStatus
from tests.invitations.conftest import days_ahead, make_pairing


@pytest.fixture
def visit(soon, eve, adam):
    return make_pairing(soon, eve, adam, days_ahead(21))


def publish(programme, by, capture):
    with capture(execute=True):
        return programme_publish(programme=programme, by=by)


def test_publishing_sends_one_invitation_to_each_person_once(
    soon, visit, cora, sent, django_capture_on_commit_callbacks
):
    result = publish(soon, cora, django_capture_on_commit_callbacks)

    assert (result.published, result.messages) == (1, 2)
    visit.refresh_from_db()
    soon.refresh_from_db()
    assert visit.status == PairingStatus.PUBLISHED
    assert soon.status == ProgrammeStatus.PUBLISHED
    messages = sent()
    assert sorted(m.to for m in messages) == [
        "Adam Agent <adam@example.com>",
        "Eve Executive <eve@example.com>",
    ]
    assert {(m.method, m.sequence, m.uid) for m in messages} == {("REQUEST", 0, str(visit.uid))}
    rows = InvitationLog.objects.filter(pairing=visit)
    assert {(r.person_id, r.kind, r.sequence, r.status) for r in rows} == {
        (visit.executive_id, MessageKind.REQUEST, 0, MessageStatus.SENT),
        (visit.agent_id, MessageKind.REQUEST, 0, MessageStatus.SENT),
    }
    # The Message-ID in the log is the one the message carried.
    assert {r.message_id for r in rows} == {str(m.mime["Message-ID"]) for m in messages}


def test_publishing_again_sends_nothing_new(
    soon, visit, cora, sent, django_capture_on_commit_callbacks
):
    publish(soon, cora, django_capture_on_commit_callbacks)
    again = publish(soon, cora, django_capture_on_commit_callbacks)
    assert (again.published, again.messages) == (0, 0)
    assert len(sent()) == 2


def test_the_mime_tree_is_what_outlook_gmail_and_apple_read(
    soon, visit, cora, sent, django_capture_on_commit_callbacks
):
    publish(soon, cora, django_capture_on_commit_callbacks)
    for message in sent():
        mime = message.mime
        # One multipart/alternative, and nothing else: no separate .ics attachment.
        assert mime.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in mime.iter_parts()]
        assert parts == ["text/plain", "text/html", "text/calendar"]  # calendar last
        calendar = message.calendar_part
        assert calendar.get_param("method") == message.method == "REQUEST"
        assert calendar.get_param("charset").lower() == "utf-8"
        assert calendar.get_content_disposition() is None  # inline, not an attachment
        assert mime["Content-Language"] == "en"
        assert mime["From"] == "shadowing@localhost"


def test_each_message_gives_date_local_time_address_name_and_the_guide(
    soon, cora, eve, francine, halifax, sent, django_capture_on_commit_callbacks
):
    eve.languages = ["fr", "en"]
    eve.save()
    day = days_ahead(22)
    visit = make_pairing(soon, eve, francine, day)
    publish(soon, cora, django_capture_on_commit_callbacks)

    # Both in French: Eve's first language is French; so is Francine's.
    (to_eve,) = sent.to("eve@example.com")
    (to_francine,) = sent.to("francine@example.com")
    start = visit.starts_at.astimezone(halifax.zone)
    for message in (to_eve, to_francine):
        assert message.mime["Content-Language"] == "fr-CA"
        for body in (message.text, message.html):
            # The Halifax wall clock, not UTC or Vancouver, as French writes it.
            assert "9\xa0h\xa000" in body
            assert "17\xa0h\xa000" in body
            assert "America/Halifax" in body
            assert "1505 Barrington St, Halifax NS" in body
            assert str(start.year) in body
        vevent = message.calendar.vevent
        assert vevent.dtstart.value == visit.starts_at
        assert vevent.location.value == "Halifax, Barrington St, 1505 Barrington St, Halifax NS"
    # The executive reads the agent's name and the guide: listen for what gets in the way.
    assert "Francine Côté-Bérubé" in to_eve.text
    assert "ce qui nuit" in to_eve.text or "ce qui" in to_eve.text
    assert "Eve Executive" in to_francine.text
    # A non-ASCII name survives in the To header and in the attendee's CN.
    assert "Francine Côté-Bérubé" in to_francine.to
    names = {a.params["CN"][0] for a in to_francine.calendar.vevent.attendee_list}
    assert names == {"Eve Executive", "Francine Côté-Bérubé"}


def test_english_invitation_carries_guide_and_decline_link(
    soon, visit, cora, sent, django_capture_on_commit_callbacks
):
    publish(soon, cora, django_capture_on_commit_callbacks)
    (to_eve,) = sent.to("eve@example.com")
    (to_adam,) = sent.to("adam@example.com")
    assert to_eve.subject.startswith("Invitation: a day beside Adam Agent on ")
    assert "what gets in the way of serving customers" in to_eve.text
    assert "Preparing for the day" in to_eve.html
    assert "What to expect" in to_adam.text
    assert "not an evaluation of your work" in to_adam.text
    for message in (to_eve, to_adam):
        assert "/visits/decline/" in message.text
        assert "/visits/decline/" in message.html
        # The decline link is personal: it is in the mail, never in the shared calendar event.
        assert "/visits/decline/" not in message.calendar.vevent.description.value
        assert "America/Vancouver" in message.text


def test_the_executive_is_told_what_to_bring_in_the_mail_and_the_calendar(
    soon, visit, cora, sent, django_capture_on_commit_callbacks
):
    soon.visit_briefing = "Closed shoes & photo ID.\nAsk for the floor lead at security."
    soon.save()
    publish(soon, cora, django_capture_on_commit_callbacks)
    (to_eve,) = sent.to("eve@example.com")
    (to_adam,) = sent.to("adam@example.com")
    assert "What to bring and know: Closed shoes & photo ID." in to_eve.text
    assert "Closed shoes &amp; photo ID.<br>Ask for the floor lead" in to_eve.html
    assert "Ask for the floor lead at security." in to_eve.calendar.vevent.description.value
    # The agent's mail is about their shift; the briefing is the visitor's.
    assert "photo ID" not in to_adam.text
    assert "photo ID" not in to_adam.calendar.vevent.description.value


def test_pairings_needing_repair_or_over_stay_unpublished(
    soon, cora, eve, ed, adam, ada, sent, django_capture_on_commit_callbacks
):
    broken = make_pairing(soon, eve, adam, days_ahead(21))
    broken.needs_repair, broken.repair_reason = True, "shift_removed"
    broken.save()
    fine = make_pairing(soon, ed, ada, days_ahead(21))
    result = publish(soon, cora, django_capture_on_commit_callbacks)
    assert (result.published, result.needs_repair) == (1, 1)
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, fine.status) == (PairingStatus.PROPOSED, PairingStatus.PUBLISHED)
    assert len(sent()) == 2


def test_a_draft_programme_cannot_be_published(soon, cora):
    soon.status = ProgrammeStatus.DRAFT
    soon.save()
    with pytest.raises(Exception, match="draft"):
        programme_publish(programme=soon, by=cora)


def test_publish_programme_command(soon, visit, sent, django_capture_on_commit_callbacks):
    from io import StringIO

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_programme", "soon", stdout=out)
    assert "published 1 pairings; 2 invitations queued" in out.getvalue()
    assert len(sent()) == 2
    with pytest.raises(CommandError, match="no programme"):
        call_command("publish_programme", "nope")


def test_the_transition_to_published_publishes(
    soon, visit, cora, api_as, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cora).post("/api/v1/programmes/soon/transition/", {"status": "published"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert len(sent()) == 2


def test_a_visit_across_a_dst_change_is_sent_in_utc(
    cora, eve, adam, sent, django_capture_on_commit_callbacks
):
    # The next Sunday when Vancouver's clocks go forward (second Sunday of March).
    from shadowing.programmes.models import Programme

    year = days_ahead(0).year + 1
    march = dt.date(year, 3, 1)
    dst_day = march + dt.timedelta(days=(6 - march.weekday()) % 7 + 7)
    programme = Programme.objects.create(
        slug="dst",
        name="DST",
        start_date=dst_day,
        end_date=dst_day,
        status=ProgrammeStatus.PAIRING,
    )
    from tests.invitations.conftest import make_shift

    shift = make_shift(programme, adam, dst_day, start="00:30", end="08:30")
    visit = make_pairing(programme, eve, adam, dst_day, shift=shift)
    publish(programme, cora, django_capture_on_commit_callbacks)
    (message,) = sent.to("eve@example.com")
    vevent = message.calendar.vevent
    assert vevent.dtstart.value == dt.datetime.combine(dst_day, dt.time(8, 30), tzinfo=dt.UTC)
    assert vevent.dtend.value - vevent.dtstart.value == dt.timedelta(hours=7)
    assert visit.ends_at - visit.starts_at == dt.timedelta(hours=7)
    assert "00:30" in message.text
    assert "08:30" in message.text
