"""The picker and the waiver in the API: `programmes/{slug}/candidates/`,
`pairings/{id}/candidates/`, `pairings/{id}/move/` and `assign/` with `waive`; a run counts the
visits it dropped apart from those it moved."""

import pytest

from shadowing.programmes.models import Availability
from shadowing.programmes.pairing_models import Pairing, PairingRun, PairingStatus
from shadowing.programmes.pairings import pairing_assign
from shadowing.programmes.store.runs import pairing_run_execute, pairing_run_start
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, TUE, make_pairing, make_shift

pytestmark = pytest.mark.django_db

CANDIDATES = "/api/v1/programmes/spring-2027/candidates/"
ASSIGN = "/api/v1/programmes/spring-2027/assign/"


def test_programme_candidates_best_first_with_reasons(api_as, cora, spring, eve, monday):
    response = api_as(cora).get(CANDIDATES, {"executive": "eve@example.com", "date": "2027-03-08"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 4
    rows = body["results"]
    assert [(r["agent"], r["eligible"], r["waivable"]) for r in rows] == [
        ("ada@example.com", True, False),
        ("adam@example.com", True, False),
        ("olga@example.com", False, True),
        ("sol@example.com", False, False),
    ]
    assert rows[0]["reasons"] == []
    assert rows[0]["strengths"] == ["Shares English", "At home site"]
    assert rows[2]["reasons"][0]["code"] == "region"
    assert rows[2]["reasons"][0]["waivable"] is True
    assert rows[3]["reasons"] == [
        {
            "code": "language",
            "message": "Rule 2: Eve Executive (English, French) and Sol Agent (Spanish) share no "
            "language.",
            "waivable": False,
        }
    ]
    (only,) = (
        api_as(cora)
        .get(CANDIDATES, {"executive": "eve@example.com", "date": "2027-03-08", "q": "sol"})
        .json()["results"]
    )
    assert only["agent"] == "sol@example.com"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date": "2027-03-08"}, "executive"),
        ({"executive": "eve@example.com"}, "date"),
        ({"executive": "eve@example.com", "date": "soon"}, "date"),
        ({"executive": "eve@example.com", "date": "2027-05-03"}, "date"),
        ({"executive": "zed@example.com", "date": "2027-03-08"}, "executive"),
    ],
)
def test_bad_candidate_queries_are_400_naming_the_field(api_as, cora, spring, eve, query, field):
    response = api_as(cora).get(CANDIDATES, query)
    assert response.status_code == 400
    assert field in response.json()


def test_pairing_candidates_ignore_the_visit_being_moved(api_as, cora, spring, eve, adam, monday):
    pairing = make_pairing(spring, eve, adam, MON)
    response = api_as(cora).get(f"/api/v1/pairings/{pairing.pk}/candidates/")
    assert response.status_code == 200, response.content
    adam_row = next(r for r in response.json()["results"] if r["agent"] == "adam@example.com")
    assert adam_row["eligible"] is True  # its own visit does not count against it


# Hank sees neither Eve's pairing (404) nor may he pair; Eve and Adam see their pairing (403).
@pytest.mark.parametrize(
    ("name", "on_pairing", "on_programme"),
    [("cora", 200, 200), ("hank", 404, 403), ("eve", 403, 403), ("adam", 403, 403)],
)
def test_only_coordinators_list_candidates(
    api_as, request, spring, eve, adam, name, on_pairing, on_programme
):
    pairing = make_pairing(spring, eve, adam, MON)
    client = api_as(request.getfixturevalue(name))
    assert client.get(f"/api/v1/pairings/{pairing.pk}/candidates/").status_code == on_pairing
    response = client.get(CANDIDATES, {"executive": "eve@example.com", "date": "2027-03-08"})
    assert response.status_code == on_programme


def test_move_with_a_waiver_and_the_pairing_shows_it(api_as, cora, spring, eve, adam, monday):
    pairing = make_pairing(spring, eve, adam, MON)
    url = f"/api/v1/pairings/{pairing.pk}/move/"
    refused = api_as(cora).post(url, {"agent": "olga@example.com"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"][0].startswith("Rule 6: Toronto is in region East")
    body = {"agent": "olga@example.com", "waive": ["region"], "waiver_reason": "Agreed by phone"}
    response = api_as(cora).post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["agent"], data["status"]) == (pairing.pk, "olga@example.com", "locked")
    assert (data["waived_rules"], data["waiver_reason"], data["waived_by"]) == (
        ["region"],
        "Agreed by phone",
        "cora@example.com",
    )
    shown = api_as(cora).get(f"/api/v1/pairings/{pairing.pk}/").json()
    assert shown["waived_rules"] == ["region"]


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        (
            {"waive": ["reporting_line"], "waiver_reason": "x"},
            "waive",
            "reporting_line cannot be waived",
        ),
        ({"waive": ["region"]}, "waiver_reason", "Say why"),
        ({}, "non_field_errors", "Rule 3: Hank Head manages Adam Agent (reporting line)."),
    ],
)
def test_assign_refuses_an_unwaivable_or_unexplained_waiver(
    api_as, cora, spring, hank, adam, monday, extra, field, text
):
    body = {
        "executive": "hank@example.com",
        "agent": "adam@example.com",
        "date": "2027-03-08",
        **extra,
    }
    response = api_as(cora).post(ASSIGN, body, format="json")
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])
    assert not Pairing.objects.exists()


def test_assign_with_a_waived_availability(api_as, cora, spring, eve, adam, monday):
    Availability.objects.create(programme=spring, executive=eve, date=TUE)
    body = {
        "executive": "eve@example.com",
        "agent": "adam@example.com",
        "date": "2027-03-08",
        "waive": ["availability"],
        "waiver_reason": "Eve moved a meeting",
    }
    response = api_as(cora).post(ASSIGN, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["waived_rules"] == ["availability"]


# Runs: dropped apart from moved --------------------------------------------------------------


def test_a_run_counts_a_dropped_visit_apart_from_the_moved(api_as, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, MON)  # proposed earlier
    adam.hosting_opt_out = True  # and now nobody can host Eve
    adam.save()
    run = pairing_run_execute(run=pairing_run_start(programme=spring))
    assert (run.moved, run.dropped) == (0, 1)
    assert "0 moved, 1 dropped (its executive is now unpaired that day)." in run.message
    assert api_as(cora).get(f"/api/v1/pairing-runs/{run.pk}/").json()["dropped"] == 1


def test_a_moved_visit_is_not_dropped(spring, eve, adam, ada):
    make_pairing(spring, eve, adam, MON)
    make_shift(spring, ada, MON)
    adam.hosting_opt_out = True
    adam.save()
    run = pairing_run_execute(run=pairing_run_start(programme=spring))
    assert (run.moved, run.dropped) == (1, 0)
    assert "1 moved." in run.message
    assert "dropped" not in run.message


def test_a_rerun_keeps_a_waived_visit_and_does_not_report_it(spring, eve, cora, monday):
    olga, _sol = monday
    pairing = pairing_assign(
        programme=spring,
        executive=eve,
        agent=olga,
        date=MON,
        by=cora,
        waive=["region"],
        waiver_reason="Agreed",
    )
    run = pairing_run_execute(run=pairing_run_start(programme=spring))
    pairing.refresh_from_db()
    assert (pairing.agent, pairing.status, pairing.waived_rules) == (
        olga,
        PairingStatus.LOCKED,
        ["region"],
    )
    assert "break a rule" not in run.message
    assert PairingRun.objects.get().pk == run.pk


def test_candidate_list_query_count_is_flat(
    api_as, cora, spring, eve, monday, django_assert_max_num_queries
):
    client = api_as(cora)
    query = {"executive": "eve@example.com", "date": "2027-03-08"}
    with django_assert_max_num_queries(40) as few:
        client.get(CANDIDATES, query)
    for _n in range(25):
        make_shift(spring, PersonFactory(is_agent=True, site=eve.site), MON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(CANDIDATES, query).json()["count"] == 29
