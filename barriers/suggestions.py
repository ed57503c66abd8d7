"""A merge suggested by a CX ambassador: kept until a coordinator accepts it (the merge itself
is `barrier_merge`) or a coordinator or the department's head dismisses it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class MergeSuggestion(models.Model):
    source = models.ForeignKey(
        "barriers.BacklogItem",
        verbose_name=_("item to merge"),
        on_delete=models.CASCADE,
        related_name="merge_suggestions",
    )
    into = models.ForeignKey(
        "barriers.BacklogItem",
        verbose_name=_("into"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_at = models.DateTimeField(_("suggested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-suggested_at", "-id"]
        verbose_name = _("merge suggestion")
        verbose_name_plural = _("merge suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values),
                name="merge_suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("into")), name="merge_suggestion_not_into_self"
            ),
            # Decided is whole: who and when, or neither while pending.
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="merge_suggestion_decided_whole",
            ),
            models.UniqueConstraint(
                fields=["source", "into"],
                condition=Q(status="pending"),
                name="merge_suggestion_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"suggest item {self.source_id} into {self.into_id}"
