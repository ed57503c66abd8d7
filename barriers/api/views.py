"""The backlog API (CONTRACT.md): `barriers/` with filters `department`, `status`, `owner`;
`GET {id}/similar/`; actions claim, reassign, transfer, start, resolve, wont_fix, verify,
reopen, merge, unmerge; `GET scoreboard/`. Views only adapt: lists go through
`items_visible_to` (404 for what one may not see), `RulesPermission` answers 403 for what one
sees but may not touch, the services decide the rest, and a claim that lost answers 409.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shadowing import clock
from shadowing.organisation.api.permissions import RulesPermission
from shadowing.organisation.models import Department, Person

from .. import selectors
from ..ambassador_selectors import ambassador_queue
from ..ambassadors.api import AmbassadorActions
from ..history import history_rows
from ..models import BacklogItem, Status
from ..services.claims import barrier_claim, barrier_reassign, barrier_start
from ..services.common import Conflict as ItemConflict
from ..services.merges import barrier_merge, barrier_unmerge
from ..services.resolution import barrier_reopen, barrier_resolve, barrier_verify, barrier_wont_fix
from ..services.transfers import barrier_transfer
from .serializers import (
    ClaimSerializer,
    ItemDetailSerializer,
    ItemSerializer,
    MergeRequestSerializer,
    ReasonSerializer,
    ReassignSerializer,
    ResolveSerializer,
    ScoreRowSerializer,
    SimilarSerializer,
    TransferSerializer,
)

STATUS_FILTERS = [*Status.values, "open", "overdue"]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The item changed meanwhile: reload it and try again."
    default_code = "conflict"


def _no_nul(params, names) -> None:
    # PostgreSQL cannot compare text holding NUL: refuse it rather than answer 500.
    for name in names:
        if "\x00" in params.get(name, ""):
            raise exceptions.ValidationError({name: ["Null characters are not allowed."]})


ERRORS = {
    400: OpenApiResponse(description="Field errors, or an action the item's status refuses."),
    403: OpenApiResponse(description="You see this item but may not do this to it."),
    404: OpenApiResponse(description="No such item, or not one you may see."),
}
CONFLICT = OpenApiResponse(
    description="The item changed meanwhile: another claim won, or a transfer landed."
)


def _action_schema(summary, request, description="", conflict=True):
    responses = {200: ItemDetailSerializer, **ERRORS}
    if conflict:
        responses[409] = CONFLICT
    return extend_schema(
        summary=summary, description=description, request=request, responses=responses
    )


@extend_schema_view(
    list=extend_schema(
        summary="The backlog: the items you may see, highest priority first",
        description=(
            "Coordinators see every item; a department head their department's; anyone the "
            "items they own and those holding a barrier they reported. Merged items only with "
            "`status=merged`."
        ),
        parameters=[
            OpenApiParameter("department", OpenApiTypes.STR, description="department code"),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=STATUS_FILTERS,
                description="a status, or `open` (new, reopened, claimed, in progress), or "
                "`overdue` (claimed and past due)",
            ),
            OpenApiParameter("owner", OpenApiTypes.EMAIL, description="the owner's e-mail"),
            OpenApiParameter(
                "queue",
                OpenApiTypes.STR,
                enum=["ambassador"],
                description="`ambassador`: a CX ambassador's queue, their department's new "
                "and escalated items (other filters ignored; empty for anyone else)",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One item, with its reports and history",
        responses={200: ItemDetailSerializer, 404: ERRORS[404]},
    ),
)
class BarrierViewSet(
    AmbassadorActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = BacklogItem.objects.all()  # the model, for RulesPermission; see get_queryset
    serializer_class = ItemSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "similar": "barriers.view_backlogitem",
        "claim": "barriers.claim_backlogitem",
        "reassign": "barriers.reassign_backlogitem",
        "transfer": "barriers.transfer_backlogitem",
        "start": "barriers.work_backlogitem",
        "resolve": "barriers.work_backlogitem",
        "wont_fix": "barriers.work_backlogitem",
        "verify": "barriers.verify_backlogitem",
        "reopen": "barriers.reopen_backlogitem",
        "merge": "barriers.merge_backlogitem",
        "unmerge": "barriers.merge_backlogitem",
        "scoreboard": "barriers.view_scoreboard",
        **AmbassadorActions.ambassador_rules,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return selectors.items_visible_to(user)
        params = self.request.query_params
        _no_nul(params, ("department", "status", "owner"))
        if params.get("queue") == "ambassador":  # the ambassador's queue; empty for others
            return ambassador_queue(user)
        status_filter = params.get("status") or None
        if status_filter is not None and status_filter not in STATUS_FILTERS:
            raise exceptions.ValidationError({"status": [f"One of {', '.join(STATUS_FILTERS)}."]})
        return selectors.item_list(
            user,
            department=params.get("department") or None,
            status=status_filter,
            owner=params.get("owner") or None,
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": clock.local_today()}

    def _detail(self, item, code=status.HTTP_200_OK) -> Response:
        # Not filtered by visibility: a head who just transferred the item away still gets the
        # answer to what they did.
        item = BacklogItem.objects.select_related("department", "owner", "claimed_by").get(
            pk=item.pk
        )
        reports = selectors.item_reports(item, self.request.user)
        history = history_rows(selectors.item_history(item), self.request.user, reports)
        context = {
            **self.get_serializer_context(),
            "reports": reports,
            "history": [row.event for row in history],
            "summaries": {row.event.pk: row.text for row in history},
            "merges": list(selectors.live_merges_into(item)),
        }
        return Response(ItemDetailSerializer(item, context=context).data, code)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def _run(self, service, **kwargs) -> Response:
        try:
            item = service(**kwargs)
        except ItemConflict as exc:
            raise Conflict(exc.message) from None
        return self._detail(item)

    @staticmethod
    def _person(email, field) -> Person:
        person = Person.objects.filter(email=(email or "").strip().lower()).first()
        if person is None:
            raise exceptions.ValidationError({field: [_("Nobody has this e-mail address.")]})
        return person

    @extend_schema(
        summary="Likely duplicates of this item, best first",
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 20, default 5")],
        responses={200: SimilarSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def similar(self, request, pk=None):
        item = self.get_object()
        try:
            limit = min(max(int(request.query_params.get("limit", 5)), 1), 20)
        except ValueError:
            raise exceptions.ValidationError({"limit": ["A number from 1 to 20."]}) from None
        matches = selectors.similar_items(item, request.user, limit=limit)
        data = [{"item": match, "score": score} for match, score in matches]
        return Response(
            SimilarSerializer(data, many=True, context=self.get_serializer_context()).data
        )

    @_action_schema(
        "Claim the item: a commitment with a due date and a first step",
        ClaimSerializer,
        "For the department's head (or a coordinator), for themselves or for `owner`, a person "
        "of the item's department. Of two claims at once exactly one wins; the other gets 409.",
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        item = self.get_object()
        serializer = ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        owner = self._person(data["owner"], "owner") if data.get("owner") else None
        return self._run(
            barrier_claim,
            barrier=item,
            by=request.user,
            owner=owner,
            due=data["due"],
            first_step=data["first_step"],
        )

    @_action_schema("Hand a claimed item to another person of the department", ReassignSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        item = self.get_object()
        serializer = ReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._run(
            barrier_reassign,
            barrier=item,
            by=request.user,
            owner=self._person(data["owner"], "owner"),
            due=data.get("due"),
            first_step=data.get("first_step"),
        )

    @_action_schema(
        "Transfer the item to another department, with a reason",
        TransferSerializer,
        "The new owner is that department's head. An item already transferred twice goes to "
        "the coordinator to arbitrate instead (`needs_arbitration`).",
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        item = self.get_object()
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _no_nul(data, ("department",))
        department = (
            Department.objects.select_related("head").filter(code=data["department"]).first()
        )
        if department is None:
            raise exceptions.ValidationError({"department": [_("No department has this code.")]})
        return self._run(
            barrier_transfer,
            barrier=item,
            by=request.user,
            department=department,
            reason=data["reason"],
        )

    @_action_schema("Start work on a claimed item (in progress)", None)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._run(barrier_start, barrier=self.get_object(), by=request.user)

    @_action_schema(
        "Resolve the item, saying what was done",
        ResolveSerializer,
        "The reporters are told by e-mail (executives, and agents who did not ask for anonymity).",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        item = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._run(
            barrier_resolve,
            barrier=item,
            by=request.user,
            resolution=serializer.validated_data["resolution"],
        )

    @_action_schema("Refuse the item (won't fix), with the reason", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def wont_fix(self, request, pk=None):
        item = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._run(
            barrier_wont_fix,
            barrier=item,
            by=request.user,
            reason=serializer.validated_data["reason"],
        )

    @_action_schema("Confirm a resolved barrier is gone (its reporters)", None)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._run(barrier_verify, barrier=self.get_object(), by=request.user)

    @_action_schema(
        "Reopen a resolved item (its reporters; coordinators: any closed item)",
        ReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        item = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._run(
            barrier_reopen,
            barrier=item,
            by=request.user,
            reason=serializer.validated_data["reason"],
        )

    @_action_schema(
        "Merge this item into another (coordinators)",
        MergeRequestSerializer,
        "`into` absorbs this item's reports and reporters; this item becomes `merged`. "
        "Answers with `into`. Undo with `unmerge`.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        item = self.get_object()
        serializer = MergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        into = (
            selectors.items_visible_to(request.user)
            .filter(pk=serializer.validated_data["into"])
            .first()
        )
        if into is None:
            raise exceptions.ValidationError({"into": [_("No such item.")]})
        return self._run(barrier_merge, source=item, into=into, by=request.user)

    @_action_schema("Undo this item's merge (coordinators)", None)
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk=None):
        return self._run(barrier_unmerge, source=self.get_object(), by=request.user)

    @extend_schema(
        summary="The department scoreboard",
        description=(
            "For every department: its head, open items owned, waiting for a claim, claimed, "
            "overdue, resolved, median days to claim and to resolve, and whether it has claimed "
            "nothing. Sorted by `sort` as the scoreboard page is (default `-open`)."
        ),
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                enum=[f"{sign}{key}" for key in selectors.SCORE_SORTS for sign in ("", "-")],
                description=(
                    "The column to sort by, a leading `-` for descending; departments without "
                    "a median come last. 400 for any other value."
                ),
            )
        ],
        responses={200: ScoreRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def scoreboard(self, request):
        sort = request.query_params.get("sort") or selectors.SCORE_SORT_DEFAULT
        try:
            rows = selectors.scoreboard_sorted(selectors.scoreboard(), sort)
        except selectors.UnknownSort:
            raise exceptions.ValidationError(
                {
                    "sort": [
                        _("No column “%(sort)s” to sort by; choose one of: %(columns)s.")
                        % {"sort": sort, "columns": ", ".join(selectors.SCORE_SORTS)}
                    ]
                }
            ) from None
        return Response(ScoreRowSerializer(rows, many=True).data)
