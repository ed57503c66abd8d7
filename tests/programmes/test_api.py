"""`/api/v1/programmes/` and `/api/v1/pairings/`: role by action, visibility, query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shadowing.programmes.models import Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import PairingStatus
from shadowing.programmes.store.runs import pairing_run_start
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, TUE, WED, make_pairing, make_shift

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
PAIRINGS = "/api/v1/pairings/"
NEW = {
    "slug": "fall-2027",
    "name": "Fall 2027",
    "start_date": "2027-10-04",
    "end_date": "2027-10-15",
}


# Programmes ---------------------------------------------------------------------------------


def test_everyone_signed_in_may_list_but_sees_only_what_they_take_part_in(
    api_as, spring, cora, eve, adam, nina
):
    assert [p["slug"] for p in api_as(cora).get(PROGRAMMES).json()["results"]] == ["spring-2027"]
    assert [p["slug"] for p in api_as(eve).get(PROGRAMMES).json()["results"]] == ["spring-2027"]
    assert api_as(adam).get(PROGRAMMES).json()["count"] == 0
    assert api_as(nina).get(PROGRAMMES).json()["count"] == 0
    make_shift(spring, adam, MON)
    assert api_as(adam).get(PROGRAMMES).json()["count"] == 1


def test_anonymous_gets_401(api, spring):
    assert api.get(PROGRAMMES).status_code == 401
    assert api.get(PAIRINGS).status_code == 401


def test_retrieve_by_slug(api_as, spring, eve):
    body = api_as(eve).get(f"{PROGRAMMES}spring-2027/").json()
    assert body["slug"] == "spring-2027"
    assert body["status"] == "draft"
    assert body["start_date"] == "2027-03-08"
    assert body["days_per_executive"] == 1
    assert isinstance(body["id"], int)


def test_a_programme_you_do_not_take_part_in_is_404(api_as, spring, adam, nina):
    assert api_as(nina).get(f"{PROGRAMMES}spring-2027/").status_code == 404
    assert api_as(adam).patch(f"{PROGRAMMES}spring-2027/", {"name": "x"}).status_code == 404


@pytest.mark.parametrize(("name", "expected"), [("cora", 201), ("eve", 403), ("nina", 403)])
def test_only_coordinators_create(api_as, request, name, expected):
    response = api_as(request.getfixturevalue(name)).post(PROGRAMMES, NEW)
    assert response.status_code == expected
    assert Programme.objects.filter(slug="fall-2027").exists() == (expected == 201)


def test_create_returns_the_programme(api_as, cora):
    body = api_as(cora).post(PROGRAMMES, {**NEW, "days_per_executive": 2}).json()
    assert body["slug"] == "fall-2027"
    assert body["status"] == "draft"
    assert body["days_per_executive"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2027-10-01"}, "end_date"),
        ({"days_per_executive": 3}, "days_per_executive"),
        ({"max_days_per_agent": 0}, "max_days_per_agent"),
        ({"reporting_depth": -1}, "reporting_depth"),
        # Past a small integer column on every database, SQLite included.
        ({"reporting_depth": 32768}, "reporting_depth"),
        ({"max_days_per_agent": 40000}, "max_days_per_agent"),
        ({"start_date": "soon"}, "start_date"),
        ({"slug": "not a slug"}, "slug"),
    ],
)
def test_create_with_bad_input_is_400_with_the_field(api_as, cora, change, field):
    response = api_as(cora).post(PROGRAMMES, {**NEW, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert not Programme.objects.exists()


def test_create_with_a_taken_slug_is_400(api_as, cora, spring):
    response = api_as(cora).post(PROGRAMMES, {**NEW, "slug": spring.slug})
    assert response.status_code == 400
    assert "slug" in response.json()


@pytest.mark.parametrize(("name", "expected"), [("cora", 200), ("eve", 403), ("hank", 403)])
def test_only_coordinators_change(api_as, request, spring, name, expected):
    response = api_as(request.getfixturevalue(name)).patch(
        f"{PROGRAMMES}spring-2027/", {"name": "Renamed", "slug": "ignored"}
    )
    assert response.status_code == expected
    spring.refresh_from_db()
    assert spring.name == ("Renamed" if expected == 200 else "Spring 2027")
    assert spring.slug == "spring-2027"


def test_transition(api_as, cora, eve, spring):
    url = f"{PROGRAMMES}spring-2027/transition/"
    assert api_as(eve).post(url, {"status": "pairing"}).status_code == 403
    response = api_as(cora).post(url, {"status": "pairing"})
    assert response.status_code == 200
    assert response.json()["status"] == "pairing"
    refused = api_as(cora).post(url, {"status": "running"})
    assert refused.status_code == 400
    assert "cannot go from pairing to running" in refused.json()["status"][0]
    assert api_as(cora).post(url, {"status": "nonsense"}).status_code == 400


def test_programme_list_query_count_is_flat(api_as, cora, adam, django_assert_num_queries):
    make_shift(
        Programme.objects.create(slug="a", name="A", start_date=MON, end_date=MON), adam, MON
    )
    for person in (cora, adam):
        client = api_as(person)
        with django_assert_num_queries(2):  # count, page
            client.get(PROGRAMMES)
    for n in range(20):
        Programme.objects.create(slug=f"p{n}", name=f"P{n}", start_date=MON, end_date=MON)
    for person in (cora, adam):
        client = api_as(person)
        with django_assert_num_queries(2):
            client.get(PROGRAMMES)


# Availability upload ------------------------------------------------------------------------


def csv_file(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_upload_writes_and_summarises(api_as, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, WED)
    response = api_as(cora).post(
        f"{PROGRAMMES}spring-2027/availability/",
        {
            "shifts": csv_file(
                "s.csv", "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00\n"
            )
        },
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["written"] is True
    assert body["shifts"] == {"added": 1, "removed": 1, "changed": 0, "unchanged": 0}
    assert body["availability"] is None
    assert body["broken_pairings"] == [
        {
            "id": spring.pairings.get().pk,
            "executive": "eve@example.com",
            "agent": "adam@example.com",
            "date": "2027-03-10",
            "status": "proposed",
            "reason": "shift_removed",
        }
    ]
    assert list(Shift.objects.values_list("date", flat=True)) == [MON]


def test_upload_dry_run_writes_nothing(api_as, cora, spring, adam):
    response = api_as(cora).post(
        f"{PROGRAMMES}spring-2027/availability/",
        {
            "shifts": csv_file(
                "s.csv", "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00\n"
            ),
            "dry_run": "true",
        },
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["written"] is False
    assert not Shift.objects.exists()


def test_upload_errors_are_400_with_file_and_line(api_as, cora, spring, adam):
    response = api_as(cora).post(
        f"{PROGRAMMES}spring-2027/availability/",
        {
            "shifts": csv_file(
                "s.csv", "agent_email,date,start,end\nadam@example.com,2027-03-08,17:00,09:00\n"
            ),
            "availability": csv_file(
                "a.csv", "executive_email,date\nadam@example.com,2027-03-08\n"
            ),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "availability.csv:2: adam@example.com is not an executive (roles: agent)",
        "shifts.csv:2: end 09:00 is before start 17:00: overnight shifts are not supported "
        "(a visit is one calendar day)",
    ]
    assert not Shift.objects.exists()


def test_upload_without_files_is_400(api_as, cora, spring):
    response = api_as(cora).post(f"{PROGRAMMES}spring-2027/availability/", {}, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize(("name", "expected"), [("eve", 403), ("hank", 403), ("nina", 404)])
def test_upload_is_for_coordinators(api_as, request, spring, adam, name, expected):
    response = api_as(request.getfixturevalue(name)).post(
        f"{PROGRAMMES}spring-2027/availability/",
        {
            "shifts": csv_file(
                "s.csv", "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00\n"
            )
        },
        format="multipart",
    )
    assert response.status_code == expected
    assert not Shift.objects.exists()


def test_upload_to_a_closed_programme_is_400(api_as, cora, spring, adam):
    Programme.objects.filter(pk=spring.pk).update(status=ProgrammeStatus.CLOSED)
    response = api_as(cora).post(
        f"{PROGRAMMES}spring-2027/availability/",
        {"shifts": csv_file("s.csv", "agent_email,date,start,end\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "closed" in str(response.json())


# Pairings -----------------------------------------------------------------------------------


@pytest.fixture
def pairings(spring, eve, ed, adam, ada):
    return {
        "eve-adam": make_pairing(spring, eve, adam, MON),
        "ed-ada": make_pairing(spring, ed, ada, MON, status=PairingStatus.LOCKED),
        "ed-adam": make_pairing(spring, ed, adam, TUE),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(p["id"] for p in response.json()["results"])


def test_coordinators_see_every_pairing(api_as, cora, pairings):
    assert ids(api_as(cora).get(PAIRINGS)) == sorted(p.pk for p in pairings.values())


def test_executives_and_agents_see_only_their_own(api_as, eve, ada, nina, hank, pairings):
    assert ids(api_as(eve).get(PAIRINGS)) == [pairings["eve-adam"].pk]
    assert ids(api_as(ada).get(PAIRINGS)) == [pairings["ed-ada"].pk]
    assert ids(api_as(nina).get(PAIRINGS)) == []
    assert ids(api_as(hank).get(PAIRINGS)) == []


def test_someone_elses_pairing_is_404(api_as, eve, pairings):
    assert api_as(eve).get(f"{PAIRINGS}{pairings['ed-ada'].pk}/").status_code == 404
    assert api_as(eve).get(f"{PAIRINGS}{pairings['eve-adam'].pk}/").status_code == 200


def test_a_pairing_names_people_by_email_and_sites_by_code(api_as, eve, pairings):
    body = api_as(eve).get(f"{PAIRINGS}{pairings['eve-adam'].pk}/").json()
    assert body["programme"] == "spring-2027"
    assert body["executive"] == "eve@example.com"
    assert body["agent"] == "adam@example.com"
    assert body["site"] == "VAN"
    assert (body["date"], body["start"], body["end"]) == ("2027-03-08", "09:00", "17:00")
    assert body["starts_at"] == "2027-03-08T17:00:00Z"
    assert body["uid"] == str(pairings["eve-adam"].uid)
    assert (body["status"], body["sequence"], body["needs_repair"]) == ("proposed", 0, False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("programme=spring-2027", ["eve-adam", "ed-ada", "ed-adam"]),
        ("programme=other", []),
        ("executive=ED@example.com", ["ed-ada", "ed-adam"]),
        ("agent=adam@example.com", ["eve-adam", "ed-adam"]),
        ("date=2027-03-09", ["ed-adam"]),
        ("status=locked", ["ed-ada"]),
        ("executive=ed@example.com&date=2027-03-08", ["ed-ada"]),
    ],
)
def test_filters(api_as, cora, pairings, query, expected):
    assert ids(api_as(cora).get(f"{PAIRINGS}?{query}")) == sorted(pairings[k].pk for k in expected)


@pytest.mark.parametrize("query", ["date=tomorrow", "status=maybe", "executive=not-an-email"])
def test_bad_filters_are_400(api_as, cora, query):
    assert api_as(cora).get(f"{PAIRINGS}?{query}").status_code == 400


def test_filters_never_widen_what_you_see(api_as, eve, pairings):
    assert ids(api_as(eve).get(f"{PAIRINGS}?executive=ed@example.com")) == []


def test_pairing_list_query_count_is_flat(api_as, cora, eve, spring, django_assert_num_queries):
    agents = [PersonFactory(is_agent=True) for _ in range(12)]
    executives = [PersonFactory(is_executive=True) for _ in range(12)]
    make_pairing(spring, executives[0], agents[0], MON)
    make_pairing(spring, eve, agents[1], MON)
    for person in (cora, eve):
        client = api_as(person)
        with django_assert_num_queries(2):  # count, page with its people, site and programme
            client.get(PAIRINGS)
    for n in range(2, 12):
        make_pairing(spring, executives[n], agents[n], TUE)
    for person in (cora, eve):
        client = api_as(person)
        with django_assert_num_queries(2):
            assert client.get(PAIRINGS).status_code == 200


def test_lock_and_unlock(api_as, cora, pairings):
    pairing = pairings["eve-adam"]
    response = api_as(cora).post(f"{PAIRINGS}{pairing.pk}/lock/")
    assert response.status_code == 200
    assert response.json()["status"] == "locked"
    assert api_as(cora).post(f"{PAIRINGS}{pairing.pk}/lock/").status_code == 200  # idempotent
    response = api_as(cora).post(f"{PAIRINGS}{pairing.pk}/unlock/")
    assert response.json()["status"] == "proposed"


def test_lock_is_for_coordinators(api_as, eve, ed, pairings):
    assert api_as(eve).post(f"{PAIRINGS}{pairings['eve-adam'].pk}/lock/").status_code == 403
    assert api_as(eve).post(f"{PAIRINGS}{pairings['ed-ada'].pk}/unlock/").status_code == 404
    pairings["eve-adam"].refresh_from_db()
    assert pairings["eve-adam"].status == PairingStatus.PROPOSED


def test_a_published_or_flagged_pairing_cannot_be_locked_or_unlocked(api_as, cora, pairings):
    published = pairings["eve-adam"]
    published.status = PairingStatus.PUBLISHED
    published.save()
    assert api_as(cora).post(f"{PAIRINGS}{published.pk}/unlock/").status_code == 400
    assert api_as(cora).post(f"{PAIRINGS}{published.pk}/lock/").status_code == 400
    flagged = pairings["ed-adam"]
    flagged.needs_repair, flagged.repair_reason = True, "shift_removed"
    flagged.save()
    response = api_as(cora).post(f"{PAIRINGS}{flagged.pk}/lock/")
    assert response.status_code == 400
    assert "needs repair" in str(response.json())


def test_pairings_are_read_only(api_as, cora, pairings):
    pairing = pairings["eve-adam"]
    assert api_as(cora).patch(f"{PAIRINGS}{pairing.pk}/", {"status": "locked"}).status_code == 405
    assert api_as(cora).delete(f"{PAIRINGS}{pairing.pk}/").status_code == 405
    # No create route: refused before the method is even looked up.
    assert api_as(cora).post(PAIRINGS, {}).status_code in (403, 405)


def test_the_date_of_a_shift_is_its_local_date(api_as, cora, spring, eve, adam):
    # 22:00 UTC on Monday is 14:00 in Vancouver: still Monday there.
    shift = make_shift(spring, adam, MON, "14:00", "20:00")
    assert shift.starts_at == dt.datetime(2027, 3, 8, 22, 0, tzinfo=dt.UTC)
    make_pairing(spring, eve, adam, MON, shift=shift)
    body = api_as(cora).get(PAIRINGS).json()["results"][0]
    assert (body["date"], body["start"], body["end"]) == ("2027-03-08", "14:00", "20:00")


# Pairing runs -------------------------------------------------------------------------------


def test_pair_starts_a_run_and_get_follows_it(
    api_as, cora, spring, eve, adam, django_capture_on_commit_callbacks
):
    make_shift(spring, adam, MON)
    url = f"{PROGRAMMES}spring-2027/pair/"
    assert api_as(cora).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cora).post(url)
    assert response.status_code == 202
    assert response.json()["programme"] == "spring-2027"
    body = api_as(cora).get(url).json()
    assert (body["status"], body["progress"], body["paired"], body["executives"]) == (
        "done",
        100,
        1,
        2,
    )
    assert body["unpaired"] == {"only_own_reports_available": 1}
    assert body["requested_by"] == "cora@example.com"


@pytest.mark.parametrize(("name", "expected"), [("eve", 403), ("hank", 403), ("nina", 404)])
def test_pair_is_for_coordinators(api_as, request, spring, name, expected):
    client = api_as(request.getfixturevalue(name))
    assert client.post(f"{PROGRAMMES}spring-2027/pair/").status_code == expected
    assert client.get(f"{PROGRAMMES}spring-2027/pair/").status_code == expected


def test_a_second_run_while_one_is_under_way_is_400(api_as, cora, spring):
    pairing_run_start(programme=spring)
    response = api_as(cora).post(f"{PROGRAMMES}spring-2027/pair/")
    assert response.status_code == 400
    assert "already under way" in str(response.json())
