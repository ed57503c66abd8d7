"""What happened on a visit's day: the executive came, left early, or did not come.

The agent of the visit or a coordinator records it, from the visit's day at its site on
(the agent may know by 8 a.m. that nobody came), for published visits only. It may be changed
later; the last write wins and says who wrote it and when. What follows from it (who owes a
debrief, who counts as visited) is read by the debriefs and the reports, from
`Pairing.attendance` and `VISITED`.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shadowing import clock
from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Attendance, Pairing, PairingStatus

NOTE_MAX = 500


def attendance_opens_on(pairing: Pairing) -> dt.date:
    """The first day attendance may be recorded: the visit's own date, at its site."""
    return pairing.date


def attendance_refusal(*, pairing: Pairing, now: dt.datetime | None = None) -> str | None:
    """Why attendance cannot be recorded for this visit now, or None when it can."""
    if pairing.status != PairingStatus.PUBLISHED:
        return _("Attendance is recorded only for a published visit; this one is %(status)s.") % {
            "status": pairing.get_status_display().lower()
        }
    today = clock.local_date(now or timezone.now(), pairing.site.zone)
    if today < attendance_opens_on(pairing):
        return _("Attendance can be recorded from the day of the visit, %(date)s.") % {
            "date": date_format(pairing.date, "DATE_FORMAT")
        }
    return None


def attendance_is_open(pairing: Pairing, *, now: dt.datetime | None = None) -> bool:
    return attendance_refusal(pairing=pairing, now=now) is None


def pairing_attendance_record(
    *,
    pairing: Pairing,
    by: Person,
    attendance: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Pairing:
    """Record what happened on the visit's day, replacing what was recorded before.

    Guarantees: only the visit's agent or a coordinator (PermissionDenied otherwise); only a
    published visit, only from its day at its site on, only one of `Attendance`, a note of at
    most NOTE_MAX characters (ValidationError keyed `attendance` or `note`, nothing written);
    one conditional UPDATE, so a visit cancelled meanwhile is refused rather than written.
    """
    now = now or timezone.now()
    if not by.has_perm("shadowing.record_attendance", pairing):
        raise PermissionDenied(_("Only the visit's agent or a coordinator records attendance."))
    errors: dict[str, str] = {}
    if attendance not in Attendance.values:
        errors["attendance"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(str(label) for label in Attendance.labels)
        }
    note = (note or "").strip()
    if "\x00" in note:
        errors["note"] = _("The note holds a null character.")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("Keep the note to %(max)d characters (it has %(n)d).") % {
            "max": NOTE_MAX,
            "n": len(note),
        }
    refusal = attendance_refusal(pairing=pairing, now=now)
    if refusal and "attendance" not in errors:
        errors["attendance"] = refusal
    if errors:
        raise ValidationError(errors)
    values = {
        "attendance": attendance,
        "attendance_note": note,
        "attendance_recorded_by": by,
        "attendance_recorded_at": now,
        "updated_at": now,
    }
    updated = Pairing.objects.filter(pk=pairing.pk, status=PairingStatus.PUBLISHED).update(**values)
    if not updated:
        raise ValidationError({"attendance": _("This visit is no longer published.")})
    for name, value in values.items():
        setattr(pairing, name, value)
    return pairing
