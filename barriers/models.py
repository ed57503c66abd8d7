"""The barrier backlog: items built from barrier reports, their owners and claims, merges, the
audit trail, and the once-only log of the messages they cause.

An item groups the reports (debriefs.BarrierReport) that describe one barrier. Every item has an
owner at every moment (a NOT NULL column): on creation the head of its department. A claim is a
commitment (who, by when, the first step) made by one conditional UPDATE; every state change is
`filter(pk=..., version=seen).update(..., version=F("version") + 1)`, so of two changes made
from the same state exactly one lands and the other is told (409). Every write goes through
`barriers.services`, which also writes the audit row (`ItemEvent`) in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debriefs.models import BarrierReport, Category, Frequency, Severity
from shadowing.organisation.models import Department

from .kinds import EventKind, NoticeKind


class Status(models.TextChoices):
    NEW = "new", _("New")
    CLAIMED = "claimed", _("Claimed")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    WONT_FIX = "wont_fix", _("Won't fix")
    VERIFIED = "verified", _("Verified")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged")


# Waiting for someone to commit to it: may be claimed, escalates when left alone.
UNCLAIMED_STATUSES = (Status.NEW, Status.REOPENED)
# Someone has committed: the claim's due date counts.
CLAIMED_STATUSES = (Status.CLAIMED, Status.IN_PROGRESS)
OPEN_STATUSES = (*UNCLAIMED_STATUSES, *CLAIMED_STATUSES)
CLOSED_STATUSES = (Status.RESOLVED, Status.WONT_FIX, Status.VERIFIED)

# Frequency in increasing order, for "the most frequent anyone reported".
FREQUENCY_ORDER = [Frequency.RARE, Frequency.WEEKLY, Frequency.DAILY, Frequency.MOST_CALLS]


class BacklogItem(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="backlog_items",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    # Summaries over the item's reports (withdrawn ones left out), kept by the services.
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    executive_count = models.PositiveIntegerField(_("executives who saw it"), default=0)
    agent_count = models.PositiveIntegerField(_("agents who reported it"), default=0)
    priority = models.PositiveIntegerField(_("priority"), default=0)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_backlog_items",
    )
    # When the current owner got the item unclaimed (creation, transfer, reopening): the
    # escalation clock of an unclaimed item starts here.
    owned_since = models.DateTimeField(_("owned since"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    first_step = models.TextField(_("first step"), blank=True)
    # The first claim ever, kept through transfers and reopenings: the scoreboard's "days to
    # claim" and "departments that have claimed nothing".
    first_claimed_at = models.DateTimeField(_("first claimed at"), null=True, blank=True)

    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    # Set when a head tried to transfer an item already transferred twice: the coordinator
    # decides where it goes ("no department off the hook").
    needs_arbitration = models.BooleanField(_("awaiting arbitration"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_items",
    )

    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-priority", "-id"]
        verbose_name = _("backlog item")
        verbose_name_plural = _("backlog items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="backlog_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="backlog_item_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4),
                name="backlog_item_severity_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="backlog_item_frequency_valid"
            ),
            # A claim is whole or absent: who, when, by when and the first step together.
            models.CheckConstraint(
                condition=Q(
                    claimed_by__isnull=True,
                    claimed_at__isnull=True,
                    due__isnull=True,
                    first_step="",
                )
                | (
                    Q(claimed_by__isnull=False, claimed_at__isnull=False, due__isnull=False)
                    & ~Q(first_step="")
                ),
                name="backlog_item_claim_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLAIMED_STATUSES) | Q(claimed_at__isnull=False),
                name="backlog_item_claimed_has_claim",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=UNCLAIMED_STATUSES) | Q(claimed_at__isnull=True),
                name="backlog_item_unclaimed_has_no_claim",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATUSES)
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="backlog_item_closed_has_resolution",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.MERGED, merged_into__isnull=False)
                | (~Q(status=Status.MERGED) & Q(merged_into__isnull=True)),
                name="backlog_item_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="backlog_item_not_merged_into_self"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "priority"], name="backlog_dept_status"),
            models.Index(fields=["status", "priority"], name="backlog_status_priority"),
            models.Index(fields=["owner", "status"], name="backlog_owner_status"),
            # The list's order: a deep page walks this index instead of sorting every item.
            models.Index(fields=["-priority", "-id"], name="backlog_priority_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_claimed(self) -> bool:
        return self.claimed_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.status in CLAIMED_STATUSES and self.due is not None and self.due < today


class ItemReport(models.Model):
    """A report's place in the backlog: each report belongs to exactly one item (a unique
    constraint). Merging moves these rows; the report's own vector lives here."""

    item = models.ForeignKey(
        BacklogItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="links"
    )
    report = models.OneToOneField(
        BarrierReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="backlog_link",
    )
    # float32 bytes (barriers.similarity.to_bytes); empty when the model could not run.
    vector = models.BinaryField(_("vector"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("report in an item")
        verbose_name_plural = _("reports in items")
        indexes = [models.Index(fields=["item", "added_at"], name="item_report_item")]

    def __str__(self) -> str:
        return f"report {self.report_id} in item {self.item_id}"


class ItemVector(models.Model):
    """An item's vector (the normalised sum of its reports'), apart from the item so that lists
    never load it. `active` is false once the item is merged away, so that the suggestion index
    loads with one indexed query."""

    item = models.OneToOneField(
        BacklogItem, primary_key=True, on_delete=models.CASCADE, related_name="vector_row"
    )
    vector = models.BinaryField()
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Covers the index's freshness check (count and latest update of the active rows)
        # without reading the vectors themselves.
        indexes = [models.Index(fields=["active", "updated_at"], name="item_vector_fresh")]
        verbose_name = _("item vector")
        verbose_name_plural = _("item vectors")

    def __str__(self) -> str:
        return f"vector of item {self.item_id}"


class ItemEvent(models.Model):
    """The audit trail: who did what to which item, when, with the fields before and after.
    Written by the service in the same transaction as the change; never edited."""

    item = models.ForeignKey(
        BacklogItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        indexes = [models.Index(fields=["item", "at"], name="item_event_item_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="item_event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on item {self.item_id} at {self.at:%Y-%m-%d %H:%M}"


class Merge(models.Model):
    """One merge, kept so that it can be undone: which reports moved from `source` to `into`,
    and the source's state before."""

    source = models.ForeignKey(
        BacklogItem, on_delete=models.CASCADE, related_name="merges_out", verbose_name=_("source")
    )
    into = models.ForeignKey(
        BacklogItem, on_delete=models.CASCADE, related_name="merges_in", verbose_name=_("into")
    )
    report_ids = models.JSONField(_("reports moved"), default=list)
    source_status = models.CharField(_("source's status before"), max_length=20)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            # One live merge per source: undoing closes it, a later merge opens a new one.
            models.UniqueConstraint(
                fields=["source"], condition=Q(undone_at__isnull=True), name="merge_live_once"
            )
        ]

    def __str__(self) -> str:
        return f"item {self.source_id} into {self.into_id}"


class Notice(models.Model):
    """A message about an item, one row per (item, kind, recipient, stage), so that a task
    that runs twice mails once. `stage` names the episode: the owner's start for an unclaimed
    item, the due date for a claim, the resolution's time for a resolution."""

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    # A worker claims notices with a token of its own before sending, and records when they
    # went out; a claim older than the task timeout is taken over by a retry.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("backlog notice")
        verbose_name_plural = _("backlog notices")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "recipient", "stage"], name="backlog_notice_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="backlog_notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for item {self.item_id} to {self.recipient_id}"


class BacklogSettings(models.Model):
    """The backlog's few settings, one row (pk 1), edited in the admin. The programme sponsor
    lives here rather than on shadowing's Programme so that this app never changes another
    app's tables."""

    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Told, with the coordinators, of items left unclaimed or overdue."),
    )
    arbiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arbitrating coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Owns items bounced between departments, and those of a department without a "
            "head. Empty: the first active coordinator."
        ),
    )

    class Meta:
        verbose_name = _("backlog settings")
        verbose_name_plural = _("backlog settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="backlog_settings_one_row")]

    def __str__(self) -> str:
        return "backlog settings"

    @classmethod
    def load(cls) -> "BacklogSettings":
        return cls.objects.select_related("sponsor", "arbiter").get_or_create(pk=1)[0]


# Django finds the ambassadors' model through this module.
from .suggestions import MergeSuggestion, SuggestionStatus  # noqa: E402, F401
