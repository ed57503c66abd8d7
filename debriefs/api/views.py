"""The debriefs API (CONTRACT.md): `debriefs/` with `submit`, `reopen`, `completion` and `nudge`,
and `barrier-reports/`. Views only adapt: lists go through the `*_visible_to` selectors (404 for
what one may not see), `RulesPermission` answers 403 for what one sees but may not touch, and
the services decide everything else.
"""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to

from ..body import BODY_FIELDS, DebriefBodySerializer, clean_barrier, clean_body
from ..models import BarrierReport, Debrief, DebriefStatus, Source
from ..selectors import (
    barrier_reports_visible_to,
    debrief_completion,
    debriefs_visible_to,
    management_chains,
)
from ..services.drafts import DebriefLocked, FilingRefused, debrief_create, debrief_save_draft
from ..services.nudges import debrief_nudge
from ..services.reports import barrier_report_file_by_agent
from ..services.submission import DebriefIncomplete, debrief_reopen, debrief_submit
from .serializers import (
    AgentBarrierSerializer,
    BarrierReportSerializer,
    DebriefCompletionRowSerializer,
    DebriefCreateSerializer,
    DebriefSerializer,
    NudgeResultSerializer,
    NudgeSerializer,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The debrief is submitted: a coordinator must reopen it before it changes."
    default_code = "submitted"


def _no_nul(params, names) -> None:
    # PostgreSQL cannot compare text holding NUL: refuse it rather than answer 500.
    for name in names:
        if "\x00" in params.get(name, ""):
            raise exceptions.ValidationError({name: ["Null characters are not allowed."]})


def _read_body(data, *, partial: bool) -> dict:
    serializer = DebriefBodySerializer(data=data)
    serializer.is_valid(raise_exception=True)
    body = clean_body(serializer.validated_data)
    if not partial:  # PUT: what is left out is blank
        defaults = {"overall": "", "rating": None, "commitment": "", "barriers": []}
        body = {**defaults, **body}
    return body


ERRORS = {
    400: OpenApiResponse(description="Field errors; barrier errors are a list by index."),
    403: OpenApiResponse(description="You see this debrief but may not change it."),
    404: OpenApiResponse(description="No such debrief, or not one you may see."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Debriefs you may see (yours; coordinators: all)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=DebriefStatus.values),
            OpenApiParameter("executive", OpenApiTypes.EMAIL),
            OpenApiParameter("pairing", OpenApiTypes.INT),
        ],
    ),
    retrieve=extend_schema(summary="One debrief", responses={200: DebriefSerializer, **ERRORS}),
)
class DebriefViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Debrief.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = DebriefSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "submit": "debriefs.submit_debrief",
        "reopen": "debriefs.reopen_debrief",
        "completion": "debriefs.view_debrief_completion",
        "nudge": "debriefs.nudge_debrief",
    }

    def get_queryset(self):
        debriefs = debriefs_visible_to(self.request.user).order_by("-updated_at", "-id")
        if self.action != "list":
            # One debrief: its executive is all that the rules and the response need.
            return debriefs.select_related(None).select_related("pairing__executive")
        params = self.request.query_params
        _no_nul(params, ("programme", "status", "executive", "pairing"))
        if params.get("programme"):
            debriefs = debriefs.filter(pairing__programme__slug=params["programme"])
        if params.get("status"):
            if params["status"] not in DebriefStatus.values:
                raise exceptions.ValidationError(
                    {"status": [f"One of {', '.join(DebriefStatus.values)}."]}
                )
            debriefs = debriefs.filter(status=params["status"])
        if params.get("executive"):
            debriefs = debriefs.filter(
                pairing__executive__email=params["executive"].strip().lower()
            )
        if params.get("pairing"):
            try:
                debriefs = debriefs.filter(pairing_id=int(params["pairing"]))
            except ValueError:
                raise exceptions.ValidationError({"pairing": ["A visit id."]}) from None
        return debriefs

    def _respond(self, debrief, code=status.HTTP_200_OK) -> Response:
        return Response(DebriefSerializer(debrief, context={"request": self.request}).data, code)

    @extend_schema(
        summary="Start the debrief of one of your visits (a draft)",
        description="Any well-formed subset of the body; completeness is checked on submit.",
        request=DebriefCreateSerializer,
        responses={201: DebriefSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        serializer = DebriefCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pairing = (
            pairings_visible_to(request.user).filter(pk=data["pairing"]).first()
            if data["pairing"] > 0
            else None
        )
        if pairing is None:
            raise exceptions.ValidationError({"pairing": [_("No such visit of yours.")]})
        existing = Debrief.objects.filter(pairing=pairing).values_list("pk", flat=True).first()
        if existing is not None and pairing.executive_id == request.user.pk:
            raise exceptions.ValidationError(
                {"pairing": [_("This visit already has a debrief (id %d).") % existing]}
            )
        body = clean_body({k: v for k, v in data.items() if k in BODY_FIELDS})
        try:
            debrief = debrief_create(pairing=pairing, by=request.user, body=body)
        except FilingRefused as exc:
            raise exceptions.ValidationError({"pairing": [exc.message]}) from None
        except IntegrityError:
            raise exceptions.ValidationError(
                {"pairing": [_("This visit already has a debrief.")]}
            ) from None
        return self._respond(debrief, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace the draft's body (what is left out becomes blank)",
        request=DebriefBodySerializer,
        responses={200: DebriefSerializer, **ERRORS, 409: OpenApiResponse(description="Submitted")},
    )
    def update(self, request, pk=None):
        return self._save(request, partial=False)

    @extend_schema(
        summary="Save part of the draft (autosave)",
        description="Saves the fields given, complete or not. 409 once the debrief is submitted.",
        request=DebriefBodySerializer,
        responses={200: DebriefSerializer, **ERRORS, 409: OpenApiResponse(description="Submitted")},
    )
    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool) -> Response:
        debrief = self.get_object()
        body = _read_body(request.data, partial=partial)
        try:
            debrief = debrief_save_draft(debrief=debrief, by=request.user, body=body)
        except DebriefLocked:
            raise Conflict from None
        return self._respond(debrief)

    @extend_schema(
        summary="Submit the debrief (idempotent)",
        description=(
            "Optionally with body fields, saved first. Submitting a submitted debrief again "
            "answers 200 with it unchanged, unless the body would change it (409). 400 lists "
            "everything missing, barrier errors as a list by index."
        ),
        request=DebriefBodySerializer,
        responses={200: DebriefSerializer, **ERRORS, 409: OpenApiResponse(description="Submitted")},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        debrief = self.get_object()
        body = _read_body(request.data, partial=True) if request.data else None
        try:
            debrief, _submitted = debrief_submit(debrief=debrief, by=request.user, body=body)
        except DebriefIncomplete as exc:
            raise exceptions.ValidationError(exc.errors) from None
        except DebriefLocked:
            raise Conflict from None
        return self._respond(debrief)

    @extend_schema(
        summary="Reopen a submitted debrief for its executive (coordinators)",
        request=None,
        responses={200: DebriefSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        debrief = debrief_reopen(debrief=self.get_object(), by=request.user)
        return self._respond(debrief)

    @extend_schema(
        summary="Debrief completion by department (coordinators)",
        parameters=[
            OpenApiParameter(
                "programme", OpenApiTypes.STR, required=True, description="programme slug"
            )
        ],
        responses={200: DebriefCompletionRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def completion(self, request):
        _no_nul(request.query_params, ("programme",))
        slug = request.query_params.get("programme", "")
        if not slug:
            raise exceptions.ValidationError({"programme": ["A programme slug is required."]})
        programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
        rows = debrief_completion(programme)
        return Response(DebriefCompletionRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Remind a visit's executive to file their debrief (coordinators)",
        request=NudgeSerializer,
        responses={200: NudgeResultSerializer, 400: ERRORS[400]},
    )
    @action(detail=False, methods=["post"])
    def nudge(self, request):
        serializer = NudgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing_id = serializer.validated_data["pairing"]
        pairing = pairings_visible_to(request.user).filter(pk=pairing_id).first()
        if pairing is None:
            raise exceptions.ValidationError({"pairing": [_("No such visit.")]})
        notice = debrief_nudge(pairing=pairing, by=request.user)
        return Response({"pairing": pairing.pk, "sent": notice is not None})


@extend_schema_view(
    list=extend_schema(
        summary="Barrier reports you may see",
        description=(
            "Coordinators see all; a reporter their own; a department head those routed to "
            "their department. `reporter` is null where the name is withheld from you."
        ),
        parameters=[
            OpenApiParameter("department", OpenApiTypes.STR, description="department code"),
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("source", OpenApiTypes.STR, enum=Source.values),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="only reports you filed"),
        ],
    ),
    retrieve=extend_schema(summary="One barrier report"),
)
class BarrierReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = BarrierReport.objects.all()
    serializer_class = BarrierReportSerializer
    permission_classes = [RulesPermission]

    def get_queryset(self):
        reports = barrier_reports_visible_to(self.request.user).order_by("-created_at", "-id")
        if self.action != "list":
            return reports
        params = self.request.query_params
        _no_nul(params, ("department", "programme", "source"))
        if params.get("department"):
            reports = reports.filter(department__code=params["department"])
        if params.get("programme"):
            reports = reports.filter(pairing__programme__slug=params["programme"])
        if params.get("source"):
            if params["source"] not in Source.values:
                raise exceptions.ValidationError(
                    {"source": [f"One of {', '.join(Source.values)}."]}
                )
            reports = reports.filter(source=params["source"])
        if params.get("mine", "").lower() in ("1", "true", "yes"):
            reports = reports.filter(reporter=self.request.user)
        return reports.filter(withdrawn_at__isnull=True)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        anonymous = {r.reporter_id for r in page if r.anonymous_to_management}
        context = self.get_serializer_context()
        if anonymous and request.user.has_perm("debriefs.view_any_debrief"):
            context["chains"] = management_chains(anonymous)
        serializer = BarrierReportSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="File a barrier you face, for a visit you hosted (agents)",
        request=AgentBarrierSerializer,
        responses={
            201: BarrierReportSerializer,
            200: BarrierReportSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(description="Only agents file reports this way."),
        },
    )
    def create(self, request):
        serializer = AgentBarrierSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pairing = (
            pairings_visible_to(request.user).filter(pk=data["pairing"], agent=request.user).first()
            if data["pairing"] > 0
            else None
        )
        if pairing is None:
            raise exceptions.ValidationError({"pairing": [_("No such visit hosted by you.")]})
        try:
            report, created = barrier_report_file_by_agent(
                pairing=pairing,
                agent=request.user,
                barrier=clean_barrier(data),
                anonymous=data["anonymous_to_management"],
                key=str(data.get("key") or uuid.uuid4()),
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            ) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(BarrierReportSerializer(report, context={"request": request}).data, code)
