"""The executive's debrief before it is submitted: who may file it and when, creating it (once
per visit, whatever the concurrency), and saving a draft, complete or not, until it is submitted.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

from ..body import assign_keys
from ..models import EDITABLE_STATUSES, Debrief
from ..selectors import visit_has_started
from .common import _now


class DebriefLocked(Exception):
    """The debrief is submitted: it changes only after a coordinator reopens it (HTTP 409)."""


class FilingRefused(Exception):
    """This person cannot file for this visit now (not started, cancelled)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
