"""The coordinator's pages: debrief completion by department, searchable, with a one-click
nudge for one executive or everyone missing, the filed debriefs, a CSV export; and the barrier
reports (until the backlog takes them over)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shadowing.organisation.models import Department
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to

from ..export import completion_csv
from ..models import Source
from ..selectors import (
    barrier_reports_visible_to,
    completion_visits,
    debrief_completion,
    filed_visits,
    management_chains,
    programmes_with_visits,
    reporter_hidden_from,
    unfiled_visits,
)
from ..services.nudges import debrief_nudge, debrief_nudge_everyone

PAGE_SIZE = 50


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def completion_list(request: HttpRequest) -> HttpResponse:
    _require(request, "debriefs.view_debrief_completion")
    programmes = programmes_with_visits()
    return render(request, "debriefs/completion_list.html", {"programmes": programmes})


def _filters(data) -> tuple[str, str]:
    """The department code and the search words of a completion request (GET or POST)."""
    department = data.get("department", "").replace("\x00", "").strip()
    search = data.get("q", "").replace("\x00", "").strip()[:100]
    return department, search


def _completion_url(programme, department: str, search: str) -> str:
    url = reverse("debriefs:completion", args=[programme.slug])
    query = {key: value for key, value in (("department", department), ("q", search)) if value}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
def completion(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    _require(request, "debriefs.view_debrief_completion")
    rows = debrief_completion(programme)
    department, search = _filters(request.GET)
    filters = {"department": department or None, "search": search}
    page = Paginator(unfiled_visits(programme, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filed = Paginator(filed_visits(programme, **filters), PAGE_SIZE).get_page(
        request.GET.get("filed_page")
    )
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("filed", "draft", "missing", "upcoming", "no_show")
    }
    query = {key: value for key, value in (("department", department), ("q", search)) if value}
    context = {
        "programme": programme,
        "rows": rows,
        "totals": totals,
        "page": page,
        "filed": filed,
        "department": department,
        "search": search,
        "query": urlencode(query) + "&" if query else "",
        "filed_query": urlencode({**query, "page": page.number}) + "&",
        "unfiled_query": urlencode({**query, "filed_page": filed.number}) + "&",
        "can_nudge": request.user.has_perm("debriefs.nudge_debrief"),
        "can_record": request.user.has_perm("shadowing.record_attendance"),
    }
    return render(request, "debriefs/completion.html", context)


@login_required
def completion_download(request: HttpRequest, slug: str) -> HttpResponse:
    """Every visit of the programme (or those the page's filters keep) as CSV."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    _require(request, "debriefs.view_debrief_completion")
    department, search = _filters(request.GET)
    visits = completion_visits(programme, department=department or None, search=search)
    response = HttpResponse(
        completion_csv(visits, now=timezone.now()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-debriefs.csv"'
    return response


@login_required
@require_POST
def nudge_everyone(request: HttpRequest, slug: str) -> HttpResponse:
    """One reminder to each executive still owing a debrief (within the page's filters); a
    second click within the hour sends nothing."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    _require(request, "debriefs.nudge_debrief")
    department, search = _filters(request.POST)
    result = debrief_nudge_everyone(
        programme=programme, by=request.user, department=department or None, search=search
    )
    if result.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(n)d executive.",
                "Reminders sent to %(n)d executives.",
                result.sent,
            )
            % {"n": result.sent},
        )
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(n)d executive was reminded within the hour: not mailed again.",
                "%(n)d executives were reminded within the hour: not mailed again.",
                result.skipped,
            )
            % {"n": result.skipped},
        )
    if not result.sent and not result.skipped:
        messages.info(request, _("Nobody to remind: every started visit has its debrief."))
    return redirect(_completion_url(programme, department, search) + "#unfiled")


@login_required
@require_POST
def nudge(request: HttpRequest, slug: str, pairing_id: int) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    _require(request, "debriefs.nudge_debrief")
    pairing = get_object_or_404(
        pairings_visible_to(request.user).filter(programme=programme), pk=pairing_id
    )
    notice = debrief_nudge(pairing=pairing, by=request.user)
    name = pairing.executive.full_name
    if notice is None:
        messages.info(
            request,
            _("No reminder sent to %(name)s: one went out within the hour, or the debrief is in.")
            % {"name": name},
        )
    else:
        messages.success(request, _("Reminder sent to %(name)s.") % {"name": name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("debriefs:completion", args=[programme.slug])
    return redirect(back)


@login_required
def barrier_reports(request: HttpRequest) -> HttpResponse:
    """The reports one may see: coordinators all, department heads their department's, anyone
    their own. Names withheld as the reporters chose."""
    reports = barrier_reports_visible_to(request.user).filter(withdrawn_at__isnull=True)
    department = request.GET.get("department", "").replace("\x00", "")
    source = request.GET.get("source", "")
    if department:
        reports = reports.filter(department__code=department)
    if source in Source.values:
        reports = reports.filter(source=source)
    page = Paginator(reports.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    anonymous = {r.reporter_id for r in page if r.anonymous_to_management}
    chains = (
        management_chains(anonymous)
        if anonymous and request.user.has_perm("debriefs.view_any_debrief")
        else {}
    )
    rows = [(report, reporter_hidden_from(request.user, report, chains)) for report in page]
    context = {
        "page": page,
        "rows": rows,
        "department": department,
        "source": source,
        "departments": Department.objects.order_by("code").named(),
        "sources": Source.choices,
    }
    return render(request, "debriefs/reports.html", context)
