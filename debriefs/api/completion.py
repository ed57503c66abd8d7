"""The debrief completion of a programme, visit by visit, through the API (coordinators):
`GET debriefs/completion-visits/` (searchable, paginated, or `completion-visits/export/` as
CSV) and `POST debriefs/nudge-everyone/`, the page's "remind everyone" in one call. The
department totals stay at `debriefs/completion/` (views.py)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shadowing.organisation.api.permissions import rules_permission
from shadowing.programmes.selectors import programmes_visible_to

from ..export import completion_csv
from ..selectors import completion_state, completion_visits
from ..services.nudges import debrief_nudge_everyone

STATES = ("submitted", "draft", "reopened", "missing", "upcoming", "no_show")


class CompletionVisitSerializer(serializers.Serializer):
    pairing = serializers.IntegerField(source="pk")
    executive = serializers.EmailField(source="executive.email")
    executive_name = serializers.CharField(source="executive.full_name")
    department = serializers.CharField(source="executive.department.code", default="")
    date = serializers.DateField()
    agent = serializers.EmailField(source="agent.email")
    attendance = serializers.CharField(
        help_text="attended, cut_short or no_show; empty: not recorded"
    )
    debrief = serializers.IntegerField(source="debrief_id", allow_null=True)
    debrief_status = serializers.SerializerMethodField(help_text=f"one of {', '.join(STATES)}")
    submitted_at = serializers.SerializerMethodField()
    last_reminded_at = serializers.DateTimeField(source="last_nudged_at", allow_null=True)

    def get_debrief_status(self, visit) -> str:
        return completion_state(visit, now=self.context["now"])

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_submitted_at(self, visit):
        if visit.debrief_status != "submitted" or visit.submitted_at is None:
            return None
        return serializers.DateTimeField().to_representation(visit.submitted_at)


class NudgeEveryoneSerializer(serializers.Serializer):
    programme = serializers.SlugField(help_text="programme slug")
    department = serializers.CharField(required=False, allow_blank=True, default="")
    q = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="name or e-mail"
    )


class NudgeRoundSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text="executives reminded now")
    skipped = serializers.IntegerField(help_text="executives reminded within the hour: not again")


FILTERS = [
    OpenApiParameter("programme", OpenApiTypes.STR, required=True, description="programme slug"),
    OpenApiParameter("department", OpenApiTypes.STR, description="the executive's department"),
    OpenApiParameter("q", OpenApiTypes.STR, description="words of the executive's name or e-mail"),
]


class DebriefCompletionViewSet(viewsets.GenericViewSet):
    permission_classes = [rules_permission("debriefs.view_debrief_completion")]
    serializer_class = CompletionVisitSerializer

    def _visits(self, params):
        for name in ("programme", "department", "q"):
            if "\x00" in params.get(name, ""):
                raise exceptions.ValidationError({name: [_("Null characters are not allowed.")]})
        slug = params.get("programme", "")
        if not slug:
            raise exceptions.ValidationError({"programme": [_("A programme slug is required.")]})
        programme = get_object_or_404(programmes_visible_to(self.request.user), slug=slug)
        return programme, completion_visits(
            programme,
            department=params.get("department", "").strip() or None,
            search=params.get("q", "").strip()[:100],
        )

    @extend_schema(
        summary="Every visit's debrief and attendance (coordinators)",
        parameters=FILTERS,
        responses={200: CompletionVisitSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="completion-visits")
    def completion_visits(self, request):
        _programme, visits = self._visits(request.query_params)
        page = self.paginate_queryset(visits)
        data = CompletionVisitSerializer(page, many=True, context={"now": timezone.now()}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="The completion as CSV (coordinators)",
        description="Columns: executive_name, executive_email, department, date, agent_email, "
        "attendance, debrief_status, submitted_at (UTC).",
        parameters=FILTERS,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], url_path="completion-visits/export")
    def export(self, request):
        programme, visits = self._visits(request.query_params)
        response = HttpResponse(
            completion_csv(visits, now=timezone.now()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{programme.slug}-debriefs.csv"'
        return response

    @extend_schema(
        summary="Remind everyone whose debrief is not in (coordinators)",
        description="One reminder per executive whose started visit has no submitted debrief, "
        "no-shows left out; anyone reminded within the hour is not mailed again.",
        request=NudgeEveryoneSerializer,
        responses={200: NudgeRoundSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="nudge-everyone",
        permission_classes=[rules_permission("debriefs.nudge_debrief")],
    )
    def nudge_everyone(self, request):
        serializer = NudgeEveryoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = programmes_visible_to(request.user).filter(slug=data["programme"]).first()
        if programme is None:
            raise exceptions.ValidationError({"programme": [_("No such programme.")]})
        result = debrief_nudge_everyone(
            programme=programme,
            by=request.user,
            department=data["department"].strip() or None,
            search=data["q"].strip(),
        )
        return Response({"sent": result.sent, "skipped": result.skipped})
