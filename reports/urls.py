from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports_index, name="index"),
    path("reports/paper/", views.paper_preference, name="paper"),
    path(
        "reports/programmes/<slug:slug>/",
        views.programme_dashboard,
        name="programme-dashboard",
    ),
    path("reports/series/<slug:slug>/", views.series_dashboard, name="series-dashboard"),
    path("reports/programmes/<slug:slug>/report.pdf", views.programme_pdf, name="programme-pdf"),
    path("reports/departments/<str:code>/backlog.pdf", views.backlog_pdf, name="backlog-pdf"),
    path("reports/debriefs/<int:debrief_id>/report.pdf", views.debrief_pdf, name="debrief-pdf"),
    path(
        "reports/visits/<int:pairing_id>/day-sheet.pdf",
        views.day_sheet_pdf,
        name="day-sheet-pdf",
    ),
]
