"""Every write of the reports app: asking for a report, rendering it, storing it.

A request for a report (`report_request`) finds or makes its `RenderedReport` row and answers
with it: done and fresh (its fingerprint matches the data now) means the stored file is served;
otherwise a small report renders inline, and a large one is queued for a background worker
(CONTRACT.md: 202 with Retry-After, then 200 at the same URL).
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .documents import DOCUMENTS, Document, document_html
from .models import PaperPreference, PaperSize, RenderedReport, ReportStatus
from .pdf import ReportRenderError, render_pdf

log = logging.getLogger(__name__)

# A queued or running render older than this is taken for lost (its worker died, or the broker
# dropped it) and queued again: the task timeout plus a margin.
STALE_AFTER = dt.timedelta(seconds=settings.Q_CLUSTER.get("retry", 360))
# A render that failed this many times for the same data waits FAILED_PAUSE before another try.
MAX_ATTEMPTS = 3
FAILED_PAUSE = dt.timedelta(minutes=10)
# Progress is written at most this often (seconds) during a render.
PROGRESS_INTERVAL = 1.0


def default_paper() -> str:
    paper = getattr(settings, "REPORT_PAPER_SIZE", PaperSize.LETTER)
    return paper if paper in PaperSize.values else PaperSize.LETTER


def paper_for(person) -> str:
    """The person's paper size: their own choice, else the organisation's (REPORT_PAPER_SIZE,
    Letter unless set: North America, Canada included, prints on Letter)."""
    if person is not None and person.is_authenticated:
        chosen = PaperPreference.objects.filter(person=person).values_list("paper", flat=True)
        if chosen:
            return chosen[0]
    return default_paper()


def paper_preference_set(*, person, paper: str) -> PaperPreference:
    if paper not in PaperSize.values:
        raise ValueError(f"unknown paper size {paper!r}")
    preference, _created = PaperPreference.objects.update_or_create(
        person=person, defaults={"paper": paper}
    )
    return preference


def is_fresh(report: RenderedReport, fingerprint: str) -> bool:
    return (
        report.status == ReportStatus.DONE
        and report.fingerprint == fingerprint
        and bool(report.file)
        and report.file.storage.exists(report.file.name)
    )


def _is_stale(report: RenderedReport, now: dt.datetime) -> bool:
    since = report.started_at if report.status == ReportStatus.RENDERING else report.requested_at
    return since is None or since < now - STALE_AFTER


def _row(*, kind: str, key: str, language: str, paper: str, by) -> RenderedReport:
    lookup = {"kind": kind, "object_key": key, "language": language, "paper": paper}
    try:
        report, _created = RenderedReport.objects.get_or_create(
            **lookup, defaults={"requested_by": by if by and by.is_authenticated else None}
        )
    except IntegrityError:  # made by a concurrent request between the get and the create
        report = RenderedReport.objects.get(**lookup)
    return report


def report_request(
    *, kind: str, obj: Model, language: str, paper: str, by=None, now: dt.datetime | None = None
) -> RenderedReport:
    """The report of `obj` in `language` on `paper`, as far as it is: done and fresh (serve its
    file), queued or rendering (answer 202), or failed for this very data MAX_ATTEMPTS times
    within FAILED_PAUSE. Queues a background render when the stored file is missing or stale;
    renders small reports inline (a ReportRenderError propagates)."""
    now = now or timezone.now()
    document = DOCUMENTS[kind]
    fingerprint = document.fingerprint(obj, now=now)
    report = _row(kind=kind, key=document.key(obj), language=language, paper=paper, by=by)
    if is_fresh(report, fingerprint):
        return report
    if not document.background:
        return _render_inline(report, document, obj, fingerprint=fingerprint, by=by, now=now)

    same_data = report.fingerprint == fingerprint
    in_progress = report.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)
    if same_data and in_progress and not _is_stale(report, now):
        return report
    if (
        same_data
        and report.status == ReportStatus.FAILED
        and report.attempts >= MAX_ATTEMPTS
        and report.finished_at
        and report.finished_at > now - FAILED_PAUSE
    ):
        return report
    # Compare-and-set on what we read, so that of two requests at once only one queues.
    queued = RenderedReport.objects.filter(
        pk=report.pk,
        status=report.status,
        fingerprint=report.fingerprint,
        requested_at=report.requested_at,
    ).update(
        status=ReportStatus.QUEUED,
        fingerprint=fingerprint,
        progress=0,
        error="",
        requested_at=now,
        requested_by=by if by and by.is_authenticated else None,
        attempts=report.attempts if same_data else 0,
        task_id="",
    )
    if queued:
        _enqueue(report.pk)
    report.refresh_from_db()
    return report


def _enqueue(report_id: int) -> None:
    def enqueue() -> None:
        from django_q.tasks import async_task

        task_id = async_task("reports.tasks.render_report", report_id, group="reports")
        RenderedReport.objects.filter(pk=report_id, task_id="").update(task_id=task_id or "")

    transaction.on_commit(enqueue)


def _store(report: RenderedReport, *, pdf: bytes, fingerprint: str) -> str:
    """Save the PDF under MEDIA_ROOT/reports/KIND/ and return its name; a new name for new
    data, so that a file being served is never overwritten."""
    name = f"{report.object_key}-{report.language}-{report.paper}-{fingerprint[:12]}.pdf"
    field = report.file
    return field.storage.save(field.field.generate_filename(report, name), ContentFile(pdf))


def _finish(
    report: RenderedReport,
    *,
    claim: Q,
    pdf: bytes,
    pages: int,
    fingerprint: str,
    seconds: float,
) -> bool:
    """Store the file and mark the report done, if `claim` still holds; False otherwise (the
    new file is then removed)."""
    old_name = report.file.name if report.file else ""
    name = _store(report, pdf=pdf, fingerprint=fingerprint)
    done = RenderedReport.objects.filter(claim, pk=report.pk).update(
        status=ReportStatus.DONE,
        file=name,
        fingerprint=fingerprint,
        pages=pages,
        size=len(pdf),
        progress=100,
        error="",
        attempts=0,
        finished_at=timezone.now(),
        render_seconds=round(seconds, 3),
    )
    storage = report.file.storage
    if not done:
        storage.delete(name)
        return False
    if old_name and old_name != name:
        storage.delete(old_name)
    return True


def _render(
    document: Document,
    obj: Model,
    *,
    language: str,
    paper: str,
    now: dt.datetime,
    on_progress=None,
):
    html, context = document_html(document, obj, language=language, now=now)
    with translation.override(language):
        page_label, of_label = _("Page"), _("of")
    estimate = max(document.pages_estimate(context), 1)

    def progress(stage: str, page: int) -> None:
        if on_progress is not None:
            percent = 95 if stage == "pdf" else 20 + int(70 * min(page / estimate, 1))
            on_progress(percent)

    return render_pdf(
        html,
        paper=paper,
        page_label=page_label,
        of_label=of_label,
        title=f"{document.kind} {document.key(obj)}",
        landscape=document.landscape,
        on_progress=progress,
    )


def _render_inline(
    report: RenderedReport,
    document: Document,
    obj: Model,
    *,
    fingerprint: str,
    by,
    now: dt.datetime,
) -> RenderedReport:
    started = timezone.now()
    RenderedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING,
        started_at=started,
        requested_at=now,
        requested_by=by if by and by.is_authenticated else None,
    )
    try:
        result = _render(document, obj, language=report.language, paper=report.paper, now=now)
    except ReportRenderError as error:
        _fail(report.pk, str(error), claim=Q(started_at=started))
        raise
    _finish(
        report,
        claim=Q(started_at=started),
        pdf=result.pdf,
        pages=result.pages,
        fingerprint=fingerprint,
        seconds=result.seconds,
    )
    report.refresh_from_db()
    return report


def _fail(report_id: int, message: str, *, claim: Q) -> None:
    RenderedReport.objects.filter(claim, pk=report_id).update(
        status=ReportStatus.FAILED,
        error=message[:4000],
        attempts=F("attempts") + 1,
        finished_at=timezone.now(),
    )


def report_render(*, report: RenderedReport) -> RenderedReport | None:
    """Render a queued report in a background worker and store its file.

    Idempotent: only a queued report, or a running one whose worker must be dead, is taken (a
    compare-and-set), so a task delivered twice renders once. Never raises for a failed
    render: the report says `failed` and why, and the next request tries again. Returns the
    report, or None when another worker has it."""
    now = timezone.now()
    claim = Q(status=ReportStatus.QUEUED) | Q(
        status=ReportStatus.RENDERING, started_at__lt=now - STALE_AFTER
    )
    taken = RenderedReport.objects.filter(claim, pk=report.pk).update(
        status=ReportStatus.RENDERING, started_at=now, progress=5, finished_at=None
    )
    if not taken:
        return None
    mine = Q(status=ReportStatus.RENDERING, started_at=now)
    document = DOCUMENTS[report.kind]
    try:
        obj = document.load(report.object_key)
    except (ObjectDoesNotExist, ValueError):
        _fail(report.pk, "The report's object no longer exists.", claim=mine)
        return report
    # The fingerprint is taken before the data is read: a change during the render leaves a
    # file that is already stale, and the next request renders again.
    fingerprint = document.fingerprint(obj, now=now)
    last_write = [time.monotonic()]

    def on_progress(percent: int) -> None:
        if time.monotonic() - last_write[0] >= PROGRESS_INTERVAL:
            last_write[0] = time.monotonic()
            RenderedReport.objects.filter(mine, pk=report.pk).update(progress=percent)

    try:
        result = _render(
            document,
            obj,
            language=report.language,
            paper=report.paper,
            now=now,
            on_progress=on_progress,
        )
    except ReportRenderError as error:
        log.error("Report %s failed: %s", report.pk, error)
        _fail(report.pk, str(error), claim=mine)
        return report
    except Exception as error:  # a bug must not retry forever nor answer 500
        log.exception("Report %s failed", report.pk)
        _fail(report.pk, f"{type(error).__name__}: {error}", claim=mine)
        return report
    _finish(
        report,
        claim=mine,
        pdf=result.pdf,
        pages=result.pages,
        fingerprint=fingerprint,
        seconds=result.seconds,
    )
    report.refresh_from_db()
    return report


def retry_after(report: RenderedReport) -> int:
    """Seconds a client should wait before asking again."""
    if report.status == ReportStatus.FAILED:
        return int(FAILED_PAUSE.total_seconds())
    return 2 if report.progress >= 50 else 5
