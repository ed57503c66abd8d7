"""The review's API: `programmes/{slug}/assign/`, `pairings/swap/`, the new pairing filters and
`pairing-runs/` (a run's progress): role by action, refusals naming the rule, query counts."""

import pytest
from django.utils import timezone

from shadowing.programmes.pairing_models import (
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    RepairReason,
    UnpairedExecutive,
)
from shadowing.programmes.store.runs import pairing_run_start
from tests.factories import DepartmentFactory, PersonFactory, SiteFactory
from tests.programmes.conftest import MON, TUE, make_pairing, make_shift

pytestmark = pytest.mark.django_db

ASSIGN = "/api/v1/programmes/spring-2027/assign/"
SWAP = "/api/v1/pairings/swap/"
PAIRINGS = "/api/v1/pairings/"
RUNS = "/api/v1/pairing-runs/"
CAST = ["cora", "hank", "eve", "adam", "nina"]


@pytest.fixture
def two(spring, eve, ed, adam, ada):
    """Eve with Adam and Ed with Ada, both on Monday."""
    return make_pairing(spring, eve, adam, MON), make_pairing(spring, ed, ada, MON)


# Role by action -------------------------------------------------------------------------------

# Adam is an agent of the pairings here, so he sees the programme; Nina sees nothing.
ROLE_CASES = [
    ("assign", (201, 403, 403, 403, 404)),
    ("swap", (200, 403, 403, 403, 403)),
    ("runs", (200, 403, 403, 403, 403)),
    ("run", (200, 404, 404, 404, 404)),
]


@pytest.mark.parametrize(("action", "by_person"), ROLE_CASES)
@pytest.mark.parametrize("name", CAST)
def test_role_by_action(api_as, request, spring, two, action, by_person, name):
    first, second = two
    run = pairing_run_start(programme=spring)
    PairingRun.objects.filter(pk=run.pk).update(status=PairingRunStatus.DONE)
    make_shift(spring, first.agent, TUE)
    before = (first.agent_id, first.date)
    client = api_as(request.getfixturevalue(name))
    if action == "assign":
        body = {"executive": "eve@example.com", "agent": "adam@example.com", "date": str(TUE)}
        response = client.post(ASSIGN, body)
    elif action == "swap":
        response = client.post(SWAP, {"first": first.pk, "second": second.pk})
    elif action == "runs":
        response = client.get(RUNS)
    else:
        response = client.get(f"{RUNS}{run.pk}/")
    expected = dict(zip(CAST, by_person, strict=True))[name]
    assert response.status_code == expected, response.content
    first.refresh_from_db()
    changed = (first.agent_id, first.date) != before
    assert changed == (expected in (200, 201) and action in ("assign", "swap"))


def test_anonymous_gets_401(api, spring, two):
    assert api.post(ASSIGN, {}).status_code == 401
    assert api.post(SWAP, {}).status_code == 401
    assert api.get(RUNS).status_code == 401


# Assign ---------------------------------------------------------------------------------------


def test_assign_answers_201_with_the_locked_pairing(api_as, cora, spring, eve, adam):
    make_shift(spring, adam, MON, "07:00", "15:00")
    response = api_as(cora).post(
        ASSIGN, {"executive": "Eve@Example.com", "agent": "adam@example.com", "date": "2027-03-08"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pairing = Pairing.objects.get()
    assert body["id"] == pairing.pk
    assert (body["executive"], body["agent"], body["date"]) == (
        "eve@example.com",
        "adam@example.com",
        "2027-03-08",
    )
    assert (body["status"], body["start"], body["end"], body["site"]) == (
        "locked",
        "07:00",
        "15:00",
        "VAN",
    )
    assert body["reasons"] == ["by_hand", "shared_language:en", "home_site"]


def test_assign_moves_the_visit_it_replaces(api_as, cora, spring, eve, adam, ada):
    Pairing.objects.all().delete()
    spring.days_per_executive = 2
    spring.save()
    first = make_pairing(spring, eve, adam, MON)
    make_pairing(spring, eve, ada, TUE)
    make_shift(spring, ada, MON.replace(day=10))
    body = {"executive": "eve@example.com", "agent": "ada@example.com", "date": "2027-03-10"}
    refused = api_as(cora).post(ASSIGN, body)
    assert refused.status_code == 400
    assert "Say which visit" in refused.json()["non_field_errors"][0]
    response = api_as(cora).post(ASSIGN, {**body, "agent": "adam@example.com"})
    assert response.status_code == 400  # Ada hosts her Tuesday: unchanged
    make_shift(spring, adam, MON.replace(day=10))
    response = api_as(cora).post(
        ASSIGN, {**body, "agent": "adam@example.com", "replaces": first.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == first.pk


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"executive": "zed@example.com"}, "executive", "No one in the roster"),
        ({"executive": "adam@example.com"}, "executive", "is not an executive"),
        ({"agent": "eve@example.com"}, "agent", "is not an agent"),
        ({"date": "soon"}, "date", "Date has wrong format"),
        ({"date": "2027-05-01"}, "date", "Rule 1: Sat, May 1, 2027 is outside the programme"),
        ({"replaces": 999999}, "replaces", "no such pairing"),
        ({"executive": "hank@example.com"}, "non_field_errors", "Rule 3: Hank Head manages"),
        ({"date": "2027-03-09"}, "non_field_errors", "Rule 1: Adam Agent has no shift"),
    ],
)
def test_assign_refusals_are_400_naming_the_field_or_rule(
    api_as, cora, spring, eve, hank, adam, body, field, text
):
    make_shift(spring, adam, MON)
    base = {"executive": "eve@example.com", "agent": "adam@example.com", "date": "2027-03-08"}
    response = api_as(cora).post(ASSIGN, {**base, **body})
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])
    assert not Pairing.objects.exists()


def test_assign_refusals_name_every_rule(api_as, cora, spring, hank, west_site):
    sol = PersonFactory(email="sol@example.com", full_name="Sol", is_agent=True, manager=hank)
    sol.languages = ["es"]
    sol.save()
    make_shift(spring, sol, MON)
    response = api_as(cora).post(
        ASSIGN, {"executive": "hank@example.com", "agent": "sol@example.com", "date": "2027-03-08"}
    )
    errors = response.json()["non_field_errors"]
    assert [e.split(":")[0] for e in errors] == ["Rule 2", "Rule 3"]


# Swap -----------------------------------------------------------------------------------------


def test_swap_answers_both_pairings_locked(api_as, cora, two, adam, ada):
    first, second = two
    response = api_as(cora).post(SWAP, {"first": first.pk, "second": second.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(p["id"], p["agent"], p["status"]) for p in body] == [
        (first.pk, "ada@example.com", "locked"),
        (second.pk, "adam@example.com", "locked"),
    ]


def test_a_refused_swap_is_400_and_leaves_both(api_as, cora, spring, eve, hank, adam):
    other = PersonFactory(email="olga@example.com", full_name="Olga", is_agent=True)
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, hank, other, MON)
    response = api_as(cora).post(SWAP, {"first": first.pk, "second": second.pk})
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Hank Head with Adam Agent on Mon, Mar 8, 2027: "
        "Rule 3: Hank Head manages Adam Agent (reporting line)."
    ]
    assert set(Pairing.objects.values_list("id", "agent_id", "status")) == {
        (first.pk, adam.pk, "proposed"),
        (second.pk, other.pk, "proposed"),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, 400),
        ({"first": 1}, 400),
        ({"first": "x", "second": 2}, 400),
        ("same", 400),
        ({"first": 1, "second": 99999999999999999999999}, 400),
    ],
)
def test_swap_bad_bodies_are_400(api_as, cora, two, body, expected):
    if body == "same":
        body = {"first": two[0].pk, "second": two[0].pk}
    assert api_as(cora).post(SWAP, body).status_code == expected


def test_swap_of_an_unknown_pairing_is_404(api_as, cora, two):
    assert api_as(cora).post(SWAP, {"first": two[0].pk, "second": 999999}).status_code == 404


# Filters and query counts ------------------------------------------------------------------------


@pytest.fixture
def spread(spring, eve, ed, adam, ada):
    east = SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")
    zoe = PersonFactory(
        email="zoe@example.com", is_executive=True, department=DepartmentFactory(code="CARE")
    )
    tom = PersonFactory(email="tom@example.com", is_agent=True, site=east)
    flagged = make_pairing(spring, ed, ada, TUE)
    Pairing.objects.filter(pk=flagged.pk).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    return {
        "eve": make_pairing(spring, eve, adam, MON),
        "ed": flagged,
        "zoe": make_pairing(spring, zoe, tom, MON),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("department=FIN", ["eve", "ed"]),
        ("department=CARE", ["zoe"]),
        ("site=TOR", ["zoe"]),
        ("site=VAN&date=2027-03-08", ["eve"]),
        ("needs_repair=true", ["ed"]),
        ("needs_repair=false", ["eve", "zoe"]),
        ("programme=spring-2027&department=NOPE", []),
    ],
)
def test_pairing_filters_by_department_site_and_repair(api_as, cora, spread, query, expected):
    response = api_as(cora).get(f"{PAIRINGS}?{query}")
    assert response.status_code == 200
    assert sorted(p["id"] for p in response.json()["results"]) == sorted(
        spread[k].pk for k in expected
    )


def test_a_bad_repair_filter_is_400(api_as, cora):
    assert api_as(cora).get(f"{PAIRINGS}?needs_repair=perhaps").status_code == 400


def test_filtered_pairing_list_query_count_is_flat(
    api_as, cora, spring, spread, django_assert_num_queries
):
    client = api_as(cora)
    with django_assert_num_queries(2):  # count, page with people, site and programme
        client.get(f"{PAIRINGS}?department=FIN&site=VAN&needs_repair=false")
    for _ in range(30):
        make_pairing(spring, PersonFactory(is_executive=True), PersonFactory(is_agent=True), MON)
    with django_assert_num_queries(2):
        client.get(f"{PAIRINGS}?department=FIN&site=VAN&needs_repair=false")


# Pairing runs: progress -------------------------------------------------------------------------


def test_pair_answers_the_run_with_its_progress_url(
    api_as, cora, spring, eve, adam, django_capture_on_commit_callbacks
):
    make_shift(spring, adam, MON)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cora).post("/api/v1/programmes/spring-2027/pair/")
    assert response.status_code == 202
    run_id = response.json()["id"]
    assert response["Location"] == f"http://testserver{RUNS}{run_id}/"
    body = api_as(cora).get(f"{RUNS}{run_id}/").json()
    assert (body["status"], body["progress"], body["programme"]) == ("done", 100, "spring-2027")
    assert body["task_id"]  # the django-q task that ran it
    assert body["unpaired"] == {"only_own_reports_available": 1}


def test_a_running_run_reports_its_progress(api_as, cora, spring):
    run = pairing_run_start(programme=spring)
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.RUNNING,
        progress=20,
        message="Pairing 2 executives with 1 agents.",
        started_at=timezone.now(),
    )
    body = api_as(cora).get(f"{RUNS}{run.pk}/").json()
    assert (body["status"], body["progress"], body["message"]) == (
        "running",
        20,
        "Pairing 2 executives with 1 agents.",
    )


def test_runs_filter_by_programme_and_status(api_as, cora, spring):
    from shadowing.programmes.models import Programme

    other = Programme.objects.create(slug="other", name="Other", start_date=MON, end_date=MON)
    done = PairingRun.objects.create(programme=spring, status=PairingRunStatus.DONE)
    queued = pairing_run_start(programme=other)
    client = api_as(cora)
    assert [r["id"] for r in client.get(f"{RUNS}?programme=spring-2027").json()["results"]] == [
        done.pk
    ]
    assert [r["id"] for r in client.get(f"{RUNS}?status=queued").json()["results"]] == [queued.pk]
    assert client.get(f"{RUNS}?status=maybe").status_code == 400


def test_run_list_query_count_is_flat(api_as, cora, spring, eve, django_assert_num_queries):
    def runs(n):
        for _ in range(n):
            run = PairingRun.objects.create(programme=spring, status=PairingRunStatus.DONE)
            UnpairedExecutive.objects.create(run=run, executive=eve, reason="sites_full")

    runs(1)
    client = api_as(cora)
    with django_assert_num_queries(3):  # count, page with programme and requester, unpaired
        body = client.get(RUNS).json()
    assert body["results"][0]["unpaired"] == {"sites_full": 1}
    runs(30)
    with django_assert_num_queries(3):
        client.get(RUNS)


def test_the_schema_names_the_new_endpoints(api_as, cora):
    schema = api_as(cora).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/programmes/{slug}/assign/"]
    assert "post" in paths["/api/v1/pairings/swap/"]
    assert "get" in paths["/api/v1/pairing-runs/{id}/"]
    names = {p["name"] for p in paths["/api/v1/pairings/"]["get"]["parameters"]}
    assert {"department", "site", "needs_repair", "programme", "status"} <= names


def test_published_pairings_cannot_be_swapped(api_as, cora, spring, eve, ed, adam, ada):
    first = make_pairing(spring, eve, adam, MON, status=PairingStatus.PUBLISHED)
    second = make_pairing(spring, ed, ada, MON)
    response = api_as(cora).post(SWAP, {"first": first.pk, "second": second.pk})
    assert response.status_code == 400
    assert "published" in response.json()["non_field_errors"][0]
