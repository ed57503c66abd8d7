"""The ambassadors' API actions, mixed into the backlog's viewset (barriers/api/views.py):
`POST {id}/suggest-merge/` (`into`), `POST {id}/nudge/`, and a suggestion's answer
`POST {id}/accept-suggestion/` or `POST {id}/dismiss-suggestion/` (`suggestion`). A claim on
the department's behalf is the ordinary `POST {id}/claim/` called by an ambassador."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors
from ..suggestions import MergeSuggestion, SuggestionStatus
from .services import barrier_nudge, barrier_suggest_merge, suggestion_accept, suggestion_dismiss

ERRORS = {
    400: OpenApiResponse(description="Field errors, or an action the item's status refuses."),
    403: OpenApiResponse(description="You see this item but may not do this to it."),
    404: OpenApiResponse(description="No such item, or not one you may see."),
}


class IntoSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The item that would absorb this one.")


class SuggestionChoiceSerializer(serializers.Serializer):
    suggestion = serializers.IntegerField(min_value=1, help_text="A pending suggestion's id.")


SuggestionOut = inline_serializer(
    "MergeSuggestion",
    {
        "id": serializers.IntegerField(),
        "source": serializers.IntegerField(),
        "into": serializers.IntegerField(),
        "status": serializers.ChoiceField(choices=SuggestionStatus.choices),
        "suggested_by": serializers.EmailField(),
    },
)
NudgeOut = inline_serializer(
    "Nudge",
    {
        "nudged": serializers.BooleanField(help_text="False: already nudged today."),
        "head": serializers.EmailField(),
    },
)


class AmbassadorActions:
    ambassador_rules = {
        "suggest_merge": "barriers.suggest_merge_backlogitem",
        "nudge": "barriers.nudge_backlogitem",
        "accept_suggestion": "barriers.merge_backlogitem",
        "dismiss_suggestion": "barriers.dismiss_suggestion_backlogitem",
    }

    @extend_schema(
        summary="Suggest merging this item into another (CX ambassadors)",
        description="A coordinator accepts or dismisses it. Suggesting it again returns the "
        "pending suggestion.",
        request=IntoSerializer,
        responses={200: SuggestionOut, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="suggest-merge")
    def suggest_merge(self, request, pk=None):
        item = self.get_object()
        serializer = IntoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        into = selectors.items_visible_to(request.user).filter(pk=serializer.validated_data["into"])
        if (into := into.first()) is None:
            raise exceptions.ValidationError({"into": [_("No such item.")]})
        s = barrier_suggest_merge(source=item, into=into, by=request.user)
        return Response(
            {
                "id": s.pk,
                "source": s.source_id,
                "into": s.into_id,
                "status": s.status,
                "suggested_by": s.suggested_by.email,
            }
        )

    @extend_schema(
        summary="Ask the department's head by mail to claim this item (CX ambassadors)",
        description="Once per item and day: a second nudge that day answers `nudged: false`.",
        request=None,
        responses={200: NudgeOut, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def nudge(self, request, pk=None):
        notice, sent = barrier_nudge(barrier=self.get_object(), by=request.user)
        return Response({"nudged": sent, "head": notice.recipient.email})

    def _suggestion(self, request, item) -> MergeSuggestion:
        serializer = SuggestionChoiceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = MergeSuggestion.objects.filter(
            pk=serializer.validated_data["suggestion"], source=item
        ).first()
        if suggestion is None:
            raise exceptions.ValidationError({"suggestion": [_("No such suggestion.")]})
        return suggestion

    @extend_schema(
        summary="Accept a merge suggested for this item: merge it (coordinators)",
        request=SuggestionChoiceSerializer,
        responses={200: OpenApiResponse(description="The item that absorbed this one.")},
    )
    @action(detail=True, methods=["post"], url_path="accept-suggestion")
    def accept_suggestion(self, request, pk=None):
        item = self.get_object()
        return self._run(
            suggestion_accept, suggestion=self._suggestion(request, item), by=request.user
        )

    @extend_schema(
        summary="Dismiss a merge suggested for this item (coordinators, the department's head)",
        request=SuggestionChoiceSerializer,
        responses={200: OpenApiResponse(description="The item, unchanged but for its history.")},
    )
    @action(detail=True, methods=["post"], url_path="dismiss-suggestion")
    def dismiss_suggestion(self, request, pk=None):
        item = self.get_object()
        return self._run(
            suggestion_dismiss, suggestion=self._suggestion(request, item), by=request.user
        )
