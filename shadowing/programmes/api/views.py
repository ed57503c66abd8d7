"""The programmes and pairings API (CONTRACT.md): serializers and viewsets that only adapt.

People appear by e-mail, sites by code, programmes by slug. Every list is filtered by what the
caller may see (object permissions do not filter lists); an object outside that answers 404,
an object the caller sees but may not change answers 403 (`RulesPermission`).
"""

from django.core.exceptions import ValidationError
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
from rest_framework.reverse import reverse

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES
from shadowing.programmes.availability import (
    AVAILABILITY_FILE,
    SHIFTS_FILE,
    AvailabilityImport,
    availability_import,
)
from shadowing.programmes.forms import MAX_ID
from shadowing.programmes.models import Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import Pairing, PairingRun, PairingRunStatus, PairingStatus
from shadowing.programmes.pairings import pairing_assign, pairing_swap, person_by_email
from shadowing.programmes.selectors import (
    PairingFilters,
    pairing_runs_visible_to,
    pairings_filter,
    pairings_visible_to,
    programmes_visible_to,
    unpaired_counts,
)
from shadowing.programmes.services import (
    pairing_lock,
    pairing_unlock,
    programme_create,
    programme_transition,
    programme_update,
)
from shadowing.programmes.store import pairing_run_queue

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
            "task_id",
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


class PairingAssignSerializer(serializers.Serializer):
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
    "PairingAssignRefusal", ["executive", "agent", "date", "replaces"]
)
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
        "assign": "shadowing.change_pairing",
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
        if self.action == "assign":
            return PairingAssignSerializer
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
            "Answers 202 with the queued run (its `id`, and `task_id` once queued); follow its "
            "`progress` at `pairing-runs/{id}/` (the `Location` header) or with GET on this "
            "URL. Locked and published pairings are kept; 400 if a run is already under way."
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
            return Response(
                PairingRunSerializer(run).data,
                status=status.HTTP_202_ACCEPTED,
                headers={
                    "Location": reverse(
                        "pairing-run-detail", kwargs={"pk": run.pk}, request=request
                    )
                },
            )
        run = PairingRun.objects.filter(programme=programme).first()
        if run is None:
            raise NotFound(_("This programme has not been paired yet."))
        return Response(PairingRunSerializer(run).data)

    @extend_schema(
        summary="Assign an executive to an agent's shift by hand (coordinators)",
        description=(
            "Creates the visit, or moves the executive's visit it replaces (`replaces`, or by "
            "default their proposed visit on that date, or their only movable one), and locks "
            "it: a re-run keeps it. Every hard rule is checked first; a refusal is 400 with "
            "each rule broken in words, e.g. `Rule 3: Eve Executive manages Adam Agent "
            "(reporting line).` Published pairings are never changed here."
        ),
        request=PairingAssignSerializer,
        responses={201: PairingSerializer, 400: AssignRefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, slug=None):
        programme = self.get_object()
        serializer = PairingAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        executive = person_by_email(data["executive"], field="executive", role="executive")
        agent = person_by_email(data["agent"], field="agent", role="agent")
        replaces = None
        if data.get("replaces"):
            replaces = Pairing.objects.filter(programme=programme, pk=data["replaces"]).first()
            if replaces is None:
                raise ValidationError(
                    {"replaces": _("There is no such pairing in this programme.")}
                )
        pairing = pairing_assign(
            programme=programme,
            executive=executive,
            agent=agent,
            date=data["date"],
            by=request.user,
            replaces=replaces,
        )
        pairing = pairings_visible_to(request.user).get(pk=pairing.pk)
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)


# Pairings -----------------------------------------------------------------------------------


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


@extend_schema_view(
    list=extend_schema(
        summary="Pairings: your own (coordinators: all)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("executive", OpenApiTypes.EMAIL, description="executive's e-mail"),
            OpenApiParameter("agent", OpenApiTypes.EMAIL, description="agent's e-mail"),
            OpenApiParameter("date", OpenApiTypes.DATE),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PairingStatus.values),
            OpenApiParameter(
                "department", OpenApiTypes.STR, description="the executive's department code"
            ),
            OpenApiParameter("site", OpenApiTypes.STR, description="the visited site's code"),
            OpenApiParameter(
                "needs_repair",
                OpenApiTypes.BOOL,
                description="flagged by an import (its shift or date vanished)",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One pairing"),
)
class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Pairing.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "lock": "shadowing.change_pairing",
        "unlock": "shadowing.change_pairing",
        "swap": "shadowing.change_pairing",
    }

    def get_queryset(self):
        pairings = pairings_visible_to(self.request.user).order_by("date", "id")
        if self.action != "list":
            return pairings
        filters = PairingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        if "programme" in wanted:
            pairings = pairings.filter(programme__slug=wanted["programme"])
        return pairings_filter(
            pairings,
            PairingFilters(
                executive=wanted.get("executive", ""),
                agent=wanted.get("agent", ""),
                date=wanted.get("date"),
                status=wanted.get("status", ""),
                department=wanted.get("department", ""),
                site=wanted.get("site", ""),
                needs_repair=wanted.get("needs_repair"),
            ),
        )

    def get_serializer_class(self):
        if self.action == "swap":
            return PairingSwapSerializer
        return PairingSerializer

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

    @extend_schema(
        summary="Swap the visits of two executives (coordinators)",
        description=(
            "The first pairing's executive takes the second's agent, shift and date, and the "
            "second's executive the first's (on one date: their agents are swapped). Both "
            "results are checked against every hard rule; if either breaks one, nothing "
            "changes and 400 names the visit and the rule. Both results are locked. "
            "Published pairings are never changed here."
        ),
        request=PairingSwapSerializer,
        responses={200: PairingSerializer(many=True), 400: SwapRefusalSerializer},
    )
    @action(detail=False, methods=["post"])
    def swap(self, request):
        serializer = PairingSwapSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible = pairings_visible_to(request.user)
        ids = [serializer.validated_data["first"], serializer.validated_data["second"]]
        found = visible.in_bulk(ids)
        if len(found) != 2:
            raise NotFound(_("No such pairing."))
        pairing_swap(first=found[ids[0]], second=found[ids[1]], by=request.user)
        swapped = visible.in_bulk(ids)
        return Response(PairingSerializer([swapped[pk] for pk in ids], many=True).data)


# Pairing runs -------------------------------------------------------------------------------


class PairingRunFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(required=False, help_text="programme slug")
    status = serializers.ChoiceField(choices=PairingRunStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Pairing runs, newest first (coordinators)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PairingRunStatus.values),
        ],
    ),
    retrieve=extend_schema(
        summary="One pairing run and its progress (coordinators)",
        description="Poll it while `status` is queued or running: `progress` is a percentage "
        "and `message` says what the run is doing.",
    ),
)
class PairingRunViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PairingRun.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingRunSerializer
    permission_classes = [RulesPermission]

    def get_queryset(self):
        runs = pairing_runs_visible_to(self.request.user)
        if self.action != "list":
            return runs
        filters = PairingRunFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        if "programme" in wanted:
            runs = runs.filter(programme__slug=wanted["programme"])
        if "status" in wanted:
            runs = runs.filter(status=wanted["status"])
        return runs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "unpaired_counts": unpaired_counts([run.pk for run in page]),
        }
        serializer = PairingRunSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)
