"""The programmes API's serializers: programmes, availability imports, pairing runs, pairings
and the hand changes, and the query filters of the lists (CONTRACT.md).

People appear by e-mail, sites by code, programmes by slug.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES
from shadowing.programmes import lifecycle
from shadowing.programmes.forms import MAX_ID
from shadowing.programmes.models import Programme, ProgrammeStatus, Series
from shadowing.programmes.pairing_models import (
    Attendance,
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
)
from shadowing.programmes.store.checks import WAIVABLE


class _CurrentStatus(serializers.ChoiceField):
    """The stored status with the clock applied: a published programme reads running from its
    first day (`lifecycle.current_status`)."""

    def get_attribute(self, instance):
        return lifecycle.current_status(instance)


class ProgrammeSerializer(serializers.ModelSerializer):
    status = _CurrentStatus(choices=ProgrammeStatus.choices, read_only=True)
    stage = serializers.ChoiceField(
        choices=list(lifecycle.STAGES.items()),
        read_only=True,
        help_text=(
            "Where the programme stands today: its status, or `ended` once its last day has "
            "passed and until a coordinator closes it."
        ),
    )

    series = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Series.objects.all(),
        required=False,
        allow_null=True,
        help_text="the series (slug) this programme is a wave of; null: none",
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "series",
            "start_date",
            "end_date",
            "days_per_executive",
            "max_days_per_agent",
            "reporting_depth",
            "allow_cross_region",
            "visit_briefing",
            "status",
            "stage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "stage", "created_at", "updated_at"]


class ProgrammeUpdateSerializer(ProgrammeSerializer):
    class Meta(ProgrammeSerializer.Meta):
        read_only_fields = ["id", "slug", "status", "created_at", "updated_at"]


class ProgrammeTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProgrammeStatus.choices)


class AvailabilityUploadSerializer(serializers.Serializer):
    shifts = serializers.FileField(
        required=False, help_text="shifts.csv: agent_email, date, start, end"
    )
    availability = serializers.FileField(
        required=False, help_text="availability.csv: executive_email, date"
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="check and report what would change; write nothing"
    )

    def validate(self, attrs):
        if not attrs.get("shifts") and not attrs.get("availability"):
            raise serializers.ValidationError(_("Send shifts, availability or both."))
        for name in ("shifts", "availability"):
            upload = attrs.get(name)
            if upload and upload.size > MAX_FILE_BYTES:
                raise serializers.ValidationError(
                    {name: _("This file is larger than %d MB.") % (MAX_FILE_BYTES // 2**20)}
                )
        return attrs


class KindChangesSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class BrokenPairingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    executive = serializers.EmailField()
    agent = serializers.EmailField()
    date = serializers.DateField()
    status = serializers.CharField()
    reason = serializers.CharField()


class AvailabilityImportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    shifts = KindChangesSerializer(allow_null=True, help_text="null: shifts left as they were")
    availability = KindChangesSerializer(allow_null=True)
    broken_pairings = BrokenPairingSerializer(many=True, source="broken")
    repaired = serializers.IntegerField()
    retimed = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class PairingRunSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    unpaired = serializers.SerializerMethodField(
        help_text="executives not fully paired, counted by reason code"
    )

    class Meta:
        model = PairingRun
        fields = [
            "id",
            "programme",
            "requested_by",
            "task_id",
            "status",
            "progress",
            "message",
            "executives",
            "paired",
            "visits",
            "moved",
            "dropped",
            "unpaired",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_unpaired(self, run) -> dict[str, int]:
        # A list computes the counts of its whole page in one query (PairingRunViewSet.list).
        known = self.context.get("unpaired_counts")
        if known is not None:
            return known.get(run.pk, {})
        counts = run.unpaired.values("reason").annotate(n=Count("id")).order_by("reason")
        return {row["reason"]: row["n"] for row in counts}


class PairingSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    executive = serializers.SlugRelatedField(slug_field="email", read_only=True)
    agent = serializers.SlugRelatedField(slug_field="email", read_only=True)
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    start = serializers.TimeField(
        source="local_start", format="%H:%M", read_only=True, help_text="local time of the site"
    )
    end = serializers.TimeField(
        source="local_end", format="%H:%M", read_only=True, help_text="local time of the site"
    )
    reasons = serializers.ListField(child=serializers.JSONField(), read_only=True)
    waived_rules = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="rules a coordinator waived for this visit, the executive having agreed",
    )
    waived_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    attendance = serializers.ChoiceField(
        choices=Attendance.choices,
        allow_blank=True,
        read_only=True,
        help_text="what happened on the day, empty until the agent or a coordinator says",
    )

    class Meta:
        model = Pairing
        fields = [
            "id",
            "programme",
            "executive",
            "agent",
            "date",
            "start",
            "end",
            "starts_at",
            "ends_at",
            "site",
            "status",
            "needs_repair",
            "repair_reason",
            "reasons",
            "waived_rules",
            "waiver_reason",
            "waived_by",
            "attendance",
            "uid",
            "sequence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WaiverFields(serializers.Serializer):
    """A recorded override: the waivable rules to waive (the executive agreed) and why."""

    waive = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="rule codes to waive: " + ", ".join(WAIVABLE) + "; never the reporting line",
    )
    waiver_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="required with `waive`: why, e.g. the executive agreed by phone",
    )


class PairingAssignSerializer(WaiverFields):
    executive = serializers.EmailField(help_text="the executive's e-mail")
    agent = serializers.EmailField(help_text="the agent's e-mail; the visit is their shift")
    date = serializers.DateField()
    replaces = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=(
            "id of the executive's visit in this programme that this one replaces; by default "
            "their proposed visit on that date, or their only movable one"
        ),
    )


class PairingMoveSerializer(WaiverFields):
    agent = serializers.EmailField(help_text="the agent's e-mail; the visit becomes their shift")
    date = serializers.DateField(required=False, help_text="default: the visit's date")


class CandidateReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="a rule code of the pairing engine, or `declined`")
    message = serializers.CharField(help_text="the rule in words")
    waivable = serializers.BooleanField()


class CandidateSerializer(serializers.Serializer):
    agent = serializers.EmailField(source="agent.email")
    name = serializers.CharField(source="agent.full_name")
    site = serializers.CharField(source="agent.site.code", default=None)
    date = serializers.DateField(source="shift.date")
    start = serializers.TimeField(source="shift.start_time", format="%H:%M")
    end = serializers.TimeField(source="shift.end_time", format="%H:%M")
    eligible = serializers.BooleanField()
    waivable = serializers.BooleanField(help_text="not eligible, but only for waivable rules")
    strengths = serializers.ListField(child=serializers.CharField(), source="labels")
    reasons = CandidateReasonSerializer(
        many=True, source="reason_items", help_text="why not, one per rule broken"
    )


class CandidateFilterSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="a programme date")
    q = serializers.CharField(required=False, max_length=200, help_text="part of a name or e-mail")


class ProgrammeCandidateFilterSerializer(CandidateFilterSerializer):
    executive = serializers.EmailField(help_text="the executive's e-mail")
    date = serializers.DateField(help_text="a programme date")


class PairingSwapSerializer(serializers.Serializer):
    first = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="a pairing id")
    second = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="another pairing of that programme"
    )

    def validate(self, attrs):
        if attrs["first"] == attrs["second"]:
            raise serializers.ValidationError(_("Choose two different pairings to swap."))
        return attrs


def _refusal(name: str, fields: list[str]):
    """The 400 body of a hand change: each field's errors, and every hard rule the change
    breaks under `non_field_errors`, in words ("Rule 3: ...")."""
    errors = {
        field: serializers.ListField(child=serializers.CharField(), required=False)
        for field in fields
    }
    errors["non_field_errors"] = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="each hard rule the change breaks, in words: 'Rule 2: ...'",
    )
    return inline_serializer(name, fields=errors)


AssignRefusalSerializer = _refusal(
    "PairingAssignRefusal", ["executive", "agent", "date", "replaces", "waive", "waiver_reason"]
)
MoveRefusalSerializer = _refusal("PairingMoveRefusal", ["agent", "date", "waive", "waiver_reason"])
SwapRefusalSerializer = _refusal("PairingSwapRefusal", ["first", "second"])


ImportErrorsSerializer = inline_serializer(
    "AvailabilityImportErrors",
    fields={
        "errors": serializers.ListField(
            child=serializers.CharField(), help_text="FILE:LINE: message"
        ),
        "warnings": serializers.ListField(child=serializers.CharField()),
    },
)


class PairingFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(required=False, help_text="programme slug")
    executive = serializers.EmailField(required=False, help_text="executive's e-mail")
    agent = serializers.EmailField(required=False, help_text="agent's e-mail")
    date = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=PairingStatus.choices, required=False)
    department = serializers.CharField(
        required=False, max_length=20, help_text="the executive's department code"
    )
    site = serializers.CharField(required=False, max_length=20, help_text="the site's code")
    needs_repair = serializers.BooleanField(required=False, allow_null=True, default=None)
    first_time = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: executives on the front line for the first time (no visit in an "
        "earlier programme); false: the others",
    )


class PairingRunFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(required=False, help_text="programme slug")
    status = serializers.ChoiceField(choices=PairingRunStatus.choices, required=False)
