"""The PDFs of CONTRACT.md under /api/v1/. config/urls.py includes these before the routers of
the other apps, whose `programmes/{slug}/...` and `debriefs/{id}/...` routes would otherwise be
tried first."""

from django.urls import path

from . import loop, views

urlpatterns = [
    # Before the series' CRUD router of the shadowing app, whose routes end at `{slug}/`.
    path("programmes/<slug:slug>/loop/", loop.ProgrammeLoop.as_view(), name="api-programme-loop"),
    path("series/<slug:slug>/loop/", loop.SeriesLoop.as_view(), name="api-series-loop"),
    path(
        "programmes/<slug:slug>/report.pdf",
        views.ProgrammeReportPDF.as_view(),
        name="api-programme-report-pdf",
    ),
    path(
        "departments/<str:code>/backlog.pdf",
        views.DepartmentBacklogPDF.as_view(),
        name="api-department-backlog-pdf",
    ),
    path(
        "debriefs/<int:debrief_id>/report.pdf",
        views.DebriefReportPDF.as_view(),
        name="api-debrief-report-pdf",
    ),
    path(
        "pairings/<int:pairing_id>/day-sheet.pdf",
        views.DaySheetPDF.as_view(),
        name="api-pairing-day-sheet-pdf",
    ),
]
