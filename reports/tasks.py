"""Background tasks of reports (django-q2). Thin: load by id, return quietly if gone."""

from .models import RenderedReport


def render_report(report_id: int) -> None:
    """Render a queued report and store its file; progress is written on the report."""
    from .services import report_render

    report = RenderedReport.objects.filter(pk=report_id).first()
    if report is None:
        return  # removed meanwhile
    report_render(report=report)
