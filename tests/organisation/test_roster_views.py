"""The roster import page: upload, preview (nothing written), confirm, for coordinators only."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shadowing.organisation.models import Department, Person, StashedUpload
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES

URL = reverse("shadowing:roster-import")
DEPARTMENTS = b"code,name,head_email\nOPS,Operations,\nCARE,Customer Care Centre,hank@example.com\n"
PEOPLE = (
    b"email,full_name,title,department_code,manager_email,site_code,languages,roles\n"
    b"olga@x.com,Olga Ops,,OPS,,VAN,en,agent\n"
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def coordinator(client, cora, hank):
    client.force_login(cora)
    return client


def preview(client, **files: bytes):
    data = {"action": "preview"}
    data.update({name: upload(f"{name}.csv", content) for name, content in files.items()})
    return client.post(URL, data)


def upload_token(response) -> str:
    match = re.search(rb'name="upload" value="([^"]+)"', response.content)
    assert match, "no confirm form"
    return match.group(1).decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("shadowing:sign-in"))


@pytest.mark.parametrize("who", ["nina", "adam", "eve", "hank"])
def test_only_coordinators_may_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    response = preview(client, departments=DEPARTMENTS)
    assert response.status_code == 403
    assert not Department.objects.filter(code="OPS").exists()


def test_the_form_labels_every_file_and_has_no_inline_script_or_style(coordinator):
    response = coordinator.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("departments", "sites", "people"):
        assert f'<label for="id_{name}">{name}.csv</label>' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert "<script" not in html.split("</footer>")[0]
    assert "style=" not in html


def test_preview_shows_changes_and_writes_nothing_then_confirm_applies(coordinator):
    response = preview(coordinator, departments=DEPARTMENTS, people=PEOPLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: nothing is written yet" in html
    assert "OPS" in html
    assert "name: 'Customer Care' &rarr; 'Customer Care Centre'" in html
    assert "olga@x.com" in html
    assert not Department.objects.filter(code="OPS").exists()
    assert not Person.objects.filter(email="olga@x.com").exists()

    response = coordinator.post(URL, {"action": "confirm", "upload": upload_token(response)})
    assert response.status_code == 302
    assert Person.objects.get(email="olga@x.com").department.code == "OPS"
    assert Department.objects.get(code="CARE").name == "Customer Care Centre"
    assert not StashedUpload.objects.exists()
    page = coordinator.get(response.url).content.decode()
    assert "Roster imported: departments: 1 created, 1 updated, 0 unchanged" in page


def test_errors_are_listed_with_file_and_line_and_cannot_be_confirmed(coordinator):
    bad = PEOPLE + b"bad-address,B,,OPS,,VAN,en,agent\n"
    response = preview(coordinator, departments=DEPARTMENTS, people=bad)
    html = response.content.decode()
    assert "This import cannot run" in html
    assert "people.csv:3: email &#x27;bad-address&#x27; is not a valid e-mail address" in html
    assert 'name="upload"' not in html
    assert not StashedUpload.objects.exists()


def test_a_file_that_changes_nothing_offers_nothing_to_confirm(coordinator):
    response = preview(coordinator, departments=b"code,name\nCARE,Customer Care\n")
    assert "Nothing to change" in response.content.decode()
    assert 'name="upload"' not in response.content.decode()


def test_confirm_with_a_stale_or_forged_token_writes_nothing(coordinator):
    first = upload_token(preview(coordinator, departments=DEPARTMENTS))
    second = preview(coordinator, departments=b"code,name\nOTHER,Other\n")
    response = coordinator.post(URL, {"action": "confirm", "upload": first}, follow=True)
    assert "This preview has expired or was replaced" in response.content.decode()
    response = coordinator.post(URL, {"action": "confirm", "upload": "forged"}, follow=True)
    assert not Department.objects.filter(code__in=["OPS", "OTHER"]).exists()
    coordinator.post(URL, {"action": "confirm", "upload": upload_token(second)})
    assert Department.objects.filter(code="OTHER").exists()
    assert not Department.objects.filter(code="OPS").exists()


def test_confirm_checks_again_against_the_roster_as_it_is_now(coordinator):
    token = upload_token(preview(coordinator, people=PEOPLE.replace(b"OPS", b"CARE")))
    Department.objects.filter(code="CARE").update(code="RENAMED")
    response = coordinator.post(URL, {"action": "confirm", "upload": token})
    assert response.status_code == 200
    assert "unknown department &#x27;CARE&#x27;" in response.content.decode()
    assert not Person.objects.filter(email="olga@x.com").exists()


def test_cancel_discards_the_upload(coordinator):
    token = upload_token(preview(coordinator, departments=DEPARTMENTS))
    coordinator.post(URL, {"action": "cancel", "upload": token})
    assert not StashedUpload.objects.exists()
    coordinator.post(URL, {"action": "confirm", "upload": token})
    assert not Department.objects.filter(code="OPS").exists()


def test_no_file_or_a_huge_file_is_refused_by_the_form(coordinator):
    response = coordinator.post(URL, {"action": "preview"})
    assert "Choose at least one file" in response.content.decode()
    response = preview(coordinator, people=b"x" * (MAX_FILE_BYTES + 1))
    assert "people.csv is larger than 20 MB" in response.content.decode()


def test_an_empty_file_gets_the_import_message(coordinator):
    response = preview(coordinator, people=b"")
    assert "people.csv:1: the file is empty" in response.content.decode()


def test_preview_queries_do_not_grow_with_the_file(coordinator, django_assert_max_num_queries):
    rows = "".join(f"p{i}@x.com,P {i},,CARE,,VAN,en,agent\n" for i in range(300))
    big = PEOPLE.split(b"\n")[0] + b"\n" + rows.encode()
    with django_assert_max_num_queries(15):
        response = preview(coordinator, people=big)
    assert "p299@x.com" in response.content.decode() or "more changes" in response.content.decode()


# The admin ----------------


def person_form(person, **changes) -> dict:
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "title": person.title,
        "department": person.department_id,
        "site": person.site_id,
        "manager": person.manager_id or "",
        "languages": ";".join(person.languages),
        "roles": person.roles,
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_is_for_coordinators(client, hank):
    client.force_login(hank)
    response = client.get(reverse("admin:shadowing_person_changelist"))
    assert response.status_code == 302


def test_admin_person_list_queries_do_not_grow(client, cora, adam, django_assert_max_num_queries):
    client.force_login(cora)
    url = reverse("admin:shadowing_person_changelist")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for i in range(30):
        Person.objects.create_user(
            f"p{i}@x.com", f"P {i}", manager=adam, department=adam.department
        )
    with django_assert_max_num_queries(12):
        response = client.get(url + "?is_agent__exact=0&q=p")
    assert response.status_code == 200


def test_admin_saves_through_the_roster_rules(client, cora, adam):
    client.force_login(cora)
    url = reverse("admin:shadowing_person_change", args=[adam.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, person_form(adam, languages="en;xx"))
    assert response.status_code == 200
    assert "unknown language" in response.content.decode()
    response = client.post(url, person_form(adam, languages="fr;en", roles=["agent", "executive"]))
    assert response.status_code == 302
    adam.refresh_from_db()
    assert (adam.languages, adam.roles) == (["fr", "en"], ["executive", "agent"])


def test_admin_refuses_a_manager_cycle(client, cora, adam, hank):
    client.force_login(cora)
    url = reverse("admin:shadowing_person_change", args=[hank.pk])
    response = client.post(url, person_form(hank, manager=adam.pk))
    assert response.status_code == 200
    assert "manager cycle" in response.content.decode()


def test_admin_adds_a_person_and_a_department(client, cora, care, west_site):
    client.force_login(cora)
    response = client.post(
        reverse("admin:shadowing_person_add"),
        {
            "email": "New@X.com",
            "full_name": "New",
            "department": care.pk,
            "site": west_site.pk,
            "languages": "en",
            "roles": ["agent"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert Person.objects.get(email="new@x.com").is_agent
    response = client.post(
        reverse("admin:shadowing_department_add"), {"code": "OPS", "name": "Ops"}
    )
    assert response.status_code == 302
    assert Department.objects.filter(code="OPS").exists()


def test_admin_autocomplete_finds_managers(client, cora, hank):
    client.force_login(cora)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "shadowing", "model_name": "person", "field_name": "manager", "term": "han"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(hank.pk)]
