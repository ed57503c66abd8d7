"""Programmes and what happens inside one: shifts, availability, pairings and pairing runs.

A programme is a window of dates. Agents' shifts and executives' availability are imported
into it (replaced wholesale by each import), the pairing engine turns them into pairings, and
the coordinator moves the programme through its lifecycle (`shadowing.programmes.services`).
"""

import datetime as dt
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisation import Person, Site


def local_instant(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock `time` on `day` at a site in `zone`.

    Correct across DST changes because the offset is that of `day` itself. A wall-clock time
    skipped by a spring-forward change is read with the offset in force before it (fold=0),
    which is what a clock that has not yet been changed shows.
    """
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PAIRING = "pairing", _("Pairing")
    PUBLISHED = "published", _("Published")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Programme(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    days_per_executive = models.PositiveSmallIntegerField(
        _("days per executive"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text=_("How many visits each executive makes: 1 or 2, on distinct dates."),
    )
    max_days_per_agent = models.PositiveSmallIntegerField(
        _("most days per agent"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many days one agent hosts at most in the whole programme."),
    )
    reporting_depth = models.PositiveSmallIntegerField(
        _("reporting depth"),
        default=3,
        help_text=_(
            "An executive never shadows an agent who reports to them this many levels up "
            "(3: the agent's manager, that manager's manager, and one more)."
        ),
    )
    allow_cross_region = models.BooleanField(
        _("cross-region visits allowed"),
        default=False,
        help_text=_("Otherwise an executive visits only sites in their home site's region."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programme_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_executive__gte=1, days_per_executive__lte=2),
                name="programme_days_per_executive_1_or_2",
            ),
            models.CheckConstraint(
                condition=models.Q(max_days_per_agent__gte=1),
                name="programme_max_days_per_agent_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(reporting_depth__gte=0),
                name="programme_reporting_depth_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgrammeStatus.values),
                name="programme_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The last day cannot come before the first day.")},
                code="end_before_start",
            )

    def includes(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def dates(self) -> list[dt.date]:
        days = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=n) for n in range(days)]


class Shift(models.Model):
    """An agent's working day inside a programme; a visit is always one whole shift.

    `start_time`/`end_time` are the wall-clock times of the agent's site as imported;
    `starts_at`/`ends_at` are the same moments in UTC, computed from the site's zone at import,
    so that invitations and reminders never redo time-zone arithmetic.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="shifts"
    )
    agent = models.ForeignKey(
        Person, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))

    class Meta:
        ordering = ["date", "start_time", "agent_id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "agent", "date"], name="shift_one_per_agent_day"
            ),
            # Overnight shifts are refused at import: a visit is one calendar day.
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="shift_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_instants_ordered",
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"], name="shift_programme_date")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def place(self, zone: zoneinfo.ZoneInfo) -> None:
        """Set the UTC instants from the local times, for a site in `zone`."""
        self.starts_at = local_instant(self.date, self.start_time, zone)
        self.ends_at = local_instant(self.date, self.end_time, zone)


class Availability(models.Model):
    """A date an executive can shadow. An executive with no row in a programme can shadow on
    any of its dates (CONTRACT.md)."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="availability",
    )
    executive = models.ForeignKey(
        Person, verbose_name=_("executive"), on_delete=models.CASCADE, related_name="availability"
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date", "executive_id"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "executive", "date"], name="availability_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.executive_id} {self.date}"


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
