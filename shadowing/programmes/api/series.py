"""Series and history through the API: `/series/` (a company's programme across its waves,
by slug: coordinators write, executives and department heads read) and
`/people/{email}/history/` (a person's visits across every wave: their own, or anyone's for a
coordinator). Viewsets only adapt; the series services and selectors decide.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.organisation.models import Person
from shadowing.programmes.models import Series
from shadowing.programmes.series import person_history, series_waves
from shadowing.programmes.series_services import series_create, series_delete, series_update


class SeriesSerializer(serializers.ModelSerializer):
    waves = serializers.SerializerMethodField(
        help_text="the slugs of the series' programmes, wave 1 first (by start date)"
    )

    class Meta:
        model = Series
        fields = ["id", "slug", "name", "waves", "created_at"]
        read_only_fields = ["id", "waves", "created_at"]

    def get_waves(self, series: Series) -> list[str]:
        return list(series_waves(series).values_list("slug", flat=True))


class SeriesUpdateSerializer(SeriesSerializer):
    class Meta(SeriesSerializer.Meta):
        read_only_fields = ["id", "slug", "waves", "created_at"]


@extend_schema_view(
    list=extend_schema(summary="Series: programmes across their waves"),
    retrieve=extend_schema(summary="One series, by slug, with its waves in order"),
    create=extend_schema(summary="Create a series (coordinators)"),
    update=extend_schema(summary="Rename a series (coordinators)"),
    partial_update=extend_schema(summary="Rename a series (coordinators)"),
    destroy=extend_schema(summary="Delete a series without waves (coordinators)"),
)
class SeriesViewSet(viewsets.ModelViewSet):
    queryset = Series.objects.order_by("name", "slug")
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [RulesPermission]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SeriesUpdateSerializer
        return SeriesSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("waves")

    def perform_create(self, serializer):
        serializer.instance = series_create(**serializer.validated_data)

    def perform_update(self, serializer):
        name = serializer.validated_data.get("name", serializer.instance.name)
        serializer.instance = series_update(series=serializer.instance, name=name)

    def perform_destroy(self, instance):
        series_delete(series=instance)


class HistoryVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.SerializerMethodField(help_text="`executive` or `agent` on this visit")
    programme = serializers.CharField(source="programme.slug")
    series = serializers.CharField(source="programme.series.slug", default=None)
    date = serializers.DateField()
    executive = serializers.EmailField(source="executive.email")
    agent = serializers.EmailField(source="agent.email")
    site = serializers.CharField(source="site.code")
    channel = serializers.CharField(source="site.channel")
    status = serializers.CharField()
    attendance = serializers.CharField()

    def get_role(self, pairing) -> str:
        return "executive" if pairing.executive_id == self.context["person"].pk else "agent"


class PersonHistoryViewSet(viewsets.GenericViewSet):
    queryset = Person.objects.all()
    lookup_field = "email"
    lookup_value_regex = r"[^/]+"
    permission_classes = [RulesPermission]
    serializer_class = HistoryVisitSerializer
    rules_permissions = {"history": "shadowing.view_person_history"}

    @extend_schema(
        summary="A person's visits across every wave and programme, newest first",
        description="Your own history, or anyone's for a coordinator (403 otherwise).",
        responses={200: HistoryVisitSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def history(self, request, email=None):
        person = self.get_object()
        if not request.user.has_perm("shadowing.view_person_history", person):
            raise PermissionDenied
        page = self.paginate_queryset(person_history(person))
        data = HistoryVisitSerializer(page, many=True, context={"person": person}).data
        return self.get_paginated_response(data)
