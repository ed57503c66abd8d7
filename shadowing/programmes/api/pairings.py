"""The pairings and pairing runs API (CONTRACT.md): lists filtered by what the caller may see,
locking and unlocking, and swapping two pairings' agents. Viewsets only adapt; services decide.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shadowing.organisation.api.permissions import RulesPermission
from shadowing.programmes.api.serializers import (
    CandidateFilterSerializer,
    CandidateSerializer,
    MoveRefusalSerializer,
    PairingFilterSerializer,
    PairingMoveSerializer,
    PairingRunFilterSerializer,
    PairingRunSerializer,
    PairingSerializer,
    PairingSwapSerializer,
    SwapRefusalSerializer,
)
from shadowing.programmes.candidates import pairing_candidates
from shadowing.programmes.pairing_models import Pairing, PairingRun, PairingRunStatus, PairingStatus
from shadowing.programmes.pairings import pairing_assign, pairing_swap, person_by_email
from shadowing.programmes.selectors import (
    PairingFilters,
    pairing_runs_visible_to,
    pairings_filter,
    pairings_visible_to,
    unpaired_counts,
)
from shadowing.programmes.services import pairing_lock, pairing_unlock


@extend_schema_view(
    list=extend_schema(
        summary="Pairings: your own (coordinators: all)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("executive", OpenApiTypes.EMAIL, description="executive's e-mail"),
            OpenApiParameter("agent", OpenApiTypes.EMAIL, description="agent's e-mail"),
            OpenApiParameter("date", OpenApiTypes.DATE),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PairingStatus.values),
            OpenApiParameter(
                "department", OpenApiTypes.STR, description="the executive's department code"
            ),
            OpenApiParameter("site", OpenApiTypes.STR, description="the visited site's code"),
            OpenApiParameter(
                "needs_repair",
                OpenApiTypes.BOOL,
                description="flagged by an import (its shift or date vanished)",
            ),
            OpenApiParameter(
                "first_time",
                OpenApiTypes.BOOL,
                description="the executive's first time on the front line (no visit in an "
                "earlier programme)",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One pairing"),
)
class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Pairing.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "lock": "shadowing.change_pairing",
        "unlock": "shadowing.change_pairing",
        "swap": "shadowing.change_pairing",
        "candidates": "shadowing.change_pairing",
        "move": "shadowing.change_pairing",
    }

    def get_queryset(self):
        pairings = pairings_visible_to(self.request.user).order_by("date", "id")
        if self.action != "list":
            return pairings
        filters = PairingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        if "programme" in wanted:
            pairings = pairings.filter(programme__slug=wanted["programme"])
        return pairings_filter(
            pairings,
            PairingFilters(
                executive=wanted.get("executive", ""),
                agent=wanted.get("agent", ""),
                date=wanted.get("date"),
                status=wanted.get("status", ""),
                department=wanted.get("department", ""),
                site=wanted.get("site", ""),
                needs_repair=wanted.get("needs_repair"),
                first_time=wanted.get("first_time"),
            ),
        )

    def get_serializer_class(self):
        if self.action == "swap":
            return PairingSwapSerializer
        if self.action == "candidates":
            return CandidateSerializer
        if self.action == "move":
            return PairingMoveSerializer
        return PairingSerializer

    @extend_schema(summary="Lock a proposed pairing (coordinators)", request=None)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        pairing = pairing_lock(pairing=self.get_object())
        return Response(PairingSerializer(pairing).data)

    @extend_schema(summary="Unlock a locked pairing (coordinators)", request=None)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        pairing = pairing_unlock(pairing=self.get_object())
        return Response(PairingSerializer(pairing).data)

    @extend_schema(
        summary="Agents this visit could move to, best first (coordinators)",
        description=(
            "Every agent with a shift on the visit's date (or `date`): `eligible` ones first, "
            "then those only waivable rules stop (`waivable`), then the others, each with "
            "`reasons` (a rule code and its words). The same rules `move/` checks."
        ),
        parameters=[CandidateFilterSerializer],
        responses={200: CandidateSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        pairing = self.get_object()
        filters = CandidateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        date = filters.validated_data.get("date") or pairing.date
        if not pairing.programme.includes(date):
            raise ValidationError({"date": _("That date is outside the programme.")})
        found = pairing_candidates(
            programme=pairing.programme,
            executive=pairing.executive,
            date=date,
            replaces=pairing,
            search=filters.validated_data.get("q", ""),
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)

    @extend_schema(
        summary="Move a visit to another agent's shift, or another date (coordinators)",
        description=(
            "The executive keeps this visit (its id and calendar UID) with `agent` on `date` "
            "(default: the same date), locked. Every hard rule is checked; a rule broken is "
            "400 in words unless it is waivable and named in `waive` with a `waiver_reason` "
            "(the executive agreed): availability, agent_max_days, site_limit, region. Never "
            "the reporting line. Published pairings are never changed here."
        ),
        request=PairingMoveSerializer,
        responses={200: PairingSerializer, 400: MoveRefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        pairing = self.get_object()
        serializer = PairingMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agent = person_by_email(data["agent"], field="agent", role="agent")
        date = data.get("date") or pairing.date
        if not pairing.programme.includes(date):
            raise ValidationError({"date": _("That date is outside the programme.")})
        moved = pairing_assign(
            programme=pairing.programme,
            executive=pairing.executive,
            agent=agent,
            date=date,
            by=request.user,
            replaces=pairing,
            waive=data["waive"],
            waiver_reason=data["waiver_reason"],
        )
        moved = pairings_visible_to(request.user).get(pk=moved.pk)
        return Response(PairingSerializer(moved).data)

    @extend_schema(
        summary="Swap the visits of two executives (coordinators)",
        description=(
            "The first pairing's executive takes the second's agent, shift and date, and the "
            "second's executive the first's (on one date: their agents are swapped). Both "
            "results are checked against every hard rule; if either breaks one, nothing "
            "changes and 400 names the visit and the rule. Both results are locked. "
            "Published pairings are never changed here."
        ),
        request=PairingSwapSerializer,
        responses={200: PairingSerializer(many=True), 400: SwapRefusalSerializer},
    )
    @action(detail=False, methods=["post"])
    def swap(self, request):
        serializer = PairingSwapSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible = pairings_visible_to(request.user)
        ids = [serializer.validated_data["first"], serializer.validated_data["second"]]
        found = visible.in_bulk(ids)
        if len(found) != 2:
            raise NotFound(_("No such pairing."))
        pairing_swap(first=found[ids[0]], second=found[ids[1]], by=request.user)
        swapped = visible.in_bulk(ids)
        return Response(PairingSerializer([swapped[pk] for pk in ids], many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Pairing runs, newest first (coordinators)",
        parameters=[
            OpenApiParameter("programme", OpenApiTypes.STR, description="programme slug"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PairingRunStatus.values),
        ],
    ),
    retrieve=extend_schema(
        summary="One pairing run and its progress (coordinators)",
        description="Poll it while `status` is queued or running: `progress` is a percentage "
        "and `message` says what the run is doing.",
    ),
)
class PairingRunViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PairingRun.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = PairingRunSerializer
    permission_classes = [RulesPermission]

    def get_queryset(self):
        runs = pairing_runs_visible_to(self.request.user)
        if self.action != "list":
            return runs
        filters = PairingRunFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        if "programme" in wanted:
            runs = runs.filter(programme__slug=wanted["programme"])
        if "status" in wanted:
            runs = runs.filter(status=wanted["status"])
        return runs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "unpaired_counts": unpaired_counts([run.pk for run in page]),
        }
        serializer = PairingRunSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)
