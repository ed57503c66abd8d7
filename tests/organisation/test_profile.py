"""The profile: a person's details, their interface language, an agent's hosting opt-out."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = reverse("shadowing:profile")


def test_profile_shows_the_persons_own_details(client, adam):
    client.force_login(adam)
    html = client.get(PROFILE).content.decode()
    assert "Adam Agent" in html
    assert "adam@example.com" in html
    assert "Customer Care" in html
    assert "Hank Head" in html  # the manager
    assert "Agent" in html


def test_saving_the_language_takes_effect_at_once(client, eve):
    client.force_login(eve)
    response = client.post(PROFILE, {"ui_language": "fr-ca"}, follow=True)
    eve.refresh_from_db()
    assert eve.ui_language == "fr-ca"
    html = response.content.decode()
    assert '<html lang="fr-ca">' in html
    assert "Votre profil est enregistré." in html
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-ca"


def test_person_with_french_profile_sees_french(client, eve):
    eve.ui_language = "fr-ca"
    eve.save()
    client.force_login(eve)
    html = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Langue de l’interface" in html
    assert "Préférences" in html
    assert "Enregistrer" in html
    assert "Se déconnecter" in html  # the navigation


def test_visitor_gets_the_browser_language(client):
    html = client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").content.decode()
    assert "Se connecter" in html
    assert "Adresse courriel" in html


def test_unknown_language_is_refused(client, eve):
    client.force_login(eve)
    response = client.post(PROFILE, {"ui_language": "de"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    eve.refresh_from_db()
    assert eve.ui_language == ""


def test_agent_can_opt_out_of_hosting_and_back_in(client, adam):
    client.force_login(adam)
    client.post(PROFILE, {"ui_language": "en", "hosting_opt_out": "on"})
    adam.refresh_from_db()
    assert adam.hosting_opt_out is True
    client.post(PROFILE, {"ui_language": "en"})
    adam.refresh_from_db()
    assert adam.hosting_opt_out is False


def test_non_agent_has_no_hosting_switch_and_cannot_set_it(client, eve):
    client.force_login(eve)
    assert "hosting_opt_out" not in client.get(PROFILE).content.decode()
    client.post(PROFILE, {"ui_language": "en", "hosting_opt_out": "on"})
    eve.refresh_from_db()
    assert eve.hosting_opt_out is False


def test_footer_switcher_saves_to_the_profile_when_signed_in(client, eve):
    client.force_login(eve)
    page = client.get(PROFILE).content.decode()
    assert f'action="{reverse("shadowing:profile-language")}"' in page
    response = client.post(
        reverse("shadowing:profile-language"), {"language": "fr-ca", "next": PROFILE}
    )
    assert response["Location"] == PROFILE
    eve.refresh_from_db()
    assert eve.ui_language == "fr-ca"
    assert '<html lang="fr-ca">' in client.get(PROFILE).content.decode()


def test_footer_switcher_ignores_unknown_languages_and_foreign_next(client, eve):
    client.force_login(eve)
    response = client.post(
        reverse("shadowing:profile-language"),
        {"language": "xx", "next": "https://evil.example.org/"},
    )
    assert response["Location"] == reverse("shadowing:home")
    eve.refresh_from_db()
    assert eve.ui_language == ""


def test_footer_switcher_for_visitors_is_djangos_set_language(client):
    page = client.get("/sign-in/").content.decode()
    assert f'action="{reverse("set_language")}"' in page
