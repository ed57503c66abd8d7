"""The organisation's API: departments, sites, people, and the roster import endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shadowing.organisation.models import Department, Person
from tests.factories import PersonFactory, SiteFactory

USERS = ["anonymous", "nina", "adam", "eve", "hank", "cora"]


@pytest.fixture
def cast(cora, hank, eve, adam, nina):
    return {"cora": cora, "hank": hank, "eve": eve, "adam": adam, "nina": nina}


@pytest.fixture
def client_for(api, cast):
    def client(who: str):
        if who != "anonymous":
            api.force_authenticate(cast[who])
        return api

    return client


# Role by action ----------------

RESOURCES = {
    "departments": {
        "detail": "SPARE.1",
        "make": lambda: Department.objects.create(code="SPARE.1", name="Spare"),
        "create": {"code": "NEW", "name": "New department"},
        "update": {"name": "Renamed"},
    },
    "sites": {
        "detail": "SPARE.1",
        "make": lambda: SiteFactory(code="SPARE.1"),
        "create": {
            "code": "NEW",
            "name": "New site",
            "region": "West",
            "timezone": "America/Vancouver",
            "channel": "retail",
        },
        "update": {"name": "Renamed"},
    },
    "people": {
        "detail": "spare.person@example.com",
        "make": lambda: PersonFactory(email="spare.person@example.com"),
        "create": {
            "email": "new@example.com",
            "full_name": "New Person",
            "department": "CARE",
            "site": "VAN",
            "languages": ["en"],
            "roles": ["agent"],
        },
        "update": {"title": "Renamed"},
    },
}

ACTIONS = {
    # action: (method, on the detail URL, status when allowed)
    "list": ("get", False, 200),
    "retrieve": ("get", True, 200),
    "create": ("post", False, 201),
    "partial_update": ("patch", True, 200),
    "update": ("put", True, 200),
    "destroy": ("delete", True, 204),
}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_everyone_signed_in_reads_and_coordinators_write(client_for, who, action, resource):
    spec = RESOURCES[resource]
    spec["make"]()
    method, detail, allowed = ACTIONS[action]
    url = f"/api/v1/{resource}/" + (f"{spec['detail']}/" if detail else "")
    body = None
    if action in ("create", "update"):
        body = spec["create"]
    elif action == "partial_update":
        body = spec["update"]
    response = getattr(client_for(who), method)(url, body, format="json")
    if who == "anonymous":
        expected = 401
    elif method == "get" or who == "cora":
        expected = allowed
    else:
        expected = 403
    assert response.status_code == expected, response.content


# Lists: shape, filters, bounded queries ----------------


def test_people_are_named_by_email_and_related_records_by_code(api_as, adam, hank):
    response = api_as(adam).get("/api/v1/people/adam@example.com/")
    assert response.status_code == 200
    assert response.json() == {
        "email": "adam@example.com",
        "full_name": "Adam Agent",
        "title": "Staff",
        "department": "CARE",
        "site": "VAN",
        "manager": "hank@example.com",
        "languages": ["en"],
        "roles": ["agent"],
        "is_active": True,
    }
    assert api_as(adam).get("/api/v1/people/Adam@Example.COM/").status_code == 200
    assert api_as(adam).get("/api/v1/departments/CARE/").json() == {
        "code": "CARE",
        "name": "Customer Care",
        "name_fr": "",
        "head": "hank@example.com",
        "country": "",
        "subdivision": "",
    }


def test_people_filters(api_as, cast, finance):
    api = api_as(cast["cora"])

    def emails(query: str) -> list[str]:
        response = api.get(f"/api/v1/people/?{query}")
        assert response.status_code == 200
        return sorted(p["email"] for p in response.json()["results"])

    assert emails("department=FIN") == ["eve@example.com"]
    assert emails("role=agent") == ["adam@example.com"]
    assert emails("role=department_head&department=CARE") == ["hank@example.com"]
    assert emails("site=VAN&q=nobody") == ["nina@example.com"]
    assert emails("q=HANK") == ["hank@example.com"]
    assert emails("manager=HANK@example.com") == ["adam@example.com"]
    response = api.get("/api/v1/people/?role=boss")
    assert response.status_code == 400
    assert "role" in response.json()
    assert api.get("/api/v1/people/?q=%00").status_code == 400


@pytest.mark.parametrize("resource", ["people", "departments", "sites"])
def test_list_queries_do_not_grow_with_rows(resource, api_as, cast, django_assert_max_num_queries):
    api = api_as(cast["nina"])
    with django_assert_max_num_queries(3):
        first = api.get(f"/api/v1/{resource}/")
    assert first.status_code == 200
    for i in range(40):
        department = Department.objects.create(code=f"D{i}", name=f"D {i}")
        site = SiteFactory(code=f"S{i}")
        head = PersonFactory(
            email=f"p{i}@example.com",
            department=department,
            site=site,
            manager=cast["hank"],
            is_department_head=True,
        )
        department.head = head
        department.save()
    with django_assert_max_num_queries(3):
        many = api.get(f"/api/v1/{resource}/")
    assert many.json()["count"] > first.json()["count"] + 39


def test_lists_are_paginated(api_as, nina):
    for i in range(55):
        PersonFactory(email=f"p{i:02}@example.com")
    body = api_as(nina).get("/api/v1/people/").json()
    assert body["count"] == 56
    assert len(body["results"]) == 50
    assert body["next"].endswith("?page=2")


# Writes apply the import's rules ----------------


def test_creating_a_person_stores_a_lower_cased_email_and_roles(api_as, cora, hank):
    response = api_as(cora).post(
        "/api/v1/people/",
        {
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "department": "CARE",
            "site": "VAN",
            "manager": "HANK@example.com",
            "languages": ["FR", "en"],
            "roles": ["agent", "executive"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(email="new.person@example.com")
    assert (person.manager, person.languages, person.roles) == (
        hank,
        ["fr", "en"],
        ["executive", "agent"],
    )
    assert not person.has_usable_password()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"languages": ["en", "xx"]}, "languages", "unknown language 'xx'"),
        ({"languages": []}, "languages", "an executive or agent needs at least one language"),
        ({"roles": ["boss"]}, "roles", '"boss" is not a valid choice.'),
        ({"email": "HANK@example.com"}, "email", "hank@example.com is already in the roster"),
        ({"email": "not an email"}, "email", "is not a valid e-mail address"),
        ({"full_name": "=1+2"}, "full_name", "like a spreadsheet formula"),
        ({"department": "NOPE"}, "department", "Object with code=NOPE does not exist."),
        ({"site": None}, "site", "site is required"),
    ],
)
def test_person_writes_are_refused_like_the_import(api_as, cora, adam, body, field, message):
    response = api_as(cora).patch("/api/v1/people/adam@example.com/", body, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_a_new_person_needs_a_department_and_a_site(api_as, cora):
    response = api_as(cora).post(
        "/api/v1/people/",
        {"email": "x@example.com", "full_name": "X", "languages": ["en"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "department": ["department is required"],
        "site": ["site is required"],
    }


def test_a_manager_cycle_is_refused(api_as, cora, adam, hank):
    response = api_as(cora).patch(
        "/api/v1/people/hank@example.com/", {"manager": "adam@example.com"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "manager": ["manager cycle: hank@example.com -> adam@example.com -> hank@example.com"]
    }


def test_a_head_must_be_a_department_head_of_that_department(api_as, cora, hank, adam, finance):
    api = api_as(cora)
    response = api.patch("/api/v1/departments/CARE/", {"head": "adam@example.com"}, format="json")
    assert response.status_code == 400
    assert "they do not have role department_head" in response.json()["head"][0]
    response = api.patch("/api/v1/departments/FIN/", {"head": "hank@example.com"}, format="json")
    assert "they are in department 'CARE', not FIN" in response.json()["head"][0]
    response = api.patch("/api/v1/people/hank@example.com/", {"department": "FIN"}, format="json")
    assert response.status_code == 400
    assert "they head CARE" in response.json()["department"][0]


def test_site_rules(api_as, cora, west_site):
    api = api_as(cora)
    response = api.patch(
        "/api/v1/sites/VAN/",
        {"timezone": "Mars/Olympus", "daily_visitor_limit": 0, "address": "+1 Main St"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"timezone", "daily_visitor_limit", "address"}
    response = api.patch("/api/v1/sites/VAN/", {"channel": "kiosk"}, format="json")
    assert response.status_code == 400
    response = api.post(
        "/api/v1/sites/",
        {"code": "van", "name": "V", "region": "W", "timezone": "UTC", "channel": "retail"},
        format="json",
    )
    assert response.json() == {"code": ["code 'van' differs only by case from the existing 'VAN'"]}


def test_deleting_a_department_with_people_is_a_conflict(api_as, cora, adam):
    response = api_as(cora).delete("/api/v1/departments/CARE/")
    assert response.status_code == 409
    assert Department.objects.filter(code="CARE").exists()


def test_an_unknown_object_is_404(api_as, nina):
    assert api_as(nina).get("/api/v1/people/ghost@example.com/").status_code == 404
    assert api_as(nina).get("/api/v1/sites/NOPE/").status_code == 404


# The roster import endpoint ----------------

DEPARTMENTS = b"code,name,head_email\nOPS,Operations,\n"
PEOPLE = (
    b"email,full_name,title,department_code,manager_email,site_code,languages,roles\n"
    b"olga@x.com,Olga,,OPS,,VAN,en,agent\n"
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.csv", data, content_type="text/csv")


def test_import_endpoint_applies_and_summarises(api_as, cora):
    response = api_as(cora).post(
        "/api/v1/roster/import/",
        {"departments": upload("d", DEPARTMENTS), "people": upload("p", PEOPLE)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applied"] is True
    assert body["counts"]["people"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert body["errors"] == []
    assert Person.objects.get(email="olga@x.com").department.code == "OPS"


def test_import_endpoint_dry_run_writes_nothing(api_as, cora):
    response = api_as(cora).post(
        "/api/v1/roster/import/",
        {"departments": upload("d", DEPARTMENTS), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["applied"]) == (True, False)
    assert body["changes"][0]["text"] == "OPS: new"
    assert not Department.objects.filter(code="OPS").exists()


def test_import_endpoint_refuses_with_every_error_and_writes_nothing(api_as, cora):
    bad = PEOPLE + b"bad,B,,OPS,,NOPE,en,agent\n"
    response = api_as(cora).post(
        "/api/v1/roster/import/",
        {"departments": upload("d", DEPARTMENTS), "people": upload("p", bad)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["people.csv:3: email 'bad' is not a valid e-mail address"]
    assert not Department.objects.filter(code="OPS").exists()


def test_import_endpoint_answers_a_malformed_request_in_the_result_shape(api_as, cora):
    response = api_as(cora).post(
        "/api/v1/roster/import/",
        {"departments": "not a file", "dry_run": "maybe"},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["applied"] is False
    assert sorted(body["errors"]) == [
        "departments: The submitted data was not a file. Check the encoding type on the form.",
        "dry_run: Must be a valid boolean.",
    ]


def test_import_endpoint_without_files_is_400(api_as, cora):
    response = api_as(cora).post("/api/v1/roster/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "nothing to import: give departments.csv, sites.csv or people.csv"
    ]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), *((u, 403) for u in USERS[1:5])])
def test_import_endpoint_is_for_coordinators(client_for, who, status):
    response = client_for(who).post(
        "/api/v1/roster/import/", {"departments": upload("d", DEPARTMENTS)}, format="multipart"
    )
    assert response.status_code == status
    assert not Department.objects.filter(code="OPS").exists()
