"""The "can't make it" link and what the coordinator does with a decline.

The link is signed for this one purpose and names one visit and one person; a GET (what mail
scanners do) only shows, a POST declines. A decline flags the visit; "cancel and pair again"
cancels it (both people get a CANCEL) and re-pairs without moving anyone else, never putting
the person back on the day they declined."""

import re

import pytest
from django.core import signing

from shadowing.invitations.links import SALT, decline_token
from shadowing.invitations.services import declines_repair, pairing_decline, programme_publish
from shadowing.organisation.sign_in import sign_in_link_create
from shadowing.programmes.availability.importer import availability_import
from shadowing.programmes.pairing_models import (
    Decline,
    Pairing,
    PairingRun,
    PairingStatus,
    RepairReason,
)
from tests.invitations.conftest import days_ahead, make_pairing, make_shift

DAY = 21


@pytest.fixture
def published(soon, cora, eve, adam, ada, django_capture_on_commit_callbacks, mailoutbox):
    make_shift(soon, ada, days_ahead(DAY))
    make_shift(soon, ada, days_ahead(DAY + 1))
    make_shift(soon, adam, days_ahead(DAY + 1))
    visit = make_pairing(soon, eve, adam, days_ahead(DAY))
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    visit.refresh_from_db()
    return visit


def link_in(message) -> str:
    return re.search(r"(/visits/decline/[^/\s]+/)", message.text).group(1)


def test_the_link_in_the_mail_shows_the_visit_and_declines_only_on_post(
    client, published, sent, eve
):
    (to_eve,) = sent.to("eve@example.com")
    url = link_in(to_eve)
    page = client.get(url)
    assert page.status_code == 200
    assert "Adam Agent" in page.content.decode()
    assert not Decline.objects.exists()  # a scanner fetching the link declines nothing

    done = client.post(url, {"reason": "Board meeting moved to that day."})
    assert done.status_code == 200
    decline = Decline.objects.get()
    assert (decline.person, decline.pairing, decline.sequence) == (eve, published, 0)
    assert decline.reason == "Board meeting moved to that day."
    published.refresh_from_db()
    assert (published.needs_repair, published.repair_reason) == (True, RepairReason.DECLINED)
    assert published.status == PairingStatus.PUBLISHED  # nothing sent until the coordinator acts

    again = client.get(url)
    assert "told us already" in again.content.decode()
    client.post(url, {"reason": "twice"})
    assert Decline.objects.count() == 1


def test_the_page_speaks_the_person_s_language(client, published, eve):
    eve.ui_language = "fr-ca"
    eve.save()
    token = decline_token(pairing_uid=str(published.uid), person_id=eve.pk)
    page = client.get(f"/visits/decline/{token}/")
    assert "Vous ne pouvez pas y être" in page.content.decode()


@pytest.mark.parametrize(
    "forge",
    [
        lambda p, person: decline_token(pairing_uid=str(p.uid), person_id=person.pk)[:-3] + "abc",
        lambda p, person: decline_token(pairing_uid=str(p.uid), person_id=person.pk).replace(
            ":", "x", 1
        ),
        # The same claim signed for another purpose (salt) is not a decline link.
        lambda p, person: signing.dumps({"p": str(p.uid), "u": person.pk}, salt="other"),
        lambda p, person: signing.dumps({"p": str(p.uid), "u": person.pk}),
        # Another product link (a sign-in token) is not a decline link either.
        lambda p, person: sign_in_link_create(person=person).rstrip("/").rsplit("/", 1)[1],
        lambda p, person: "not-a-token",
    ],
)
def test_a_tampered_or_foreign_link_is_refused(client, published, eve, forge):
    token = forge(published, eve)
    assert client.get(f"/visits/decline/{token}/").status_code == 404
    assert client.post(f"/visits/decline/{token}/").status_code == 404
    assert not Decline.objects.exists()


def test_the_salt_is_used_for_nothing_else():
    from pathlib import Path

    uses = [
        path
        for path in Path("shadowing").rglob("*.py")
        if SALT in path.read_text() or "shadowing.invitations.decline" in path.read_text()
    ]
    assert [p.name for p in uses] == ["links.py"]


def test_a_link_no_longer_valid_for_its_person_declines_nothing(client, published, hank):
    token = decline_token(pairing_uid=str(published.uid), person_id=hank.pk)
    page = client.post(f"/visits/decline/{token}/")
    assert page.status_code == 200
    assert "no longer" in page.content.decode()
    assert not Decline.objects.exists()


def test_a_cancelled_visit_cannot_be_declined(published, eve, cora):
    from shadowing.invitations.services import pairing_cancel

    pairing_cancel(pairing=published, by=cora)
    with pytest.raises(Exception, match="no longer planned"):
        pairing_decline(pairing=published, person=eve)


def test_an_import_keeps_the_decline_flag(soon, published, eve):
    pairing_decline(pairing=published, person=eve)
    day = days_ahead(DAY).isoformat()
    shifts = f"agent_email,date,start,end\nadam@example.com,{day},09:00,17:00\n".encode()
    result = availability_import(programme=soon, files={"shifts.csv": shifts}, dry_run=False)
    assert result.ok
    published.refresh_from_db()
    assert published.repair_reason == RepairReason.DECLINED


def test_the_coordinator_sees_the_decline(client, cora, soon, published, eve):
    pairing_decline(pairing=published, person=eve, reason="Travelling")
    client.force_login(cora)
    page = client.get(f"/programmes/{soon.slug}/invitations/").content.decode()
    assert "Eve Executive" in page
    assert "Travelling" in page
    detail = client.get(f"/programmes/{soon.slug}/").content.decode()
    assert "1 person cannot make their visit." in detail


@pytest.mark.parametrize("who", ["eve", "adam"])
def test_cancel_and_pair_again_moves_only_the_declined_visit(
    who,
    request,
    soon,
    cora,
    ed,
    ada,
    published,
    sent,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # Another published visit that must not move: Ed beside Ada the next day.
    other = make_pairing(soon, ed, ada, days_ahead(DAY + 1))
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    person = request.getfixturevalue(who)
    pairing_decline(pairing=published, person=person)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled, run = declines_repair(programme=soon, by=cora)

    assert cancelled == 1
    published.refresh_from_db()
    assert (published.status, published.sequence) == (PairingStatus.CANCELLED, 1)
    assert {(m.method, m.sequence) for m in sent()} == {("CANCEL", 1)}
    assert sorted(m.to for m in sent()) == [
        "Adam Agent <adam@example.com>",
        "Eve Executive <eve@example.com>",
    ]
    run = PairingRun.objects.get(pk=run.pk)
    assert run.status == "done", run.message
    other.refresh_from_db()
    assert (other.status, other.agent_id, other.date) == (
        PairingStatus.PUBLISHED,
        ada.pk,
        days_ahead(DAY + 1),
    )
    new = Pairing.objects.active().filter(programme=soon, executive__email="eve@example.com")
    assert new.count() == 1
    visit = new.get()
    assert visit.status == PairingStatus.PROPOSED
    if who == "eve":
        assert visit.date != days_ahead(DAY)  # not on the day she declined
    else:
        assert (visit.agent_id, visit.date) != (published.agent_id, days_ahead(DAY))


def test_repair_without_an_open_decline_is_refused(soon, cora, published):
    with pytest.raises(Exception, match="open decline"):
        declines_repair(programme=soon, by=cora)
