"""Secure from the start: deploy checks, CSP, CSRF, no secret needed in the repository."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from shadowing.organisation.sign_in import sign_in_link_create

BASE_DIR = Path(__file__).resolve().parents[1]


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.com",
        BASE_URL="https://example.com",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_mail_written_to_files_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=production_env(EMAIL_URL="filemail:///tmp/mail"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr + result.stdout


def test_deploy_check_warns_when_the_secret_key_is_not_shared_through_the_environment():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "shadowing.W001" in result.stderr + result.stdout


def test_with_nothing_set_commands_run_on_a_key_made_on_first_use():
    env = {k: v for k, v in production_env().items() if k not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    key_file = BASE_DIR / "var" / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


# Content Security Policy ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/sign-in/", "/sign-in/unknown-token/", "/profile/", "/"])
def test_pages_carry_a_strict_csp_header(client, eve, url):
    client.force_login(eve)
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_templates_hold_no_inline_script_or_style():
    """A strict CSP blocks them; mail templates are exempt (no CSP applies to mail)."""
    offenders = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        if "email" in template.parts:
            continue
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"<style\b|\sstyle=|\son[a-z]+=", text
        ):
            offenders.append(str(template.relative_to(BASE_DIR)))
    assert offenders == []


# CSRF -------------------------------------------------------------------------------------------


class PostForms(HTMLParser):
    """Collects, for each POST form of a page, whether it carries the CSRF token."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = {"action": attrs.get("action"), "csrf": False}
            self.forms.append(self._open)
        elif tag == "input" and self._open and attrs.get("name") == "csrfmiddlewaretoken":
            self._open["csrf"] = bool(attrs.get("value"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


@pytest.mark.django_db
def test_every_post_form_on_our_pages_carries_the_csrf_token(client, cora, adam):
    pages = ["/sign-in/", path_of(sign_in_link_create(person=adam))]
    client.force_login(adam)  # an agent: the profile shows the hosting switch as well
    pages += ["/", "/profile/", "/sign-out/"]
    forms = []
    for page in pages:
        parser = PostForms()
        parser.feed(client.get(page).content.decode())
        forms += [(page, form) for form in parser.forms]
    assert forms, "no POST form found"
    assert [(page, f["action"]) for page, f in forms if not f["csrf"]] == []


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "as_person"),
    [
        ("/sign-in/", {"email": "eve@example.com"}, False),
        ("/sign-out/", {}, True),
        ("/profile/", {"ui_language": "fr-ca"}, True),
        ("/profile/language/", {"language": "fr-ca"}, True),
        ("/i18n/setlang/", {"language": "fr-ca"}, False),
    ],
)
def test_post_without_csrf_token_is_refused(eve, mailoutbox, url, data, as_person):
    client = Client(enforce_csrf_checks=True)
    if as_person:
        client.force_login(eve)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()  # our page, not Django's
    assert mailoutbox == []
    eve.refresh_from_db()
    assert eve.ui_language == ""


@pytest.mark.django_db
def test_sign_in_link_post_without_csrf_token_is_refused(eve):
    client = Client(enforce_csrf_checks=True)
    path = path_of(sign_in_link_create(person=eve))
    assert client.post(path).status_code == 403
    # With the token from the confirmation page it goes through.
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 302


# Cookies and headers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site(client, eve):
    response = client.post(path_of(sign_in_link_create(person=eve)))
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_pages_cannot_be_framed_or_sniffed(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
