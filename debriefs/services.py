"""Every write to debriefs and barrier reports. Pages, the API, the admin and tasks call these.

What they guarantee:

- one debrief per visit (a database constraint; creating twice answers with the first);
- only the visit's executive files it, only once the visit has started, never for a cancelled
  visit;
- a draft saves whatever is well-formed, complete or not; completeness is checked on submit;
- submitting is one conditional UPDATE (draft or reopened -> submitted) inside a transaction
  that also writes the barrier reports: a double tap or a retry submits once and creates no
  report twice, and returns the same debrief;
- once submitted, saves are refused (`DebriefLocked`, 409) until a coordinator reopens it;
  a save racing a submit loses;
- an agent's report, filed twice with the same key (a retried form), is stored once.
"""

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

from . import signals
from .body import BARRIER_FIELDS, assign_keys
from .models import (
    EDITABLE_STATUSES,
    BarrierReport,
    Debrief,
    DebriefNotice,
    DebriefStatus,
    NoticeKind,
    Source,
)
from .selectors import management_chains, visit_has_started

# An agent's link may be forwarded: this bounds what one visit's link can file.
AGENT_REPORTS_PER_VISIT_MAX = 20
# Two clicks on "Nudge" within this long send one message.
NUDGE_INTERVAL = dt.timedelta(hours=1)


class DebriefLocked(Exception):
    """The debrief is submitted: it changes only after a coordinator reopens it (HTTP 409)."""


class DebriefIncomplete(Exception):
    """The body cannot be submitted. `errors` has the API's shape: field -> messages, and
    `barriers` a list by index of {field: messages} ({} for a barrier that is fine)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class FilingRefused(Exception):
    """This person cannot file for this visit now (not started, cancelled)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _now(now):
    return now or timezone.now()


# Who may file, and when ------------------------------------------------------------------------


def debrief_filing_refusal(*, pairing: Pairing, by: Person, now=None) -> str | None:
    """Why `by` cannot file a debrief for `pairing` now, or None when they can. Callers check
    `debriefs.add_debrief` first; this adds the visit's own state."""
    if pairing.executive_id != by.pk:
        return _("Only the visit's executive files its debrief.")
    if pairing.status == PairingStatus.CANCELLED:
        return _("This visit was cancelled: there is nothing to debrief.")
    if not visit_has_started(pairing, now=_now(now)):
        return _("You can file your debrief once the visit has started.")
    return None


def _check_can_file(pairing: Pairing, by: Person, now) -> None:
    if pairing.executive_id != by.pk:
        raise PermissionDenied(_("Only the visit's executive files its debrief."))
    refusal = debrief_filing_refusal(pairing=pairing, by=by, now=now)
    if refusal:
        raise FilingRefused(refusal)


def _check_executive(debrief: Debrief, by: Person) -> None:
    if debrief.pairing.executive_id != by.pk:
        raise PermissionDenied(_("Only the visit's executive changes its debrief."))


# Drafts ----------------------------------------------------------------------------------------


def debrief_create(*, pairing: Pairing, by: Person, body: dict | None = None, now=None) -> Debrief:
    """A draft debrief for `pairing`, holding `body` (any well-formed subset). Raises
    FilingRefused, PermissionDenied, or IntegrityError when the visit already has one."""
    now = _now(now)
    _check_can_file(pairing, by, now)
    body = body or {}
    barriers = assign_keys(body.get("barriers", []), [])
    return Debrief.objects.create(
        pairing=pairing,
        overall=body.get("overall", ""),
        rating=body.get("rating"),
        commitment=body.get("commitment", ""),
        barriers=barriers,
        created_at=now,
        updated_at=now,
    )


def debrief_get_or_create(*, pairing: Pairing, by: Person, now=None) -> tuple[Debrief, bool]:
    """The visit's debrief, created empty if it has none yet (safe under concurrency: the
    unique constraint decides, and the loser reads the winner's row)."""
    existing = Debrief.objects.filter(pairing=pairing).first()
    if existing is not None:
        existing.pairing = pairing
        _check_executive(existing, by)
        return existing, False
    try:
        with transaction.atomic():
            return debrief_create(pairing=pairing, by=by, now=now), True
    except IntegrityError:
        debrief = Debrief.objects.get(pairing=pairing)
        debrief.pairing = pairing
        return debrief, False


def debrief_save_draft(*, debrief: Debrief, by: Person, body: dict, now=None) -> Debrief:
    """Save the keys of `body` given (the rest stays); nothing has to be complete. Raises
    DebriefLocked when the debrief is submitted, also when a submit won a race with this save."""
    now = _now(now)
    _check_executive(debrief, by)
    changes = {name: body[name] for name in ("overall", "rating", "commitment") if name in body}
    if "barriers" in body:
        changes["barriers"] = assign_keys(body["barriers"], debrief.barriers)
    updated = Debrief.objects.filter(pk=debrief.pk, status__in=EDITABLE_STATUSES).update(
        **changes, revision=F("revision") + 1, updated_at=now
    )
    if updated != 1:
        raise DebriefLocked
    for name, value in changes.items():
        setattr(debrief, name, value)
    debrief.updated_at = now
    debrief.revision = (
        Debrief.objects.filter(pk=debrief.pk).values_list("revision", flat=True).first() or 0
    )
    return debrief


# Submitting ------------------------------------------------------------------------------------


def barrier_errors(barrier: dict) -> dict[str, list[str]]:
    """What a barrier lacks to be filed (the shape was checked when it was read)."""
    errors = {}
    if not (barrier.get("title") or "").strip():
        errors["title"] = [_("Give the barrier a short title.")]
    if not barrier.get("category"):
        errors["category"] = [_("Choose a category.")]
    if not barrier.get("department"):
        errors["department"] = [_("Choose the department that can remove this barrier.")]
    if not barrier.get("severity"):
        errors["severity"] = [_("Choose how much it hurts the customer.")]
    if not barrier.get("frequency"):
        errors["frequency"] = [_("Choose how often it happens.")]
    return errors


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


def _file_debrief_reports(
    *, debrief, barriers, departments, reporter_id, resubmission, now
) -> list[int]:
    """Create a report for each barrier; on a resubmission update those kept (by key) and
    withdraw those removed. Returns the ids of reports created or changed."""
    existing = {str(r.key): r for r in debrief.reports.all()} if resubmission else {}
    new, changed = [], []
    for barrier in barriers:
        values = {
            "title": barrier["title"].strip(),
            "description": barrier["description"],
            "category": barrier["category"],
            "department": departments[barrier["department"]],
            "severity": barrier["severity"],
            "frequency": barrier["frequency"],
            "suggested_fix": barrier["suggested_fix"],
        }
        report = existing.pop(barrier["key"], None)
        if report is None:
            new.append(
                BarrierReport(
                    debrief=debrief,
                    pairing_id=debrief.pairing_id,
                    reporter_id=reporter_id,
                    source=Source.EXECUTIVE,
                    key=barrier["key"],
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(report, name, value)
            report.updated_at, report.withdrawn_at = now, None
            changed.append(report)
    created = BarrierReport.objects.bulk_create(new)
    if changed:
        BarrierReport.objects.bulk_update(changed, [*BARRIER_FIELDS, "updated_at", "withdrawn_at"])
    if existing:
        BarrierReport.objects.filter(pk__in=[r.pk for r in existing.values()]).update(
            withdrawn_at=now, updated_at=now
        )
    return [r.pk for r in created] + [r.pk for r in changed]


def _announce(report_ids: list[int]) -> None:
    if report_ids:
        signals.barrier_reports_filed.send(sender=BarrierReport, report_ids=report_ids)


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


# The agent's barriers --------------------------------------------------------------------------


def barrier_report_file_by_agent(
    *, pairing: Pairing, agent: Person, barrier: dict, anonymous: bool, key: str, now=None
) -> tuple[BarrierReport, bool]:
    """File one barrier from the visit's agent. Returns (report, created); a second call with
    the same `key` returns the first report. Raises ValidationError for an incomplete barrier
    or a visit that cannot take one, PermissionDenied for anyone but the visit's agent."""
    now = _now(now)
    if pairing.agent_id != agent.pk:
        raise PermissionDenied(_("Only the visit's agent files barriers for it this way."))
    existing = BarrierReport.objects.filter(reporter=agent, key=key).first()
    if existing is not None:
        return existing, False
    if pairing.status == PairingStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled."))
    if not visit_has_started(pairing, now=now):
        raise ValidationError(_("You can add barriers once the visit has started."))
    errors = barrier_errors(barrier)
    if errors:
        raise ValidationError(errors)
    department = Department.objects.filter(code=barrier["department"]).first()
    if department is None:
        raise ValidationError({"department": [_("Choose a department from the list.")]})
    filed = BarrierReport.objects.filter(pairing=pairing, reporter=agent).count()
    if filed >= AGENT_REPORTS_PER_VISIT_MAX:
        raise ValidationError(_("This visit already has %(n)d barriers from you.") % {"n": filed})
    withheld = sorted(management_chains({agent.pk})[agent.pk]) if anonymous else []
    try:
        with transaction.atomic():
            report = BarrierReport.objects.create(
                pairing=pairing,
                reporter=agent,
                source=Source.AGENT,
                key=key,
                title=barrier["title"].strip(),
                description=barrier.get("description", ""),
                category=barrier["category"],
                department=department,
                severity=barrier["severity"],
                frequency=barrier["frequency"],
                suggested_fix=barrier.get("suggested_fix", ""),
                anonymous_to_management=anonymous,
                withheld_from=withheld,
                created_at=now,
                updated_at=now,
            )
            transaction.on_commit(partial(_announce, [report.pk]))
    except IntegrityError:
        return BarrierReport.objects.get(reporter=agent, key=key), False
    return report, True


# Nudges ---------------------------------------------------------------------------------------


def debrief_nudge(*, pairing: Pairing, by: Person, now=None) -> DebriefNotice | None:
    """A coordinator's one-click reminder to the executive of a visit whose debrief is not
    submitted. Returns the notice queued, or None when there is nothing to nudge (submitted,
    cancelled, not started) or a nudge went out less than NUDGE_INTERVAL ago."""
    now = _now(now)
    if not by.has_perm("debriefs.nudge_debrief"):
        raise PermissionDenied
    if pairing.status == PairingStatus.CANCELLED or not visit_has_started(pairing, now=now):
        return None
    if Debrief.objects.filter(pairing=pairing, status=DebriefStatus.SUBMITTED).exists():
        return None
    with transaction.atomic():
        # Two coordinators (or two clicks) at once: the row lock makes the second wait and see
        # the first one's nudge.
        Pairing.objects.select_for_update().filter(pk=pairing.pk).first()
        recent = DebriefNotice.objects.filter(
            pairing=pairing, kind=NoticeKind.NUDGE, created_at__gt=now - NUDGE_INTERVAL
        )
        if recent.exists():
            return None
        notice = DebriefNotice.objects.create(
            pairing=pairing,
            kind=NoticeKind.NUDGE,
            recipient_id=pairing.executive_id,
            sent_by=by,
            created_at=now,
        )
        transaction.on_commit(partial(_queue, "debriefs.tasks.debrief_notice_send", notice.pk))
    return notice


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)
