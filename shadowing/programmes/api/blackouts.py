"""A programme's blackout dates through the API: `GET` and `POST
/programmes/{slug}/blackout-dates/`, `DELETE /programmes/{slug}/blackout-dates/{date}/`.

Whoever sees the programme reads its blackout dates (404 for anyone else); coordinators add
and remove them (403 for the others). The service decides the rest: 400 names the field.
"""

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.blackouts import (
    REASON_MAX,
    blackout_date_add,
    blackout_date_remove,
    blackout_days,
)
from shadowing.programmes.models import Programme
from shadowing.programmes.selectors import programmes_visible_to


class BlackoutDateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="A day inside the programme's dates, YYYY-MM-DD.")
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why no visit that day.")
    proposed_visits = serializers.IntegerField(
        source="proposed",
        read_only=True,
        help_text="Proposed visits on that day: the next pairing run moves them.",
    )
    kept_visits = serializers.IntegerField(
        source="kept",
        read_only=True,
        help_text="Locked or published visits on that day: a run never moves them (rule 8); "
        "the run reports them as conflicts, to be moved by hand.",
    )


ERRORS = {
    403: OpenApiResponse(description="You see this programme but do not change it."),
    404: OpenApiResponse(description="No such programme, or not one you may see."),
}
DATE_IN_PATH = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The blackout date, YYYY-MM-DD."
)


class ProgrammeBlackoutViewSet(viewsets.GenericViewSet):
    queryset = Programme.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = BlackoutDateSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [RulesPermission]

    def get_queryset(self):
        return programmes_visible_to(self.request.user)

    def get_permissions(self):
        read = self.request.method in ("GET", "HEAD", "OPTIONS")
        perm = "shadowing.view_programme" if read else "shadowing.change_programme"
        self.rules_permissions = {"blackout_dates": perm, "blackout_date": perm}
        return super().get_permissions()

    @extend_schema(
        methods=["GET"],
        summary="The programme's blackout dates, with the visits on each",
        responses={200: BlackoutDateSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="Close a day of the programme to every visit (coordinators)",
        description=(
            "No visit is proposed on a blackout date, at any site. 400 names the field: a date "
            "outside the programme, a date that is already a blackout date, a missing reason. "
            "Visits already on that day are counted in the answer: the next pairing run moves "
            "the proposed ones; locked and published ones are moved by hand."
        ),
        request=BlackoutDateSerializer,
        responses={
            201: BlackoutDateSerializer,
            400: OpenApiResponse(description="Field errors: `date` or `reason`."),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="blackout-dates")
    def blackout_dates(self, request, slug=None):
        programme = self.get_object()
        if request.method == "POST":
            serializer = BlackoutDateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            added = blackout_date_add(programme=programme, **serializer.validated_data)
            day = blackout_days(programme, dates=[added.date])[0]
            return Response(BlackoutDateSerializer(day).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(blackout_days(programme))
        return self.get_paginated_response(BlackoutDateSerializer(page, many=True).data)

    @extend_schema(
        summary="Open a blackout date again (coordinators)",
        parameters=[DATE_IN_PATH],
        request=None,
        responses={
            204: OpenApiResponse(description="Removed: pairing may use that day again."),
            **ERRORS,
        },
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"blackout-dates/(?P<day>[0-9-]+)",
        url_name="blackout-date",
    )
    def blackout_date(self, request, slug=None, day=None):
        programme = self.get_object()
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            raise NotFound(_("That is not a date (YYYY-MM-DD).")) from None
        if not programme.blackout_dates.filter(date=date).exists():
            raise NotFound(_("That day is not a blackout date of this programme."))
        blackout_date_remove(programme=programme, date=date)
        return Response(status=status.HTTP_204_NO_CONTENT)
