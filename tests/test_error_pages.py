"""The product's own error pages: in words, in the person's language, with a way on; never
Django's bare "Not Found" or a blank 500."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_an_unknown_address_is_the_product_404(client, cora):
    client.force_login(cora)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'href="/"' in page  # the way on: the home page
    assert 'class="site-nav"' in page  # inside the product's frame


def test_the_404_for_someone_not_signed_in(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_the_404_in_french(client, cora):
    cora.ui_language = "fr-ca"
    cora.save(update_fields=["ui_language"])
    client.force_login(cora)
    page = client.get("/no/such/page/").content.decode()
    assert "<h1>Page introuvable</h1>" in page
    assert 'lang="fr-ca"' in page


def test_a_refusal_is_the_product_403(client, hank):
    client.force_login(hank)  # a department head: triage is the coordinators'
    response = client.get("/backlog/triage/")
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def test_an_unreadable_request_is_the_product_400(client):
    response = client.get("/", headers={"host": "not-an-allowed-host.example"})
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_a_fault_is_the_product_500_without_a_form(client, cora, monkeypatch):
    def broken(request):
        raise RuntimeError("a fault in a panel")

    monkeypatch.setattr("shadowing.views.render_panels", broken)
    client.force_login(cora)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert "a fault in a panel" not in page
    assert "<form" not in page  # no CSRF token to be had: the language form is left out


def test_every_page_names_its_icon(client, cora):
    client.force_login(cora)
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")
