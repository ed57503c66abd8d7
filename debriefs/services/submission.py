"""Submitting a debrief: what it lacks to be submitted, the one conditional UPDATE that submits
it together with its barrier reports, and a coordinator's reopening of a submitted one."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person

from ..body import BARRIER_FIELDS, assign_keys
from ..models import EDITABLE_STATUSES, Debrief, DebriefNotice, DebriefStatus, NoticeKind
from .common import _now, _queue
from .drafts import DebriefLocked, _check_executive
from .reports import _announce, _file_debrief_reports, barrier_errors


class DebriefIncomplete(Exception):
    """The body cannot be submitted. `errors` has the API's shape: field -> messages, and
    `barriers` a list by index of {field: messages} ({} for a barrier that is fine)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


# Submitting ------------------------------------------------------------------------------------


def submission_errors(body: dict) -> dict:
    """Everything `body` lacks to be submitted, in the API's error shape; {} when complete."""
    errors: dict = {}
    if not (body.get("overall") or "").strip():
        errors["overall"] = [_("Tell us what you saw.")]
    if body.get("rating") is None:
        errors["rating"] = [_("Choose a rating from 1 to 5.")]
    barrier_list = [barrier_errors(barrier) for barrier in body.get("barriers") or []]
    if any(barrier_list):
        errors["barriers"] = barrier_list
    return errors


def _body_of(debrief: Debrief) -> dict:
    return {
        "overall": debrief.overall,
        "rating": debrief.rating,
        "commitment": debrief.commitment,
        "barriers": debrief.barriers,
    }


def _same_content(body: dict, debrief: Debrief) -> bool:
    """Whether submitting `body` again would change nothing (keys aside)."""
    stored = _body_of(debrief)
    for name in ("overall", "rating", "commitment"):
        if name in body and body[name] != stored[name]:
            return False
    if "barriers" in body:
        strip = [
            [{field: barrier.get(field) for field in BARRIER_FIELDS} for barrier in barriers]
            for barriers in (body["barriers"], stored["barriers"])
        ]
        return strip[0] == strip[1]
    return True


def debrief_submit(
    *, debrief: Debrief, by: Person, body: dict | None = None, now=None
) -> tuple[Debrief, bool]:
    """Submit the debrief, after saving `body` into it if given. Returns (debrief, submitted
    now). Already submitted: returns it unchanged with False when `body` is absent or says the
    same, raises DebriefLocked when `body` would change it. Raises DebriefIncomplete listing
    every gap, PermissionDenied for anyone but the executive."""
    now = _now(now)
    _check_executive(debrief, by)
    with transaction.atomic():
        # The lock orders a concurrent save or submit after this one on PostgreSQL; the
        # conditional UPDATE below is what decides, on every database.
        current = Debrief.objects.select_for_update().get(pk=debrief.pk)
        current.pairing = debrief.pairing
        if current.status == DebriefStatus.SUBMITTED:
            if body and not _same_content(body, current):
                raise DebriefLocked
            return current, False
        merged = {**_body_of(current), **(body or {})}
        merged["barriers"] = assign_keys(list(merged["barriers"]), current.barriers)
        errors = submission_errors(merged)
        codes = {barrier["department"] for barrier in merged["barriers"]}
        departments = (
            {d.code: d for d in Department.objects.filter(code__in=codes)} if codes else {}
        )
        by_index = errors.get("barriers") or [{} for _barrier in merged["barriers"]]
        for index, barrier in enumerate(merged["barriers"]):
            if barrier["department"] and barrier["department"] not in departments:
                by_index[index]["department"] = [_("No department has this code any more.")]
        if any(by_index):
            errors["barriers"] = by_index
        if errors:
            raise DebriefIncomplete(errors)
        updated = Debrief.objects.filter(pk=current.pk, status__in=EDITABLE_STATUSES).update(
            status=DebriefStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            revision=F("revision") + 1,
            overall=merged["overall"],
            rating=merged["rating"],
            commitment=merged["commitment"],
            barriers=merged["barriers"],
        )
        if updated != 1:
            raise DebriefLocked
        was_reopened = current.status == DebriefStatus.REOPENED
        report_ids = _file_debrief_reports(
            debrief=current,
            barriers=merged["barriers"],
            departments=departments,
            reporter_id=by.pk,
            resubmission=was_reopened,
            now=now,
        )
        transaction.on_commit(partial(_announce, report_ids))
    # What the UPDATE wrote, without reading it back: the row is ours until commit.
    current.status, current.submitted_at, current.updated_at = DebriefStatus.SUBMITTED, now, now
    current.revision += 1
    current.overall, current.rating = merged["overall"], merged["rating"]
    current.commitment, current.barriers = merged["commitment"], merged["barriers"]
    return current, True


def debrief_reopen(*, debrief: Debrief, by: Person, now=None) -> Debrief:
    """A coordinator makes a submitted debrief editable again; its reports stay until the
    executive resubmits. Reopening one that is not submitted changes nothing."""
    now = _now(now)
    if not by.has_perm("debriefs.reopen_debrief", debrief):
        raise PermissionDenied
    with transaction.atomic():
        updated = Debrief.objects.filter(pk=debrief.pk, status=DebriefStatus.SUBMITTED).update(
            status=DebriefStatus.REOPENED,
            reopened_at=now,
            reopened_by=by,
            updated_at=now,
            revision=F("revision") + 1,
        )
        if updated:
            notice = DebriefNotice.objects.create(
                pairing_id=debrief.pairing_id,
                kind=NoticeKind.REOPENED,
                recipient_id=debrief.pairing.executive_id,
                sent_by=by,
                created_at=now,
            )
            transaction.on_commit(partial(_queue, "debriefs.tasks.debrief_notice_send", notice.pk))
    debrief.refresh_from_db()
    return debrief
