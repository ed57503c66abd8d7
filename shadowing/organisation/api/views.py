"""The organisation's API: departments, sites and people, and the roster import.

Everyone signed in reads; coordinators write (rules in `shadowing.organisation.permissions`).
Writes go through `roster.services`, which apply the same rules as the CSV import.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shadowing.organisation.api.permissions import RulesPermission, rules_permission
from shadowing.organisation.api.serializers import (
    DepartmentSerializer,
    PersonSerializer,
    RosterImportRequestSerializer,
    RosterImportResultSerializer,
    SiteSerializer,
)
from shadowing.organisation.models import Department, Person, Role, Site
from shadowing.organisation.roster import columns, importer, selectors, services
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES, Problem
from shadowing.organisation.roster.result import RosterImportResult


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class _OrganisationViewSet(viewsets.ModelViewSet):
    permission_classes = [RulesPermission]
    # Codes may hold dots, e-mail addresses dots and '@': anything up to the next slash.
    lookup_value_regex = r"[^/]+"

    def perform_destroy(self, instance):
        try:
            self.delete_instance(instance)
        except services.StillInUse as exc:
            raise Conflict(exc.message) from None


@extend_schema_view(
    list=extend_schema(summary="Departments"),
    retrieve=extend_schema(summary="A department, by code"),
)
class DepartmentViewSet(_OrganisationViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.department_list()

    def perform_create(self, serializer):
        serializer.instance = services.department_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.department_update(
            department=serializer.instance, **serializer.validated_data
        )

    def delete_instance(self, instance):
        services.department_delete(department=instance)


@extend_schema_view(
    list=extend_schema(summary="Sites"),
    retrieve=extend_schema(summary="A site, by code"),
)
class SiteViewSet(_OrganisationViewSet):
    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.site_list()

    def perform_create(self, serializer):
        serializer.instance = services.site_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.site_update(
            site=serializer.instance, **serializer.validated_data
        )

    def delete_instance(self, instance):
        services.site_delete(site=instance)


@extend_schema_view(
    list=extend_schema(
        summary="People",
        parameters=[
            OpenApiParameter("department", OpenApiTypes.STR, description="department code"),
            OpenApiParameter("site", OpenApiTypes.STR, description="site code"),
            OpenApiParameter("role", OpenApiTypes.STR, enum=[role.value for role in Role]),
            OpenApiParameter("manager", OpenApiTypes.EMAIL, description="manager's e-mail"),
            OpenApiParameter("q", OpenApiTypes.STR, description="in e-mail, name or title"),
        ],
    ),
    retrieve=extend_schema(summary="A person, by e-mail address"),
)
class PersonViewSet(_OrganisationViewSet):
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    lookup_field = "email"

    def get_queryset(self):
        params = self.request.query_params if self.action == "list" else {}
        for name in ("department", "site", "role", "manager", "q"):
            # PostgreSQL cannot compare text holding NUL: refuse it here rather than answer 500.
            if "\x00" in params.get(name, ""):
                raise exceptions.ValidationError({name: ["Null characters are not allowed."]})
        role = params.get("role") or None
        if role is not None and role not in Role.values:
            raise exceptions.ValidationError(
                {"role": [f"'{role}' is not a role; roles are {', '.join(Role.values)}"]}
            )
        return selectors.person_list(
            department=params.get("department"),
            site=params.get("site"),
            role=role,
            manager=params.get("manager"),
            q=params.get("q"),
        )

    def get_object(self):
        # Addresses are stored lower-cased; /people/Eve@Example.com/ is eve@example.com.
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].strip().lower()
        return super().get_object()

    def perform_create(self, serializer):
        serializer.instance = services.person_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.person_update(
            person=serializer.instance, **serializer.validated_data
        )

    def delete_instance(self, instance):
        services.person_delete(person=instance)


class RosterImportView(APIView):
    """`POST /api/v1/roster/import/`: the roster files as multipart fields `departments`,
    `sites`, `people` (any of them), and `dry_run`."""

    permission_classes = [rules_permission("shadowing.import_roster")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import the roster (all or nothing)",
        description=(
            "Upserts departments, sites and people from the CSV files given (CONTRACT.md, "
            "'Roster files'). 200 with the summary when the import is (or, with dry_run, "
            "would be) applied; 400 with `errors` (each `FILE:LINE: message`) when it is "
            "refused, in which case nothing is written. People missing from people.csv are "
            "kept."
        ),
        request={"multipart/form-data": RosterImportRequestSerializer},
        responses={200: RosterImportResultSerializer, 400: RosterImportResultSerializer},
    )
    def post(self, request):
        serializer = RosterImportRequestSerializer(data=request.data)
        if not serializer.is_valid():
            # The same shape as a refused import, so a client reads one kind of 400.
            refused = RosterImportResult(dry_run=False)
            refused.errors = [
                Problem("", 0, f"{field}: {message}")
                for field, messages in serializer.errors.items()
                for message in messages
            ]
            return Response(refused.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        files = {
            file: serializer.validated_data[field].read(MAX_FILE_BYTES + 1)
            for field, file in columns.UPLOAD_FIELDS.items()
            if serializer.validated_data.get(field) is not None
        }
        result = importer.roster_import(files=files, dry_run=serializer.validated_data["dry_run"])
        code = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response(result.as_dict(), status=code)
