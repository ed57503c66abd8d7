"""`login_link EMAIL` and `issue_token EMAIL [--rotate]`."""

import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from shadowing.organisation.models import SignInLink

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_login_link_prints_a_working_one_time_link(client, eve, settings):
    url = run("login_link", "EVE@example.com")
    assert url.startswith(settings.BASE_URL + "/sign-in/")
    assert SignInLink.objects.filter(person=eve).count() == 1
    path = urlsplit(url).path
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(eve.pk)
    client.logout()
    assert client.post(path).status_code == 410


@pytest.mark.parametrize("command", ["login_link", "issue_token"])
def test_unknown_email_is_a_clear_error(command, eve):
    with pytest.raises(CommandError, match="No person with the e-mail address"):
        run(command, "nobody@example.com")


@pytest.mark.parametrize("command", ["login_link", "issue_token"])
def test_inactive_person_is_a_clear_error(command, eve):
    eve.is_active = False
    eve.save()
    with pytest.raises(CommandError, match="inactive"):
        run(command, "eve@example.com")


def test_issue_token_gives_the_same_key_twice_and_a_new_one_on_rotate(eve):
    first = run("issue_token", "eve@example.com")
    assert run("issue_token", "Eve@Example.com") == first
    rotated = run("issue_token", "eve@example.com", "--rotate")
    assert rotated != first
    assert Token.objects.get(user=eve).key == rotated


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/people/"])
def test_issued_token_authenticates_on_the_api(api, eve, url):
    key = run("issue_token", "eve@example.com")
    response = api.get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_rotated_token_stops_working_at_once(api, eve):
    old = run("issue_token", "eve@example.com")
    run("issue_token", "eve@example.com", "--rotate")
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {old}")
    assert response.status_code == 401


def test_token_of_an_inactive_person_is_refused(api, eve):
    key = run("issue_token", "eve@example.com")
    eve.is_active = False
    eve.save()
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_unknown_token_is_401(api, eve):
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401


def test_no_credentials_is_401(api):
    assert api.get("/api/v1/people/").status_code == 401


def test_bad_email_from_the_shell_exits_non_zero_without_traceback(tmp_path):
    # A fresh, empty database: the command must still answer like a coordinator expects.
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "true",
        "TESTING": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "consolemail://",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "login_link", "nobody@example.com"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "No person with the e-mail address" in result.stderr
    assert "Traceback" not in result.stderr
