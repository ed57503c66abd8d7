"""The PDF endpoints of CONTRACT.md: who may read which, 200 or 202-then-200, fresh and stale."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from debriefs.models import Debrief
from reports.models import PaperPreference, RenderedReport, ReportKind, ReportStatus
from tests.factories import DepartmentFactory, PersonFactory
from tests.reports.conftest import flat, pdf_text, response_bytes

PROGRAMME_URL = "/api/v1/programmes/autumn/report.pdf"
BACKLOG_URL = "/api/v1/departments/CARE/backlog.pdf"


def debrief_url(debrief):
    return f"/api/v1/debriefs/{debrief.pk}/report.pdf"


def day_sheet_url(pairing):
    return f"/api/v1/pairings/{pairing.pk}/day-sheet.pdf"


@pytest.fixture
def other_head(db, west_site):
    finance = DepartmentFactory(code="FIN", name="Finance")
    return PersonFactory(
        email="fiona@example.com",
        full_name="Fiona Head",
        department=finance,
        site=west_site,
        is_department_head=True,
    )


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Requests inside run the queued background tasks when the block ends (Q_SYNC)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fetch(api, url, run_tasks):
    """GET the URL; if it answers 202, let the background task run and GET it again."""
    with run_tasks():
        response = api.get(url)
    if response.status_code == 202:
        response = api.get(url)
    return response


# Who may read which -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("hank", 200), ("other_head", 200), ("eve", 403), ("adam", 403), ("nina", 404)],
)
def test_programme_report_for_coordinators_and_heads(
    request, api_as, debrief, run_tasks, who, expected
):
    person = request.getfixturevalue(who)
    response = fetch(api_as(person), PROGRAMME_URL, run_tasks)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("hank", 200), ("other_head", 403), ("eve", 403), ("adam", 403), ("nina", 403)],
)
def test_backlog_for_coordinators_and_the_departments_head(
    request, api_as, care, hank, run_tasks, who, expected
):
    person = request.getfixturevalue(who)
    response = fetch(api_as(person), BACKLOG_URL, run_tasks)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("eve", 200), ("adam", 404), ("hank", 404), ("nina", 404)],
)
def test_debrief_report_for_its_executive_and_coordinators(request, api_as, debrief, who, expected):
    person = request.getfixturevalue(who)
    assert api_as(person).get(debrief_url(debrief)).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("eve", 200), ("adam", 200), ("hank", 404), ("nina", 404)],
)
def test_day_sheet_for_the_visits_people_and_coordinators(request, api_as, visit, who, expected):
    person = request.getfixturevalue(who)
    assert api_as(person).get(day_sheet_url(visit)).status_code == expected


def test_unknown_objects_are_404(api_as, cora, programme):
    api = api_as(cora)
    assert api.get("/api/v1/programmes/nope/report.pdf").status_code == 404
    assert api.get("/api/v1/departments/NOPE/backlog.pdf").status_code == 404
    assert api.get("/api/v1/debriefs/999999/report.pdf").status_code == 404
    assert api.get("/api/v1/pairings/999999/day-sheet.pdf").status_code == 404


def test_a_cancelled_visit_has_no_day_sheet(api_as, cora, visit):
    visit.status = "cancelled"
    visit.save(update_fields=["status"])
    assert api_as(cora).get(day_sheet_url(visit)).status_code == 404


@pytest.mark.parametrize("url", [PROGRAMME_URL, BACKLOG_URL, "/api/v1/debriefs/1/report.pdf"])
def test_anonymous_is_refused(api, programme, care, url):
    assert api.get(url).status_code in (401, 403)


def test_token_authentication(api, cora, debrief):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=cora)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(debrief_url(debrief))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_other_methods_are_not_allowed(api_as, cora, debrief):
    assert api_as(cora).post(debrief_url(debrief)).status_code == 405


# 202, then 200 --------------------------------------------------------------------------------


def test_a_large_report_answers_202_with_retry_after_then_200(api_as, cora, debrief, run_tasks):
    api = api_as(cora)
    with run_tasks():
        first = api.get(PROGRAMME_URL)
        assert first.status_code == 202
        assert int(first["Retry-After"]) > 0
        assert first.json()["status"] == "queued"
        # Asked again before the worker ran: still 202, and nothing queued twice.
        again = api.get(PROGRAMME_URL)
        assert again.status_code == 202
    report = RenderedReport.objects.get(kind=ReportKind.PROGRAMME)
    assert report.status == ReportStatus.DONE
    assert report.pages >= 1
    assert report.render_seconds > 0
    second = api.get(PROGRAMME_URL)
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert "Autumn" in pdf_text(response_bytes(second))


def test_a_request_is_queued_once_whatever_the_number_of_requests(
    api_as, cora, debrief, django_capture_on_commit_callbacks
):
    api = api_as(cora)
    with django_capture_on_commit_callbacks() as callbacks:
        for _n in range(3):
            assert api.get(PROGRAMME_URL).status_code == 202
    assert len(callbacks) == 1
    assert RenderedReport.objects.filter(kind=ReportKind.PROGRAMME).count() == 1


def test_202_with_a_worker_that_has_not_run_yet(
    api_as, cora, debrief, django_capture_on_commit_callbacks
):
    with (
        mock.patch("django_q.tasks.async_task", return_value="task-1") as async_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_as(cora).get(PROGRAMME_URL, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 202
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["progress"] == 0
    async_task.assert_called_once()
    report = RenderedReport.objects.get()
    assert async_task.call_args.args == ("reports.tasks.render_report", report.pk)
    assert report.task_id == "task-1"
    # Nothing ran: still 202, and not queued again.
    with (
        mock.patch("django_q.tasks.async_task") as again,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert api_as(cora).get(PROGRAMME_URL).status_code == 202
    again.assert_not_called()


def test_a_render_lost_by_a_dead_worker_is_queued_again(api_as, cora, debrief, run_tasks):
    with mock.patch("django_q.tasks.async_task", return_value="t1"), run_tasks():
        api_as(cora).get(PROGRAMME_URL)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    RenderedReport.objects.update(status=ReportStatus.RENDERING, started_at=long_ago)
    assert fetch(api_as(cora), PROGRAMME_URL, run_tasks).status_code == 200


def test_the_task_renders_once_when_delivered_twice(cora, debrief):
    from reports import services
    from reports.tasks import render_report

    report = RenderedReport.objects.create(
        kind=ReportKind.PROGRAMME, object_key="autumn", language="en", paper="letter"
    )
    render_report(report.pk)
    report.refresh_from_db()
    first_file, finished = report.file.name, report.finished_at
    render_report(report.pk)  # delivered again: not queued any more, nothing to do
    report.refresh_from_db()
    assert (report.file.name, report.finished_at) == (first_file, finished)
    assert services.report_render(report=report) is None
    render_report(987654)  # gone: quietly nothing


# Fresh and stale ------------------------------------------------------------------------------


def test_a_stored_report_is_served_until_its_data_changes(api_as, eve, debrief):
    api = api_as(eve)
    first = api.get(debrief_url(debrief))
    assert first.status_code == 200
    report = RenderedReport.objects.get(kind=ReportKind.DEBRIEF)
    stored = report.file.name
    assert api.get(debrief_url(debrief)).status_code == 200
    report.refresh_from_db()
    assert report.file.name == stored  # served from the store, not rendered again

    Debrief.objects.filter(pk=debrief.pk).update(
        commitment="A new commitment", updated_at=timezone.now() + dt.timedelta(seconds=1)
    )
    changed = api.get(debrief_url(debrief))
    assert "A new commitment" in flat(pdf_text(response_bytes(changed)))
    report.refresh_from_db()
    assert report.file.name != stored
    assert not report.file.storage.exists(stored)  # the stale file is gone


def test_a_stale_large_report_renders_again_after_a_change(api_as, cora, debrief, eve, run_tasks):
    api = api_as(cora)
    first = flat(pdf_text(response_bytes(fetch(api, PROGRAMME_URL, run_tasks))))
    assert "Finance and Treasury" not in first
    before = RenderedReport.objects.get().fingerprint
    eve.department.name = "Finance and Treasury"
    eve.department.save()
    with run_tasks():
        assert api.get(PROGRAMME_URL).status_code == 202  # the stored file shows old data
    text = flat(pdf_text(response_bytes(api.get(PROGRAMME_URL))))
    assert "Finance and Treasury" in text
    assert RenderedReport.objects.get().fingerprint != before


def test_a_stored_file_that_vanished_is_rendered_again(api_as, eve, debrief):
    api = api_as(eve)
    api.get(debrief_url(debrief))
    report = RenderedReport.objects.get()
    report.file.storage.delete(report.file.name)
    assert api.get(debrief_url(debrief)).status_code == 200


# Paper and language -------------------------------------------------------------------------


def page_size(content: bytes) -> tuple[int, int]:
    import io

    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_letter_unless_the_person_chose_a4(api_as, eve, debrief, settings):
    api = api_as(eve)
    assert page_size(response_bytes(api.get(debrief_url(debrief)))) == (612, 792)
    assert page_size(response_bytes(api.get(debrief_url(debrief) + "?paper=a4"))) == (595, 842)
    PaperPreference.objects.create(person=eve, paper="a4")
    assert page_size(response_bytes(api.get(debrief_url(debrief)))) == (595, 842)
    assert RenderedReport.objects.filter(kind=ReportKind.DEBRIEF).count() == 2


def test_the_organisation_default_paper(api_as, eve, debrief, settings):
    settings.REPORT_PAPER_SIZE = "a4"
    assert page_size(response_bytes(api_as(eve).get(debrief_url(debrief)))) == (595, 842)


def test_french(api_as, eve, debrief):
    response = api_as(eve).get(debrief_url(debrief) + "?lang=fr-ca")
    assert response.status_code == 200
    report = RenderedReport.objects.get()
    assert report.language == "fr-ca"


def test_the_schema_lists_the_pdfs(api_as, cora):
    schema = api_as(cora).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/programmes/{slug}/report.pdf",
        "/api/v1/departments/{code}/backlog.pdf",
        "/api/v1/debriefs/{debrief_id}/report.pdf",
        "/api/v1/pairings/{pairing_id}/day-sheet.pdf",
    ):
        assert path in schema["paths"]


# A render that fails ---------------------------------------------------------------------------


@pytest.fixture
def broken_renderer(monkeypatch):
    """Every render fails as a refused fetch would."""
    from reports import services
    from reports.pdf import ReportRenderError

    def fail(*args, **kwargs):
        raise ReportRenderError("refused to fetch https://example.com/x.css")

    monkeypatch.setattr(services, "render_pdf", fail)


def test_a_small_report_that_fails_answers_503_not_500(api_as, eve, debrief, broken_renderer):
    response = api_as(eve).get(debrief_url(debrief))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    report = RenderedReport.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "example.com" in report.error
    assert not report.file


def test_a_large_report_that_fails_is_tried_again_then_rests(
    api_as, cora, debrief, broken_renderer, run_tasks
):
    from reports.services import MAX_ATTEMPTS

    api = api_as(cora)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with run_tasks():
            assert api.get(PROGRAMME_URL).status_code == 202
        report = RenderedReport.objects.get()
        assert report.status == ReportStatus.FAILED
        assert report.attempts == attempt
    with run_tasks():
        response = api.get(PROGRAMME_URL)
    assert response.status_code == 503
    assert response.json()["status"] == "failed"
    assert RenderedReport.objects.get().attempts == MAX_ATTEMPTS


def test_after_a_failure_new_data_renders_at_once(api_as, cora, debrief, run_tasks, monkeypatch):
    from reports import services
    from reports.pdf import ReportRenderError

    real = services.render_pdf
    monkeypatch.setattr(services, "render_pdf", mock.Mock(side_effect=ReportRenderError("refused")))
    with run_tasks():
        api_as(cora).get(PROGRAMME_URL)
    assert RenderedReport.objects.get().status == ReportStatus.FAILED
    monkeypatch.setattr(services, "render_pdf", real)
    assert fetch(api_as(cora), PROGRAMME_URL, run_tasks).status_code == 200


def test_progress_is_written_while_a_large_report_renders(care, hank, many_items, monkeypatch):
    from reports import services
    from reports.tasks import render_report

    seen = []
    real = services.render_pdf

    def spy(html, **options):
        report_progress = options["on_progress"]

        def recording(stage, page):
            report_progress(stage, page)
            seen.append(RenderedReport.objects.values_list("progress", flat=True).get())

        return real(html, **{**options, "on_progress": recording})

    monkeypatch.setattr(services, "render_pdf", spy)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    report = RenderedReport.objects.create(
        kind=ReportKind.BACKLOG, object_key="CARE", language="en", paper="letter"
    )
    render_report(report.pk)
    assert len(set(seen)) > 3
    assert seen == sorted(seen)
    assert seen[0] >= 20
    assert seen[-1] <= 95
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.DONE, 100)
