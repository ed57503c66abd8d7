"""The loop, measured, through the API: `GET /api/v1/programmes/{slug}/loop/` (the programme's
series, the programme as the current wave) and `GET /api/v1/series/{slug}/loop/` (every wave).
Each measure is a numerator, a denominator and their share (null when nothing counts yet).
`?department=CODE` (repeatable) narrows the department lines; `claimed_none`, the departments
that own items and have claimed none, is never narrowed. Coordinators and department heads."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shadowing import clock

from .. import access, loop, selectors


class ShareSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField(help_text="the items whose outcome is known")
    share = serializers.FloatField(allow_null=True, help_text="0 to 1; null with no denominator")


class DepartmentLoopSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="empty for the total of all departments")
    name = serializers.CharField()
    items = serializers.IntegerField()
    claimed = serializers.IntegerField(help_text="items ever claimed")
    claimed_none = serializers.BooleanField()
    claimed_in_time = ShareSerializer(help_text="first claim within 5 working days")
    resolved_in_time = ShareSerializer(help_text="resolved within 90 days")
    confirmed = ShareSerializer(help_text="verified by a reporter, of those resolved")
    reopened = ShareSerializer(help_text="ever reopened, of every item")
    median_days_to_claim = serializers.FloatField(allow_null=True, source="days_to_claim")
    median_days_to_resolve = serializers.FloatField(allow_null=True, source="days_to_resolve")


class ClaimedNoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    items = serializers.IntegerField()


class WaveLoopSerializer(serializers.Serializer):
    slug = serializers.CharField(source="wave.slug")
    name = serializers.CharField(source="wave.name")
    start_date = serializers.DateField(source="wave.start_date")
    total = DepartmentLoopSerializer()
    departments = DepartmentLoopSerializer(many=True)
    claimed_none = ClaimedNoneSerializer(many=True)


class LoopSerializer(serializers.Serializer):
    series = serializers.CharField(allow_null=True, help_text="the series' slug")
    current = serializers.CharField(allow_null=True, help_text="the programme asked about")
    waves = WaveLoopSerializer(many=True)
    claimed_none = ClaimedNoneSerializer(
        many=True,
        help_text="for a programme: its wave's; for a series: those that never claimed any "
        "of their items in any wave",
    )


DEPARTMENT = OpenApiParameter(
    "department",
    OpenApiTypes.STR,
    many=True,
    description="A department code (repeatable): only these departments' lines.",
)
RESPONSES = {
    200: LoopSerializer,
    400: OpenApiResponse(description="An unknown department code (named)."),
    403: OpenApiResponse(description="You may not read programme reports."),
    404: OpenApiResponse(description="No such programme or series you may see."),
}


def _answer(request, the_loop: loop.Loop, *, series: str | None, claimed_none) -> Response:
    wanted = request.query_params.getlist("department")
    known = {code for code, _name in the_loop.departments()}
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationError(
            {"department": [f"No such department in the loop: {', '.join(unknown)}."]}
        )
    shown = the_loop.only(wanted)
    body = {
        "series": series,
        "current": the_loop.current,
        "waves": shown.waves,
        "claimed_none": claimed_none,
    }
    return Response(LoopSerializer(body).data)


class ProgrammeLoop(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The loop of a programme's series, the programme as the current wave",
        parameters=[DEPARTMENT],
        responses=RESPONSES,
        tags=["reports"],
    )
    def get(self, request, slug: str):
        programme = access.programme_for_report(request.user, slug)
        the_loop = selectors.programme_loop(programme, now=clock.now())
        wave = the_loop.wave
        return _answer(
            request,
            the_loop,
            series=programme.series.slug if programme.series_id else None,
            claimed_none=wave.claimed_none if wave else [],
        )


class SeriesLoop(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The loop of every wave of a series",
        parameters=[DEPARTMENT],
        responses=RESPONSES,
        tags=["reports"],
    )
    def get(self, request, slug: str):
        series = access.series_for_report(request.user, slug)
        the_loop = selectors.series_loop(series, now=clock.now())
        return _answer(request, the_loop, series=series.slug, claimed_none=the_loop.claimed_none)
