"""The PDFs through the API (CONTRACT.md): `200` with the PDF, or `202` with `Retry-After` and
the render's progress while a large report renders in the background; the same URL then
answers `200`. Token or session authentication; 404 for an object one may not see, 403 for one
whose report one may not read. `?paper=letter|a4` and `?lang=en|fr-ca` override the person's
own paper size and language."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..models import PaperSize, ReportKind, ReportStatus


class ReportProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    progress = serializers.IntegerField(help_text="percent")
    retry_after = serializers.IntegerField(help_text="seconds")
    detail = serializers.CharField()


PARAMETERS = [
    OpenApiParameter(
        "paper",
        OpenApiTypes.STR,
        enum=PaperSize.values,
        description="Paper size; default: the person's own, else the organisation's.",
    ),
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=sorted(access.LANGUAGE_CODES),
        description="Language; default: the person's.",
    ),
]
RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
    (202, "application/json"): OpenApiResponse(
        ReportProgressSerializer,
        description="Rendering in the background: ask again after `Retry-After` seconds.",
    ),
    (403, "application/json"): OpenApiResponse(description="You may not read this report."),
    (404, "application/json"): OpenApiResponse(description="No such object you may see."),
    (503, "application/json"): OpenApiResponse(
        ReportProgressSerializer, description="The render failed; try again later."
    ),
}


class PDFNegotiation(DefaultContentNegotiation):
    """A client that accepts only application/pdf still gets the 202 (or an error) as JSON,
    rather than a 406 before the view has even looked for the report."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return JSONRenderer(), JSONRenderer.media_type


class ReportPDFView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = PDFNegotiation
    kind = ""
    key_kwarg = ""

    def get(self, request, **kwargs):
        answer = access.report_answer(request, self.kind, kwargs[self.key_kwarg])
        if answer.ready:
            return answer.file_response()
        report = answer.report
        body = {
            "status": report.status,
            "progress": report.progress,
            "retry_after": answer.retry_after,
            "detail": (
                "The report could not be rendered; try again later."
                if answer.failed
                else "The report is rendering; ask again after Retry-After seconds."
            ),
        }
        return Response(
            body,
            status=503 if answer.failed else 202,
            headers={"Retry-After": str(answer.retry_after), "Cache-Control": "no-store"},
        )


def _schema(summary: str):
    return extend_schema(
        summary=summary, parameters=PARAMETERS, responses=RESPONSES, tags=["reports"]
    )


class ProgrammeReportPDF(ReportPDFView):
    kind = ReportKind.PROGRAMME
    key_kwarg = "slug"

    @_schema("The programme report (coordinators and department heads)")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)


class DepartmentBacklogPDF(ReportPDFView):
    kind = ReportKind.BACKLOG
    key_kwarg = "code"

    @_schema("A department's backlog (coordinators and the department's head)")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)


class DebriefReportPDF(ReportPDFView):
    kind = ReportKind.DEBRIEF
    key_kwarg = "debrief_id"

    @_schema("One debrief (its executive and coordinators)")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)


class DaySheetPDF(ReportPDFView):
    kind = ReportKind.DAY_SHEET
    key_kwarg = "pairing_id"

    @_schema("A visit's day sheet (its executive and agent, coordinators)")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)
