"""The invitations in the API (CONTRACT.md): cancel a pairing, download its invitation, publish a
programme. Views only adapt; `shadowing.invitations.services` decides.

Mounted under /api/v1/ beside the router's routes (config/urls.py). Like every object of the
API: one you may not see answers 404, one you see but may not change 403 (`RulesPermission`).
"""

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from shadowing.invitations.compose import pairing_ics
from shadowing.invitations.services import pairing_cancel, programme_publish
from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.api.serializers import PairingSerializer
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to


class ICalendarRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/calendar`; errors then come as plain text."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        detail = data.get("detail", data) if isinstance(data, dict) else data
        return str(detail).encode("utf-8")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="told to both people in the cancellation",
    )


class PublishResultSerializer(serializers.Serializer):
    published = serializers.IntegerField(help_text="pairings published now")
    messages = serializers.IntegerField(help_text="invitations queued to be sent")
    needs_repair = serializers.IntegerField(help_text="pairings left out: they need repair")
    past = serializers.IntegerField(help_text="pairings left out: the visit is over")


class PairingInvitationViewSet(viewsets.GenericViewSet):
    queryset = Pairing.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "cancel": "shadowing.cancel_pairing",
        "invite_ics": "shadowing.view_pairing",
    }

    def get_queryset(self):
        return pairings_visible_to(self.request.user)

    def get_renderers(self):
        if getattr(self, "action", None) == "invite_ics":
            return [JSONRenderer(), ICalendarRenderer()]
        return super().get_renderers()

    @extend_schema(
        operation_id="pairings_cancel",
        summary="Cancel a pairing (coordinators)",
        description=(
            "A published pairing's SEQUENCE is raised and both people are sent a METHOD:CANCEL "
            "invitation (with the reason, if given). Cancelling a cancelled pairing changes and "
            "sends nothing."
        ),
        request=CancelSerializer,
        responses={200: PairingSerializer},
    )
    def cancel(self, request, pk=None):
        pairing = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing_cancel(
            pairing=pairing, by=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(PairingSerializer(self.get_queryset().get(pk=pairing.pk)).data)

    @extend_schema(
        operation_id="pairings_invite_ics",
        summary="The pairing's calendar invitation (iCalendar)",
        description=(
            "The visit as an iTIP message: METHOD:REQUEST, or METHOD:CANCEL once cancelled, "
            "with its UID and current SEQUENCE, times in UTC, in the caller's language. For its "
            "executive, its agent and coordinators; 404 for anyone else."
        ),
        responses={
            (200, "text/calendar"): OpenApiResponse(
                response=OpenApiTypes.STR, description="a VCALENDAR"
            )
        },
    )
    def invite_ics(self, request, pk=None):
        pairing = self.get_object()
        body = pairing_ics(pairing, viewer=request.user, now=timezone.now())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="visit-{pairing.pk}.ics"'
        return response


class ProgrammePublishViewSet(viewsets.GenericViewSet):
    queryset = Programme.objects.all()  # the model, for RulesPermission; see get_queryset
    lookup_field = "slug"
    permission_classes = [RulesPermission]
    rules_permissions = {"publish": "shadowing.publish_programme"}
    serializer_class = PublishResultSerializer

    def get_queryset(self):
        return programmes_visible_to(self.request.user)

    @extend_schema(
        operation_id="programmes_publish",
        summary="Publish the programme and send the invitations (coordinators)",
        description=(
            "Every proposed or locked pairing that needs no repair and is not over becomes "
            "published, and its executive and agent are each sent one calendar invitation "
            "(in the background). A programme being paired becomes published; a published or "
            "running one publishes its new pairings. Publishing again sends nothing new. "
            "`POST programmes/{slug}/transition/` with `published` does the same."
        ),
        request=None,
        responses={200: PublishResultSerializer},
    )
    def publish(self, request, slug=None):
        result = programme_publish(programme=self.get_object(), by=request.user)
        return Response(PublishResultSerializer(result).data)


urlpatterns = [
    path(
        "pairings/<int:pk>/cancel/",
        PairingInvitationViewSet.as_view({"post": "cancel"}, detail=True),
        name="pairing-cancel",
    ),
    path(
        "pairings/<int:pk>/invite.ics",
        PairingInvitationViewSet.as_view({"get": "invite_ics"}, detail=True),
        name="pairing-invite-ics",
    ),
    path(
        "programmes/<slug:slug>/publish/",
        ProgrammePublishViewSet.as_view({"post": "publish"}, detail=True),
        name="programme-publish",
    ),
]
