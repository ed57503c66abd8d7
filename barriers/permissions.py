"""Who may do what with the backlog, registered once with `rules` (imported by
BarriersConfig.ready). Pages, the API, the admin and templates all ask `user.has_perm`.

- Coordinators see and do everything: triage, merge and undo, route, arbitrate.
- A department head sees their department's items; claims them for themselves or for someone in
  the department, reassigns, transfers (with a reason), starts, resolves, refuses.
- An item's owner sees it and moves it along (start, resolve, refuse), but does not claim,
  reassign or transfer: that is the head's commitment.
- The people who reported a barrier see its item, and verify or reopen it once it is resolved.
- A CX ambassador (a role; of their own department) sees their department's items, works
  its queue (new and escalated items), suggests merges (a coordinator accepts or dismisses
  them, the head may dismiss), nudges the head (a mail, once per item and day) and claims on
  the department's behalf: the head is owner of record and makes the commitment
  (`claimed_by`), the audit row names the ambassador. An ambassador does not reassign,
  transfer, merge or resolve (unless they are also a head), and nothing of another department.
- Nobody else sees an item (404).
"""

import rules
from django.db.models import Q

from shadowing.organisation.permissions import is_coordinator, is_department_head, is_signed_in

from .models import ItemReport


@rules.predicate
def heads_item_department(user, item=None) -> bool:
    if not is_department_head(user):
        return False
    return item is None or (
        user.department_id is not None and item.department_id == user.department_id
    )


@rules.predicate
def ambassador_of_item(user, item=None) -> bool:
    """A CX ambassador, for an item of their own department (any item when none is given)."""
    if not is_signed_in(user) or not user.is_cx_ambassador or user.department_id is None:
        return False
    return item is None or item.department_id == user.department_id


def acts_for_head(user, item) -> bool:
    """Does `user` claim `item` as an ambassador, on the head's behalf (rather than as a
    coordinator or the department's head, who claim in their own name)?"""
    return bool(
        ambassador_of_item(user, item)
        and not is_coordinator(user)
        and not heads_item_department(user, item)
    )


@rules.predicate
def owns_item(user, item=None) -> bool:
    if not is_signed_in(user):
        return False
    return item is None or user.pk in (item.owner_id, item.claimed_by_id)


def reporter_ids(item) -> set[int]:
    """The people who filed the item's reports (cached on the instance)."""
    cached = getattr(item, "_reporter_ids", None)
    if cached is None:
        cached = set(
            ItemReport.objects.filter(item=item).values_list("report__reporter_id", flat=True)
        )
        item._reporter_ids = cached
    return cached


@rules.predicate
def reported_item(user, item=None) -> bool:
    if not is_signed_in(user):
        return False
    return item is None or user.pk in reporter_ids(item)


# Who may own an item of their department: its head, and its people with a managing role
# (department heads, executives, coordinators). An agent reports barriers but does not own one.
OWNER_ROLES = Q(is_department_head=True) | Q(is_executive=True) | Q(is_coordinator=True)


def can_own_item(person, item) -> bool:
    """May `person` be named owner of `item` (a claim, a reassignment)?"""
    if person is None or not person.is_active or person.department_id != item.department_id:
        return False
    head_id = getattr(item.department, "head_id", None)
    return person.pk == head_id or bool(
        person.is_department_head or person.is_executive or person.is_coordinator
    )


can_view = is_coordinator | heads_item_department | ambassador_of_item | owns_item | reported_item
can_commit = is_coordinator | heads_item_department

rules.add_perm("barriers", is_coordinator)  # the admin's app index
rules.add_perm("barriers.view_backlogitem", can_view)
rules.add_perm("barriers.add_backlogitem", rules.always_deny)  # reports open items
rules.add_perm("barriers.change_backlogitem", rules.always_deny)  # only through the actions
rules.add_perm("barriers.delete_backlogitem", rules.always_deny)
rules.add_perm("barriers.claim_backlogitem", can_commit | ambassador_of_item)
rules.add_perm("barriers.reassign_backlogitem", can_commit)
rules.add_perm("barriers.transfer_backlogitem", can_commit)
rules.add_perm("barriers.work_backlogitem", can_commit | owns_item)  # start, resolve, refuse
# Who verifies and reopens; the services say when (a reporter: once it is resolved; a
# coordinator: any closed item), answering 400 otherwise.
rules.add_perm("barriers.verify_backlogitem", reported_item)
rules.add_perm("barriers.reopen_backlogitem", reported_item | is_coordinator)
rules.add_perm("barriers.merge_backlogitem", is_coordinator)
rules.add_perm("barriers.triage_backlog", is_coordinator)
# The ambassador's part of triage: their department's queue, merge suggestions, nudges.
rules.add_perm("barriers.ambassador_queue", ambassador_of_item)
rules.add_perm("barriers.suggest_merge_backlogitem", ambassador_of_item)
rules.add_perm("barriers.nudge_backlogitem", ambassador_of_item)
# A suggestion is accepted by whoever may merge; dismissed by them or the item's head.
rules.add_perm("barriers.dismiss_suggestion_backlogitem", is_coordinator | heads_item_department)
# Everyone signed in sees the department scoreboard: it is meant to be in plain sight.
rules.add_perm("barriers.view_scoreboard", is_signed_in)
rules.add_perm("barriers.view_backlog", is_signed_in)

for _model in (
    "itemevent",
    "itemreport",
    "merge",
    "notice",
    "itemvector",
    "backlogsettings",
    "mergesuggestion",
):
    rules.add_perm(f"barriers.view_{_model}", is_coordinator)
    for _verb in ("add", "delete"):
        rules.add_perm(f"barriers.{_verb}_{_model}", rules.always_deny)
    rules.add_perm(
        f"barriers.change_{_model}",
        is_coordinator if _model == "backlogsettings" else rules.always_deny,
    )
