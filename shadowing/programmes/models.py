"""Programmes and what is imported into one: agents' shifts and executives' availability.

A programme is a window of dates. Agents' shifts and executives' availability are imported
into it (replaced wholesale by each import), the pairing engine turns them into pairings
(`shadowing.programmes.pairing_models`), and the coordinator moves the programme through its
lifecycle (`shadowing.programmes.services`).
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Person
from shadowing.programmes import lifecycle

# The largest value of a small integer column on every database (PostgreSQL's smallint). Named
# on the fields, so that SQLite refuses what PostgreSQL refuses and the API document is one.
SMALL_INTEGER_MAX = 32767


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


class Series(models.Model):
    """A company's programme across its waves: each wave is a Programme of the series. An
    executive never shadows the same agent twice in one series."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class Programme(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waves",
        help_text=_("The waves of one series never pair an executive with the same agent twice."),
    )
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
        validators=[MinValueValidator(1), MaxValueValidator(SMALL_INTEGER_MAX)],
        help_text=_("How many days one agent hosts at most in the whole programme."),
    )
    reporting_depth = models.PositiveSmallIntegerField(
        _("reporting depth"),
        default=3,
        validators=[MaxValueValidator(SMALL_INTEGER_MAX)],
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
    visit_briefing = models.TextField(
        _("what to bring and know"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Shown with every visit to the executive: what to wear and bring, where to go in."
        ),
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
    def stage(self) -> str:
        """The status with the clock applied (`lifecycle`): running from the first day, ended
        after the last, whatever the stored status has caught up with."""
        return lifecycle.programme_stage(self)

    @property
    def stage_display(self) -> str:
        return lifecycle.stage_label(self.stage)

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


class BlackoutDate(models.Model):
    """A day of a programme on which no visit is proposed (a company event, a month-end close),
    on top of the public holidays of each site's country and province."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="blackout_dates",
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("blackout date")
        verbose_name_plural = _("blackout dates")
        constraints = [
            models.UniqueConstraint(fields=["programme", "date"], name="blackout_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.date}"
