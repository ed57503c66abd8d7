"""The coordinator's pages: debrief completion by department with a one-click nudge, and the
barrier reports (until the backlog takes them over)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shadowing.organisation.models import Department
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to

from ..models import Source
from ..selectors import (
    barrier_reports_visible_to,
    debrief_completion,
    management_chains,
    programmes_with_visits,
    reporter_hidden_from,
    unfiled_visits,
)
from ..services.nudges import debrief_nudge

PAGE_SIZE = 50


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def completion_list(request: HttpRequest) -> HttpResponse:
    _require(request, "debriefs.view_debrief_completion")
    programmes = programmes_with_visits()
    return render(request, "debriefs/completion_list.html", {"programmes": programmes})


@login_required
def completion(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    _require(request, "debriefs.view_debrief_completion")
    rows = debrief_completion(programme)
    department = request.GET.get("department", "").replace("\x00", "")
    visits = unfiled_visits(programme, department=department or None)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("filed", "draft", "missing", "upcoming")
    }
    context = {
        "programme": programme,
        "rows": rows,
        "totals": totals,
        "page": page,
        "department": department,
    }
    return render(request, "debriefs/completion.html", context)


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
