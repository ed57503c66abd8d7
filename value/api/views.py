"""The value API: `barriers/{id}/value/` (GET), `barriers/{id}/value/expected/` and
`.../realised/` (PUT), `barriers/{id}/value/reviews/` (POST confirm or challenge),
`value/settings/` (GET; PUT for coordinators), `value/rollup/` (`?programme=` or `?series=`).
Views only adapt: 404 for an item one may not see, 403 for what one sees but may not do, 400
naming the field, 409 when another write landed first."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from barriers.services.common import Conflict as ValueConflict
from shadowing.programmes.models import Programme, Series

from .. import selectors
from ..models import Impact, ValueSettings
from ..rollups import department_rollup, programme_rollup, series_rollup
from ..services import (
    impact_review,
    impact_set_expected,
    impact_set_realised,
    value_settings_update,
)
from .serializers import (
    ExpectedSerializer,
    ImpactSerializer,
    RealisedSerializer,
    ReviewSerializer,
    RollupSerializer,
    SettingsSerializer,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The value changed meanwhile: reload it and try again."
    default_code = "conflict"


ERRORS = {
    400: OpenApiResponse(description="Field errors, or a step the item's status refuses."),
    403: OpenApiResponse(description="You see this item but may not do this."),
    404: OpenApiResponse(description="No such item, or not one you may see."),
    409: OpenApiResponse(description="The value changed meanwhile (another review landed)."),
}


def _no_nul(data, names):
    for name in names:
        value = data.get(name) if hasattr(data, "get") else None
        if isinstance(value, str) and "\x00" in value:
            raise exceptions.ValidationError({name: ["Null characters are not allowed."]})


class _ItemValue(APIView):
    permission_classes = [IsAuthenticated]

    def item(self, request, pk):
        item = get_object_or_404(selectors.value_items_visible_to(request.user), pk=pk)
        if not request.user.has_perm("value.view_impact", item):
            raise exceptions.NotFound
        return item

    def answer(self, impact: Impact, code=status.HTTP_200_OK) -> Response:
        if impact.pk is not None:
            impact = (
                Impact.objects.select_related("realised_by", "reviewed_by")
                .prefetch_related("events__actor")
                .get(pk=impact.pk)
            )
        context = {"currency": ValueSettings.load().currency}
        return Response(ImpactSerializer(impact, context=context).data, code)

    def run(self, request, pk, serializer_class, service, perm):
        item = self.item(request, pk)
        if not request.user.has_perm(perm, item):
            raise exceptions.PermissionDenied
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        _no_nul(request.data, ("basis", "evidence", "evidence_link", "reason", "kind"))
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            impact = service(item=item, by=request.user, **serializer.validated_data)
        except ValueConflict as exc:
            raise Conflict(exc.message) from None
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return self.answer(impact)


class ItemValueView(_ItemValue):
    @extend_schema(
        summary="An item's value: expected, realised, its review and history",
        responses={200: ImpactSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        item = self.item(request, pk)
        # Read without writing: an item nobody valued yet answers an empty value.
        return self.answer(Impact.objects.filter(item=item).first() or Impact(item=item))


class ExpectedView(_ItemValue):
    @extend_schema(
        summary="Set the item's expected impact",
        description="For its owner, its department's head or a coordinator, while the item is "
        "open or resolved. `amount` needs a `basis`. Money a month uses today's costs.",
        request=ExpectedSerializer,
        responses={200: ImpactSerializer, **ERRORS},
    )
    def put(self, request, pk):
        return self.run(request, pk, ExpectedSerializer, impact_set_expected, "value.set_impact")


class RealisedView(_ItemValue):
    @extend_schema(
        summary="Record the item's realised impact, with its evidence",
        description="Once the item is resolved. It goes (back) to finance for review.",
        request=RealisedSerializer,
        responses={200: ImpactSerializer, **ERRORS},
    )
    def put(self, request, pk):
        return self.run(request, pk, RealisedSerializer, impact_set_realised, "value.set_impact")


class ReviewView(_ItemValue):
    @extend_schema(
        summary="Confirm or challenge the realised value (finance reviewers)",
        description="A challenge needs a reason. Of two reviews at once one lands; the other "
        "gets 409.",
        request=ReviewSerializer,
        responses={200: ImpactSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return self.run(request, pk, ReviewSerializer, impact_review, "value.review_impact")


class SettingsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The costs money a month is worked out with", responses=SettingsSerializer
    )
    def get(self, request):
        return Response(SettingsSerializer(ValueSettings.load()).data)

    @extend_schema(
        summary="Change the costs (coordinators)",
        request=SettingsSerializer,
        responses={200: SettingsSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def put(self, request):
        if not request.user.has_perm("value.change_valuesettings"):
            raise exceptions.PermissionDenied
        serializer = SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = value_settings_update(by=request.user, **data)
        return Response(SettingsSerializer(row).data)


class RollupView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Value a month per department (and per wave for a series)",
        description="Expected, claimed (realised, awaiting review), confirmed by finance and "
        "challenged, never added together. Every department without a filter.",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="a programme's slug"),
            OpenApiParameter("series", OpenApiTypes.STR, description="a series' slug"),
        ],
        responses={200: RollupSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request):
        params = request.query_params
        _no_nul(params, ("programme", "series"))
        programme, series = params.get("programme"), params.get("series")
        if programme and series:
            raise exceptions.ValidationError({"series": ["Either programme or series, not both."]})
        if programme:
            rollup = programme_rollup(get_object_or_404(Programme, slug=programme))
        elif series:
            rollup = series_rollup(get_object_or_404(Series, slug=series))
        else:
            rollup = department_rollup()
        return Response(RollupSerializer(rollup).data)
