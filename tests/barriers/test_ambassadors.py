"""CX ambassadors in the backlog: the role's permissions (their department only; triage,
suggest, nudge, claim on the head's behalf; never reassign, transfer, merge or resolve), the
claim on behalf's owner of record and audit row, the nudge's one mail per item and day, merge
suggestions accepted and dismissed, the queue, the scoreboard's last action, and the API."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from barriers.ambassador_selectors import ambassador_queue, ambassadors_by_department
from barriers.ambassadors.services import (
    barrier_nudge,
    barrier_suggest_merge,
    suggestion_accept,
    suggestion_dismiss,
)
from barriers.ambassadors.tasks import nudge_notify
from barriers.history import history_rows
from barriers.kinds import EventKind, NoticeKind
from barriers.models import (
    BacklogItem,
    ItemEvent,
    MergeSuggestion,
    Notice,
    Status,
    SuggestionStatus,
)
from barriers.selectors import items_visible_to, scoreboard
from barriers.services.claims import barrier_claim
from barriers.services.resolution import barrier_resolve
from shadowing import clock
from shadowing.next_step import next_steps
from tests.barriers.conftest import file_report, item_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(care, west_site, hank):
    """A CX ambassador of CARE (an agent by trade: no managing role of her own)."""
    return PersonFactory(
        email="amy@example.com",
        full_name="Amy Ambassador",
        department=care,
        site=west_site,
        is_agent=True,
        is_cx_ambassador=True,
    )


@pytest.fixture
def ben(billing, west_site, bill):
    """A CX ambassador of BILL."""
    return PersonFactory(
        email="ben@example.com",
        full_name="Ben Billing",
        department=billing,
        site=west_site,
        is_cx_ambassador=True,
    )


@pytest.fixture
def bill_item(visit, bill):
    return item_of(
        file_report(
            visit,
            title="Invoices print the wrong tax number",
            description="Every invoice since spring shows last year's registration.",
            department="BILL",
            category="technology",
        )
    )


@pytest.fixture
def other(visit, hank):
    """A second CARE item, unlike the first."""
    return item_of(
        file_report(
            visit,
            title="Headsets drop calls in the afternoon",
            description="The wireless headsets lose the line after lunch, every day.",
            category="technology",
        )
    )


def due(days=7):
    return clock.local_today() + dt.timedelta(days=days)


# Permissions -------------------------------------------------------------------------------

AMBASSADOR_MAY = {
    "view_backlogitem": True,
    "claim_backlogitem": True,
    "nudge_backlogitem": True,
    "suggest_merge_backlogitem": True,
    "reassign_backlogitem": False,
    "transfer_backlogitem": False,
    "work_backlogitem": False,
    "merge_backlogitem": False,
    "dismiss_suggestion_backlogitem": False,
}


@pytest.mark.parametrize(("perm", "expected"), AMBASSADOR_MAY.items())
def test_ambassador_permissions_on_their_department_item(amy, item, perm, expected):
    assert amy.has_perm(f"barriers.{perm}", item) is expected


@pytest.mark.parametrize("perm", AMBASSADOR_MAY)
def test_ambassador_has_no_power_over_another_department_item(amy, bill_item, perm):
    assert amy.has_perm(f"barriers.{perm}", bill_item) is False


@pytest.mark.parametrize(
    ("who", "perm", "expected"),
    [
        ("hank", "nudge_backlogitem", False),  # the head is nudged, does not nudge
        ("hank", "suggest_merge_backlogitem", False),
        ("hank", "dismiss_suggestion_backlogitem", True),
        ("hank", "merge_backlogitem", False),
        ("cora", "merge_backlogitem", True),
        ("cora", "dismiss_suggestion_backlogitem", True),
        ("eve", "nudge_backlogitem", False),
        ("eve", "claim_backlogitem", False),
        ("eve", "suggest_merge_backlogitem", False),
        ("bill", "dismiss_suggestion_backlogitem", False),
    ],
)
def test_other_roles_on_ambassador_actions(request, item, who, perm, expected):
    person = request.getfixturevalue(who)
    assert person.has_perm(f"barriers.{perm}", item) is expected


def test_ambassador_sees_their_department_items_only(amy, item, bill_item, client):
    assert set(items_visible_to(amy)) == {item}
    client.force_login(amy)
    assert client.get(f"/backlog/{item.pk}/").status_code == 200
    assert client.get(f"/backlog/{bill_item.pk}/").status_code == 404


def test_an_ambassador_who_leaves_the_role_loses_the_items(amy, item):
    amy.is_cx_ambassador = False
    amy.save(update_fields=["is_cx_ambassador"])
    assert not amy.has_perm("barriers.view_backlogitem", item)
    assert not items_visible_to(amy).exists()


# Claim on behalf -----------------------------------------------------------------------------


def test_claim_on_behalf_leaves_the_head_owner_with_the_audit_row(amy, hank, mo, item):
    claimed = barrier_claim(barrier=item, by=amy, owner=mo, due=due(), first_step="Call IT.")
    claimed.refresh_from_db()
    assert claimed.status == Status.CLAIMED
    assert claimed.owner == hank  # whatever `owner` said
    assert claimed.claimed_by == hank
    event = ItemEvent.objects.get(item=item, kind=EventKind.CLAIMED)
    assert event.actor == amy
    assert event.note == "on behalf of Hank Head"
    assert event.after["on_behalf_of"] == "hank@example.com"
    assert event.after["claimed_by"] == "hank@example.com"


def test_after_claiming_on_behalf_the_ambassador_may_not_resolve(amy, item):
    barrier_claim(barrier=item, by=amy, due=due(), first_step="Call IT.")
    item.refresh_from_db()
    assert not amy.has_perm("barriers.work_backlogitem", item)
    with pytest.raises(PermissionDenied):
        barrier_resolve(barrier=item, by=amy, resolution="Done.")
    assert BacklogItem.objects.get(pk=item.pk).status == Status.CLAIMED


def test_a_head_claims_in_their_own_name(hank, mo, item):
    barrier_claim(barrier=item, by=hank, owner=mo, due=due(), first_step="Call IT.")
    item.refresh_from_db()
    assert (item.owner, item.claimed_by) == (mo, hank)
    assert ItemEvent.objects.get(item=item, kind=EventKind.CLAIMED).note == ""


def test_claim_on_behalf_of_a_department_without_head_is_refused(amy, care, item):
    care.head = None
    care.save(update_fields=["head"])
    item = BacklogItem.objects.select_related("department").get(pk=item.pk)
    with pytest.raises(ValidationError) as error:
        barrier_claim(barrier=item, by=amy, due=due(), first_step="Call IT.")
    assert "owner" in error.value.message_dict
    assert not ItemEvent.objects.filter(item=item, kind=EventKind.CLAIMED).exists()


def test_ambassador_cannot_claim_another_department_item(amy, bill_item):
    with pytest.raises(PermissionDenied):
        barrier_claim(barrier=bill_item, by=amy, due=due(), first_step="x")


def test_claim_on_behalf_through_the_api(api_as, amy, hank, mo, item):
    response = api_as(amy).post(
        f"/api/v1/barriers/{item.pk}/claim/",
        {"due": due().isoformat(), "first_step": "Call IT.", "owner": mo.email},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == "hank@example.com"
    item.refresh_from_db()
    assert item.owner == hank


def test_a_second_claim_through_the_api_answers_409(api_as, amy, item):
    barrier_claim(barrier=item, by=amy, due=due(), first_step="Call IT.")
    response = api_as(amy).post(
        f"/api/v1/barriers/{item.pk}/claim/",
        {"due": due().isoformat(), "first_step": "Again."},
        format="json",
    )
    assert response.status_code == 409


def test_claim_on_behalf_from_the_queue_page(client, amy, hank, item):
    client.force_login(amy)
    response = client.post(
        f"/backlog/ambassador/{item.pk}/claim/",
        {"due": due().isoformat(), "first_step": "Call IT.", "next": "queue"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/backlog/ambassador/"
    item.refresh_from_db()
    assert (item.owner, item.status) == (hank, Status.CLAIMED)


def test_claim_from_the_queue_page_without_a_first_step_names_the_field(client, amy, item):
    client.force_login(amy)
    response = client.post(
        f"/backlog/ambassador/{item.pk}/claim/", {"due": due().isoformat()}, follow=True
    )
    assert response.status_code == 200
    assert b"First step" in response.content
    assert BacklogItem.objects.get(pk=item.pk).status == Status.NEW


# Nudge ---------------------------------------------------------------------------------------


def test_nudge_mails_the_head_once_a_day(amy, hank, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice, sent = barrier_nudge(barrier=item, by=amy)
    assert sent is True
    assert [m.to for m in mail.outbox] == [["hank@example.com"]]
    assert item.title in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again, sent_again = barrier_nudge(barrier=item, by=amy)
    assert (again.pk, sent_again) == (notice.pk, False)
    assert nudge_notify(notice.pk) == 0  # a retry of the task
    assert len(mail.outbox) == 1
    assert ItemEvent.objects.filter(item=item, kind=EventKind.NUDGED).count() == 1
    assert Notice.objects.filter(kind=NoticeKind.NUDGE).count() == 1


def test_nudge_the_next_day_mails_again(amy, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        barrier_nudge(barrier=item, by=amy)
    with (
        time_machine.travel(clock.now() + dt.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _notice, sent = barrier_nudge(barrier=item, by=amy)
    assert sent is True
    assert len(mail.outbox) == 2


def test_nudge_of_a_gone_notice_does_nothing():
    assert nudge_notify(999_999) == 0


def test_nudge_a_closed_item_is_refused(amy, hank, item):
    barrier_resolve(barrier=item, by=hank, resolution="Done.")
    with pytest.raises(ValidationError):
        barrier_nudge(barrier=item, by=amy)
    assert not Notice.objects.filter(kind=NoticeKind.NUDGE).exists()


@pytest.mark.parametrize(
    ("who", "expected"), [("amy", 200), ("hank", 403), ("cora", 403), ("ben", 404), ("eve", 200)]
)
def test_nudge_api_by_role(request, api_as, item, who, expected, eve):
    if who == "eve":  # eve reported it: she sees it, but may not nudge
        expected = 403
    response = api_as(request.getfixturevalue(who)).post(f"/api/v1/barriers/{item.pk}/nudge/")
    assert response.status_code == expected


def test_nudge_api_says_whether_it_mailed(api_as, amy, item, django_capture_on_commit_callbacks):
    client = api_as(amy)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/v1/barriers/{item.pk}/nudge/").json()
        second = client.post(f"/api/v1/barriers/{item.pk}/nudge/").json()
    assert first == {"nudged": True, "head": "hank@example.com"}
    assert second["nudged"] is False
    assert len(mail.outbox) == 1


# Merge suggestions -------------------------------------------------------------------------


def test_suggestion_accepted_by_the_coordinator_merges(amy, cora, item, other):
    suggestion = barrier_suggest_merge(source=item, into=other, by=amy)
    assert barrier_suggest_merge(source=item, into=other, by=amy).pk == suggestion.pk
    assert BacklogItem.objects.get(pk=item.pk).status == Status.NEW  # suggested, not merged
    with pytest.raises(PermissionDenied):
        suggestion_accept(suggestion=suggestion, by=amy)
    into = suggestion_accept(suggestion=suggestion, by=cora)
    assert into.pk == other.pk
    assert BacklogItem.objects.get(pk=item.pk).status == Status.MERGED
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, cora)


def test_suggestion_dismissed_by_the_head_leaves_the_item(amy, hank, item, other):
    suggestion = barrier_suggest_merge(source=item, into=other, by=amy)
    suggestion_dismiss(suggestion=suggestion, by=hank)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED
    assert BacklogItem.objects.get(pk=item.pk).status == Status.NEW
    kinds = list(ItemEvent.objects.filter(item=item).values_list("kind", flat=True))
    assert EventKind.MERGE_SUGGESTED in kinds
    assert EventKind.SUGGESTION_DISMISSED in kinds
    # Decided once: a second answer is a conflict.
    from barriers.services.common import Conflict

    with pytest.raises(Conflict):
        suggestion_dismiss(suggestion=suggestion, by=hank)


def test_suggesting_a_merge_into_itself_is_refused(amy, item):
    with pytest.raises(ValidationError) as error:
        barrier_suggest_merge(source=item, into=item, by=amy)
    assert "into" in error.value.message_dict


def test_the_history_says_nudges_and_suggestions(amy, hank, item, other):
    barrier_nudge(barrier=item, by=amy)
    barrier_suggest_merge(source=item, into=other, by=amy)
    text = " ".join(row.text for row in history_rows(item.events.all(), hank))
    assert "Amy Ambassador nudged Hank Head" in text
    assert f"suggested merging it into #{other.pk}" in text


def test_suggest_merge_and_accept_through_the_api(api_as, amy, cora, hank, item, other):
    response = api_as(amy).post(
        f"/api/v1/barriers/{item.pk}/suggest-merge/", {"into": other.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    suggestion_id = response.json()["id"]
    body = {"suggestion": suggestion_id}
    denied = api_as(hank).post(f"/api/v1/barriers/{item.pk}/accept-suggestion/", body)
    assert denied.status_code == 403
    accepted = api_as(cora).post(f"/api/v1/barriers/{item.pk}/accept-suggestion/", body)
    assert accepted.status_code == 200
    assert accepted.json()["id"] == other.pk
    assert BacklogItem.objects.get(pk=item.pk).status == Status.MERGED


def test_suggest_merge_api_errors(api_as, amy, ben, item, bill_item):
    bad = api_as(amy).post(f"/api/v1/barriers/{item.pk}/suggest-merge/", {"into": "x"})
    assert bad.status_code == 400
    assert "into" in bad.json()
    hidden = api_as(amy).post(f"/api/v1/barriers/{item.pk}/suggest-merge/", {"into": bill_item.pk})
    assert hidden.status_code == 400
    assert "into" in hidden.json()
    other_department = api_as(ben).post(
        f"/api/v1/barriers/{item.pk}/suggest-merge/", {"into": bill_item.pk}
    )
    assert other_department.status_code == 404
    assert not MergeSuggestion.objects.exists()


def test_dismiss_from_the_item_page(client, amy, hank, item, other):
    suggestion = barrier_suggest_merge(source=item, into=other, by=amy)
    client.force_login(hank)
    page = client.get(f"/backlog/{item.pk}/").content.decode()
    assert f"/backlog/suggestions/{suggestion.pk}/dismiss/" in page
    assert f"/backlog/suggestions/{suggestion.pk}/accept/" not in page
    assert client.post(f"/backlog/suggestions/{suggestion.pk}/accept/").status_code == 403
    response = client.post(f"/backlog/suggestions/{suggestion.pk}/dismiss/")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED


# The queue ---------------------------------------------------------------------------------


def test_queue_holds_new_and_escalated_items_of_the_department(
    amy, hank, item, other, bill_item, visit
):
    claimed = item_of(file_report(visit, title="Chat transcripts vanish after a week"))
    barrier_claim(barrier=claimed, by=hank, due=due(), first_step="Ask IT.")
    escalated = item_of(file_report(visit, title="Loyalty points cannot be refunded by phone"))
    barrier_claim(barrier=escalated, by=hank, due=due(), first_step="Ask IT.")
    escalated.refresh_from_db()
    Notice.objects.create(
        item=escalated,
        kind=NoticeKind.OVERDUE_ESCALATION,
        recipient=hank,
        stage="x",
        created_at=clock.now(),
    )
    queue = list(ambassador_queue(amy))
    assert queue[0] == escalated
    assert queue[0].escalated
    assert set(queue) == {escalated, item, other}
    assert claimed not in queue
    assert bill_item not in queue


def test_queue_is_empty_for_who_is_no_ambassador(hank, item):
    assert not ambassador_queue(hank).exists()


def test_queue_page_by_role(client, amy, hank, item):
    client.force_login(hank)
    assert client.get("/backlog/ambassador/").status_code == 403
    client.force_login(amy)
    response = client.get("/backlog/ambassador/")
    assert response.status_code == 200
    assert f"/backlog/ambassador/{item.pk}/claim/".encode() in response.content
    assert f"/backlog/ambassador/{item.pk}/nudge/".encode() in response.content


def test_queue_page_in_french(client, amy, item):
    amy.ui_language = "fr-ca"
    amy.save(update_fields=["ui_language"])
    client.force_login(amy)
    response = client.get("/backlog/ambassador/", HTTP_ACCEPT_LANGUAGE="fr-ca")
    assert response.status_code == 200
    assert b'lang="fr' in response.content


def test_queue_page_queries_do_not_grow_with_items(client, amy, visit, hank):
    client.force_login(amy)
    item_of(file_report(visit, title="Headsets drop calls in the afternoon"))
    item_of(file_report(visit, title="Headsets drop calls in the morning too"))  # a duplicate
    client.get("/backlog/ambassador/")
    with CaptureQueriesContext(connection) as one:
        client.get("/backlog/ambassador/")
    for n, title in enumerate(["Refund form", "Billing codes", "Roster tool", "Login loops"]):
        item_of(file_report(visit, title=f"{title} number {n} is broken", category="technology"))
    client.get("/backlog/ambassador/")  # the similarity index reloads once after new items
    with CaptureQueriesContext(connection) as many:
        client.get("/backlog/ambassador/")
    assert len(many) == len(one)


def test_queue_through_the_api(api_as, amy, hank, item, bill_item):
    response = api_as(amy).get("/api/v1/barriers/?queue=ambassador")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [item.pk]
    assert api_as(hank).get("/api/v1/barriers/?queue=ambassador").json()["results"] == []


def test_ambassador_next_step_names_the_queue(amy, item, other):
    steps = next_steps(amy)
    assert [step.text for step in steps.head] == ["Triage 2 new items."]
    assert steps.head[0].url == "/backlog/ambassador/"


# Scoreboard --------------------------------------------------------------------------------


def test_scoreboard_names_ambassadors_and_their_last_action(amy, ben, item, bill_item, hank):
    barrier_nudge(barrier=item, by=amy)
    later = clock.now() + dt.timedelta(minutes=5)
    barrier_claim(barrier=item, by=amy, due=due(), first_step="Call IT.", now=later)
    rows = {row.code: row for row in scoreboard()}
    (care_ambassador,) = rows["CARE"].ambassadors
    assert care_ambassador.email == "amy@example.com"
    assert care_ambassador.last_kind == EventKind.CLAIMED
    assert care_ambassador.last_at == later
    (bill_ambassador,) = rows["BILL"].ambassadors
    assert (bill_ambassador.email, bill_ambassador.last_kind) == ("ben@example.com", None)


def test_scoreboard_ambassadors_in_one_query(care, billing, finance, west_site):
    for n, department in enumerate([care, billing, finance, care]):
        PersonFactory(
            email=f"amb{n}@example.com",
            department=department,
            site=west_site,
            is_cx_ambassador=True,
        )
    with CaptureQueriesContext(connection) as queries:
        rows = ambassadors_by_department()
    assert len(queries) == 1
    assert len(rows[care.pk]) == 2


def test_scoreboard_page_and_api_show_the_ambassador(client, api_as, amy, item, hank):
    barrier_nudge(barrier=item, by=amy)
    client.force_login(hank)
    page = client.get("/backlog/scoreboard/").content.decode()
    assert "Amy Ambassador" in page
    rows = api_as(hank).get("/api/v1/barriers/scoreboard/").json()
    (care,) = [row for row in rows if row["department"] == "CARE"]
    assert care["ambassadors"][0]["email"] == "amy@example.com"
    assert care["ambassadors"][0]["last_action"] == "nudged"


def test_home_panel_links_the_queue(client, amy, item):
    client.force_login(amy)
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/backlog/ambassador/"' in response.content


def test_the_demo_ambassadors_act_through_the_services(amy, hank, item, other, visit):
    from barriers.ambassadors.demo import ambassadors_act

    item_of(file_report(visit, title="Loyalty points cannot be refunded by phone"))
    done = ambassadors_act()
    assert done["nudged"] == 1
    assert done["claimed"] == 1
    assert ambassadors_act()["nudged"] == 0  # once a day
    claimed = BacklogItem.objects.get(status=Status.CLAIMED)
    assert (claimed.owner, claimed.claimed_by) == (hank, hank)


def test_queue_api_queries_do_not_grow_with_items(api_as, amy, visit, hank):
    client = api_as(amy)
    item_of(file_report(visit, title="Headsets drop calls in the afternoon"))
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/barriers/?queue=ambassador").status_code == 200
    for n, title in enumerate(["Refund form", "Billing codes", "Roster tool", "Login loops"]):
        item_of(file_report(visit, title=f"{title} number {n} is broken", category="technology"))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/barriers/?queue=ambassador")
    assert response.json()["count"] == 5
    assert len(many) == len(one)


def test_the_history_names_the_head_a_claim_was_made_for(amy, hank, item):
    barrier_claim(barrier=item, by=amy, due=due(), first_step="Call IT.")
    claim = item.events.get(kind=EventKind.CLAIMED)
    (row,) = history_rows([claim], hank)
    assert row.text.startswith("Amy Ambassador claimed it for Hank Head (")


def test_admin_lists_ambassadors_and_suggestions(client, cora, amy, item, other):
    barrier_suggest_merge(source=item, into=other, by=amy)
    client.force_login(cora)
    departments = client.get("/admin/shadowing/department/")
    assert departments.status_code == 200
    assert b"Amy Ambassador" in departments.content
    suggestions = client.get("/admin/barriers/mergesuggestion/")
    assert suggestions.status_code == 200
    assert other.title.encode() in suggestions.content
    assert b"Pending" in suggestions.content
