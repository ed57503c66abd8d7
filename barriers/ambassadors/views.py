"""The ambassador's pages: their department's queue (new and escalated items, each with its
likely duplicates) and its actions (claim on the head's behalf, nudge the head, suggest a
merge), and the coordinator's or head's answer to a suggestion. Plain form POSTs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shadowing import clock

from .. import selectors
from ..ambassador_selectors import ambassador_queue, pending_suggestions
from ..forms import ClaimForm, MergeForm
from ..services.claims import barrier_claim
from ..services.common import Conflict
from ..suggestions import MergeSuggestion, SuggestionStatus
from .services import barrier_nudge, barrier_suggest_merge, suggestion_accept, suggestion_dismiss

PAGE_SIZE = 25


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("barriers.ambassador_queue"):
        raise PermissionDenied
    page = Paginator(ambassador_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = selectors.suggestions_for(list(page), user, limit=3)
    context = {
        "page": page,
        "rows": [(item, suggestions.get(item.pk, [])) for item in page],
        "department": user.department,
        "head": user.department.head,
        "query": "",
        "today": clock.local_today(),
    }
    return render(request, "barriers/ambassador.html", context)


def _back(request, item):
    if request.POST.get("next") == "queue":
        return redirect("barriers:ambassador")
    return redirect("barriers:item", pk=item.pk)


@login_required
@require_POST
def queue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    perms = {
        "claim": "barriers.claim_backlogitem",
        "nudge": "barriers.nudge_backlogitem",
        "suggest-merge": "barriers.suggest_merge_backlogitem",
    }
    if action not in perms:
        raise Http404
    item = get_object_or_404(selectors.items_visible_to(user), pk=pk)
    if not user.has_perm(perms[action], item):
        raise PermissionDenied
    try:
        if action == "claim":
            form = ClaimForm(request.POST, people=selectors.possible_owners(item.department))
            form.fields["owner"].required = False  # the service names the head
            if not form.is_valid():
                for field, errors in form.errors.items():
                    messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
                return _back(request, item)
            data = form.cleaned_data
            barrier_claim(
                barrier=item,
                by=user,
                owner=data["owner"],
                due=data["due"],
                first_step=data["first_step"],
            )
            name = item.department.head.full_name
            messages.success(request, _("Claimed on behalf of %(name)s.") % {"name": name})
        elif action == "nudge":
            _notice, sent = barrier_nudge(barrier=item, by=user)
            messages.success(
                request,
                _("The head will be told by e-mail.")
                if sent
                else _("The head was already nudged about this item today."),
            )
        else:
            form = MergeForm(request.POST)
            into = None
            if form.is_valid():
                into = selectors.items_visible_to(user).filter(pk=form.cleaned_data["into"])
                into = into.first()
            if into is None:
                messages.error(request, _("Into: no such item."))
                return _back(request, item)
            barrier_suggest_merge(source=item, into=into, by=user)
            messages.success(request, _("Merge suggested: a coordinator will decide."))
    except Conflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _back(request, item)


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("accept", "dismiss"):
        raise Http404
    suggestion = get_object_or_404(
        MergeSuggestion.objects.select_related("source__department", "into"), pk=pk
    )
    source = get_object_or_404(selectors.items_visible_to(request.user), pk=suggestion.source_id)
    perm = "merge_backlogitem" if decision == "accept" else "dismiss_suggestion_backlogitem"
    if not request.user.has_perm(f"barriers.{perm}", source):
        raise PermissionDenied
    if suggestion.status != SuggestionStatus.PENDING:
        messages.error(request, _("This suggestion was already decided: reload the item."))
        return redirect("barriers:item", pk=source.pk)
    service = suggestion_accept if decision == "accept" else suggestion_dismiss
    try:
        item = service(suggestion=suggestion, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("barriers:item", pk=source.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("barriers:item", pk=source.pk)
    messages.success(request, _("Merged.") if decision == "accept" else _("Dismissed."))
    return redirect("barriers:item", pk=item.pk)


def item_ambassador_context(item, user) -> dict:
    """What an item's page shows of the ambassadors' part: the pending merge suggestions (with
    accept and dismiss for those who may), and the nudge and suggestion forms for an
    ambassador."""
    can = user.has_perm
    return {
        "pending_suggestions": list(pending_suggestions(item)),
        "can_accept": can("barriers.merge_backlogitem", item),
        "can_dismiss": can("barriers.dismiss_suggestion_backlogitem", item),
        "can_nudge": item.is_open
        and item.department.head_id is not None
        and can("barriers.nudge_backlogitem", item),
        "can_suggest": item.status != "merged" and can("barriers.suggest_merge_backlogitem", item),
    }
