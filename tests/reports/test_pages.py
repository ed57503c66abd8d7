"""The reports' pages: the programme dashboard, the index with the paper size, the PDFs in the
browser (a self-refreshing progress page while a large one renders), the home panel."""

import dataclasses
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import PaperPreference, RenderedReport
from shadowing.programmes.pairing_models import PairingStatus
from tests.debriefs.conftest import barrier, local_today, make_visit
from tests.factories import DepartmentFactory, PersonFactory
from tests.reports.conftest import response_bytes, submit_debrief

DASHBOARD = "/reports/programmes/autumn/"


@pytest.fixture
def signed_in(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("hank", 200), ("eve", 403), ("adam", 403), ("nina", 404)],
)
def test_dashboard_for_coordinators_and_heads(request, signed_in, debrief, who, expected):
    person = request.getfixturevalue(who)
    assert signed_in(person).get(DASHBOARD).status_code == expected


def test_dashboard_shows_the_pdfs_figures_and_charts_and_links_to_each_pdf(
    signed_in, cora, debrief, care
):
    response = signed_in(cora).get(DASHBOARD)
    html = response.content.decode()
    # Each chart twice, drawn at the width it is shown at: a phone's and a wide screen's.
    # Five figures' charts, and the loop's trend for all departments (no item of a wave yet).
    assert html.count('<div class="chart-phone"><svg') == 6
    assert html.count('<div class="chart-wide"><svg') == 6
    assert 'role="img"' in html
    assert "Participation by department" in html
    assert "Debrief completion" in html
    assert "/reports/programmes/autumn/report.pdf" in html
    assert "/reports/departments/CARE/backlog.pdf" in html
    assert "/reports/departments/FIN/backlog.pdf" in html
    assert not re.search(r"<[^>]+\sstyle=", html)  # no inline style: the CSP forbids it


def test_dashboard_ids_are_unique_though_each_chart_is_drawn_twice(signed_in, cora, debrief):
    html = signed_in(cora).get(DASHBOARD).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'aria-labelledby="participation-phone-title participation-phone-desc"' in html


def test_dashboard_tables_name_each_figure_for_a_phone(signed_in, cora, debrief):
    html = signed_in(cora).get(DASHBOARD).content.decode()
    assert html.count('class="compact table-reflow"') >= 3
    assert '<td class="num" data-label="Invited">' in html
    assert '<td class="num" data-label="Process">' in html  # a category column of the matrix


def test_dashboard_figures_in_french_group_thousands_with_a_space(
    signed_in, cora, debrief, monkeypatch
):
    from reports import selectors

    real = selectors.programme_figures

    def many(programme, *, now):
        figures = real(programme, now=now)
        return dataclasses.replace(figures, reports_total=12345)

    monkeypatch.setattr(selectors, "programme_figures", many)
    client = signed_in(cora)
    english = client.get(DASHBOARD).content.decode()
    assert '<span class="stat">12,345</span>' in english
    cora.ui_language = "fr-ca"
    cora.save(update_fields=["ui_language"])
    french = client.get(DASHBOARD).content.decode()
    assert '<span class="stat">12\u00a0345</span>' in french


def test_a_head_sees_only_their_own_departments_backlog_link(signed_in, hank, debrief, finance):
    html = signed_in(hank).get(DASHBOARD).content.decode()
    assert "/reports/departments/CARE/backlog.pdf" in html
    assert "/reports/departments/FIN/backlog.pdf" not in html


def grow(programme, site, departments: int):
    floor = DepartmentFactory(code="FLOOR", name="Front line")
    day = local_today(site) - dt.timedelta(days=1)
    for n in range(departments):
        department = DepartmentFactory(code=f"G{n:03d}")
        executive = PersonFactory(department=department, site=site, is_executive=True)
        agent = PersonFactory(department=floor, site=site, is_agent=True)
        visit = make_visit(programme, executive, agent, day)
        submit_debrief(visit, executive, barriers=[barrier(department="FLOOR")])


def test_dashboard_query_count_does_not_grow_with_the_programme(
    signed_in, cora, programme, west_site
):
    client = signed_in(cora)
    grow(programme, west_site, 2)
    client.get(DASHBOARD)  # the session's first request writes it
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    for n in range(2, 30):
        department = DepartmentFactory(code=f"H{n:03d}")
        executive = PersonFactory(department=department, site=west_site, is_executive=True)
        agent = PersonFactory(site=west_site, is_agent=True)
        visit = make_visit(
            programme, executive, agent, local_today(west_site) - dt.timedelta(days=2)
        )
        submit_debrief(visit, executive, barriers=[barrier(department="FLOOR")])
    with CaptureQueriesContext(connection) as many:
        assert client.get(DASHBOARD).status_code == 200
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]
    assert len(few) <= 20


# The PDFs in the browser ----------------------------------------------------------------------


def test_browser_gets_a_progress_page_that_refreshes_then_the_pdf(
    signed_in, cora, debrief, django_capture_on_commit_callbacks
):
    client = signed_in(cora)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get("/reports/programmes/autumn/report.pdf")
        assert waiting.status_code == 202
        assert waiting["Retry-After"] == waiting["Refresh"]
        assert "Preparing your report" in waiting.content.decode()
        assert "<progress" in waiting.content.decode()
    ready = client.get("/reports/programmes/autumn/report.pdf")
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert ready["Content-Disposition"].startswith("inline;")
    assert response_bytes(ready).startswith(b"%PDF")


def test_browser_debrief_and_day_sheet_are_immediate(signed_in, eve, debrief, visit):
    client = signed_in(eve)
    assert client.get(f"/reports/debriefs/{debrief.pk}/report.pdf").status_code == 200
    assert client.get(f"/reports/visits/{visit.pk}/day-sheet.pdf").status_code == 200


@pytest.mark.parametrize("status", [PairingStatus.PROPOSED, PairingStatus.LOCKED])
def test_a_visit_not_yet_published_has_no_day_sheet_for_its_people(
    signed_in, cora, eve, ada, programme, status
):
    """Before publishing the pairing may still change: a printout would name the wrong agent."""
    draft = make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=9), status)
    sheet = f"/reports/visits/{draft.pk}/day-sheet.pdf"
    for person in (eve, ada):
        client = signed_in(person)
        assert sheet not in client.get("/").content.decode()
        assert client.get(sheet).status_code == 404
    assert signed_in(cora).get(sheet).status_code == 200  # the coordinator checks a draft


def test_browser_refuses_others_like_the_api(signed_in, nina, hank, debrief, visit):
    assert signed_in(hank).get(f"/reports/debriefs/{debrief.pk}/report.pdf").status_code == 404
    assert signed_in(nina).get(f"/reports/visits/{visit.pk}/day-sheet.pdf").status_code == 404
    assert signed_in(nina).get("/reports/departments/CARE/backlog.pdf").status_code == 403


def test_signed_out_goes_to_sign_in(client, debrief):
    response = client.get(f"/reports/debriefs/{debrief.pk}/report.pdf")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_stored_file_is_not_served_publicly(signed_in, eve, debrief, settings):
    signed_in(eve).get(f"/reports/debriefs/{debrief.pk}/report.pdf")
    name = RenderedReport.objects.get().file.name
    assert name.startswith("reports/debrief/")
    assert signed_in(eve).get(settings.MEDIA_URL + name).status_code == 404


# Index, paper size, home ----------------------------------------------------------------------


def test_index_lists_what_the_person_may_print(signed_in, cora, hank, eve, programme, care):
    html = signed_in(cora).get("/reports/").content.decode()
    assert "/reports/programmes/autumn/" in html
    assert "/reports/departments/CARE/backlog.pdf" in html
    html = signed_in(eve).get("/reports/").content.decode()
    assert "/reports/programmes/autumn/" not in html
    assert "backlog.pdf" not in html


def test_paper_size_is_a_personal_choice(signed_in, eve):
    client = signed_in(eve)
    assert 'value="letter" checked' in client.get("/reports/").content.decode()
    response = client.post("/reports/paper/", {"paper": "a4"})
    assert response.status_code == 302
    assert PaperPreference.objects.get(person=eve).paper == "a4"
    assert 'value="a4" checked' in client.get("/reports/").content.decode()
    client.post("/reports/paper/", {"paper": "tabloid"})
    assert PaperPreference.objects.get(person=eve).paper == "a4"


def test_home_panel_links_dashboards_day_sheets_and_debriefs(
    signed_in, cora, eve, adam, visit, upcoming, debrief
):
    html = signed_in(cora).get("/").content.decode()
    assert "/reports/programmes/autumn/" in html
    html = signed_in(eve).get("/").content.decode()
    assert f"/reports/visits/{upcoming.pk}/day-sheet.pdf" in html
    assert f"/reports/debriefs/{debrief.pk}/report.pdf" in html
    assert "/reports/programmes/autumn/" not in html
    html = signed_in(adam).get("/").content.decode()
    assert f"/reports/visits/{visit.pk}/day-sheet.pdf" in html
    assert "/reports/debriefs/" not in html


def test_the_menu_links_reports_for_coordinators_and_heads(signed_in, cora, hank, eve):
    assert 'href="/reports/"' in signed_in(cora).get("/").content.decode()
    assert 'href="/reports/"' in signed_in(hank).get("/").content.decode()
    assert 'href="/reports/"' not in signed_in(eve).get("/").content.decode()


def test_dashboard_medians_are_the_backlogs_words_a_dash_read_as_no_data(
    signed_in, cora, debrief, care, hank
):
    from tests.reports.conftest import make_items

    make_items(care, hank, 1)  # one new item: nothing claimed, nothing resolved
    html = signed_in(cora).get(DASHBOARD).content.decode()
    speed = html.split('id="speed"')[1].split('id="claimed-nothing"')[0]
    assert speed.count('<span class="visually-hidden">no data</span>') == 2
