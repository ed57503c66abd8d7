"""The reports' pages: the programme dashboard (the PDF's figures and charts on screen), the
reports index with each person's paper size, and the PDFs for the browser (a page with the
render's progress, refreshing itself, while a large report renders)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from debriefs.models import Debrief, DebriefStatus
from shadowing import clock
from shadowing.organisation.models import Department
from shadowing.programmes.pairing_models import PairingStatus
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to

from . import access, documents, loop, selectors, services
from .models import PaperSize, ReportKind


def _pdf(request: HttpRequest, kind: str, key) -> HttpResponse:
    answer = access.report_answer(request, kind, key)
    if answer.ready:
        return answer.file_response()
    status = 503 if answer.failed else 202
    response = render(
        request,
        "reports/rendering.html",
        {"report": answer.report, "failed": answer.failed, "retry_after": answer.retry_after},
        status=status,
    )
    response["Retry-After"] = str(answer.retry_after)
    if not answer.failed:
        response["Refresh"] = str(answer.retry_after)  # the page asks again by itself, no script
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, ReportKind.PROGRAMME, slug)


@login_required
@require_GET
def backlog_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(request, ReportKind.BACKLOG, code)


@login_required
@require_GET
def debrief_pdf(request: HttpRequest, debrief_id: int) -> HttpResponse:
    return _pdf(request, ReportKind.DEBRIEF, debrief_id)


@login_required
@require_GET
def day_sheet_pdf(request: HttpRequest, pairing_id: int) -> HttpResponse:
    return _pdf(request, ReportKind.DAY_SHEET, pairing_id)


def _backlog_departments(user) -> list[Department]:
    """The departments whose backlog PDF `user` may read: all for a coordinator, their own
    for a head (one query: the rule needs no other)."""
    departments = Department.objects.order_by("name", "code")
    return [d for d in departments if user.has_perm("reports.view_department_backlog", d)]


@login_required
@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = (
        programmes_visible_to(user) if user.has_perm("reports.view_programme_report") else []
    )
    context = {
        "programmes": programmes,
        "departments": _backlog_departments(user),
        "paper": services.paper_for(user),
        "papers": PaperSize.choices,
    }
    return render(request, "reports/index.html", context)


@login_required
@require_POST
def paper_preference(request: HttpRequest) -> HttpResponse:
    paper = request.POST.get("paper", "")
    if paper not in PaperSize.values:
        messages.error(request, _("Choose Letter or A4."))
    else:
        services.paper_preference_set(person=request.user, paper=paper)
        messages.success(
            request, _("Your PDFs will be on %(paper)s paper.") % {"paper": PaperSize(paper).label}
        )
    return redirect("reports:index")


def _loop_context(request: HttpRequest, the_loop: loop.Loop) -> dict:
    """The loop's section, narrowed to the departments of `?department=` (an unknown code is
    said, and ignored); the departments that claimed nothing are never narrowed."""
    known = the_loop.departments()
    wanted = request.GET.getlist("department")
    codes = {code for code, _name in known}
    unknown = [code for code in wanted if code not in codes]
    if unknown:
        messages.error(
            request,
            _("Department: no such department in the loop: %(codes)s.")
            % {"codes": ", ".join(unknown)},
        )
    selected = [code for code in wanted if code in codes]
    shown = the_loop.only(selected)
    return {
        "loop": shown,
        "loop_measures": documents.loop_measure_names(),
        "loop_charts": documents.dashboard_loop_charts(shown),
        "loop_filterable": bool(known),
        "loop_departments": known,
        "loop_selected": selected,
    }


@login_required
@require_GET
def programme_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.programme_for_report(request.user, slug)
    now = clock.now()
    figures = selectors.programme_figures(programme, now=now)
    context = {
        "programme": programme,
        "figures": figures,
        "departments": _backlog_departments(request.user),
        **documents.dashboard_charts(figures),
        **_loop_context(request, selectors.programme_loop(programme, now=now)),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def series_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The loop across every wave of a series, for those who read programme reports."""
    series = access.series_for_report(request.user, slug)
    context = {
        "series": series,
        "waves": list(series.waves.order_by("start_date", "pk")),
        "series_view": True,
        **_loop_context(request, selectors.series_loop(series, now=clock.now())),
    }
    return render(request, "reports/series.html", context)


def reports_home_panel(request: HttpRequest) -> str:
    """The home page's reports panel: the dashboards for coordinators and heads, each
    person's day sheets for their coming published visits, an executive's filed debriefs as PDFs."""
    user = request.user
    if not user.is_authenticated:
        return ""
    programmes = []
    if user.has_perm("reports.view_programme_report"):
        programmes = list(programmes_visible_to(user).order_by("-start_date", "slug")[:5])
    # Yesterday's visit too, on the person's own calendar (their site's day, not UTC's).
    since = clock.local_today(user.site.zone if user.site_id else None) - dt.timedelta(days=1)
    visits = list(
        pairings_visible_to(user)
        .filter(Q(executive=user) | Q(agent=user), date__gte=since)
        # A day sheet names who and where: only once the visit is published and will not move.
        .filter(status=PairingStatus.PUBLISHED)
        .order_by("date", "starts_at")[:5]
    )
    debriefs = []
    if user.is_executive:
        debriefs = list(
            Debrief.objects.filter(pairing__executive=user, status=DebriefStatus.SUBMITTED)
            .select_related("pairing__site")
            .order_by("-pairing__date")[:5]
        )
    if not programmes and not visits and not debriefs:
        return ""
    return render_to_string(
        "reports/_home_panel.html",
        {
            "programmes": programmes,
            "visits": visits,
            "debriefs": debriefs,
            "index_url": reverse("reports:index"),
        },
        request=request,
    )
