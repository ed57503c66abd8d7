"""Whatever sequence of actions people try on an item, in whatever order, the item keeps its
invariants: an owner at every moment, an owner of the item's department while it is claimed,
a claim whole or absent, and exactly one audit row per change that landed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barriers.models import CLAIMED_STATUSES, BacklogItem, ItemEvent, Status
from barriers.services.claims import barrier_claim, barrier_reassign, barrier_start
from barriers.services.common import _UNCLAIM, Conflict
from barriers.services.resolution import (
    barrier_reopen,
    barrier_resolve,
    barrier_verify,
    barrier_wont_fix,
)
from barriers.services.transfers import barrier_transfer
from shadowing import clock
from shadowing.organisation.models import Department, Person

pytestmark = pytest.mark.django_db

ACTORS = ["hank", "bill", "cora", "eve", "adam"]
ACTIONS = [
    "claim",
    "claim_for_mo",
    "transfer_bill",
    "transfer_care",
    "start",
    "resolve",
    "wont_fix",
    "reopen",
    "verify",
    "reassign_mo",
]


def act(name, item, by):
    due = clock.local_today() + dt.timedelta(days=3)
    care, billing = Department.objects.get(code="CARE"), Department.objects.get(code="BILL")
    mo = Person.objects.get(email="mo@example.com")
    if name == "claim":
        return barrier_claim(barrier=item, by=by, due=due, first_step="Step.")
    if name == "claim_for_mo":
        return barrier_claim(barrier=item, by=by, owner=mo, due=due, first_step="S.")
    if name in ("transfer_bill", "transfer_care"):
        target = billing if name == "transfer_bill" else care
        return barrier_transfer(barrier=item, by=by, department=target, reason="R.")
    if name == "start":
        return barrier_start(barrier=item, by=by)
    if name == "resolve":
        return barrier_resolve(barrier=item, by=by, resolution="Done.")
    if name == "wont_fix":
        return barrier_wont_fix(barrier=item, by=by, reason="No.")
    if name == "reopen":
        return barrier_reopen(barrier=item, by=by, reason="Still.")
    if name == "verify":
        return barrier_verify(barrier=item, by=by)
    return barrier_reassign(barrier=item, by=by, owner=mo)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), max_size=12))
def test_any_sequence_of_actions_keeps_the_invariants(request, item, bill, mo, steps):
    people = {name: request.getfixturevalue(name) for name in ACTORS}
    BacklogItem.objects.filter(pk=item.pk).update(
        **_UNCLAIM,
        status=Status.NEW,
        department=Department.objects.get(code="CARE"),
        owner=people["hank"],
        transfer_count=0,
        needs_arbitration=False,
        resolution="",
        resolved_at=None,
    )
    ItemEvent.objects.filter(item=item).delete()
    landed = 0
    for actor, name in steps:
        current = BacklogItem.objects.get(pk=item.pk)
        try:
            act(name, current, people[actor])
            landed += 1
        except (PermissionDenied, ValidationError, Conflict):
            pass
        stored = BacklogItem.objects.select_related("owner").get(pk=item.pk)
        assert stored.owner_id is not None
        assert stored.owner.is_active
        if stored.status in CLAIMED_STATUSES:
            assert stored.owner.department_id == stored.department_id
            assert stored.due is not None
            assert stored.first_step
        else:
            assert stored.status not in (Status.NEW, Status.REOPENED) or stored.claimed_at is None
        assert ItemEvent.objects.filter(item=item).count() == landed
