"""Fetch and authorise in one call, for the pages and the API alike: each function returns the
object a report is about, or raises Http404 (an object the person may not see: its existence is
not leaked) or PermissionDenied (one they see but whose report they may not read).

Then `report_answer` asks the services for the report and says what to answer: the stored
file, or how far the render is.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from debriefs.models import Debrief
from debriefs.selectors import debriefs_visible_to
from shadowing.organisation.models import Department
from shadowing.programmes.models import Programme, Series
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to

from . import services
from .models import PaperSize, RenderedReport, ReportKind, ReportStatus
from .pdf import ReportRenderError

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def programme_for_report(user, slug: str) -> Programme:
    programme = get_object_or_404(programmes_visible_to(user), slug=slug)
    if not user.has_perm("reports.view_programme_report", programme):
        raise PermissionDenied
    return programme


def series_for_report(user, slug: str) -> Series:
    """A series whose loop the person may read: those who read programme reports (the waves
    are programmes they see)."""
    series = get_object_or_404(Series, slug=slug)
    if not user.has_perm("reports.view_programme_report"):
        raise PermissionDenied
    return series


def department_for_backlog(user, code: str) -> Department:
    department = get_object_or_404(Department.objects.select_related("head"), code=code)
    if not user.has_perm("reports.view_department_backlog", department):
        raise PermissionDenied
    return department


def debrief_for_report(user, debrief_id: int) -> Debrief:
    debrief = get_object_or_404(debriefs_visible_to(user), pk=debrief_id)
    if not user.has_perm("reports.view_debrief_report", debrief):
        raise Http404
    return debrief


def pairing_for_day_sheet(user, pairing_id: int) -> Pairing:
    pairing = get_object_or_404(
        pairings_visible_to(user).exclude(status=PairingStatus.CANCELLED), pk=pairing_id
    )
    if not user.has_perm("reports.view_day_sheet", pairing):
        raise Http404
    return pairing


LOADERS = {
    ReportKind.PROGRAMME: programme_for_report,
    ReportKind.BACKLOG: department_for_backlog,
    ReportKind.DEBRIEF: debrief_for_report,
    ReportKind.DAY_SHEET: pairing_for_day_sheet,
}


def requested_paper(request: HttpRequest) -> str:
    paper = request.GET.get("paper", "")
    return paper if paper in PaperSize.values else services.paper_for(request.user)


def requested_language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    if language in LANGUAGE_CODES:
        return language
    preferred = getattr(request.user, "preferred_language", "") or settings.LANGUAGE_CODE
    return preferred if preferred in LANGUAGE_CODES else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Answer:
    report: RenderedReport
    ready: bool
    failed: bool
    retry_after: int

    def file_response(self) -> FileResponse:
        report = self.report
        response = FileResponse(
            report.file.open("rb"), content_type="application/pdf", filename=report.filename
        )
        response["Content-Disposition"] = f'inline; filename="{report.filename}"'
        response["Cache-Control"] = "private, no-cache"
        response["ETag"] = f'"{report.fingerprint}"'
        if report.pages:
            response["X-Report-Pages"] = str(report.pages)
        return response


def report_answer(request: HttpRequest, kind: str, key) -> Answer:
    """Authorise, then ask for the report of the object named by `key`."""
    obj = LOADERS[kind](request.user, key)
    try:
        report = services.report_request(
            kind=kind,
            obj=obj,
            language=requested_language(request),
            paper=requested_paper(request),
            by=request.user,
        )
    except ReportRenderError:
        report = RenderedReport.objects.get(
            kind=kind,
            object_key=str(key),
            language=requested_language(request),
            paper=requested_paper(request),
        )
    ready = report.status == ReportStatus.DONE
    failed = report.status == ReportStatus.FAILED
    return Answer(
        report=report, ready=ready, failed=failed, retry_after=services.retry_after(report)
    )
