"""Barrier reports: what a barrier needs to be filed, a submitted debrief's barriers written as
reports (kept, changed or withdrawn on a resubmission), a barrier filed by the visit's agent, and
the signal that hands new reports to the backlog on commit."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

from .. import signals
from ..body import BARRIER_FIELDS
from ..models import BarrierReport, Source
from ..selectors import management_chains, visit_has_started
from .common import _now

# An agent's link may be forwarded: this bounds what one visit's link can file.
AGENT_REPORTS_PER_VISIT_MAX = 20


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
