"""Role by page, for the sign-in, profile and admin pages; and the admin's door."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from shadowing.organisation.sign_in import sign_in_link_create

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina"]


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param) if request.param else None


@pytest.fixture
def as_client(client, person):
    if person is not None:
        client.force_login(person)
    return client


# (page, expected status for a visitor, expected status for each of the cast)
PAGES = [
    ("/sign-in/", 200, dict.fromkeys(CAST, 200)),
    ("/sign-out/", 200, dict.fromkeys(CAST, 200)),
    ("/profile/", 302, dict.fromkeys(CAST, 200)),
    ("/admin/", 302, {"cora": 200, "hank": 302, "eve": 302, "adam": 302, "nina": 302}),
]


@pytest.mark.parametrize("person", [None, *CAST], indirect=True)
@pytest.mark.parametrize(("url", "visitor", "by_person"), PAGES)
def test_role_by_page(as_client, person, url, visitor, by_person):
    expected = visitor if person is None else by_person[person.email.split("@")[0]]
    assert as_client.get(url).status_code == expected


@pytest.mark.parametrize("name", ["hank", "eve", "adam", "nina"])
def test_admin_refuses_everyone_but_coordinators_with_a_page(client, request, name):
    client.force_login(request.getfixturevalue(name))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "for programme coordinators" in response.content.decode()


def test_admin_sends_visitors_to_the_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    first, second = (url for url, _status in response.redirect_chain)
    assert first.startswith(reverse("admin:login"))
    assert second == reverse("shadowing:sign-in") + "?next=/admin/"
    assert response.status_code == 200


def test_coordinator_signs_in_to_the_admin_by_link(client, cora, mailoutbox):
    client.post(
        reverse("shadowing:sign-in") + "?next=/admin/",
        {"email": "cora@example.com", "next": "/admin/"},
    )
    link = next(w for w in mailoutbox[0].body.split() if "/sign-in/" in w)
    parts = urlsplit(link)
    response = client.post(parts.path + "?" + parts.query, {"next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signed_in_coordinator_on_admin_login_goes_to_the_admin(client, cora):
    client.force_login(cora)
    response = client.get(reverse("admin:login") + "?next=/admin/shadowing/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/shadowing/"


def test_profile_edit_permission_is_self_or_coordinator(eve, adam, cora):
    assert eve.has_perm("shadowing.edit_profile", eve)
    assert not eve.has_perm("shadowing.edit_profile", adam)
    assert cora.has_perm("shadowing.edit_profile", adam)


def test_inactive_person_is_signed_out(client, eve):
    client.post(urlsplit(sign_in_link_create(person=eve)).path)
    eve.is_active = False
    eve.save()
    assert client.get("/profile/").status_code == 302
