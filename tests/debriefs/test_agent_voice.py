"""The agent's voice: the signed link, the form behind it, the API for signed-in agents, and who
sees the reporter's name (an agent may hide it from their management chain)."""

import datetime as dt
import uuid

import pytest
from django.core import signing
from django.urls import reverse

from debriefs.agent_links import agent_link_token, agent_link_url
from debriefs.models import BarrierReport
from shadowing.programmes.pairing_models import PairingStatus
from tests.debriefs.conftest import barrier
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def link(pairing) -> str:
    return reverse("debriefs:agent-barriers", args=[agent_link_token(pairing)])


def form(**overrides):
    values = {k: v for k, v in barrier().items()}
    values.update({"key": str(uuid.uuid4()), "anonymous": "on"}, **overrides)
    return values


def test_the_link_opens_the_form_without_sign_in(client, visit):
    response = client.get(link(visit))
    assert response.status_code == 200
    assert "Hide my name from my management chain" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"  # the link never leaves the site


def test_the_url_is_absolute_and_short(visit):
    url = agent_link_url(visit)
    assert url.startswith("http")
    assert len(url) < 120


def test_the_form_files_a_report_once_even_if_sent_twice(client, visit, adam):
    data = form()
    first = client.post(link(visit), data)
    second = client.post(link(visit), data)
    assert first.status_code == second.status_code == 302
    report = BarrierReport.objects.get()
    assert report.reporter == adam
    assert report.source == "agent"
    assert report.debrief is None
    assert report.anonymous_to_management
    assert set(report.withheld_from) == {adam.manager_id}
    page = client.get(link(visit) + "?sent=1").content.decode()
    assert "Thank you: your barrier is filed" in page
    assert report.title in page


def test_missing_fields_come_back_next_to_the_fields(client, visit):
    response = client.post(link(visit), form(title="", category=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title-error"' in page
    assert 'id="id_category-error"' in page
    assert 'aria-invalid="true"' in page
    assert not BarrierReport.objects.exists()


def test_a_forged_or_tampered_link_does_not_work(client, visit):
    token = agent_link_token(visit)
    tampered = token.replace(f"{visit.pk}.", f"{visit.pk + 1}.", 1)
    for bad in (tampered, "1.2:abc:def", "nonsense"):
        url = reverse("debriefs:agent-barriers", args=[bad])
        assert client.get(url).status_code == 410
        assert client.post(url, form()).status_code == 410
    assert not BarrierReport.objects.exists()


def test_a_link_signed_for_another_purpose_does_not_work(client, visit):
    other = signing.TimestampSigner(salt="something-else").sign(f"{visit.pk}.{visit.agent_id}")
    assert client.get(reverse("debriefs:agent-barriers", args=[other])).status_code == 410


def test_an_expired_link_does_not_work(client, visit, settings, monkeypatch):
    token = agent_link_token(visit)
    later = dt.datetime.now().timestamp() + 31 * 24 * 3600
    monkeypatch.setattr("time.time", lambda: later)
    assert client.get(reverse("debriefs:agent-barriers", args=[token])).status_code == 410


def test_a_cancelled_visit_closes_the_link(client, visit):
    visit.status = PairingStatus.CANCELLED
    visit.save()
    assert client.get(link(visit)).status_code == 410


def test_a_visit_not_started_takes_no_barrier(client, upcoming):
    response = client.post(link(upcoming), form())
    assert response.status_code == 400
    assert not BarrierReport.objects.exists()


def test_the_form_speaks_the_agents_language(client, visit, adam):
    adam.ui_language = "fr-ca"
    adam.save()
    page = client.get(link(visit)).content.decode()
    assert 'lang="fr-ca"' in page
    assert "Masquer mon nom" in page


# API for signed-in agents ---------------------------------------------------------------


def test_an_agent_files_through_the_api(api_as, adam, visit):
    key = str(uuid.uuid4())
    body = {**barrier(), "pairing": visit.pk, "anonymous_to_management": True, "key": key}
    first = api_as(adam).post("/api/v1/barrier-reports/", body, format="json")
    again = api_as(adam).post("/api/v1/barrier-reports/", body, format="json")
    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["reporter"] == "adam@example.com"  # he sees his own name


@pytest.mark.parametrize(("who", "expected"), [("cora", 403), ("eve", 403), ("nina", 403)])
def test_only_agents_file_through_the_api(request, api_as, visit, who, expected):
    body = {**barrier(), "pairing": visit.pk}
    person = request.getfixturevalue(who)
    assert api_as(person).post("/api/v1/barrier-reports/", body).status_code == expected


def test_an_agent_cannot_file_for_a_visit_he_did_not_host(api_as, adam, hanks):
    body = {**barrier(), "pairing": hanks.pk}
    assert api_as(adam).post("/api/v1/barrier-reports/", body).status_code == 400


# Who sees the reporter's name ------------------------------------------------------------


@pytest.fixture
def anonymous_report(client, visit):
    client.post(link(visit), form())
    return BarrierReport.objects.get()


@pytest.fixture
def open_report(client, visit):
    client.post(link(visit), form(anonymous=""))
    return BarrierReport.objects.get()


def reporter_seen_by(api_as, person, report):
    response = api_as(person).get(f"/api/v1/barrier-reports/{report.pk}/")
    return response.status_code, response.json().get("reporter")


def test_anonymous_name_is_withheld_from_the_management_chain(api_as, hank, anonymous_report):
    # hank heads Customer Care (the report's department) and is adam's manager.
    assert reporter_seen_by(api_as, hank, anonymous_report) == (200, None)


def test_anonymous_name_is_withheld_from_a_coordinator_in_the_chain(
    api_as, hank, adam, anonymous_report
):
    boss = PersonFactory(email="boss@example.com", is_coordinator=True)
    hank.manager = boss
    hank.save()
    assert reporter_seen_by(api_as, boss, anonymous_report) == (200, None)


def test_a_former_manager_still_does_not_see_the_name(api_as, hank, adam, anonymous_report, cora):
    hank.is_coordinator = True
    hank.save()
    adam.manager = cora  # adam moved; hank was his manager when he filed
    adam.save()
    assert reporter_seen_by(api_as, hank, anonymous_report) == (200, None)


def test_anonymous_name_shows_to_coordinators_outside_the_chain(api_as, cora, anonymous_report):
    assert reporter_seen_by(api_as, cora, anonymous_report) == (200, "adam@example.com")


def test_anonymous_name_shows_to_the_reporter(api_as, adam, anonymous_report):
    assert reporter_seen_by(api_as, adam, anonymous_report) == (200, "adam@example.com")


def test_a_named_report_shows_the_name_to_the_head(api_as, hank, open_report):
    assert reporter_seen_by(api_as, hank, open_report) == (200, "adam@example.com")


def test_reports_are_404_for_those_who_may_not_see_them(api_as, eve, nina, anonymous_report):
    for person in (eve, nina):
        assert reporter_seen_by(api_as, person, anonymous_report)[0] == 404
        assert api_as(person).get("/api/v1/barrier-reports/").json()["count"] == 0


def test_the_head_of_another_department_does_not_see_the_report(api_as, finance, anonymous_report):
    head = PersonFactory(department=finance, is_department_head=True)
    assert reporter_seen_by(api_as, head, anonymous_report)[0] == 404


def test_reports_page_withholds_the_name(client, hank, cora, anonymous_report):
    client.force_login(hank)
    page = client.get(reverse("debriefs:barrier-reports")).content.decode()
    assert anonymous_report.title in page
    assert "Adam Agent" not in page
    client.force_login(cora)
    assert "Adam Agent" in client.get(reverse("debriefs:barrier-reports")).content.decode()


def test_report_list_query_count_is_flat(api_as, cora, visit, client, django_assert_num_queries):
    client.post(link(visit), form())
    api = api_as(cora)
    with django_assert_num_queries(4):  # count, page, chain levels (adam, then hank)
        assert api.get("/api/v1/barrier-reports/").json()["count"] == 1
    for _ in range(9):
        client.post(link(visit), form())
    with django_assert_num_queries(4):
        assert api.get("/api/v1/barrier-reports/").json()["count"] == 10
