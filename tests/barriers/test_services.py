"""The backlog's services: filing, owners, claims, transfers, statuses, merges, the audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from barriers.kinds import EventKind
from barriers.models import BacklogItem, BacklogSettings, ItemEvent, Status
from barriers.services.claims import barrier_claim, barrier_start
from barriers.services.common import Conflict
from barriers.services.filing import backlog_file_reports
from barriers.services.merges import barrier_merge, barrier_unmerge
from barriers.services.resolution import (
    barrier_reopen,
    barrier_resolve,
    barrier_verify,
    barrier_wont_fix,
)
from barriers.services.transfers import barrier_transfer
from shadowing import clock
from tests.barriers.conftest import file_report, item_of

pytestmark = pytest.mark.django_db


def test_a_report_opens_an_item_owned_by_the_department_head(visit, hank):
    report = file_report(visit, severity=4, frequency="most_calls")
    item = item_of(report)
    assert item.owner == hank
    assert item.status == Status.NEW
    assert (item.severity, item.frequency, item.report_count, item.executive_count) == (
        4,
        "most_calls",
        1,
        1,
    )
    assert item.priority == 4 * 4 * 1
    assert [e.kind for e in item.events.all()] == [EventKind.CREATED]
    assert hasattr(item, "vector_row")


def test_filing_the_same_report_twice_changes_nothing(visit, hank):
    report = file_report(visit)
    backlog_file_reports(report_ids=[report.pk])
    assert BacklogItem.objects.count() == 1
    assert item_of(report).report_count == 1


def test_a_department_without_head_gives_the_item_to_the_coordinator(visit, cora, billing):
    item = item_of(file_report(visit, department="BILL"))
    assert item.owner == cora


def test_the_arbiter_in_settings_wins_over_the_first_coordinator(visit, cora, billing):
    other = type(cora).objects.create_user("zed@example.com", "Zed", is_coordinator=True)
    BacklogSettings.objects.create(pk=1, arbiter=other)
    assert item_of(file_report(visit, department="BILL")).owner == other


def test_owner_cannot_be_null_in_the_database(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        BacklogItem.objects.filter(pk=item.pk).update(owner=None)


def test_half_a_claim_is_refused_by_the_database(item, hank):
    with pytest.raises(IntegrityError), transaction.atomic():
        BacklogItem.objects.filter(pk=item.pk).update(claimed_by=hank, claimed_at=timezone.now())


def test_head_claims_for_someone_in_the_department(item, hank, mo, tomorrow):
    item = barrier_claim(
        barrier=item, by=hank, owner=mo, due=tomorrow, first_step="Call the vendor."
    )
    assert (item.status, item.owner, item.claimed_by, item.due) == (
        Status.CLAIMED,
        mo,
        hank,
        tomorrow,
    )
    event = item.events.get(kind=EventKind.CLAIMED)
    assert event.actor == hank
    assert event.before["owner"] == "hank@example.com"
    assert event.after["owner"] == "mo@example.com"
    assert event.after["due"] == tomorrow.isoformat()


def test_claim_for_someone_outside_the_department_is_refused(item, hank, eve, tomorrow):
    with pytest.raises(ValidationError) as error:
        barrier_claim(barrier=item, by=hank, owner=eve, due=tomorrow, first_step="x")
    assert "owner" in error.value.message_dict


@pytest.mark.parametrize("who", ["adam", "eve", "nina", "bill"])
def test_only_the_head_or_a_coordinator_claims(request, item, who, tomorrow):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        barrier_claim(barrier=item, by=person, due=tomorrow, first_step="x")


def test_claim_needs_due_date_and_first_step(item, hank, tomorrow):
    with pytest.raises(ValidationError):
        barrier_claim(barrier=item, by=hank, due=None, first_step="x")
    with pytest.raises(ValidationError):
        barrier_claim(barrier=item, by=hank, due=tomorrow, first_step="  ")
    with pytest.raises(ValidationError):
        barrier_claim(
            barrier=item, by=hank, due=clock.local_today() - dt.timedelta(days=5), first_step="x"
        )


def test_claim_when_already_claimed_raises_conflict(item, hank, cora, mo, tomorrow):
    stale = BacklogItem.objects.get(pk=item.pk)
    barrier_claim(barrier=item, by=hank, due=tomorrow, first_step="Mine.")
    with pytest.raises(Conflict, match="Already claimed by Hank Head"):
        barrier_claim(barrier=stale, by=cora, owner=mo, due=tomorrow, first_step="x")
    assert BacklogItem.objects.get(pk=item.pk).owner == hank
    assert ItemEvent.objects.filter(item=item, kind=EventKind.CLAIMED).count() == 1


def test_a_claim_read_before_a_transfer_loses(item, hank, cora, mo, billing, bill, tomorrow):
    stale = BacklogItem.objects.get(pk=item.pk)
    barrier_transfer(barrier=item, by=hank, department=billing, reason="Billing's form.")
    with pytest.raises(Conflict):
        barrier_claim(barrier=stale, by=cora, owner=mo, due=tomorrow, first_step="x")
    fresh = BacklogItem.objects.get(pk=item.pk)
    assert (fresh.department, fresh.owner) == (billing, bill)


def test_transfer_needs_a_reason_and_gives_the_item_to_the_new_head(item, hank, billing, bill):
    with pytest.raises(ValidationError):
        barrier_transfer(barrier=item, by=hank, department=billing, reason="")
    item = barrier_transfer(
        barrier=item, by=hank, department=billing, reason="The form is billing's."
    )
    assert (item.department, item.owner, item.transfer_count, item.status) == (
        billing,
        bill,
        1,
        Status.NEW,
    )
    event = item.events.get(kind=EventKind.TRANSFERRED)
    assert event.note == "The form is billing's."
    assert (event.before["department"], event.after["department"]) == ("CARE", "BILL")


def test_a_claimed_item_transferred_is_unclaimed(item, hank, billing, bill, tomorrow):
    item = barrier_claim(barrier=item, by=hank, due=tomorrow, first_step="x")
    item = barrier_transfer(barrier=item, by=hank, department=billing, reason="Theirs.")
    assert (item.claimed_at, item.due, item.first_step, item.status) == (None, None, "", "new")


def test_the_third_transfer_goes_to_the_coordinator(
    item, hank, bill, fay, cora, billing, finance, care
):
    item = barrier_transfer(barrier=item, by=hank, department=billing, reason="Yours.")
    item = barrier_transfer(barrier=item, by=bill, department=care, reason="No, yours.")
    item = barrier_transfer(barrier=item, by=hank, department=finance, reason="Finance!")
    assert (item.department, item.owner, item.needs_arbitration) == (care, cora, True)
    assert item.transfer_count == 2
    assert item.events.filter(kind=EventKind.ARBITRATION).count() == 1
    # The coordinator routes it; that ends the arbitration.
    item = barrier_transfer(barrier=item, by=cora, department=finance, reason="Decided.")
    assert (item.department, item.owner, item.needs_arbitration) == (finance, fay, False)


def test_statuses_new_claimed_in_progress_resolved_verified(item, hank, eve, tomorrow):
    item = barrier_claim(barrier=item, by=hank, due=tomorrow, first_step="x")
    item = barrier_start(barrier=item, by=hank)
    assert item.status == Status.IN_PROGRESS
    item = barrier_resolve(barrier=item, by=hank, resolution="One form now.")
    assert (item.status, item.resolution) == (Status.RESOLVED, "One form now.")
    item = barrier_verify(barrier=item, by=eve)
    assert item.status == Status.VERIFIED


def test_wont_fix_needs_a_reason(item, hank):
    with pytest.raises(ValidationError):
        barrier_wont_fix(barrier=item, by=hank, reason=" ")
    item = barrier_wont_fix(barrier=item, by=hank, reason="Regulation requires it.")
    assert (item.status, item.resolution) == (Status.WONT_FIX, "Regulation requires it.")


def test_a_reporter_reopens_a_resolved_item_which_is_unclaimed_again(item, hank, eve, tomorrow):
    item = barrier_claim(barrier=item, by=hank, due=tomorrow, first_step="x")
    item = barrier_resolve(barrier=item, by=hank, resolution="Done.")
    item = barrier_reopen(barrier=item, by=eve, reason="Still twice.")
    assert (item.status, item.claimed_at, item.owner, item.resolution) == (
        Status.REOPENED,
        None,
        hank,
        "",
    )
    assert item.first_claimed_at is not None


def test_only_reporters_verify(item, hank, adam):
    item = barrier_resolve(barrier=item, by=hank, resolution="Done.")
    for person in (hank, adam):
        with pytest.raises(PermissionDenied):
            barrier_verify(barrier=item, by=person)


def test_verify_before_resolution_is_refused(item, eve):
    with pytest.raises(ValidationError):
        barrier_verify(barrier=item, by=eve)


def test_merge_moves_reports_and_undo_restores_them(visit, hank, cora, adam):
    first = item_of(file_report(visit))
    second_report = file_report(
        visit,
        by=adam,
        title="Agents re-type the customer's address on the second refund screen",
        description="Everything keyed on the first screen has to be entered again.",
    )
    second = item_of(second_report)
    into = barrier_merge(source=second, into=first, by=cora)
    assert (into.report_count, into.executive_count, into.agent_count) == (2, 1, 1)
    second.refresh_from_db()
    assert (second.status, second.merged_into, second.report_count) == (Status.MERGED, first, 0)
    source = barrier_unmerge(source=second, by=cora)
    assert (source.status, source.merged_into, source.report_count) == (Status.NEW, None, 1)
    first.refresh_from_db()
    assert first.report_count == 1
    kinds = list(ItemEvent.objects.filter(item=second).values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.MERGED, EventKind.UNMERGED]


def test_only_coordinators_merge(visit, hank, adam):
    first = item_of(file_report(visit))
    second = item_of(file_report(visit, by=adam, title="Another"))
    with pytest.raises(PermissionDenied):
        barrier_merge(source=second, into=first, by=hank)


def test_merge_into_itself_or_a_merged_item_is_refused(visit, cora, adam):
    first = item_of(file_report(visit))
    second = item_of(file_report(visit, by=adam, title="Another"))
    with pytest.raises(ValidationError):
        barrier_merge(source=first, into=first, by=cora)
    barrier_merge(source=second, into=first, by=cora)
    second.refresh_from_db()
    third = item_of(file_report(visit, by=adam, title="A third"))
    with pytest.raises(ValidationError):
        barrier_merge(source=third, into=second, by=cora)


def test_a_withdrawn_report_no_longer_counts(visit, hank, adam):
    report = file_report(visit)
    other = file_report(visit, by=adam, title="Same thing")
    item = item_of(report)
    barrier_merge(
        source=item_of(other),
        into=item,
        by=type(hank).objects.create_user("c2@example.com", "C Two", is_coordinator=True),
    )
    report.withdrawn_at = timezone.now()
    report.save()
    backlog_file_reports(report_ids=[report.pk])
    item.refresh_from_db()
    assert (item.report_count, item.executive_count, item.agent_count) == (1, 0, 1)
    assert item.events.filter(kind=EventKind.REPORT_WITHDRAWN).exists()
