"""Debriefs and barrier reports.

A debrief is what an executive files after a visit: what they saw, a rating, the barriers they
saw, one commitment for their own team. While it is a draft its barriers live in a JSON list on
the debrief (a draft may be half typed: a barrier without a title, a severity not yet chosen);
submitting validates the whole body and turns each barrier into a `BarrierReport` row, the
record handed to the backlog. An agent files barrier reports of their own, without a debrief.

Every state change goes through `debriefs.services`; the constraints below hold whatever the
entry point.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Department
from shadowing.programmes.pairing_models import Pairing


class DebriefStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")


# The executive may change a debrief in these states; a submitted one only after a coordinator
# reopens it.
EDITABLE_STATUSES = (DebriefStatus.DRAFT, DebriefStatus.REOPENED)


class Category(models.TextChoices):
    PROCESS = "process", _("Process")
    POLICY = "policy", _("Policy")
    TECHNOLOGY = "technology", _("Technology")
    TRAINING = "training", _("Training")
    STAFFING = "staffing", _("Staffing")
    PRODUCT = "product", _("Product")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class Severity(models.IntegerChoices):
    MINOR = 1, _("1: minor")
    SLOWS = 2, _("2: slows the customer down")
    SERIOUS = 3, _("3: the customer is served badly")
    BLOCKING = 4, _("4: the customer cannot be served")


class Frequency(models.TextChoices):
    RARE = "rare", _("Rarely")
    WEEKLY = "weekly", _("Every week")
    DAILY = "daily", _("Every day")
    MOST_CALLS = "most_calls", _("On most calls")


class Source(models.TextChoices):
    EXECUTIVE = "executive", _("Executive's debrief")
    AGENT = "agent", _("Agent")


RATING_MIN, RATING_MAX = 1, 5
TITLE_MAX = 200


class Debrief(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="debriefs"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DebriefStatus.choices, default=DebriefStatus.DRAFT
    )
    overall = models.TextField(_("what you saw"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        help_text=_(
            "1 to 5: how well our tools and processes let the agent put the customer first."
        ),
    )
    commitment = models.TextField(_("commitment for your team"), blank=True)
    # The barriers as typed: a list of objects with the keys of BARRIER_FIELDS plus a `key`
    # (a UUID string) that names the barrier across saves, so that a resubmission after a
    # reopening updates its report instead of adding one.
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    # Raised by every write; the page compares it with the copy kept in the browser.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")
        constraints = [
            models.UniqueConstraint(fields=["pairing"], name="debrief_one_per_pairing"),
            models.CheckConstraint(
                condition=Q(status__in=DebriefStatus.values), name="debrief_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="debrief_rating_1_to_5",
            ),
            # A submitted debrief is complete and dated.
            models.CheckConstraint(
                condition=~Q(status=DebriefStatus.SUBMITTED)
                | Q(submitted_at__isnull=False, rating__isnull=False),
                name="debrief_submitted_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="debrief_status_updated")]

    def __str__(self) -> str:
        return f"debrief {self.pk} of pairing {self.pairing_id} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.status == DebriefStatus.SUBMITTED


class BarrierReport(models.Model):
    """One barrier as reported by one person: the unit the backlog (the barriers app) groups
    into items. Filed by an executive through a submitted debrief (`debrief` set) or by the
    agent of a visit directly (`debrief` empty)."""

    debrief = models.ForeignKey(
        Debrief,
        verbose_name=_("debrief"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="barrier_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="barrier_reports",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Names the report across resubmissions (from the debrief's barrier) or retries (from the
    # agent's form): one reporter never files the same key twice.
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="barrier_reports",
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    suggested_fix = models.TextField(_("suggested fix"), blank=True)
    anonymous_to_management = models.BooleanField(
        _("name hidden from the reporter's management chain"), default=False
    )
    # The reporter's managers when the report was filed (person ids), kept so that a manager
    # who has since moved still does not see the name of an anonymous reporter.
    withheld_from = models.JSONField(_("name withheld from"), default=list, blank=True)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # Set when a reopened debrief is resubmitted without this barrier: the report stays (the
    # backlog may already hold it) but no longer counts.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")
        constraints = [
            models.UniqueConstraint(fields=["reporter", "key"], name="barrier_report_key_once"),
            models.CheckConstraint(condition=~Q(title=""), name="barrier_report_title_not_empty"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="barrier_report_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4), name="barrier_report_severity_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="barrier_report_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.EXECUTIVE, debrief__isnull=False)
                | Q(source=Source.AGENT, debrief__isnull=True),
                name="barrier_report_source_matches_debrief",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "created_at"], name="barrier_report_department"),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    AGENT_LINK = "agent_link", _("Agent's barrier link")
    REMINDER = "reminder", _("Reminder to the executive")
    OVERDUE = "overdue", _("Coordinator told of an overdue debrief")
    NUDGE = "nudge", _("Nudge by a coordinator")
    REOPENED = "reopened", _("Executive told of a reopening")


class DebriefNotice(models.Model):
    """A message about a visit's debrief, one row per (visit, kind, recipient) for the automatic
    ones, so that a task that runs twice mails once. Nudges are manual and may repeat."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="debrief_notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # A worker claims a notice before sending and records when it went out; a claim older
    # than the task timeout is taken over by a retry.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("debrief notice")
        verbose_name_plural = _("debrief notices")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "kind", "recipient"],
                condition=~Q(kind__in=["nudge", "reopened"]),
                name="debrief_notice_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="debrief_notice_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["pairing", "kind"], name="debrief_notice_pairing_kind")]

    def __str__(self) -> str:
        return f"{self.kind} for pairing {self.pairing_id} to {self.recipient_id}"
