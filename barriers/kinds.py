"""The vocabularies of the backlog's two logs: what an audit event records (`ItemEvent.kind`)
and what a message about an item is (`Notice.kind`). Services and tasks name them from here;
models.py uses them for its fields' choices and constraints."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    REPORT_ADDED = "report_added", _("Report added")
    REPORT_WITHDRAWN = "report_withdrawn", _("Report withdrawn")
    CLAIMED = "claimed", _("Claimed")
    REASSIGNED = "reassigned", _("Reassigned")
    TRANSFERRED = "transferred", _("Transferred")
    ARBITRATION = "arbitration", _("Sent to the coordinator to arbitrate")
    STARTED = "started", _("Work started")
    RESOLVED = "resolved", _("Resolved")
    WONT_FIX = "wont_fix", _("Refused (won't fix)")
    VERIFIED = "verified", _("Verified by a reporter")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged into another item")
    ABSORBED = "absorbed", _("Absorbed another item")
    UNMERGED = "unmerged", _("Merge undone")
    ESCALATED = "escalated", _("Escalated")
    NUDGED = "nudged", _("Head nudged by an ambassador")
    MERGE_SUGGESTED = "merge_suggested", _("Merge suggested")
    SUGGESTION_DISMISSED = "suggestion_dismissed", _("Merge suggestion dismissed")


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Unclaimed: reminder to the owner")
    ESCALATION = "escalation", _("Unclaimed: escalated")
    OVERDUE_REMINDER = "overdue_reminder", _("Overdue claim: reminder to the owner")
    OVERDUE_ESCALATION = "overdue_escalation", _("Overdue claim: escalated")
    RESOLVED = "resolved", _("Reporter told of the resolution")
    WONT_FIX = "wont_fix", _("Reporter told of the refusal")
    REOPENED = "reopened", _("Owner told of a reopening by a new report")
    NUDGE = "nudge", _("Head nudged by an ambassador")
