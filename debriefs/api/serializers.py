"""Serializers of the debriefs API: they only adapt. The body's fields are read by
`debriefs.body`, shared with the page and its autosave; the services decide."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..body import BARRIER_FIELDS, BarrierSerializer, DebriefBodySerializer, body_warnings
from ..models import BarrierReport, Debrief
from ..selectors import reporter_hidden_from


class WarningSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="`overall`, `commitment` or `barriers.N.FIELD`")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=["email", "card", "phone", "account"]),
        help_text="What the text seems to hold: customer data the executive may want to remove.",
    )


class StoredBarrierSerializer(BarrierSerializer):
    key = serializers.UUIDField(read_only=True)


STORED_FIELDS = ("key", *BARRIER_FIELDS)


class DebriefSerializer(serializers.ModelSerializer):
    pairing = serializers.IntegerField(source="pairing_id", read_only=True)
    executive = serializers.EmailField(source="pairing.executive.email", read_only=True)
    barriers = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="Where the text seems to hold customer data (warnings, not errors)."
    )

    class Meta:
        model = Debrief
        fields = [
            "id",
            "pairing",
            "executive",
            "status",
            "overall",
            "rating",
            "commitment",
            "barriers",
            "revision",
            "warnings",
            "submitted_at",
            "reopened_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(StoredBarrierSerializer(many=True))
    def get_barriers(self, debrief) -> list[dict]:
        # Stored already in the body's shape (debriefs.body.clean_barrier): no need for a
        # serializer per barrier, which costs more than the rest of the response.
        return [{name: barrier.get(name) for name in STORED_FIELDS} for barrier in debrief.barriers]

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, debrief) -> list[dict]:
        return body_warnings(
            {
                "overall": debrief.overall,
                "commitment": debrief.commitment,
                "barriers": debrief.barriers,
            }
        )


class DebriefCreateSerializer(DebriefBodySerializer):
    pairing = serializers.IntegerField(help_text="The visit's id: one of your own.")


class DebriefCompletionRowSerializer(serializers.Serializer):
    department = serializers.CharField(source="code")
    department_name = serializers.CharField(source="name")
    filed = serializers.IntegerField()
    draft = serializers.IntegerField()
    missing = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    no_show = serializers.IntegerField(
        help_text="Visits whose executive was recorded as not coming, no debrief begun: not due"
    )


class NudgeSerializer(serializers.Serializer):
    pairing = serializers.IntegerField(help_text="The visit whose executive to remind.")


class NudgeResultSerializer(serializers.Serializer):
    pairing = serializers.IntegerField()
    sent = serializers.BooleanField(
        help_text="False when there was nothing to nudge or a nudge went out within the hour."
    )


class BarrierReportSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(
        source="pairing.programme", slug_field="slug", read_only=True
    )
    reporter = serializers.SerializerMethodField(
        help_text="The reporter's e-mail; null when their name is withheld from you."
    )
    debrief = serializers.SerializerMethodField(
        help_text="The debrief's id, for its executive and coordinators; null otherwise."
    )
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = BarrierReport
        fields = [
            "id",
            "source",
            "programme",
            "debrief",
            "reporter",
            "anonymous_to_management",
            "title",
            "description",
            "category",
            "department",
            "severity",
            "frequency",
            "suggested_fix",
            "withdrawn",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_reporter(self, report) -> str | None:
        user = self.context["request"].user
        if reporter_hidden_from(user, report, self.context.get("chains")):
            return None
        return report.reporter.email

    def get_debrief(self, report) -> int | None:
        user = self.context["request"].user
        if report.debrief_id and (
            user.pk == report.reporter_id or user.has_perm("debriefs.view_any_debrief")
        ):
            return report.debrief_id
        return None

    def get_withdrawn(self, report) -> bool:
        return report.withdrawn_at is not None


class AgentBarrierSerializer(BarrierSerializer):
    """An agent files one barrier for one of their visits."""

    pairing = serializers.IntegerField(help_text="The visit's id: one you were the agent of.")
    anonymous_to_management = serializers.BooleanField(
        default=False, help_text="Hide your name from your management chain."
    )
    key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Send the same key when retrying: the report is filed once.",
    )

    def validate_department(self, value):
        return (value or "").strip()
