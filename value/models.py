"""The value of a fix: one `Impact` per backlog item (its expected impact, and once resolved its
realised impact with evidence and the finance review of it), the coordinator's `ValueSettings`
(what a contact and a minute cost), and the audit trail (`ValueEvent`).

Every write goes through `value.services`: a compare-and-set on `Impact.version` (of two
reviews made from the same state one lands, the other is told: 409) and an audit row in the
same transaction. Amounts are Decimal and bounded by constraints as well as by the services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from barriers.models import BacklogItem

# No fix saves more than this a month in any unit (contacts, minutes, points, money): beyond it
# the number is a typing slip, not a claim finance would read.
QUANTITY_MAX = Decimal("10000000")
COST_MAX = Decimal("10000")


class Kind(models.TextChoices):
    CONTACTS = "contacts", _("Contacts avoided a month")
    MINUTES = "minutes", _("Minutes of handle time saved a month")
    FCR = "fcr", _("First-contact resolution points")
    AMOUNT = "amount", _("Amount a month")


class Review(models.TextChoices):
    NONE = "", _("No realised value yet")
    PENDING = "pending", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    CHALLENGED = "challenged", _("Challenged")


class ValueSettings(models.Model):
    """One row: what a contact and a minute of handle time cost, and a first-contact-resolution
    point's worth a month, set by the coordinator."""

    cost_per_contact = models.DecimalField(
        _("cost per contact"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("6.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(COST_MAX)],
    )
    cost_per_minute = models.DecimalField(
        _("cost per minute"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("1.20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(COST_MAX)],
    )
    value_per_fcr_point = models.DecimalField(
        _("value of a first-contact resolution point a month"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(QUANTITY_MAX)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("value settings")
        verbose_name_plural = _("value settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_per_contact__gte=0, cost_per_contact__lte=COST_MAX)
                & Q(cost_per_minute__gte=0, cost_per_minute__lte=COST_MAX)
                & Q(value_per_fcr_point__gte=0, value_per_fcr_point__lte=QUANTITY_MAX),
                name="value_settings_costs_bounded",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="value_settings_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Value settings"))

    @classmethod
    def load(cls) -> "ValueSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


def _quantity(label):
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(QUANTITY_MAX)],
    )


class Impact(models.Model):
    item = models.OneToOneField(
        BacklogItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="impact"
    )
    expected_kind = models.CharField(
        _("expected kind"), max_length=10, choices=Kind.choices, blank=True
    )
    expected_quantity = _quantity(_("expected quantity"))
    expected_basis = models.TextField(_("basis of the expected amount"), blank=True)
    # Money a month, computed with the settings at the time of the write (kept, so that a later
    # change of the cost per minute does not rewrite what finance reviewed).
    expected_money = _quantity(_("expected money a month"))
    expected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expected set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    realised_kind = models.CharField(
        _("realised kind"), max_length=10, choices=Kind.choices, blank=True
    )
    realised_quantity = _quantity(_("realised quantity"))
    realised_money = _quantity(_("realised money a month"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    realised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("realised set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    realised_at = models.DateTimeField(_("realised at"), null=True, blank=True)

    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, blank=True, default=Review.NONE
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("impact")
        verbose_name_plural = _("impacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_kind__in=["", *Kind.values])
                & Q(realised_kind__in=["", *Kind.values])
                & Q(review__in=Review.values),
                name="impact_choices_valid",
            ),
            models.CheckConstraint(
                condition=(Q(expected_kind="") & Q(expected_quantity__isnull=True))
                | (
                    ~Q(expected_kind="")
                    & Q(expected_quantity__gte=0, expected_quantity__lte=QUANTITY_MAX)
                ),
                name="impact_expected_whole",
            ),
            models.CheckConstraint(
                condition=~Q(expected_kind=Kind.AMOUNT) | ~Q(expected_basis=""),
                name="impact_expected_amount_has_basis",
            ),
            models.CheckConstraint(
                condition=(Q(realised_kind="", realised_quantity__isnull=True, review=Review.NONE))
                | (
                    ~Q(realised_kind="")
                    & Q(realised_quantity__gte=0, realised_quantity__lte=QUANTITY_MAX)
                    & ~Q(evidence="")
                    & ~Q(review=Review.NONE)
                ),
                name="impact_realised_whole",
            ),
            models.CheckConstraint(
                condition=~Q(review=Review.CHALLENGED) | ~Q(review_reason=""),
                name="impact_challenge_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["review", "realised_at"], name="impact_review_queue")]

    def __str__(self) -> str:
        return f"#{self.item_id}"


class ValueEvent(models.Model):
    """The audit trail: each expected, realised, confirmation or challenge, with the fields
    before and after."""

    class EventKind(models.TextChoices):
        EXPECTED = "expected", _("Expected impact set")
        REALISED = "realised", _("Realised impact set")
        CONFIRMED = "confirmed", _("Confirmed")
        CHALLENGED = "challenged", _("Challenged")
        SETTINGS = "settings", _("Settings changed")

    impact = models.ForeignKey(
        Impact,
        verbose_name=_("impact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("value event")
        verbose_name_plural = _("value events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.impact_id}"
