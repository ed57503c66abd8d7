"""The coordinator's review of a programme's pairings: the filterable table with each pairing's
reasons, the unpaired executives and why, a summary, lock and unlock, assignment and swap by
hand, and the pairing run with its progress. Coordinators only. Each view only adapts: the
services in `shadowing.programmes` decide, and every hard rule is checked there.

Every action posts to a URL that carries the table's query string, so that after it the
coordinator is back on the same filtered page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shadowing.organisation.models import Department, Site
from shadowing.programmes.forms import MAX_ID, PairingAssignForm, PairingFilterForm, PairingSwapForm
from shadowing.programmes.models import Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import (
    ACTIVE_RUN_STATUSES,
    Pairing,
    PairingRunStatus,
    PairingStatus,
)
from shadowing.programmes.pairings import pairing_assign, pairing_swap, person_by_email
from shadowing.programmes.reasons import (
    WAIVABLE_LABELS,
    day_text,
    unpaired_label,
    unpaired_message,
    visit_reason_labels,
)
from shadowing.programmes.selectors import (
    pairing_summary,
    programme_latest_done_run,
    programme_latest_run,
    programme_pairings,
    programme_unpaired,
    programmes_visible_to,
)
from shadowing.programmes.services import pairing_lock, pairing_unlock

PAGE_SIZE = 50
REVIEW = "shadowing.review_pairings"
CHANGE = "shadowing.change_pairing"


def _programme(request: HttpRequest, slug: str) -> Programme:
    """Fetch and authorise in one call: 404 for a programme the person may not see, 403 for one
    they see but may not review."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    if not request.user.has_perm(REVIEW, programme):
        raise PermissionDenied
    return programme


def _back(request: HttpRequest, programme: Programme) -> str:
    """The review page as the coordinator left it (filters, page)."""
    url = reverse("shadowing:programme-pairings", kwargs={"slug": programme.slug})
    query = request.GET.copy()
    query.pop("move", None)
    query.pop("assign", None)
    return f"{url}?{query.urlencode()}" if query else url


@login_required
def pairing_review(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    return _render(request, programme)


def _render(
    request: HttpRequest,
    programme: Programme,
    *,
    assign_form: PairingAssignForm | None = None,
    swap_form: PairingSwapForm | None = None,
    status: int = 200,
) -> HttpResponse:
    departments = [
        (code, f"{code} · {name}") for code, name in Department.objects.order_by("code").named()
    ]
    sites = [
        (code, f"{code} · {name}")
        for code, name in Site.objects.filter(pairings__programme=programme)
        .distinct()
        .order_by("code")
        .values_list("code", "name")
    ]
    filter_form = PairingFilterForm(request.GET, departments=departments, sites=sites)
    filters = filter_form.filters()
    page = Paginator(programme_pairings(programme, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (
            pairing,
            visit_reason_labels(pairing.reasons),
            [str(WAIVABLE_LABELS.get(code, code)) for code in pairing.waived_rules or ()],
        )
        for pairing in page
    ]

    latest_run = programme_latest_run(programme)
    run_active = latest_run is not None and latest_run.status in ACTIVE_RUN_STATUSES
    done_run = (
        latest_run
        if latest_run is not None and latest_run.status == PairingRunStatus.DONE
        else programme_latest_done_run(programme)
    )
    unpaired_page = None
    unpaired_rows = []
    if done_run is not None:
        unpaired_page = Paginator(programme_unpaired(programme, done_run), PAGE_SIZE).get_page(
            request.GET.get("unpaired_page")
        )
        unpaired_rows = [
            (row, unpaired_label(row.reason), unpaired_message(row.reason, row.params))
            for row in unpaired_page
        ]

    user = request.user
    can_change = user.has_perm(CHANGE) and programme.status != ProgrammeStatus.CLOSED
    if assign_form is None:
        assign_form = PairingAssignForm(initial=_assign_initial(request, programme))
    swap_ticked = set(swap_form.cleaned_data.get("pairings") or ()) if swap_form else set()
    if swap_form is not None and not swap_ticked:
        swap_ticked = {v for v in request.POST.getlist("pairings") if v.isdigit()}
        swap_ticked = {int(v) for v in swap_ticked if int(v) <= MAX_ID}
    context = {
        "programme": programme,
        "filter_form": filter_form,
        "filtered": any(request.GET.get(name) for name in filter_form.fields),
        "page": page,
        "rows": rows,
        "summary": pairing_summary(programme),
        "latest_run": latest_run,
        "run_active": run_active,
        "done_run": done_run,
        "unpaired_page": unpaired_page,
        "unpaired_rows": unpaired_rows,
        "can_change": can_change,
        "can_pair": user.has_perm("shadowing.pair_programme", programme)
        and programme.status != ProgrammeStatus.CLOSED
        and not run_active,
        "assign_form": assign_form,
        "swap_form": swap_form,
        "swap_ticked": swap_ticked,
        "fixed_statuses": (PairingStatus.PUBLISHED, PairingStatus.CANCELLED),
        "back": _back(request, programme),
        "query": _query_without(request, "move", "assign"),
    }
    return render(request, "shadowing/programmes/pairings.html", context, status=status)


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _assign_initial(request: HttpRequest, programme: Programme) -> dict:
    """Prefill the hand-assignment form: `?move=ID` moves that pairing (its executive and date,
    replacing it); `?assign=EMAIL` starts one for that executive (from the unpaired list)."""
    move = request.GET.get("move", "")
    if move.isdigit() and 1 <= int(move) <= MAX_ID:
        pairing = (
            Pairing.objects.active()
            .filter(programme=programme, pk=int(move))
            .select_related("executive")
            .first()
        )
        if pairing is not None:
            return {
                "executive": pairing.executive.email,
                "date": pairing.date,
                "replaces": pairing.pk,
            }
    if request.GET.get("assign"):
        return {"executive": request.GET["assign"][:254]}
    return {}


def _pairing(request: HttpRequest, programme: Programme, pk: int) -> Pairing:
    if pk > MAX_ID:
        raise Http404  # no such row, and SQLite's driver would raise on the number
    pairing = get_object_or_404(
        Pairing.objects.select_related("executive", "agent"), programme=programme, pk=pk
    )
    if not request.user.has_perm(CHANGE, pairing):
        raise PermissionDenied
    return pairing


@require_POST
@login_required
def pairing_lock_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    pairing = _pairing(request, programme, pk)
    try:
        pairing_lock(pairing=pairing)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Locked: %(executive)s with %(agent)s on %(date)s. A re-run keeps it.")
            % _names(pairing),
        )
    return redirect(_back(request, programme))


@require_POST
@login_required
def pairing_unlock_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    pairing = _pairing(request, programme, pk)
    try:
        pairing_unlock(pairing=pairing)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Unlocked: %(executive)s with %(agent)s on %(date)s. A re-run may move it.")
            % _names(pairing),
        )
    return redirect(_back(request, programme))


def _names(pairing: Pairing) -> dict[str, str]:
    return {
        "executive": pairing.executive.full_name,
        "agent": pairing.agent.full_name,
        "date": day_text(pairing.date),
    }


@require_POST
@login_required
def pairing_assign_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Assign by hand. A refusal shows the form again, filled in, with the rule it breaks."""
    programme = _programme(request, slug)
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    form = PairingAssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            executive = person_by_email(data["executive"], field="executive", role="executive")
            agent = person_by_email(data["agent"], field="agent", role="agent")
            replaces = None
            if data.get("replaces"):
                replaces = Pairing.objects.filter(programme=programme, pk=data["replaces"]).first()
            pairing = pairing_assign(
                programme=programme,
                executive=executive,
                agent=agent,
                date=data["date"],
                by=request.user,
                replaces=replaces,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(executive)s now visits %(agent)s on %(date)s; the visit is locked.")
                % {
                    "executive": executive.full_name,
                    "agent": agent.full_name,
                    "date": day_text(pairing.date),
                },
            )
            return redirect(_back(request, programme))
    return _render(request, programme, assign_form=form, status=400)


@require_POST
@login_required
def pairing_swap_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Swap the visits of two ticked rows. A refusal names the visit and the rule it breaks."""
    programme = _programme(request, slug)
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    form = PairingSwapForm(request.POST)
    if form.is_valid():
        found = {
            p.pk: p
            for p in Pairing.objects.filter(
                programme=programme, pk__in=form.cleaned_data["pairings"]
            ).select_related("programme", "executive", "agent")
        }
        if len(found) != 2:
            form.add_error("pairings", _("These pairings are not in this programme."))
        else:
            first, second = (found[pk] for pk in form.cleaned_data["pairings"])
            try:
                first, second = pairing_swap(first=first, second=second, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Swapped and locked: %(first)s; %(second)s.")
                    % {
                        "first": _("%(executive)s with %(agent)s on %(date)s")
                        % _names(_reload(first)),
                        "second": _("%(executive)s with %(agent)s on %(date)s")
                        % _names(_reload(second)),
                    },
                )
                return redirect(_back(request, programme))
    return _render(request, programme, swap_form=form, status=400)


def _reload(pairing: Pairing) -> Pairing:
    return Pairing.objects.select_related("executive", "agent").get(pk=pairing.pk)
