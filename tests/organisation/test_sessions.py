"""Sessions end after `SESSION_IDLE_SECONDS` without a request, and in any case
`SESSION_ABSOLUTE_SECONDS` after signing in."""

import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from shadowing.organisation.middleware import SESSION_SEEN_AT, SESSION_SIGNED_IN_AT
from shadowing.organisation.sign_in import sign_in_link_create

pytestmark = pytest.mark.django_db

PROFILE = reverse("shadowing:profile")


@pytest.fixture
def signed_in(client, eve):
    client.post(urlsplit(sign_in_link_create(person=eve)).path)
    assert client.get(PROFILE).status_code == 200
    return client


def shift(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def test_idle_session_ends(signed_in, settings):
    shift(signed_in, SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS + 1)
    response = signed_in.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("shadowing:sign-in"))
    assert "_auth_user_id" not in signed_in.session


def test_session_in_use_outlives_the_idle_timeout(signed_in, settings):
    # Active all along: seen a minute ago, signed in longer ago than the idle timeout.
    shift(signed_in, SESSION_SIGNED_IN_AT, settings.SESSION_IDLE_SECONDS + 60)
    shift(signed_in, SESSION_SEEN_AT, 61)
    assert signed_in.get(PROFILE).status_code == 200
    assert time.time() - signed_in.session[SESSION_SEEN_AT] < 5


def test_session_ends_at_the_absolute_timeout_even_when_active(signed_in, settings):
    shift(signed_in, SESSION_SIGNED_IN_AT, settings.SESSION_ABSOLUTE_SECONDS + 1)
    response = signed_in.get(PROFILE)
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session
