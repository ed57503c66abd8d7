"""What the pairing engine makes of a programme: pairings (the visits), the runs that made them,
the executives a run left unpaired, and the declines ("can't make it") people sent for a visit.

A decline is also availability: the next pairing run leaves that person's day out
(`shadowing.programmes.selectors.declined_days`).
"""

import datetime as dt
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Person, Site
from shadowing.programmes.models import Programme, Shift


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


# A re-run of the pairing engine never moves these (CONTRACT.md, rule 8).
FIXED_PAIRING_STATUSES = (PairingStatus.LOCKED, PairingStatus.PUBLISHED)


class RepairReason(models.TextChoices):
    SHIFT_REMOVED = "shift_removed", _("The agent's shift on that date is gone.")
    EXECUTIVE_UNAVAILABLE = (
        "executive_unavailable",
        _("The executive is no longer available on that date."),
    )
    DECLINED = "declined", _("The executive or the agent said they cannot make it.")


class Attendance(models.TextChoices):
    """What happened on the day, as the agent or a coordinator recorded it."""

    ATTENDED = "attended", _("Attended")
    CUT_SHORT = "cut_short", _("Cut short")
    NO_SHOW = "no_show", _("No-show")


# An executive who came, even for part of the day, owes a debrief.
VISITED = (Attendance.ATTENDED, Attendance.CUT_SHORT)


class PairingQuerySet(models.QuerySet):
    def active(self) -> "PairingQuerySet":
        return self.exclude(status=PairingStatus.CANCELLED)


class Pairing(models.Model):
    """One visit: an executive beside an agent for the agent's shift on one date.

    `uid` and `sequence` are the iCalendar identity of the visit: the UID never changes for
    the life of the pairing, and whoever changes a published pairing raises the sequence.
    The date, site and UTC instants are copied from the shift when the pairing is made, so that
    a pairing whose shift later vanishes still knows what it was (and can be cancelled).
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="pairings"
    )
    executive = models.ForeignKey(
        Person,
        verbose_name=_("executive"),
        on_delete=models.PROTECT,
        related_name="pairings_as_executive",
    )
    agent = models.ForeignKey(
        Person,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="pairings_as_agent",
    )
    date = models.DateField(_("date"))
    # SET_NULL: a shift removed by an import leaves the pairing in place, flagged for repair.
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="pairings"
    )
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PairingStatus.choices,
        default=PairingStatus.PROPOSED,
    )
    needs_repair = models.BooleanField(_("needs repair"), default=False)
    repair_reason = models.CharField(
        _("why it needs repair"), max_length=40, choices=RepairReason.choices, blank=True
    )
    reasons = models.JSONField(
        _("reasons"), default=list, blank=True, help_text=_("Why the engine chose this pair.")
    )
    # A coordinator may waive a waivable rule (never the reporting line) when the executive
    # agreed to it, say by phone; the rules waived, why, and who did it are kept with the visit.
    waived_rules = models.JSONField(
        _("rules waived"), default=list, blank=True, help_text=_("Codes of the rules waived.")
    )
    waiver_reason = models.CharField(_("why the rules were waived"), max_length=500, blank=True)
    waived_by = models.ForeignKey(
        Person,
        verbose_name=_("waived by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, blank=True
    )
    attendance_note = models.CharField(_("attendance note"), max_length=500, blank=True)
    attendance_recorded_by = models.ForeignKey(
        Person,
        verbose_name=_("attendance recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance_recorded_at = models.DateTimeField(
        _("attendance recorded at"), null=True, blank=True
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "executive_id"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            # Across programmes too: a person is in one place on a given day.
            models.UniqueConstraint(
                fields=["agent", "date"],
                condition=~models.Q(status="cancelled"),
                name="pairing_one_per_agent_day",
            ),
            models.UniqueConstraint(
                fields=["executive", "date"],
                condition=~models.Q(status="cancelled"),
                name="pairing_one_per_executive_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(executive=models.F("agent")),
                name="pairing_executive_not_agent",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PairingStatus.values),
                name="pairing_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(needs_repair=False, repair_reason="")
                    | (models.Q(needs_repair=True) & ~models.Q(repair_reason=""))
                ),
                name="pairing_repair_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="pairing_instants_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(attendance="") | models.Q(attendance__in=Attendance.values),
                name="pairing_attendance_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "date"], name="pairing_programme_date"),
            models.Index(fields=["programme", "status"], name="pairing_programme_status"),
        ]

    def __str__(self) -> str:
        return f"{self.executive_id} with {self.agent_id} on {self.date}"

    @property
    def is_fixed(self) -> bool:
        return self.status in FIXED_PAIRING_STATUSES

    @property
    def local_start(self) -> dt.time:
        return self.starts_at.astimezone(self.site.zone).time()

    @property
    def local_end(self) -> dt.time:
        return self.ends_at.astimezone(self.site.zone).time()


class PairingRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (PairingRunStatus.QUEUED, PairingRunStatus.RUNNING)


class PairingRun(models.Model):
    """One run of the pairing engine over a programme, with its progress for the page that
    waits on it. At most one run per programme is queued or running at a time."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="runs"
    )
    requested_by = models.ForeignKey(
        Person,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PairingRunStatus.choices,
        default=PairingRunStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    executives = models.PositiveIntegerField(_("executives"), default=0)
    paired = models.PositiveIntegerField(_("executives paired"), default=0)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    moved = models.PositiveIntegerField(_("pairings moved"), default=0)
    # Earlier visits this run left out: their executive is now unpaired on that day.
    dropped = models.PositiveIntegerField(_("pairings dropped"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pairing run")
        verbose_name_plural = _("pairing runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="pairing_run_progress_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PairingRunStatus.values),
                name="pairing_run_status_valid",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status__in=["queued", "running"]),
                name="pairing_run_one_active_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.programme_id}: {self.status}"


class UnpairedExecutive(models.Model):
    """An executive a run could not pair (fully), and why. A table rather than a JSON list on
    the run, so that the coordinator's page can count by reason and paginate thousands."""

    run = models.ForeignKey(
        PairingRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="unpaired"
    )
    executive = models.ForeignKey(
        Person, verbose_name=_("executive"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=64)
    params = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["run", "reason", "executive_id"]
        verbose_name = _("unpaired executive")
        verbose_name_plural = _("unpaired executives")
        constraints = [
            models.UniqueConstraint(fields=["run", "executive"], name="unpaired_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.executive_id}: {self.reason}"


class Decline(models.Model):
    """A person's "can't make it" for a published visit, as the visit stood (`sequence`) when
    they said it. It stays open until the visit changes or is cancelled."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="declines"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("declined at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decline")
        verbose_name_plural = _("declines")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "person", "sequence"], name="decline_once_per_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} declined pairing {self.pairing_id}"
