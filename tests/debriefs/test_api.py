"""The debriefs API: role by action, the body's rules, idempotent submit, privacy (404 for what
one may not see), and flat query counts for lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debriefs.models import BarrierReport, Debrief, DebriefStatus
from shadowing.programmes.pairing_models import PairingStatus
from tests.debriefs.conftest import barrier, full_body, make_visit

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina"]


@pytest.fixture
def debrief(api_as, eve, visit):
    response = api_as(eve).post("/api/v1/debriefs/", full_body(visit), format="json")
    assert response.status_code == 201, response.json()
    api_as(eve).force_authenticate(None)
    return Debrief.objects.get(pk=response.json()["id"])


def submit(api, debrief, body=None):
    return api.post(f"/api/v1/debriefs/{debrief.pk}/submit/", body or {}, format="json")


# Role by action -----------------------------------------------------------------------------

# eve files; cora reads and reopens; hank (a head, and an executive of another visit), adam
# (the visit's agent) and nina see nothing of eve's debrief: 404.
ACTIONS = [
    ("retrieve", "get", "", None, (200, 404, 200, 404, 404)),
    ("update", "put", "", full_body(), (403, 404, 200, 404, 404)),
    ("partial_update", "patch", "", {"overall": "More."}, (403, 404, 200, 404, 404)),
    ("submit", "post", "submit/", {}, (403, 404, 200, 404, 404)),
    ("reopen", "post", "reopen/", {}, (200, 404, 403, 404, 404)),
    ("destroy", "delete", "", None, (405, 405, 405, 405, 405)),
]


@pytest.mark.parametrize(("name", "method", "suffix", "body", "expected"), ACTIONS)
@pytest.mark.parametrize("who", range(len(CAST)))
def test_debrief_detail_role_by_action(
    request, api_as, debrief, name, method, suffix, body, expected, who
):
    person = request.getfixturevalue(CAST[who])
    if name == "reopen":  # only a submitted debrief reopens
        submit(api_as(request.getfixturevalue("eve")), debrief)
    response = getattr(api_as(person), method)(
        f"/api/v1/debriefs/{debrief.pk}/{suffix}", body, format="json"
    )
    assert response.status_code == expected[who], (CAST[who], response.content)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 403), ("hank", 400), ("eve", 201), ("adam", 403), ("nina", 403)],
)
def test_create_role_by_action(request, api_as, visit, who, expected):
    """Only executives create, and only for their own visit: hank is an executive but the
    visit is not his (400: no such visit of his)."""
    person = request.getfixturevalue(who)
    response = api_as(person).post("/api/v1/debriefs/", full_body(visit), format="json")
    assert response.status_code == expected, response.content


def test_unauthenticated_gets_401_or_403(api, debrief):
    assert api.get("/api/v1/debriefs/").status_code in (401, 403)
    assert api.get(f"/api/v1/debriefs/{debrief.pk}/").status_code in (401, 403)


def test_list_shows_each_person_only_what_they_may_see(api_as, cora, hank, eve, adam, debrief):
    assert api_as(eve).get("/api/v1/debriefs/").json()["count"] == 1
    assert api_as(cora).get("/api/v1/debriefs/").json()["count"] == 1
    for person in (hank, adam):
        assert api_as(person).get("/api/v1/debriefs/").json()["count"] == 0


def test_unknown_debrief_is_404(api_as, eve):
    assert api_as(eve).get("/api/v1/debriefs/999999/").status_code == 404


# The body ----------------------------------------------------------------------------------


def test_created_debrief_has_the_body_and_keys(api_as, eve, visit):
    data = api_as(eve).post("/api/v1/debriefs/", full_body(visit), format="json").json()
    assert data["pairing"] == visit.pk
    assert data["executive"] == "eve@example.com"
    assert data["status"] == "draft"
    assert data["rating"] == 2
    assert [b["title"] for b in data["barriers"]] == ["Barrier 0", "Barrier 1"]
    assert all(b["key"] for b in data["barriers"])
    assert data["commitment"].startswith("Give agents")


def test_a_draft_saves_half_typed(api_as, eve, visit):
    body = {"pairing": visit.pk, "overall": "Half a tho", "barriers": [{"description": "x"}]}
    response = api_as(eve).post("/api/v1/debriefs/", body, format="json")
    assert response.status_code == 201
    assert response.json()["barriers"][0]["title"] == ""


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"rating": 6}, {"rating"}),
        ({"rating": 0}, {"rating"}),
        ({"rating": "five"}, {"rating"}),
        ({"overall": 5 * "x" * 2001}, {"overall"}),
        ({"barriers": "none"}, {"barriers"}),
    ],
)
def test_malformed_fields_are_400_even_in_a_draft(api_as, eve, visit, body, errors):
    response = api_as(eve).post("/api/v1/debriefs/", {"pairing": visit.pk, **body}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == errors


def test_barrier_errors_are_a_list_by_index(api_as, eve, visit):
    barriers = [
        barrier(),
        barrier(title="x" * 201),
        barrier(category="weather", severity=5, frequency="hourly", department="NOPE"),
    ]
    response = api_as(eve).post(
        "/api/v1/debriefs/", {"pairing": visit.pk, "barriers": barriers}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["barriers"]
    assert errors[0] == {}
    assert set(errors[1]) == {"title"}
    assert set(errors[2]) == {"category", "severity", "frequency"}


def test_unknown_department_code_is_a_field_error(api_as, eve, visit):
    response = api_as(eve).post(
        "/api/v1/debriefs/",
        {"pairing": visit.pk, "barriers": [barrier(), barrier(department="NOPE")]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["barriers"] == [
        {},
        {"department": ["No department has the code “NOPE”."]},
    ]


def test_submit_lists_everything_missing(api_as, eve, visit):
    api = api_as(eve)
    created = api.post(
        "/api/v1/debriefs/",
        {"pairing": visit.pk, "barriers": [barrier(), {"description": "no title"}]},
        format="json",
    ).json()
    response = api.post(f"/api/v1/debriefs/{created['id']}/submit/", {}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"overall", "rating", "barriers"}
    assert errors["barriers"][0] == {}
    assert set(errors["barriers"][1]) == {
        "title",
        "category",
        "department",
        "severity",
        "frequency",
    }
    assert Debrief.objects.get().status == DebriefStatus.DRAFT
    assert not BarrierReport.objects.exists()


def test_a_barrier_needs_only_the_listed_fields(api_as, eve, visit):
    bare = {k: v for k, v in barrier().items() if k not in ("description", "suggested_fix")}
    created = api_as(eve).post("/api/v1/debriefs/", full_body(visit, barriers=0), format="json")
    response = submit(
        api_as(eve), Debrief.objects.get(pk=created.json()["id"]), {"barriers": [bare]}
    )
    assert response.status_code == 200, response.json()


def test_warnings_point_at_customer_data(api_as, eve, visit):
    body = full_body(visit, overall="She gave 604-555-0199", barriers=1)
    body["barriers"][0]["description"] = "card 4111 1111 1111 1111"
    data = api_as(eve).post("/api/v1/debriefs/", body, format="json").json()
    assert data["warnings"] == [
        {"field": "overall", "kinds": ["phone"]},
        {"field": "barriers.0.description", "kinds": ["card"]},
    ]


# Filing rules ------------------------------------------------------------------------------


def test_a_visit_not_started_cannot_be_debriefed(api_as, eve, upcoming):
    response = api_as(eve).post("/api/v1/debriefs/", full_body(upcoming), format="json")
    assert response.status_code == 400
    assert "pairing" in response.json()


def test_a_cancelled_visit_cannot_be_debriefed(api_as, eve, visit):
    visit.status = PairingStatus.CANCELLED
    visit.save()
    response = api_as(eve).post("/api/v1/debriefs/", full_body(visit), format="json")
    assert response.status_code == 400


def test_one_debrief_per_visit(api_as, eve, debrief, visit):
    response = api_as(eve).post("/api/v1/debriefs/", full_body(visit), format="json")
    assert response.status_code == 400
    assert str(debrief.pk) in response.json()["pairing"][0]
    assert Debrief.objects.count() == 1


def test_someone_elses_visit_is_not_found(api_as, eve, hanks):
    response = api_as(eve).post("/api/v1/debriefs/", full_body(hanks), format="json")
    assert response.status_code == 400
    assert response.json() == {"pairing": ["No such visit of yours."]}


def test_visit_started_today_at_the_site_can_be_filed(api_as, eve, programme, ada):
    from tests.debriefs.conftest import local_today

    today = make_visit(programme, eve, ada, local_today(ada.site), hours=(22, 23))
    response = api_as(eve).post("/api/v1/debriefs/", full_body(today), format="json")
    assert response.status_code == 201


# Submit ------------------------------------------------------------------------------------


def test_submit_creates_one_report_per_barrier(api_as, eve, debrief):
    response = submit(api_as(eve), debrief)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "submitted"
    assert data["submitted_at"]
    reports = BarrierReport.objects.order_by("title")
    assert [r.title for r in reports] == ["Barrier 0", "Barrier 1"]
    assert {r.source for r in reports} == {"executive"}
    assert {r.reporter.email for r in reports} == {"eve@example.com"}
    assert {r.department.code for r in reports} == {"CARE"}


def test_submit_twice_returns_the_same_and_files_nothing_twice(api_as, eve, debrief):
    first = submit(api_as(eve), debrief)
    second = submit(api_as(eve), debrief)
    again_with_body = submit(api_as(eve), debrief, full_body())
    assert first.status_code == second.status_code == again_with_body.status_code == 200
    assert first.json() == second.json() == again_with_body.json()
    assert BarrierReport.objects.count() == 2


def test_submit_with_a_body_saves_it_first(api_as, eve, debrief):
    response = submit(api_as(eve), debrief, {"overall": "Final words.", "barriers": [barrier()]})
    assert response.status_code == 200
    assert response.json()["overall"] == "Final words."
    assert BarrierReport.objects.count() == 1


def test_a_different_body_after_submission_is_409(api_as, eve, debrief):
    submit(api_as(eve), debrief)
    response = submit(api_as(eve), debrief, {"overall": "Changed my mind."})
    assert response.status_code == 409
    assert Debrief.objects.get().overall != "Changed my mind."


def test_edits_after_submission_are_409(api_as, eve, debrief):
    submit(api_as(eve), debrief)
    assert api_as(eve).patch(f"/api/v1/debriefs/{debrief.pk}/", {"rating": 5}).status_code == 409
    assert api_as(eve).put(f"/api/v1/debriefs/{debrief.pk}/", full_body()).status_code == 409


def test_reopen_then_resubmit_updates_reports_without_duplicating(api_as, cora, eve, debrief):
    submit(api_as(eve), debrief)
    keys = dict(BarrierReport.objects.values_list("title", "key"))
    reopened = api_as(cora).post(f"/api/v1/debriefs/{debrief.pk}/reopen/")
    assert reopened.json()["status"] == "reopened"
    stored = api_as(eve).get(f"/api/v1/debriefs/{debrief.pk}/").json()["barriers"]
    kept = {**stored[0], "severity": 4}
    response = submit(api_as(eve), debrief, {"barriers": [kept, barrier(title="New one")]})
    assert response.status_code == 200, response.json()
    live = BarrierReport.objects.filter(withdrawn_at__isnull=True)
    assert sorted(live.values_list("title", flat=True)) == ["Barrier 0", "New one"]
    assert live.get(title="Barrier 0").key == keys["Barrier 0"]
    assert live.get(title="Barrier 0").severity == 4
    assert BarrierReport.objects.get(title="Barrier 1").withdrawn_at is not None
    assert BarrierReport.objects.count() == 3


def test_an_api_client_without_keys_keeps_its_reports_on_resubmission(api_as, cora, eve, debrief):
    submit(api_as(eve), debrief)
    api_as(cora).post(f"/api/v1/debriefs/{debrief.pk}/reopen/")
    response = submit(api_as(eve), debrief, full_body())
    assert response.status_code == 200
    assert BarrierReport.objects.count() == 2
    assert not BarrierReport.objects.filter(withdrawn_at__isnull=False).exists()


# Query counts ------------------------------------------------------------------------------


def test_debrief_list_query_count_is_flat(api_as, cora, programme, django_assert_num_queries):
    from tests.factories import PersonFactory

    def add(n):
        for _ in range(n):
            executive = PersonFactory(is_executive=True)
            agent = PersonFactory(is_agent=True)
            visit = make_visit(programme, executive, agent, programme.start_date)
            Debrief.objects.create(pairing=visit, overall="x", barriers=[barrier(key="")])

    api = api_as(cora)
    add(1)
    with django_assert_num_queries(2):  # count, page with visit, people, site, programme
        assert api.get("/api/v1/debriefs/").status_code == 200
    add(10)
    with django_assert_num_queries(2):
        assert api.get("/api/v1/debriefs/").json()["count"] == 11


@pytest.mark.parametrize("barriers", [1, 5, 30])
def test_submit_takes_the_same_queries_for_any_number_of_barriers(api_as, eve, visit, barriers):
    api = api_as(eve)
    created = api.post("/api/v1/debriefs/", full_body(visit, barriers=0), format="json").json()
    body = {"barriers": [barrier(title=f"B{n}") for n in range(barriers)]}
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/api/v1/debriefs/{created['id']}/submit/", body, format="json")
    assert response.status_code == 200
    # The debrief with its executive; the departments the body names; savepoint; the debrief
    # again, locked; the departments for the reports; the UPDATE; one INSERT of the five
    # reports; release. The same for one barrier or thirty (a token adds its own lookup).
    assert len(queries) == 8, [q["sql"] for q in queries]
    assert BarrierReport.objects.count() == barriers
