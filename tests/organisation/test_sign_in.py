"""Sign-in by one-time link: the services, the pages, and the mail."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shadowing.organisation.models import SignInLink, SignInRequest
from shadowing.organisation.sign_in import (
    client_address,
    sign_in_link_create,
    sign_in_link_redeem,
    sign_in_records_prune,
)

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("shadowing:sign-in")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(message) -> str:
    return next(word for word in message.body.split() if "/sign-in/" in word)


# Services ----------------------------------------------------------------------------------------


def test_link_is_built_from_base_url_and_stores_only_a_hash(eve, settings):
    settings.BASE_URL = "https://shadow.example.com"
    url = sign_in_link_create(person=eve)
    assert url.startswith("https://shadow.example.com/sign-in/")
    token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.objects.get(person=eve)
    assert token not in link.token_hash
    assert len(link.token_hash) == 64
    assert link.expires_at - link.created_at == timedelta(minutes=settings.SIGN_IN_LINK_MINUTES)


def test_redeem_returns_the_person_once(eve):
    token = urlsplit(sign_in_link_create(person=eve)).path.rstrip("/").rsplit("/", 1)[1]
    assert sign_in_link_redeem(token=token) == eve
    assert sign_in_link_redeem(token=token) is None


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database locks tables instead of racing",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_have_one_winner(eve):
    token = urlsplit(sign_in_link_create(person=eve)).path.rstrip("/").rsplit("/", 1)[1]
    start = threading.Barrier(4)

    def redeem(_):
        start.wait()
        try:
            return sign_in_link_redeem(token=token)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(redeem, range(4)))
    assert [r for r in results if r is not None] == [eve]


def test_redeem_when_expired_returns_none(eve):
    token = urlsplit(sign_in_link_create(person=eve)).path.rstrip("/").rsplit("/", 1)[1]
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert sign_in_link_redeem(token=token) is None


def test_redeem_when_person_deactivated_returns_none(eve):
    token = urlsplit(sign_in_link_create(person=eve)).path.rstrip("/").rsplit("/", 1)[1]
    eve.is_active = False
    eve.save()
    assert sign_in_link_redeem(token=token) is None


def test_redeem_unknown_token_returns_none(eve):
    assert sign_in_link_redeem(token="not-a-token") is None


def test_prune_deletes_only_old_records(eve):
    old = timezone.now() - timedelta(days=30)
    sign_in_link_create(person=eve)
    SignInLink.objects.create(person=eve, token_hash="0" * 64, created_at=old, expires_at=old)
    SignInRequest.objects.create(email="x@example.com", client="1.2.3.4", created_at=old)
    SignInRequest.objects.create(email="x@example.com", client="1.2.3.4")
    assert sign_in_records_prune() == (1, 1)
    assert SignInLink.objects.count() == 1
    assert SignInRequest.objects.count() == 1


def test_client_address_is_remote_addr_unless_proxies_are_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer hops than proxies: do not trust the header
    assert client_address(request) == "10.0.0.9"


# Asking for a link -------------------------------------------------------------------------------


def test_sign_in_page_shows_a_labelled_email_field(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">' in html
    assert 'type="email"' in html


def test_request_for_known_address_mails_a_link_in_text_and_html(client, eve, mailoutbox):
    response = client.post(SIGN_IN, {"email": "  EVE@Example.com "})
    assert response.status_code == 200
    assert "If this address is in the roster, a link is on its way." in response.content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["eve@example.com"]
    url = link_in(message)
    assert url.startswith("http://127.0.0.1:8000/sign-in/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert url in html


def test_request_for_unknown_address_answers_the_same_and_mails_nothing(client, eve, mailoutbox):
    known = client.post(SIGN_IN, {"email": "eve@example.com"})
    unknown = client.post(SIGN_IN, {"email": "stranger@example.com"})
    assert unknown.status_code == known.status_code == 200
    assert visible_text(unknown) == visible_text(known)
    assert [m.to for m in mailoutbox] == [["eve@example.com"]]
    assert SignInRequest.objects.filter(email="stranger@example.com").exists()


def visible_text(response) -> str:
    # CSRF tokens differ from one response to the next; compare the rest.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_request_for_inactive_person_mails_nothing(client, eve, mailoutbox):
    eve.is_active = False
    eve.save()
    response = client.post(SIGN_IN, {"email": "eve@example.com"})
    assert response.status_code == 200
    assert mailoutbox == []


def test_request_with_invalid_address_shows_the_error(client, mailoutbox):
    response = client.post(SIGN_IN, {"email": "not an address"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert mailoutbox == []
    assert not SignInRequest.objects.exists()


def test_mail_speaks_the_persons_language(client, eve, mailoutbox):
    eve.ui_language = "fr-ca"
    eve.save()
    client.post(SIGN_IN, {"email": "eve@example.com"})
    message = mailoutbox[0]
    assert "connexion" in message.subject.lower()
    assert "Bonjour" in message.body


def test_mail_failure_gives_the_same_answer(client, eve, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.organisation.test_sign_in.BrokenBackend"}}
    response = client.post(SIGN_IN, {"email": "eve@example.com"})
    assert response.status_code == 200
    assert "a link is on its way" in response.content.decode()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        self.alias = kwargs.get("alias")

    def send_messages(self, messages):
        raise OSError("mail server down")


# Rate limits -------------------------------------------------------------------------------------


def test_per_address_limit_answers_429_and_mails_nothing(client, eve, mailoutbox, settings):
    settings.SIGN_IN_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        response = client.post(SIGN_IN, {"email": "eve@example.com"}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200
    response = client.post(SIGN_IN, {"email": "EVE@example.com"}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many sign-in links" in response.content.decode()
    assert len(mailoutbox) == 2


def test_per_address_limit_applies_to_unknown_addresses_too(client, settings):
    settings.SIGN_IN_LIMIT_PER_ADDRESS = 1
    assert client.post(SIGN_IN, {"email": "who@example.com"}).status_code == 200
    assert client.post(SIGN_IN, {"email": "who@example.com"}).status_code == 429


def test_per_client_limit_covers_every_address_from_that_client(
    client, eve, adam, mailoutbox, settings
):
    settings.SIGN_IN_LIMIT_PER_CLIENT = 3
    for n in range(3):
        response = client.post(SIGN_IN, {"email": f"guess{n}@example.com"}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 200
    response = client.post(SIGN_IN, {"email": "adam@example.com"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert mailoutbox == []
    # Another client is not affected.
    response = client.post(SIGN_IN, {"email": "adam@example.com"}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 200
    assert len(mailoutbox) == 1


def test_limit_window_is_one_hour(client, settings):
    settings.SIGN_IN_LIMIT_PER_ADDRESS = 1
    client.post(SIGN_IN, {"email": "who@example.com"})
    SignInRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert client.post(SIGN_IN, {"email": "who@example.com"}).status_code == 200


# Using the link ----------------------------------------------------------------------------------


def test_get_on_link_shows_a_confirmation_and_spends_nothing(client, eve):
    path = path_of(sign_in_link_create(person=eve))
    for _ in range(3):  # a mail scanner, a preview, the person
        response = client.get(path)
        assert response.status_code == 200
        assert "eve@example.com" in response.content.decode()
    assert SignInLink.objects.get().used_at is None
    assert "_auth_user_id" not in client.session
    assert "no-store" in response["Cache-Control"]


def test_post_on_link_signs_in_and_rotates_the_session(client, eve):
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    response = client.post(path_of(sign_in_link_create(person=eve)))
    assert response.status_code == 302
    assert response["Location"] == reverse("shadowing:home")
    session = client.session
    assert session["_auth_user_id"] == str(eve.pk)
    assert session.session_key != before
    assert "signed_in_at" in session
    assert "seen_at" in session
    assert client.get(reverse("shadowing:home")).status_code == 200


def test_link_is_single_use(client, eve):
    path = path_of(sign_in_link_create(person=eve))
    assert client.post(path).status_code == 302
    client.logout()
    response = client.post(path)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_link_shows_a_friendly_page_with_a_way_to_a_new_one(client, eve):
    path = path_of(sign_in_link_create(person=eve))
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert reverse("shadowing:sign-in") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_link_expires_with_the_clock(client, eve, monkeypatch, settings):
    path = path_of(sign_in_link_create(person=eve))
    later = timezone.now() + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES, seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert client.post(path).status_code == 410


def test_unknown_link_is_a_page_not_an_error(client):
    response = client.get("/sign-in/garbage-token/")
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()


def test_next_is_followed_when_on_this_site(client, eve):
    url = sign_in_link_create(person=eve)
    response = client.post(path_of(url), {"next": "/profile/"})
    assert response["Location"] == "/profile/"


@pytest.mark.parametrize(
    "target", ["https://evil.example.org/", "//evil.example.org/", "javascript:alert(1)"]
)
def test_next_off_site_is_ignored(client, eve, target):
    response = client.post(path_of(sign_in_link_create(person=eve)), {"next": target})
    assert response["Location"] == reverse("shadowing:home")


def test_next_travels_from_the_sign_in_form_through_the_mail(client, eve, mailoutbox):
    client.post(SIGN_IN + "?next=/profile/", {"email": "eve@example.com", "next": "/profile/"})
    path = path_of(link_in(mailoutbox[0]))
    page = client.get(path)
    assert 'name="next" value="/profile/"' in page.content.decode()
    response = client.post(path, {"next": "/profile/"})
    assert response["Location"] == "/profile/"


def test_sign_in_page_links_to_requests_and_says_when_a_session_timed_out(client, eve):
    client.post(path_of(sign_in_link_create(person=eve)))
    session = client.session
    session["seen_at"] -= 10 * 60 * 60
    session.save()
    response = client.get(reverse("shadowing:profile"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SIGN_IN)
    assert "session ended" in response.content.decode()


# Sign-out ----------------------------------------------------------------------------------------


def test_sign_out_by_post(client, eve):
    client.force_login(eve)
    response = client.post(reverse("shadowing:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("shadowing:profile")).status_code == 302


def test_sign_out_by_get_only_asks(client, eve):
    client.force_login(eve)
    response = client.get(reverse("shadowing:sign-out"))
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(eve.pk)
