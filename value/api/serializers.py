from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import COST_MAX, QUANTITY_MAX, Impact, Kind, Review, ValueEvent, ValueSettings

QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": QUANTITY_MAX,
}


class ValueEventSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", read_only=True, allow_null=True)

    class Meta:
        model = ValueEvent
        fields = ["kind", "actor", "at", "before", "after", "note"]


class ImpactSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    currency = serializers.SerializerMethodField()
    realised_by = serializers.EmailField(
        source="realised_by.email", read_only=True, allow_null=True
    )
    reviewed_by = serializers.EmailField(
        source="reviewed_by.email", read_only=True, allow_null=True
    )
    history = serializers.SerializerMethodField()

    class Meta:
        model = Impact
        fields = [
            "item",
            "version",
            "currency",
            "expected_kind",
            "expected_quantity",
            "expected_basis",
            "expected_money",
            "realised_kind",
            "realised_quantity",
            "realised_money",
            "evidence",
            "evidence_link",
            "realised_by",
            "realised_at",
            "review",
            "reviewed_by",
            "reviewed_at",
            "review_reason",
            "history",
        ]
        read_only_fields = fields

    @extend_schema_field(ValueEventSerializer(many=True))
    def get_history(self, obj):
        if obj.pk is None:
            return []
        return ValueEventSerializer(obj.events.all(), many=True).data

    def get_currency(self, obj) -> str:
        return self.context["currency"]


class ExpectedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    quantity = serializers.DecimalField(**QUANTITY)
    basis = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required for `amount`."
    )
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version read: 409 if it changed since."
    )


class RealisedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    quantity = serializers.DecimalField(**QUANTITY)
    evidence = serializers.CharField(max_length=2000)
    evidence_link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(required=False, min_value=0)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[Review.CONFIRMED, Review.CHALLENGED])
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to challenge."
    )
    version = serializers.IntegerField(required=False, min_value=0)


class SettingsSerializer(serializers.ModelSerializer):
    cost_per_contact = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0"), max_value=COST_MAX
    )
    cost_per_minute = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0"), max_value=COST_MAX
    )
    value_per_fcr_point = serializers.DecimalField(**QUANTITY)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", max_length=3)

    class Meta:
        model = ValueSettings
        fields = [
            "cost_per_contact",
            "cost_per_minute",
            "value_per_fcr_point",
            "currency",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class RollupRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    items = serializers.IntegerField()
    expected = serializers.DecimalField(max_digits=16, decimal_places=2)
    claimed = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Realised, awaiting review."
    )
    confirmed = serializers.DecimalField(max_digits=16, decimal_places=2)
    challenged = serializers.DecimalField(max_digits=16, decimal_places=2)


class RollupSerializer(serializers.Serializer):
    title = serializers.CharField()
    currency = serializers.CharField()
    rows = RollupRowSerializer(many=True, help_text="Per department.")
    waves = RollupRowSerializer(many=True, help_text="Per wave (a series' roll-up).")
    total = RollupRowSerializer()
