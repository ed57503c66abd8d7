"""Serializers of the backlog API: they only adapt (CONTRACT.md: people by e-mail, departments
by code, our own objects by id). The services decide."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shadowing import clock

from ..models import BacklogItem, ItemEvent

ANONYMOUS = "anonymous"


class ItemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.EmailField(source="owner.email", read_only=True)
    claimed_by = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Claimed, not done, and past its due date."
    )
    merged_into = serializers.IntegerField(source="merged_into_id", read_only=True, allow_null=True)

    class Meta:
        model = BacklogItem
        fields = [
            "id",
            "title",
            "category",
            "department",
            "status",
            "severity",
            "frequency",
            "report_count",
            "executive_count",
            "agent_count",
            "priority",
            "owner",
            "claimed_by",
            "claimed_at",
            "due",
            "first_step",
            "overdue",
            "transfer_count",
            "needs_arbitration",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_claimed_by(self, item) -> str | None:
        return item.claimed_by.email if item.claimed_by_id else None

    def get_overdue(self, item) -> bool:
        return item.is_overdue(self.context.get("today") or clock.local_today())


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="report.id")
    source = serializers.CharField(source="report.source")
    reporter = serializers.SerializerMethodField(
        help_text='The reporter\'s e-mail, or "anonymous" where their name is withheld from you.'
    )
    debrief = serializers.SerializerMethodField(
        help_text="The debrief's id, for its executive and coordinators; null otherwise."
    )
    title = serializers.CharField(source="report.title")
    description = serializers.CharField(source="report.description")
    category = serializers.CharField(source="report.category")
    department = serializers.CharField(source="report.department.code")
    severity = serializers.IntegerField(source="report.severity")
    frequency = serializers.CharField(source="report.frequency")
    suggested_fix = serializers.CharField(source="report.suggested_fix")
    withdrawn = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="report.created_at")

    @extend_schema_field(OpenApiTypes.STR)
    def get_reporter(self, row) -> str:
        return ANONYMOUS if row.reporter_hidden else row.report.reporter.email

    def get_debrief(self, row) -> int | None:
        return row.report.debrief_id if row.debrief_visible else None

    def get_withdrawn(self, row) -> bool:
        return row.report.withdrawn_at is not None


class EventSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    actor = serializers.SerializerMethodField(help_text="Who did it; null for the system.")
    before = serializers.DictField(read_only=True)
    after = serializers.DictField(read_only=True)
    summary = serializers.SerializerMethodField(
        help_text="The event in words, in the request's language, with names instead of ids."
    )

    class Meta:
        model = ItemEvent
        fields = ["id", "item", "kind", "actor", "at", "before", "after", "note", "summary"]
        read_only_fields = fields

    def get_summary(self, event) -> str:
        return self.context.get("summaries", {}).get(event.pk, "")

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_actor(self, event) -> str | None:
        return event.actor.email if event.actor_id else None


class MergeSerializer(serializers.Serializer):
    source = serializers.IntegerField(source="source_id")
    reports = serializers.ListField(child=serializers.IntegerField(), source="report_ids")
    merged_at = serializers.DateTimeField()


class ItemDetailSerializer(ItemSerializer):
    reports = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    merged_here = serializers.SerializerMethodField(
        help_text="Items merged into this one (undo with their `unmerge`)."
    )

    class Meta(ItemSerializer.Meta):
        fields = [
            *ItemSerializer.Meta.fields[:2],
            "description",
            *ItemSerializer.Meta.fields[2:],
            "resolution",
            "resolved_at",
            "verified_at",
            "reports",
            "history",
            "merged_here",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, item) -> list[dict]:
        return ReportSerializer(self.context["reports"], many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, item) -> list[dict]:
        return EventSerializer(self.context["history"], many=True, context=self.context).data

    @extend_schema_field(MergeSerializer(many=True))
    def get_merged_here(self, item) -> list[dict]:
        return MergeSerializer(self.context["merges"], many=True).data


class SimilarSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="Cosine similarity, 0 to 1: higher is likelier.")
    item = ItemSerializer()


class ClaimSerializer(serializers.Serializer):
    due = serializers.DateField(
        help_text="The date you commit to: a working day of the item's department (a public "
        "holiday or company day off there is refused, naming it)."
    )
    first_step = serializers.CharField(max_length=2000, help_text="What happens first.")
    owner = serializers.EmailField(
        required=False,
        allow_blank=True,
        help_text="Someone in the item's department; you when left out.",
    )


class ReassignSerializer(serializers.Serializer):
    owner = serializers.EmailField(help_text="Someone in the item's department.")
    due = serializers.DateField(required=False, allow_null=True)
    first_step = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class TransferSerializer(serializers.Serializer):
    department = serializers.CharField(max_length=20, help_text="The department's code.")
    reason = serializers.CharField(max_length=2000)


class MergeRequestSerializer(serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The item that absorbs this one."
    )


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000, help_text="What was done.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AmbassadorSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    last_action = serializers.CharField(
        source="last_kind", allow_null=True, help_text="An event kind; null: nothing yet."
    )
    last_action_at = serializers.DateTimeField(source="last_at", allow_null=True)


class ScoreRowSerializer(serializers.Serializer):
    department = serializers.CharField(source="code")
    department_name = serializers.CharField(source="name")
    head = serializers.EmailField(
        source="head_email", allow_null=True, help_text="The department head; null when none."
    )
    head_name = serializers.CharField(source="head", allow_null=True)
    owned = serializers.IntegerField(help_text="Open items it owns.")
    new = serializers.IntegerField(help_text="Of them, those waiting for a claim (or reopened).")
    claimed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    resolved = serializers.IntegerField()
    median_days_to_claim = serializers.FloatField(allow_null=True)
    median_days_to_resolve = serializers.FloatField(allow_null=True)
    claimed_nothing = serializers.BooleanField(help_text="Owns items and has never claimed one.")
    ambassadors = AmbassadorSerializer(
        many=True, help_text="Its CX ambassadors and their last action on its items."
    )
