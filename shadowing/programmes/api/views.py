"""The programmes API (CONTRACT.md): a programme, its lifecycle, its availability import, its
pairing runs and hand-made pairings. Viewsets only adapt; services decide.

People appear by e-mail, sites by code, programmes by slug. Every list is filtered by what the
caller may see (object permissions do not filter lists); an object outside that answers 404,
an object the caller sees but may not change answers 403 (`RulesPermission`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.api.serializers import (
    AssignRefusalSerializer,
    AvailabilityImportSerializer,
    AvailabilityUploadSerializer,
    CandidateSerializer,
    ImportErrorsSerializer,
    PairingAssignSerializer,
    PairingRunSerializer,
    PairingSerializer,
    ProgrammeCandidateFilterSerializer,
    ProgrammeSerializer,
    ProgrammeTransitionSerializer,
    ProgrammeUpdateSerializer,
)
from shadowing.programmes.availability.columns import AVAILABILITY_FILE, SHIFTS_FILE
from shadowing.programmes.availability.importer import availability_import
from shadowing.programmes.availability.result import AvailabilityImport
from shadowing.programmes.candidates import pairing_candidates, replaced_by_assignment
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing, PairingRun
from shadowing.programmes.pairings import pairing_assign, person_by_email
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to
from shadowing.programmes.services import programme_create, programme_transition, programme_update
from shadowing.programmes.store.runs import pairing_run_queue


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
        "candidates": "shadowing.change_pairing",
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
        if self.action == "candidates":
            return CandidateSerializer
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
            waive=data["waive"],
            waiver_reason=data["waiver_reason"],
        )
        pairing = pairings_visible_to(request.user).get(pk=pairing.pk)
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Agents who could host an executive on a date, best first (coordinators)",
        description=(
            "Every agent with a shift that day: `eligible` ones first (home site, then the "
            "region, then those who hosted least), then those only waivable rules stop "
            "(`waivable`: assign with `waive`), then the others; `reasons` names each rule "
            "broken, as a code and in words. The same rules `assign/` checks."
        ),
        parameters=[ProgrammeCandidateFilterSerializer],
        responses={200: CandidateSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request, slug=None):
        programme = self.get_object()
        filters = ProgrammeCandidateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        executive = person_by_email(wanted["executive"], field="executive", role="executive")
        if not programme.includes(wanted["date"]):
            raise ValidationError({"date": _("That date is outside the programme.")})
        found = pairing_candidates(
            programme=programme,
            executive=executive,
            date=wanted["date"],
            replaces=replaced_by_assignment(
                programme=programme, executive=executive, date=wanted["date"]
            ),
            search=wanted.get("q", ""),
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)
