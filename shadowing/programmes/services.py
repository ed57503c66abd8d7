"""Every write to a programme or a pairing's state, whatever the entry point (page, API, command).

Each function validates fully and raises django.core.exceptions.ValidationError with
field-keyed messages on bad input; callers only translate that into their own medium.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing.programmes import lifecycle
from shadowing.programmes.models import Availability, Programme, ProgrammeStatus, Series, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.series import series_pairs
from shadowing.programmes.signals import publish_requested

# A longer window is almost certainly a typo (2062 for 2026) and would make every per-date
# loop of the pairing engine needlessly long.
MAX_PROGRAMME_DAYS = 366

# The lifecycle. Each step here is a plain status change, except publishing, which also sends
# the invitations (`shadowing.invitations.services.programme_publish`).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProgrammeStatus.DRAFT: (ProgrammeStatus.PAIRING,),
    ProgrammeStatus.PAIRING: (ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED),
    ProgrammeStatus.PUBLISHED: (ProgrammeStatus.RUNNING,),
    ProgrammeStatus.RUNNING: (ProgrammeStatus.CLOSED,),
    ProgrammeStatus.CLOSED: (),
}

EDITABLE_FIELDS = (
    "name",
    "start_date",
    "end_date",
    "days_per_executive",
    "max_days_per_agent",
    "reporting_depth",
    "allow_cross_region",
    "visit_briefing",
    "series",
)


def programme_create(
    *,
    slug: str,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    days_per_executive: int = 1,
    max_days_per_agent: int = 2,
    reporting_depth: int = 3,
    allow_cross_region: bool = False,
    visit_briefing: str = "",
    series: Series | None = None,
) -> Programme:
    """Create a draft programme, a wave of `series` if given. Raises ValidationError (keyed by
    field) for a taken slug, dates out of order or too far apart, or settings out of range."""
    programme = Programme(
        series=series,
        slug=slug,
        name=name,
        start_date=start_date,
        end_date=end_date,
        days_per_executive=days_per_executive,
        max_days_per_agent=max_days_per_agent,
        reporting_depth=reporting_depth,
        allow_cross_region=allow_cross_region,
        visit_briefing=visit_briefing,
    )
    programme.full_clean()
    _check_length(programme)
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError as exc:
        # Two coordinators chose the same slug at the same moment.
        raise ValidationError(
            {"slug": _("A programme with the slug %(slug)s already exists.") % {"slug": slug}}
        ) from exc
    return programme


def programme_update(*, programme: Programme, **changes) -> Programme:
    """Change a programme's name, dates or settings (never its slug or status).

    Refused for a closed programme, and when the new dates would leave out shifts,
    availability or pairings it already holds."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed and can no longer change."))
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.full_clean()
    _check_length(programme)
    if "start_date" in changes or "end_date" in changes:
        _check_dates_cover_contents(programme)
    if "series" in changes:
        _check_series_keeps_pairs_apart(programme)
    programme.save()
    return programme


def programme_transition(*, programme: Programme, to: str, by=None) -> Programme:
    """Move the programme one step along its lifecycle (TRANSITIONS).

    A compare-and-set on the status: if someone else moved it meanwhile, this one is refused
    rather than applied on top of a state the caller did not see. Moving to published is
    publishing, whichever way it is asked for: the invitations feature's `programme_publish`
    answers `publish_requested` and the invitations go."""
    programme_follow_clock(programme=programme)
    current = programme.status
    if to not in TRANSITIONS.get(current, ()):
        raise ValidationError(
            {
                "status": _("A programme cannot go from %(current)s to %(to)s.")
                % {"current": current, "to": to}
            }
        )
    if to == ProgrammeStatus.CLOSED and lifecycle.programme_stage(programme) != lifecycle.ENDED:
        raise ValidationError(
            {
                "status": _("A programme can be closed once its last day (%(end)s) has passed.")
                % {"end": programme.end_date.isoformat()}
            }
        )
    if to == ProgrammeStatus.PUBLISHED:
        # The invitations feature publishes (signals.py): it sets the status with its checks.
        if not publish_requested.send(sender=Programme, programme=programme, by=by):
            raise ImproperlyConfigured("Nothing answers publish_requested: no invitations.")
        programme.refresh_from_db(fields=["status", "updated_at"])
        return programme
    updated = Programme.objects.filter(pk=programme.pk, status=current).update(
        status=to, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(
            {"status": _("The programme's status changed meanwhile; reload and try again.")}
        )
    programme.refresh_from_db(fields=["status", "updated_at"])
    return programme


def programme_follow_clock(*, programme: Programme) -> Programme:
    """Store the status time has given the programme (published -> running from its first
    day), a compare-and-set so that a coordinator's move at the same moment wins. Pages and the
    API never wait for this: they read `lifecycle.programme_stage`."""
    status = lifecycle.current_status(programme)
    if status != programme.status:
        Programme.objects.filter(pk=programme.pk, status=programme.status).update(
            status=status, updated_at=timezone.now()
        )
        programme.refresh_from_db(fields=["status", "updated_at"])
    return programme


def pairing_lock(*, pairing: Pairing) -> Pairing:
    """Lock a proposed pairing, so that no pairing run moves it."""
    if pairing.needs_repair:
        raise ValidationError(
            _("This pairing needs repair (%(reason)s); it cannot be locked.")
            % {"reason": pairing.get_repair_reason_display()}
        )
    return _set_pairing_status(pairing, PairingStatus.PROPOSED, PairingStatus.LOCKED)


def pairing_unlock(*, pairing: Pairing) -> Pairing:
    """Unlock a locked pairing: the next pairing run may move it again. A rule waived by hand
    was waived for this locked visit; a proposal is the engine's, which waives nothing."""
    return _set_pairing_status(
        pairing,
        PairingStatus.LOCKED,
        PairingStatus.PROPOSED,
        waived_rules=[],
        waiver_reason="",
        waived_by=None,
    )


def _set_pairing_status(pairing: Pairing, expected: str, to: str, **also) -> Pairing:
    if pairing.status == to:
        return pairing  # idempotent: locking a locked pairing is what the caller wanted
    updated = Pairing.objects.filter(pk=pairing.pk, status=expected).update(
        status=to, updated_at=timezone.now(), **also
    )
    if not updated:
        pairing.refresh_from_db(fields=["status"])
        raise ValidationError(
            _("Only a %(expected)s pairing can become %(to)s; this one is %(status)s.")
            % {"expected": expected, "to": to, "status": pairing.status}
        )
    pairing.refresh_from_db(fields=["status", "updated_at", *also])
    return pairing


def _check_length(programme: Programme) -> None:
    if (programme.end_date - programme.start_date).days + 1 > MAX_PROGRAMME_DAYS:
        raise ValidationError(
            {
                "end_date": _("A programme lasts at most %(days)d days.")
                % {"days": MAX_PROGRAMME_DAYS}
            }
        )


def _check_series_keeps_pairs_apart(programme: Programme) -> None:
    """Joining a series whose other waves already paired one of this programme's pairs would
    break the series rule after the fact: refused, naming the series field."""
    if programme.series_id is None:
        return
    mine = set(
        Pairing.objects.active().filter(programme=programme).values_list("executive_id", "agent_id")
    )
    repeated = mine & series_pairs(programme, executives={e for e, _a in mine})
    if repeated:
        raise ValidationError(
            {
                "series": _(
                    "%(n)d of this programme's visits pair an executive with an agent they "
                    "shadowed in another wave of that series; cancel or move them first."
                )
                % {"n": len(repeated)}
            }
        )


def _check_dates_cover_contents(programme: Programme) -> None:
    outside = {"programme": programme}
    before_or_after = {"date__lt": programme.start_date}, {"date__gt": programme.end_date}
    for model, what in (
        (Shift, _("shifts")),
        (Availability, _("availability rows")),
        (Pairing, _("pairings")),
    ):
        queryset = model.objects.filter(**outside)
        if model is Pairing:
            queryset = queryset.exclude(status=PairingStatus.CANCELLED)
        if any(queryset.filter(**bound).exists() for bound in before_or_after):
            raise ValidationError(
                {
                    "start_date": _(
                        "The programme holds %(what)s outside these dates; import new files first."
                    )
                    % {"what": what}
                }
            )
