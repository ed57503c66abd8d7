"""Changes after publishing: cancel, move, replace the agent, an import that retimes the shift.

Each must reach every calendar: a CANCEL that cancels (METHOD:CANCEL, STATUS:CANCELLED, the same
UID, a higher SEQUENCE, no alarm), an update that updates (REQUEST, same UID, higher SEQUENCE),
a person taken off a visit told so, and never a stale message after a newer one."""

import pytest
from django.core.exceptions import ValidationError

from shadowing.invitations.models import Cancellation, InvitationLog, MessageKind, MessageStatus
from shadowing.invitations.sending import invitations_send
from shadowing.invitations.services import pairing_cancel, pairing_reassign, programme_publish
from shadowing.programmes.availability.importer import availability_import
from shadowing.programmes.pairing_models import PairingStatus
from tests.invitations.conftest import days_ahead, make_pairing, make_shift


@pytest.fixture
def published(soon, cora, eve, adam, ada, django_capture_on_commit_callbacks, mailoutbox):
    """Eve beside Adam in 21 days, published and invited; Ada has a shift that day and the next."""
    make_shift(soon, ada, days_ahead(21))
    make_shift(soon, ada, days_ahead(22))
    make_shift(soon, adam, days_ahead(22), start="10:00", end="18:00")
    visit = make_pairing(soon, eve, adam, days_ahead(21))
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    mailoutbox.clear()
    visit.refresh_from_db()
    return visit


def test_cancel_sends_cancel_to_both_with_a_higher_sequence(
    published, cora, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_cancel(pairing=published, by=cora, reason="The floor is closed, sorry.")
    published.refresh_from_db()
    assert (published.status, published.sequence) == (PairingStatus.CANCELLED, 1)
    messages = sent()
    assert sorted(m.to for m in messages) == [
        "Adam Agent <adam@example.com>",
        "Eve Executive <eve@example.com>",
    ]
    for message in messages:
        assert message.method == "CANCEL"
        assert message.calendar_part.get_param("method") == "CANCEL"
        vevent = message.calendar.vevent
        assert (vevent.uid.value, message.sequence) == (str(published.uid), 1)
        assert vevent.status.value == "CANCELLED"
        assert not hasattr(vevent, "valarm")
        assert message.subject.startswith("Cancelled: ")
        assert "The floor is closed, sorry." in message.text
    assert Cancellation.objects.get(pairing=published).by == cora


def test_cancelling_twice_sends_nothing_more(
    published, cora, sent, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            pairing_cancel(pairing=published, by=cora, reason="")
    assert len(sent()) == 2
    published.refresh_from_db()
    assert published.sequence == 1


def test_cancelling_an_unpublished_pairing_sends_nothing(
    soon, cora, ed, ada, sent, django_capture_on_commit_callbacks
):
    proposal = make_pairing(soon, ed, ada, days_ahead(25))
    with django_capture_on_commit_callbacks(execute=True):
        pairing_cancel(pairing=proposal, by=cora)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.sequence) == (PairingStatus.CANCELLED, 0)
    assert sent() == []


def test_a_moved_visit_sends_an_update_with_a_higher_sequence(
    published, cora, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_reassign(pairing=published, by=cora, date=days_ahead(22))
    published.refresh_from_db()
    assert (published.date, published.sequence) == (days_ahead(22), 1)
    messages = sent()
    assert len(messages) == 2
    for message in messages:
        assert (message.method, message.sequence, message.uid) == ("REQUEST", 1, str(published.uid))
        assert message.calendar.vevent.dtstart.value == published.starts_at
        assert message.subject.startswith("Updated: ")
        assert "10:00" in message.text  # the new shift's local start


def test_a_replaced_agent_gets_a_cancel_and_the_new_one_a_request(
    published, cora, ada, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_reassign(pairing=published, by=cora, agent=ada)
    published.refresh_from_db()
    assert (published.agent_id, published.sequence) == (ada.pk, 1)
    (to_adam,) = sent.to("adam@example.com")
    (to_ada,) = sent.to("ada@example.com")
    (to_eve,) = sent.to("eve@example.com")
    assert (to_adam.method, to_adam.sequence) == ("CANCEL", 1)
    # The CANCEL to a removed attendee names only them (RFC 5546, 3.2.5).
    assert [a.value for a in to_adam.calendar.vevent.attendee_list] == ["mailto:adam@example.com"]
    assert "no longer take part" in to_adam.text
    assert (to_ada.method, to_ada.sequence) == ("REQUEST", 1)
    assert not to_ada.subject.startswith("Updated")  # new to Ada: a first invitation
    assert (to_eve.method, to_eve.sequence) == ("REQUEST", 1)
    assert to_eve.subject.startswith("Updated: ")
    attendees = {a.value for a in to_eve.calendar.vevent.attendee_list}
    assert attendees == {"mailto:eve@example.com", "mailto:ada@example.com"}
    assert {m.uid for m in sent()} == {str(published.uid)}


def test_a_change_that_breaks_a_rule_is_refused_and_sends_nothing(
    published, cora, hank, sent, django_capture_on_commit_callbacks
):
    # Hank is not an agent with a shift that day.
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        pairing_reassign(pairing=published, by=cora, date=days_ahead(30))
    published.refresh_from_db()
    assert published.sequence == 0
    assert sent() == []


def test_an_import_that_retimes_a_published_visit_sends_an_update(
    soon, published, adam, ada, sent, django_capture_on_commit_callbacks
):
    day = days_ahead(21).isoformat()
    shifts = (
        "agent_email,date,start,end\n"
        f"adam@example.com,{day},08:00,16:00\n"
        f"ada@example.com,{day},09:00,17:00\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = availability_import(programme=soon, files={"shifts.csv": shifts}, dry_run=False)
    assert result.ok, result.errors
    published.refresh_from_db()
    assert published.sequence == 1
    messages = sent()
    assert {(m.method, m.sequence) for m in messages} == {("REQUEST", 1)}
    assert len(messages) == 2
    assert all("08:00" in m.text for m in messages)


def test_a_change_before_the_first_send_sends_only_the_newest(
    published, cora, ada, mailoutbox, sent, django_capture_on_commit_callbacks
):
    # Two changes commit before any worker runs: the first's messages are withdrawn.
    with django_capture_on_commit_callbacks(execute=False):
        pairing_reassign(pairing=published, by=cora, date=days_ahead(22))
        pairing_cancel(pairing=published, by=cora, reason="")
    invitations_send(pairing_ids=[published.pk])
    messages = sent()
    assert {(m.method, m.sequence) for m in messages} == {("CANCEL", 2)}
    assert len(messages) == 2
    statuses = dict(
        InvitationLog.objects.filter(pairing=published, sequence=1).values_list("kind", "status")
    )
    assert statuses == {MessageKind.REQUEST: MessageStatus.SUPERSEDED}


def test_a_replaced_agent_who_was_never_sent_the_invitation_gets_no_cancel(
    soon, cora, eve, adam, ada, sent, django_capture_on_commit_callbacks
):
    make_shift(soon, ada, days_ahead(21))
    visit = make_pairing(soon, eve, adam, days_ahead(21))
    with django_capture_on_commit_callbacks(execute=False):
        programme_publish(programme=soon, by=cora)
        pairing_reassign(pairing=visit, by=cora, agent=ada)
    invitations_send(pairing_ids=[visit.pk])
    assert sent.to("adam@example.com") == []
    assert {(m.method, m.sequence) for m in sent()} == {("REQUEST", 1)}


def test_an_agent_put_back_on_a_visit_gets_a_request_not_a_stale_cancel(
    published, cora, adam, ada, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        pairing_reassign(pairing=published, by=cora, agent=ada)
        pairing_reassign(pairing=published, by=cora, agent=adam)
    invitations_send(pairing_ids=[published.pk])
    to_adam = sent.to("adam@example.com")
    assert [(m.method, m.sequence) for m in to_adam] == [("REQUEST", 2)]
    # Ada's invitation for sequence 1 never went: nothing to cancel for her either.
    assert sent.to("ada@example.com") == []
