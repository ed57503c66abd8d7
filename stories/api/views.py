"""The stories API: `stories/` (the executive's own, every story for the sponsor and
coordinators, none for anyone else), `story-consents/` (an agent's answer for the stories that
ask to name them), `digests/` (curators: list and PDF) and `you-said-we-did/` (everyone
signed in). Views adapt; the services decide."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from barriers.models import BacklogItem
from debriefs.models import Debrief

from ..models import Consent, Digest, Story
from ..pdf import digest_pdf
from ..selectors import stories_about, stories_visible_to, week_bounds, you_said_we_did
from ..services import (
    ConsentClosed,
    digest_content,
    story_consent_answer,
    story_create,
    story_curate,
    story_delete,
    story_update,
)
from .serializers import (
    ConsentAnswerSerializer,
    ConsentStateSerializer,
    CurateSerializer,
    DigestSerializer,
    StorySerializer,
    StoryWriteSerializer,
    YouSaidWeDidSerializer,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The story was already sent in a digest."
    default_code = "published"


def _no_nul(data) -> None:
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    for name in ("saw", "agent_did"):
        if "\x00" in str(data.get(name, "")):
            raise exceptions.ValidationError({name: ["Null characters are not allowed."]})


def _as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(error.message_dict)


class StoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StorySerializer
    queryset = Story.objects.none()

    def get_queryset(self):
        return stories_visible_to(self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return StoryWriteSerializer
        if self.action == "curate":
            return CurateSerializer
        return StorySerializer

    @extend_schema(request=StoryWriteSerializer, responses={201: StorySerializer})
    def create(self, request, *args, **kwargs):
        _no_nul(request.data)
        serializer = StoryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "debrief" not in data:
            raise exceptions.ValidationError({"debrief": ["This field is required."]})
        debrief = (
            Debrief.objects.select_related("pairing__agent", "pairing__site")
            .filter(pk=data["debrief"], pairing__executive_id=request.user.pk)
            .first()
        )
        if debrief is None:
            raise exceptions.ValidationError({"debrief": ["No debrief of yours has this id."]})
        try:
            story = story_create(
                debrief=debrief,
                by=request.user,
                saw=data["saw"],
                agent_did=data.get("agent_did", ""),
                name_agent=data.get("name_agent", False),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        story = self.get_queryset().get(pk=story.pk)
        return Response(StorySerializer(story).data, status=status.HTTP_201_CREATED)

    def _own(self):
        story = self.get_object()
        if not self.request.user.has_perm("stories.change_story", story):
            raise exceptions.PermissionDenied(
                "Only the debrief's executive changes a story, and only before curation."
            )
        return story

    @extend_schema(request=StoryWriteSerializer, responses={200: StorySerializer})
    def update(self, request, *args, **kwargs):
        story = self._own()
        _no_nul(request.data)
        partial = kwargs.get("partial", False)
        serializer = StoryWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            story = story_update(
                story=story,
                by=request.user,
                saw=data.get("saw", story.saw),
                agent_did=data.get("agent_did", story.agent_did),
                name_agent=data.get("name_agent", story.name_agent if partial else False),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        return Response(StorySerializer(self.get_queryset().get(pk=story.pk)).data)

    def destroy(self, request, *args, **kwargs):
        story = self._own()
        try:
            story_delete(story=story, by=request.user)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CurateSerializer, responses={200: StorySerializer})
    @action(detail=True, methods=["post"])
    def curate(self, request, pk=None):
        story = self.get_object()
        if not request.user.has_perm("stories.curate_story"):
            raise exceptions.PermissionDenied("Only the sponsor and coordinators curate.")
        serializer = CurateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            story_curate(story=story, by=request.user, include=serializer.validated_data["include"])
        except ConsentClosed as error:
            raise Conflict() from error
        return Response(StorySerializer(self.get_queryset().get(pk=story.pk)).data)


class StoryConsentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in agent's side: the stories that ask to name them, and their answer."""

    serializer_class = ConsentStateSerializer
    queryset = Story.objects.none()

    def get_queryset(self):
        return stories_about(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ConsentAnswerSerializer, responses={200: ConsentStateSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        story = self.get_object()
        serializer = ConsentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            story = story_consent_answer(
                story=story, give=serializer.validated_data["consent"] == Consent.GIVEN
            )
        except ConsentClosed as error:
            raise Conflict() from error
        return Response(ConsentStateSerializer(story).data)


class DigestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DigestSerializer
    queryset = Digest.objects.none()
    lookup_field = "week"
    lookup_value_regex = r"\d{4}-W\d{2}"

    def get_queryset(self):
        if not self.request.user.has_perm("stories.view_digest"):
            raise exceptions.NotFound()
        return Digest.objects.order_by("-week_start")

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, week=None):
        if not request.user.has_perm("stories.view_digest"):
            raise exceptions.NotFound()
        try:
            week_bounds(week)
        except ValueError as error:
            raise exceptions.NotFound() from error
        digest = get_object_or_404(Digest, week=week)
        response = HttpResponse(digest_pdf(digest_content(week, digest)), "application/pdf")
        response["Content-Disposition"] = f'inline; filename="digest-{week}.pdf"'
        return response


class YouSaidWeDidViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = YouSaidWeDidSerializer
    queryset = BacklogItem.objects.none()

    def get_queryset(self):
        return you_said_we_did()
