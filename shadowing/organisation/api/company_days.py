"""`/api/v1/company-days/`: the company's days off, for coordinators only (others 403).

    GET    company-days/              the list, by date (filters `from`, `to`: YYYY-MM-DD)
    POST   company-days/              {date, name}
    DELETE company-days/{date}/       open the day again

Writes go through `shadowing.organisation.company_days`, as the page, the admin and the
command do.
"""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import BasePermission

from shadowing.organisation.company_days import (
    company_day_add,
    company_day_remove,
    company_days_list,
)
from shadowing.organisation.models import CompanyDay

VERBS = {"list": "view", "retrieve": "view", "create": "add", "destroy": "delete"}


class CompanyDayPermission(BasePermission):
    """A coordinator's rule for every action; anyone else signed in gets 403."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        verb = VERBS.get(getattr(view, "action", None) or "", "view")
        return user.has_perm(f"shadowing.{verb}_companyday")


class CompanyDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyDay
        fields = ["date", "name"]
        # Uniqueness and the name's rules are the service's to check, with its messages.
        extra_kwargs = {"date": {"validators": []}}


def _date_param(params, name: str) -> dt.date | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise exceptions.ValidationError({name: ["Give the date as YYYY-MM-DD."]}) from None


@extend_schema_view(
    list=extend_schema(
        summary="The company's days off",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="from this date on"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="up to this date"),
        ],
    ),
    retrieve=extend_schema(summary="A company day off, by date"),
    create=extend_schema(summary="Add a company day off"),
    destroy=extend_schema(summary="Remove a company day off"),
)
class CompanyDayViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = CompanyDay.objects.all()
    serializer_class = CompanyDaySerializer
    permission_classes = [CompanyDayPermission]
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"

    def get_queryset(self):
        params = self.request.query_params if self.action == "list" else {}
        return company_days_list(_date_param(params, "from"), _date_param(params, "to"))

    def get_object(self):
        try:
            dt.date.fromisoformat(self.kwargs["date"])
        except ValueError:
            raise exceptions.NotFound from None
        return super().get_object()

    def perform_create(self, serializer):
        serializer.instance = company_day_add(**serializer.validated_data)

    def perform_destroy(self, instance):
        company_day_remove(date=instance.date)
