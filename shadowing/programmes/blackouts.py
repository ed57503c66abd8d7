"""A programme's blackout dates: days on which no visit is proposed at any site (a company
event, a month-end close), kept by the coordinator with a reason in words. The pairing engine
reads them through `shadowing.programmes.calendar`; this module only writes and lists them.

    blackout_date_add(*, programme, date, reason) -> BlackoutDate
    blackout_date_remove(*, programme, date) -> None
    blackout_days(programme) -> [BlackoutDay]  (each date with the visits that fall on it)

A blackout date added on a day that already holds visits does not touch them: the next pairing
run moves the proposed ones, and reports the locked and published ones as conflicts (rule 8:
those are never moved by a run), which the coordinator moves by hand.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shadowing.programmes.models import BlackoutDate, Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import FIXED_PAIRING_STATUSES, Pairing, PairingStatus

REASON_MAX = BlackoutDate._meta.get_field("reason").max_length


@dataclass(frozen=True)
class BlackoutDay:
    """A blackout date with the programme's visits on it: `proposed` ones (the next run moves
    them) and `kept` ones (locked or published: moved only by hand)."""

    date: dt.date
    reason: str
    proposed: int = 0
    kept: int = 0


def blackout_date_add(*, programme: Programme, date: dt.date, reason: str) -> BlackoutDate:
    """Close `date` of `programme` to every visit, for `reason`.

    Guarantees: the date lies inside the programme's dates and is not already a blackout date,
    the reason is given (at most REASON_MAX characters, surrounding spaces dropped), the
    programme is not closed; otherwise ValidationError keyed `date` or `reason`, nothing
    written. Two coordinators adding the same date at once: one wins, the other is refused."""
    _check_open(programme)
    reason = (reason or "").strip()
    errors = {}
    if not programme.includes(date):
        errors["date"] = _("%(date)s is outside the programme (%(start)s to %(end)s).") % {
            "date": date_format(date, "DATE_FORMAT"),
            "start": date_format(programme.start_date, "DATE_FORMAT"),
            "end": date_format(programme.end_date, "DATE_FORMAT"),
        }
    elif BlackoutDate.objects.filter(programme=programme, date=date).exists():
        errors["date"] = _duplicate(date)
    if not reason:
        errors["reason"] = _("Say why no visit takes place that day.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is at most %(n)d characters.") % {"n": REASON_MAX}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return BlackoutDate.objects.create(programme=programme, date=date, reason=reason)
    except IntegrityError as exc:  # the same date added meanwhile
        raise ValidationError({"date": _duplicate(date)}) from exc


def blackout_date_remove(*, programme: Programme, date: dt.date) -> None:
    """Open `date` again: the next pairing run may propose visits on it. ValidationError keyed
    `date` when it is not a blackout date of the programme, or the programme is closed."""
    _check_open(programme)
    deleted, _rows = BlackoutDate.objects.filter(programme=programme, date=date).delete()
    if not deleted:
        raise ValidationError(
            {
                "date": _("%(date)s is not a blackout date of this programme.")
                % {"date": date_format(date, "DATE_FORMAT")}
            }
        )


def blackout_days(programme: Programme, dates=None) -> list[BlackoutDay]:
    """The programme's blackout dates in order (only `dates` when given), each with how many
    of its visits fall on it; two queries whatever the number of dates or visits."""
    rows = BlackoutDate.objects.filter(programme=programme)
    if dates is not None:
        rows = rows.filter(date__in=dates)
    rows = list(rows.values_list("date", "reason"))
    if not rows:
        return []
    visits = Counter()
    for day, status in (
        Pairing.objects.filter(programme=programme, date__in=[d for d, _r in rows])
        .exclude(status=PairingStatus.CANCELLED)
        .values_list("date", "status")
    ):
        kind = "kept" if status in FIXED_PAIRING_STATUSES else "proposed"
        visits[day, kind] += 1
    return [
        BlackoutDay(day, reason, visits[day, "proposed"], visits[day, "kept"])
        for day, reason in rows
    ]


def _duplicate(date: dt.date) -> str:
    return _("%(date)s is already a blackout date of this programme.") % {
        "date": date_format(date, "DATE_FORMAT")
    }


def _check_open(programme: Programme) -> None:
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed and can no longer change."))
