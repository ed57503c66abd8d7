"""The programmes and pairings API (CONTRACT.md): serializers and viewsets that only adapt.

People appear by e-mail, sites by code, programmes by slug. Every list is filtered by what the
caller may see (object permissions do not filter lists); an object outside that answers 404,
an object the caller sees but may not change answers 403 (`RulesPermission`).
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from shadowing.api.permissions import RulesPermission
from shadowing.models import Pairing, PairingRun, PairingStatus, Programme, ProgrammeStatus
from shadowing.pairing_store import pairing_run_queue
from shadowing.programmes.availability import (
    AVAILABILITY_FILE,
    SHIFTS_FILE,
    AvailabilityImport,
    availability_import,
)
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to
from shadowing.programmes.services import (
    pairing_lock,
    pairing_unlock,
    programme_create,
    programme_transition,
    programme_update,
)
from shadowing.roster.csvfile import MAX_FILE_BYTES

# Programmes ---------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "start_date",
            "end_date",
            "days_per_executive",
            "max_days_per_agent",
            "reporting_depth",
            "allow_cross_region",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "created_at", "updated_at"]


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
            "status",
            "progress",
            "message",
            "executives",
            "paired",
            "visits",
            "moved",
            "unpaired",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_unpaired(self, run) -> dict[str, int]:
        counts = run.unpaired.values("reason").annotate(n=Count("id")).order_by("reason")
        return {row["reason"]: row["n"] for row in counts}


ImportErrorsSerializer = inline_serializer(
    "AvailabilityImportErrors",
    fields={
        "errors": serializers.ListField(
            child=serializers.CharField(), help_text="FILE:LINE: message"
        ),
        "warnings": serializers.ListField(child=serializers.CharField()),
    },
)


@extend_schema_view(
    list=extend_schema(summary="Programmes you take part in (coordinators: all)"),
    retrieve=extend_schema(summary="One programme, by slug"),
    create=extend_schema(summary="Create a programme (coordinators)"),
    update=extend_schema(summary="Change a programme (coordinators)"),
    partial_update=extend_schema(summary="Change some of a programme (coordinators)"),
)
class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Programme.objects.all()  # the model, for RulesPermission; see get_queryset
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [RulesPermission]
    rules_permissions = {
        "transition": "shadowing.transition_programme",
        "availability": "shadowing.import_availability",
        "pair": "shadowing.pair_programme",
    }

    def get_queryset(self):
        return programmes_visible_to(self.request.user).order_by("-start_date", "slug")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ProgrammeUpdateSerializer
        if self.action == "transition":
            return ProgrammeTransitionSerializer
        if self.action == "availability":
            return AvailabilityUploadSerializer
        if self.action == "pair":
            return PairingRunSerializer
        return ProgrammeSerializer

    def perform_create(self, serializer):
        serializer.instance = programme_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = programme_update(
            programme=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        summary="Move the programme along its lifecycle (coordinators)",
        request=ProgrammeTransitionSerializer,
        responses={200: ProgrammeSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, slug=None):
        programme = self.get_object()
        serializer = ProgrammeTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme_transition(programme=programme, to=serializer.validated_data["status"])
        return Response(ProgrammeSerializer(programme).data)

    @extend_schema(
        summary="Replace shifts and/or availability from CSV files (coordinators)",
        description=(
            "Each file given replaces the programme's rows of its kind; a kind whose file is "
            "absent is left as it was. All or nothing: any bad row gives 400 with every "
            "problem as `FILE:LINE: message`, and nothing is written. Pairings whose shift or "
            "date vanished are flagged for repair, not deleted."
        ),
        request={"multipart/form-data": AvailabilityUploadSerializer},
        responses={200: AvailabilityImportSerializer, 400: ImportErrorsSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def availability(self, request, slug=None):
        programme = self.get_object()
        serializer = AvailabilityUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = {
            file_name: data[field].read()
            for field, file_name in (("shifts", SHIFTS_FILE), ("availability", AVAILABILITY_FILE))
            if data.get(field)
        }
        result: AvailabilityImport = availability_import(
            programme=programme, files=files, dry_run=data["dry_run"]
        )
        if not result.ok:
            return Response(
                {"errors": result.errors, "warnings": result.warnings},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(AvailabilityImportSerializer(result).data)

    @extend_schema(
        methods=["GET"],
        summary="The programme's latest pairing run, with its progress (coordinators)",
        responses={200: PairingRunSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary="Start a pairing run in the background (coordinators)",
        description=(
            "Answers 202 with the queued run; GET the same URL to follow its progress. Locked "
            "and published pairings are kept; 400 if a run is already under way."
        ),
        request=None,
        responses={202: PairingRunSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def pair(self, request, slug=None):
        programme = self.get_object()
        if request.method == "POST":
            run = pairing_run_queue(programme=programme, requested_by=request.user)
            run.refresh_from_db()
            return Response(PairingRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
        run = PairingRun.objects.filter(programme=programme).first()
        if run is None:
            raise NotFound(_("This programme has not been paired yet."))
        return Response(PairingRunSerializer(run).data)


# Pairings -----------------------------------------------------------------------------------


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
            "uid",
            "sequence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PairingFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(required=False, help_text="programme slug")
    executive = serializers.EmailField(required=False, help_text="executive's e-mail")
    agent = serializers.EmailField(required=False, help_text="agent's e-mail")
    date = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=PairingStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Pairings: your own (coordinators: all)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("executive", OpenApiTypes.EMAIL, description="executive's e-mail"),
            OpenApiParameter("agent", OpenApiTypes.EMAIL, description="agent's e-mail"),
            OpenApiParameter("date", OpenApiTypes.DATE),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PairingStatus.values),
        ],
    ),
    retrieve=extend_schema(summary="One pairing"),
)
class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Pairing.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"lock": "shadowing.change_pairing", "unlock": "shadowing.change_pairing"}

    def get_queryset(self):
        pairings = pairings_visible_to(self.request.user).order_by("date", "id")
        if self.action != "list":
            return pairings
        filters = PairingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        lookups = {
            "programme": "programme__slug",
            "executive": "executive__email",
            "agent": "agent__email",
            "date": "date",
            "status": "status",
        }
        for name, lookup in lookups.items():
            if name in wanted:
                value = wanted[name]
                pairings = pairings.filter(
                    **{lookup: value.lower() if name in ("executive", "agent") else value}
                )
        return pairings

    @extend_schema(summary="Lock a proposed pairing (coordinators)", request=None)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        pairing = pairing_lock(pairing=self.get_object())
        return Response(PairingSerializer(pairing).data)

    @extend_schema(summary="Unlock a locked pairing (coordinators)", request=None)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        pairing = pairing_unlock(pairing=self.get_object())
        return Response(PairingSerializer(pairing).data)
