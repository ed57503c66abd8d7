"""The backlog's pages: the list (a head's department by default), an item with its reports,
history and the actions its viewer may take, the coordinator's triage, the department
scoreboard, and the home-page panel. No JavaScript: every action is a plain form POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from shadowing import clock
from shadowing.organisation.models import Department

from . import selectors
from .ambassadors.views import item_ambassador_context
from .forms import ClaimForm, MergeForm, ReasonForm, ReassignForm, ResolveForm, TransferForm
from .history import history_rows
from .models import OPEN_STATUSES, UNCLAIMED_STATUSES, Status
from .permissions import acts_for_head
from .services.claims import barrier_claim, barrier_reassign, barrier_start
from .services.common import Conflict
from .services.merges import barrier_merge, barrier_unmerge
from .services.resolution import barrier_reopen, barrier_resolve, barrier_verify, barrier_wont_fix
from .services.transfers import barrier_transfer

PAGE_SIZE = 25
STATUS_FILTERS = [
    ("open", gettext_lazy("Open")),
    ("overdue", gettext_lazy("Overdue")),
    *[(value, label) for value, label in Status.choices],
]


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    params = request.GET
    if "department" in params:
        department = _clean(params.get("department"))
    else:  # a head starts on their own department
        department = user.department.code if user.is_department_head and user.department else ""
    status = _clean(params.get("status")) or ("open" if "status" not in params else "")
    if status and status not in dict(STATUS_FILTERS):
        status = ""
    owner = _clean(params.get("owner"))
    items = selectors.item_list(
        user, department=department or None, status=status or None, owner=owner or None
    )
    page = Paginator(items, PAGE_SIZE).get_page(params.get("page"))
    query = urlencode({"department": department, "status": status, "owner": owner})
    context = {
        "page": page,
        "query": query + "&",
        "department": department,
        "status": status,
        "owner": owner,
        "departments": Department.objects.order_by("code").named(),
        "statuses": STATUS_FILTERS,
        "today": clock.local_today(),
    }
    return render(request, "barriers/list.html", context)


def _visible_item(request, pk):
    return get_object_or_404(selectors.items_visible_to(request.user), pk=pk)


def _forms_for(item, user, bound=None):
    """The action forms this person may use on this item now, by action name."""
    bound = bound or {}
    can = user.has_perm
    people = selectors.possible_owners(item.department)
    forms = {}
    if item.status in UNCLAIMED_STATUSES and can("barriers.claim_backlogitem", item):
        mine = user.department_id == item.department_id
        head = item.department.head_id if acts_for_head(user, item) else None
        initial = {"owner": head or (user.pk if mine else None)}
        forms["claim"] = bound.get("claim") or ClaimForm(people=people, initial=initial)
    if item.status in (Status.CLAIMED, Status.IN_PROGRESS) and can(
        "barriers.reassign_backlogitem", item
    ):
        forms["reassign"] = bound.get("reassign") or ReassignForm(
            people=people, initial={"owner": item.owner_id}
        )
    if item.status in OPEN_STATUSES and can("barriers.transfer_backlogitem", item):
        form = bound.get("transfer") or TransferForm()
        form.fields["department"].queryset = Department.objects.exclude(
            pk=item.department_id
        ).order_by("code")
        forms["transfer"] = form
    if can("barriers.work_backlogitem", item):
        if item.status == Status.CLAIMED:
            forms["start"] = None
        if item.status in OPEN_STATUSES:
            forms["resolve"] = bound.get("resolve") or ResolveForm()
            forms["wont_fix"] = bound.get("wont_fix") or ReasonForm()
    coordinator = can("barriers.merge_backlogitem", item)
    if item.status == Status.RESOLVED and can("barriers.verify_backlogitem", item):
        forms["verify"] = None
    reopenable = item.status == Status.RESOLVED or (
        coordinator and item.status in (Status.WONT_FIX, Status.VERIFIED)
    )
    if reopenable and can("barriers.reopen_backlogitem", item):
        forms["reopen"] = bound.get("reopen") or ReasonForm()
    if coordinator and item.status != Status.MERGED:
        forms["merge"] = bound.get("merge") or MergeForm()
    if coordinator and item.status == Status.MERGED:
        forms["unmerge"] = None
    return forms


def _render_item(request, item, bound=None, code=200):
    user = request.user
    rows = selectors.item_reports(item, user)
    similar = selectors.similar_items(item, user, limit=5) if item.status != Status.MERGED else []
    today = clock.local_today()
    context = {
        "item": item,
        "rows": rows,
        "history": history_rows(selectors.item_history(item), user, rows),
        "merges": selectors.live_merges_into(item),
        "similar": similar,
        "forms": _forms_for(item, user, bound),
        "today": today,
        "overdue": item.is_overdue(today),
        **item_ambassador_context(item, user),
    }
    return render(request, "barriers/item.html", context, status=code)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, _visible_item(request, pk))


ACTIONS = {
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
}
DONE = {
    "claim": gettext_lazy("Claimed."),
    "reassign": gettext_lazy("Reassigned."),
    "transfer": gettext_lazy("Transferred."),
    "start": gettext_lazy("Work started."),
    "resolve": gettext_lazy("Resolved: the reporters will be told."),
    "wont_fix": gettext_lazy("Refused: the reporters will be told why."),
    "verify": gettext_lazy("Thank you: marked as verified."),
    "reopen": gettext_lazy("Reopened."),
    "merge": gettext_lazy("Merged."),
    "unmerge": gettext_lazy("Merge undone."),
}


def _run_action(action, item, user, data):
    """Read the form of `action` and call its service. Returns (item to show, None) or
    (None, the bound form with its errors)."""
    people = selectors.possible_owners(item.department)
    if action == "claim":
        form = ClaimForm(data, people=people)
        if not form.is_valid():
            return None, form
        d = form.cleaned_data
        return barrier_claim(
            barrier=item, by=user, owner=d["owner"], due=d["due"], first_step=d["first_step"]
        ), None
    if action == "reassign":
        form = ReassignForm(data, people=people)
        if not form.is_valid():
            return None, form
        d = form.cleaned_data
        return barrier_reassign(
            barrier=item, by=user, owner=d["owner"], due=d["due"], first_step=d["first_step"]
        ), None
    if action == "transfer":
        form = TransferForm(data)
        if not form.is_valid():
            return None, form
        d = form.cleaned_data
        return barrier_transfer(
            barrier=item, by=user, department=d["department"], reason=d["reason"]
        ), None
    if action in ("resolve",):
        form = ResolveForm(data)
        if not form.is_valid():
            return None, form
        return barrier_resolve(
            barrier=item, by=user, resolution=form.cleaned_data["resolution"]
        ), None
    if action in ("wont_fix", "reopen"):
        form = ReasonForm(data)
        if not form.is_valid():
            return None, form
        service = barrier_wont_fix if action == "wont_fix" else barrier_reopen
        return service(barrier=item, by=user, reason=form.cleaned_data["reason"]), None
    if action == "merge":
        form = MergeForm(data)
        if not form.is_valid():
            return None, form
        into = selectors.items_visible_to(user).filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("No such item."))
            return None, form
        return barrier_merge(source=item, into=into, by=user), None
    if action == "unmerge":
        return barrier_unmerge(source=item, by=user), None
    if action == "start":
        return barrier_start(barrier=item, by=user), None
    return barrier_verify(barrier=item, by=user), None


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    action = action.replace("-", "_")
    if action not in ACTIONS:
        raise Http404
    item = _visible_item(request, pk)
    if not request.user.has_perm(ACTIONS[action], item):
        raise PermissionDenied
    try:
        result, form = _run_action(action, item, request.user, request.POST)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("barriers:item", pk=item.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("barriers:item", pk=item.pk)
    if form is not None:
        messages.error(request, _("Please correct the errors below."))
        return _render_item(request, item, bound={action: form}, code=400)
    messages.success(request, DONE[action])
    back = request.POST.get("next", "")
    if back == "triage":
        return redirect("barriers:triage")
    if not selectors.items_visible_to(request.user).filter(pk=result.pk).exists():
        # The item has left what this person sees (a head transferred it to another
        # department): back to their backlog, not to a page that would now be a 404.
        messages.info(request, _("It is no longer in your backlog."))
        return redirect("barriers:list")
    return redirect("barriers:item", pk=result.pk)


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("barriers.triage_backlog"):
        raise PermissionDenied
    department = _clean(request.GET.get("department"))
    items = selectors.triage_items(department=department or None)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = selectors.suggestions_for(list(page), request.user, limit=3)
    departments = list(Department.objects.order_by("code"))
    rows = [(item, suggestions.get(item.pk, [])) for item in page]
    context = {
        "page": page,
        "rows": rows,
        "department": department,
        "departments": departments,
        "query": urlencode({"department": department}) + "&",
    }
    return render(request, "barriers/triage.html", context)


# The scoreboard's columns in order: the `?sort=` name, the header, whether it holds figures
# (sorted most first on a first click, and aligned right).
SCORE_COLUMNS = [
    ("department", gettext_lazy("Department"), False),
    ("head", gettext_lazy("Head"), False),
    ("open", gettext_lazy("Open"), True),
    ("new", pgettext_lazy("scoreboard column: items", "New"), True),
    ("claimed", gettext_lazy("Claimed"), True),
    ("overdue", gettext_lazy("Overdue"), True),
    ("resolved", pgettext_lazy("scoreboard column: items", "Resolved"), True),
    ("days_to_claim", gettext_lazy("Median days to claim"), True),
    ("days_to_resolve", gettext_lazy("Median days to resolve"), True),
]


def _score_columns(sort: str) -> list[dict]:
    """Each header with the link that sorts by it: the other way round when it is the sort."""
    columns = []
    for key, label, figures in SCORE_COLUMNS:
        first = f"-{key}" if figures else key
        current = sort.removeprefix("-") == key
        descending = sort.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "figures": figures,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "link": (key if descending else f"-{key}") if current else first,
            }
        )
    return columns


@login_required
def scoreboard(request: HttpRequest) -> HttpResponse:
    """The departments as a table sorted by any column (`?sort=-open`); those with nothing on
    their backlog as one line below it. An unknown column: 400, the page sorted as by default."""
    if not request.user.has_perm("barriers.view_scoreboard"):
        raise PermissionDenied
    rows = selectors.scoreboard()
    sort, status = request.GET.get("sort") or selectors.SCORE_SORT_DEFAULT, 200
    try:
        ordered = selectors.scoreboard_sorted(rows, sort)
    except selectors.UnknownSort:
        messages.error(
            request,
            _("The scoreboard has no column “%(sort)s” to sort by; choose one of: %(columns)s.")
            % {"sort": sort, "columns": ", ".join(key for key, _label, _f in SCORE_COLUMNS)},
        )
        sort, status = selectors.SCORE_SORT_DEFAULT, 400
        ordered = selectors.scoreboard_sorted(rows, sort)
    context = {
        "rows": [row for row in ordered if not row.has_nothing],
        "nothing": [row for row in ordered if row.has_nothing],
        "nothing_names": ", ".join(f"{row.name} ({row.code})" for row in rows if row.has_nothing),
        "idle": [row for row in rows if row.claimed_nothing],
        "columns": _score_columns(sort),
        "sort": sort,
    }
    return render(request, "barriers/scoreboard.html", context, status=status)


def backlog_home_panel(request: HttpRequest) -> str:
    """The backlog's panel on the home page: a head's unclaimed and overdue counts, the
    coordinator's triage, anyone's own barriers."""
    user = request.user
    if not user.is_authenticated:
        return ""
    mine = selectors.items_visible_to(user)
    context = {
        "coordinator": user.has_perm("barriers.triage_backlog"),
        "ambassador": user.has_perm("barriers.ambassador_queue"),
    }
    if user.is_department_head and user.department_id:
        department = mine.filter(department_id=user.department_id)
        context["head"] = True
        context["unclaimed"] = department.filter(status__in=UNCLAIMED_STATUSES).count()
        context["overdue"] = department.filter(
            status__in=(Status.CLAIMED, Status.IN_PROGRESS), due__lt=clock.local_today()
        ).count()
        context["list_url"] = reverse("barriers:list")
    if context["coordinator"]:
        context["triage_count"] = selectors.triage_items().count()
    if not (context.get("head") or context["coordinator"]):
        # The very list "Open the backlog" shows them (open items, their own department's
        # for nobody: they are no head), so the count and the list agree.
        context["own"] = selectors.item_list(user, status="open").count()
        if not context["own"]:
            return ""
    return render_to_string("barriers/_home_panel.html", context, request=request)
