"""What the invitations remember: every message meant for a person about a visit (the log), the
cancellations with their reason, the "can't make it" declines, and each person's private
calendar feed.

The log is both the record the coordinator reads ("invite health") and the guarantee that a
person gets one message per change: a row exists, unique per (pairing, person, sequence, kind),
before its message is sent, and only the worker that moves it from queued to sending sends it
(`shadowing.invitations.sending`).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing


class MessageKind(models.TextChoices):
    REQUEST = "request", _("Invitation (REQUEST)")
    CANCEL = "cancel", _("Cancellation (CANCEL)")
    REMINDER = "reminder", _("Reminder")
    DEBRIEF = "debrief", _("Debrief request")


# The kinds that carry an iTIP calendar part, and its METHOD.
ITIP_METHODS = {MessageKind.REQUEST: "REQUEST", MessageKind.CANCEL: "CANCEL"}


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    ABANDONED = "abandoned", _("Failed, gave up")
    SUPERSEDED = "superseded", _("Not sent: a later change replaced it")


class InvitationLog(models.Model):
    """One message for one person about one visit: what it is (kind, and the visit's SEQUENCE
    it carries), where it stands, and when and under which Message-ID it went.

    Reminders and debrief requests are one per (pairing, person, kind) for life: their
    `sequence` is always 0."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.CASCADE,
        related_name="invitation_log",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    # Chosen when the row is written, so that a message sent again after a crash carries the
    # same Message-ID (and mail systems that de-duplicate by it show one).
    message_id = models.CharField(_("Message-ID"), max_length=255)
    email = models.EmailField(_("sent to"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The visit's times as this message gave them (UTC), written when it is sent: what the
    # person's calendar holds, which a later cancellation to a person taken off the visit says.
    starts_at = models.DateTimeField(_("visit start it gave"), null=True, blank=True)
    ends_at = models.DateTimeField(_("visit end it gave"), null=True, blank=True)

    class Meta:
        ordering = ["pairing", "sequence", "created_at", "id"]
        verbose_name = _("invitation log entry")
        verbose_name_plural = _("invitation log")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "person", "sequence", "kind"], name="invitation_log_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=MessageKind.values), name="invitation_log_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values),
                name="invitation_log_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="invitation_log_sent_has_time",
            ),
        ]
        indexes = [
            # The sweeper's question: what is waiting, failing or stuck?
            models.Index(
                fields=["status", "created_at"],
                name="invitation_log_open",
                condition=models.Q(status__in=["queued", "sending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.sequence} of pairing {self.pairing_id} to {self.person_id}"

    @property
    def method(self) -> str:
        """The iTIP METHOD of the message, or "" for a reminder or a debrief request."""
        return ITIP_METHODS.get(self.kind, "")


class Cancellation(models.Model):
    """Who cancelled a pairing, when and why (the reason is told to both people)."""

    pairing = models.OneToOneField(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="cancellation"
    )
    by = models.ForeignKey(
        Person,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("cancelled at"), default=timezone.now)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")

    def __str__(self) -> str:
        return f"pairing {self.pairing_id} cancelled"


class CalendarFeed(models.Model):
    """A person's private calendar address. Only the SHA-256 of its secret is stored: the
    address is shown once, when made; making a new one revokes the old."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.person_id}"
