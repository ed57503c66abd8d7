"""Rendered reports and each person's paper size.

A `RenderedReport` is one PDF of one object (a programme, a department's backlog, a debrief, a
visit's day sheet) in one language on one paper size: the stored file, and while it renders,
its progress. `fingerprint` names the state of the data the file shows (reports.documents);
when the data changes the fingerprint no longer matches and the next request renders again.

The file lives under MEDIA_ROOT/reports/, which nothing serves: only the permission-checked
views hand it out.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme report")
    BACKLOG = "backlog", _("Department backlog")
    DEBRIEF = "debrief", _("Debrief")
    DAY_SHEET = "day_sheet", _("Day sheet")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PaperSize(models.TextChoices):
    # North America (Canada included, in practice) prints on Letter; A4 everywhere else.
    LETTER = "letter", _("Letter (8.5 × 11 in)")
    A4 = "a4", _("A4 (210 × 297 mm)")


def report_upload_to(report: "RenderedReport", filename: str) -> str:
    return f"reports/{report.kind}/{filename}"


class RenderedReport(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    # The object's public key: a programme's slug, a department's code, a debrief's or a
    # pairing's id.
    object_key = models.CharField(_("object"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    paper = models.CharField(_("paper size"), max_length=10, choices=PaperSize.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # What the file shows (status done), or what the queued or running render will show.
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True, max_length=300)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("rendered report")
        verbose_name_plural = _("rendered reports")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "language", "paper"], name="rendered_report_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="rendered_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="rendered_report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(paper__in=PaperSize.values), name="rendered_report_paper_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="rendered_report_progress_percent",
            ),
            # A finished report has its file.
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | ~Q(file=""),
                name="rendered_report_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} ({self.language}, {self.paper}): {self.status}"

    @property
    def filename(self) -> str:
        return f"{self.kind.replace('_', '-')}-{self.object_key}-{self.paper}.pdf"


class PaperPreference(models.Model):
    """A person's paper size for the PDFs they download; without one, REPORT_PAPER_SIZE."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="paper_preference",
    )
    paper = models.CharField(_("paper size"), max_length=10, choices=PaperSize.choices)

    class Meta:
        verbose_name = _("paper preference")
        verbose_name_plural = _("paper preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(paper__in=PaperSize.values), name="paper_preference_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.paper}"
