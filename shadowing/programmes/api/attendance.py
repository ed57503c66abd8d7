"""A visit's attendance through the API: `GET` and `POST /pairings/{id}/attendance/`.

Who may see the pairing sees its attendance (404 for anyone else); its agent and coordinators
record it (403 for the executive). The service decides the rest: 400 names the field.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.attendance import NOTE_MAX, pairing_attendance_record
from shadowing.programmes.pairing_models import Attendance, Pairing
from shadowing.programmes.selectors import pairings_visible_to


class AttendanceSerializer(serializers.Serializer):
    pairing = serializers.IntegerField(source="pk", read_only=True)
    attendance = serializers.ChoiceField(
        choices=Attendance.choices,
        help_text="attended, cut_short (came, left early) or no_show; empty: not recorded yet",
    )
    note = serializers.CharField(
        source="attendance_note",
        max_length=NOTE_MAX,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
    )
    recorded_by = serializers.EmailField(
        source="attendance_recorded_by.email", read_only=True, allow_null=True
    )
    recorded_at = serializers.DateTimeField(source="attendance_recorded_at", read_only=True)


ERRORS = {
    400: OpenApiResponse(description="Field errors: `attendance` or `note`."),
    403: OpenApiResponse(description="You see this visit but do not record its attendance."),
    404: OpenApiResponse(description="No such visit, or not one you may see."),
}


class PairingAttendanceViewSet(viewsets.GenericViewSet):
    queryset = Pairing.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = AttendanceSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"attendance": "shadowing.view_pairing"}

    def get_queryset(self):
        return pairings_visible_to(self.request.user)

    def get_permissions(self):
        if self.request.method == "POST":
            self.rules_permissions = {"attendance": "shadowing.record_attendance"}
        return super().get_permissions()

    @extend_schema(
        methods=["GET"],
        summary="What was recorded of the visit's day",
        responses={200: AttendanceSerializer, 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record whether the executive came (the visit's agent, coordinators)",
        description=(
            "From the visit's day at its site on, for published visits only. Recording again "
            "replaces what was recorded (the last write wins) and says who and when."
        ),
        request=AttendanceSerializer,
        responses={200: AttendanceSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        pairing = self.get_object()
        if request.method == "POST":
            serializer = AttendanceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            pairing = pairing_attendance_record(
                pairing=pairing,
                by=request.user,
                attendance=serializer.validated_data["attendance"],
                note=serializer.validated_data.get("attendance_note", ""),
            )
        return Response(AttendanceSerializer(pairing).data)
