"""The debrief pages, role by action; the form without JavaScript (save, add, remove, submit,
errors next to the fields); the autosave endpoint; the home panel; the coordinator's completion
view and nudge; page weight."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from debriefs.models import BarrierReport, Debrief, DebriefStatus
from tests.debriefs.conftest import barrier, make_visit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina"]


def page(pairing):
    return reverse("debriefs:pairing-debrief", args=[pairing.pk])


def draft_url(pairing):
    return reverse("debriefs:pairing-debrief-draft", args=[pairing.pk])


def as_post(body: dict, action="save") -> dict:
    data = {
        "overall": body.get("overall", ""),
        "rating": body.get("rating") or "",
        "commitment": body.get("commitment", ""),
        "action": action,
    }
    for index, item in enumerate(body.get("barriers", [])):
        for name, value in item.items():
            data[f"barriers-{index}-{name}"] = "" if value is None else value
    return data


def complete(barriers=2):
    return {
        "overall": "Long holds for a supervisor's override.",
        "rating": 2,
        "commitment": "Agents get the override.",
        "barriers": [barrier(title=f"Barrier {n}") for n in range(barriers)],
    }


@pytest.fixture
def submitted(eve, visit):
    from debriefs.services.drafts import debrief_create
    from debriefs.services.submission import debrief_submit

    debrief = debrief_create(pairing=visit, by=eve, body=complete())
    debrief_submit(debrief=debrief, by=eve)
    return Debrief.objects.get(pk=debrief.pk)


# Role by action -----------------------------------------------------------------------------

PAGES = [
    # name, method, needs a submitted debrief, expected for CAST
    ("page-get", "get", False, (200, 404, 200, 404, 404)),
    ("page-post", "post", False, (403, 404, 302, 404, 404)),
    ("draft", "post", False, (403, 404, 200, 404, 404)),
    ("reopen", "post", True, (302, 404, 403, 404, 404)),
    ("completion", "get", False, (200, 403, 403, 403, 404)),
    ("nudge", "post", False, (302, 403, 403, 403, 404)),
    ("reports", "get", False, (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(("name", "method", "needs_submitted", "expected"), PAGES)
@pytest.mark.parametrize("who", range(len(CAST)))
def test_pages_role_by_action(request, client, visit, name, method, needs_submitted, expected, who):
    if needs_submitted:
        request.getfixturevalue("submitted")
    urls = {
        "page-get": page(visit),
        "page-post": page(visit),
        "draft": draft_url(visit),
        "reopen": reverse("debriefs:pairing-debrief-reopen", args=[visit.pk]),
        "completion": reverse("debriefs:completion", args=[visit.programme.slug]),
        "nudge": reverse("debriefs:nudge", args=[visit.programme.slug, visit.pk]),
        "reports": reverse("debriefs:barrier-reports"),
    }
    client.force_login(request.getfixturevalue(CAST[who]))
    if name == "draft":
        response = client.post(urls[name], "{}", content_type="application/json")
    elif method == "post":
        response = client.post(urls[name], as_post(complete()))
    else:
        response = client.get(urls[name])
    assert response.status_code == expected[who], CAST[who]


def test_anonymous_visitors_are_sent_to_sign_in(client, visit):
    response = client.get(page(visit))
    assert response.status_code == 302
    assert reverse("shadowing:sign-in") in response["Location"]


def test_a_missing_visit_is_404(client, eve):
    client.force_login(eve)
    assert client.get("/visits/999999/debrief/").status_code == 404


# The form without JavaScript ----------------------------------------------------------------


def test_the_form_has_labelled_fields(client, eve, visit):
    client.force_login(eve)
    html = client.get(page(visit)).content.decode()
    for field_id in ("id_overall", "id_rating_1", "id_rating_5", "id_commitment"):
        assert f'for="{field_id}"' in html
    assert '<template id="barrier-template">' in html
    assert 'value="add"' in html
    assert 'value="submit"' in html


def test_save_draft_then_add_and_remove_barriers(client, eve, visit):
    client.force_login(eve)
    body = complete(barriers=1)
    response = client.post(page(visit), as_post(body, "add"))
    assert response.status_code == 302
    assert "add=1" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert 'name="barriers-1-title"' in html  # the empty row to fill
    body["barriers"].append(barrier(title="Second"))
    client.post(page(visit), as_post(body, "save"))
    assert [b["title"] for b in Debrief.objects.get().barriers] == ["Barrier 0", "Second"]
    keys = [b["key"] for b in Debrief.objects.get().barriers]
    data = as_post({**body, "barriers": Debrief.objects.get().barriers}, "remove:0")
    client.post(page(visit), data)
    stored = Debrief.objects.get().barriers
    assert [b["title"] for b in stored] == ["Second"]
    assert stored[0]["key"] == keys[1]


def test_blank_barrier_rows_are_ignored(client, eve, visit):
    client.force_login(eve)
    body = complete(barriers=1)
    body["barriers"].append({name: "" for name in barrier()})
    client.post(page(visit), as_post(body, "save"))
    assert len(Debrief.objects.get().barriers) == 1


def test_submit_with_gaps_shows_errors_next_to_fields(client, eve, visit):
    client.force_login(eve)
    body = {**complete(), "overall": "", "rating": None}
    body["barriers"][1]["title"] = ""
    response = client.post(page(visit), as_post(body, "submit"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_overall"' in html
    assert 'href="#id_barriers-1-title"' in html
    error = re.search(r'<p class="field-error" id="id_barriers-1-title-error">([^<]+)</p>', html)
    assert error
    assert "title" in error.group(1)
    assert re.search(r'id="id_barriers-1-title"[^>]*aria-invalid="true"', html)
    # Nothing typed is lost.
    assert "Barrier 0" in html
    assert Debrief.objects.get().status == DebriefStatus.DRAFT


def test_submit_then_the_page_is_read_only(client, eve, visit):
    client.force_login(eve)
    response = client.post(page(visit), as_post(complete(), "submit"))
    assert response.status_code == 302
    html = client.get(page(visit)).content.decode()
    assert 'id="debrief-form"' not in html
    assert "read-only" in html
    assert "Barrier 1" in html
    assert "data-clear-draft" in html


def test_a_double_tap_on_submit_files_once(client, eve, visit):
    client.force_login(eve)
    first = client.post(page(visit), as_post(complete(), "submit"))
    second = client.post(page(visit), as_post(complete(), "submit"))
    assert first.status_code == 302
    assert second.status_code == 200  # the read-only debrief
    assert BarrierReport.objects.count() == 2


def test_a_visit_not_started_says_so(client, eve, upcoming):
    client.force_login(eve)
    response = client.get(page(upcoming))
    assert response.status_code == 200
    assert "once the visit has started" in response.content.decode()
    assert not Debrief.objects.exists()


def test_coordinator_reads_and_reopens(
    client, cora, eve, submitted, visit, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    html = client.get(page(visit)).content.decode()
    assert "Debrief by Eve Executive" in html
    assert "Reopen for the executive" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("debriefs:pairing-debrief-reopen", args=[visit.pk]))
    assert Debrief.objects.get().status == DebriefStatus.REOPENED
    assert [m.to for m in mail.outbox] == [["eve@example.com"]]
    client.force_login(eve)
    assert 'id="debrief-form"' in client.get(page(visit)).content.decode()


# Autosave --------------------------------------------------------------------------------------


def autosave(client, pairing, body):
    return client.post(draft_url(pairing), json.dumps(body), content_type="application/json")


def test_autosave_creates_and_saves_partial_drafts(client, eve, visit):
    client.force_login(eve)
    first = autosave(client, visit, {"overall": "Half"})
    assert first.status_code == 200
    second = autosave(client, visit, {"overall": "Half a thought, 604 555 0199"})
    assert second.json()["revision"] > first.json()["revision"]
    assert second.json()["warnings"] == [{"field": "overall", "kinds": ["phone"]}]
    assert Debrief.objects.get().overall.startswith("Half a thought")


def test_autosave_after_submit_is_409(client, eve, visit, submitted):
    client.force_login(eve)
    response = autosave(client, visit, {"overall": "late"})
    assert response.status_code == 409
    assert Debrief.objects.get().overall != "late"


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b'{"rating": 9}'])
def test_autosave_refuses_bad_input_with_400(client, eve, visit, payload):
    client.force_login(eve)
    response = client.post(draft_url(visit), payload, content_type="application/json")
    assert response.status_code == 400


def test_autosave_needs_the_csrf_token(eve, visit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(eve)
    assert autosave(client, visit, {"overall": "x"}).status_code == 403


# Home page -------------------------------------------------------------------------------------


def test_home_offers_the_debrief_once_the_visit_started(client, eve, visit, upcoming):
    client.force_login(eve)
    html = client.get(reverse("shadowing:home")).content.decode()
    assert "File your debrief" in html
    assert page(visit) in html
    assert page(upcoming) not in html
    autosave(client, visit, {"overall": "x"})
    assert "Continue your debrief" in client.get(reverse("shadowing:home")).content.decode()


def test_home_after_submission_offers_to_view(client, eve, submitted):
    client.force_login(eve)
    html = client.get(reverse("shadowing:home")).content.decode()
    assert "View your debrief" in html
    assert "File your debrief" not in html


def test_home_gives_the_agent_his_link(client, adam, visit):
    client.force_login(adam)
    html = client.get(reverse("shadowing:home")).content.decode()
    assert "Add the barriers you face" in html
    assert "/agent/" in html


def test_home_gives_the_coordinator_the_completion_view(client, cora):
    client.force_login(cora)
    assert "Debrief completion" in client.get(reverse("shadowing:home")).content.decode()


# Completion ----------------------------------------------------------------------------------


def test_completion_counts_by_department_and_lists_the_unfiled(client, cora, programme, submitted):
    finance_exec = PersonFactory(department=submitted.pairing.executive.department)
    draft_visit = make_visit(programme, finance_exec, PersonFactory(), programme.start_date)
    Debrief.objects.create(pairing=draft_visit)
    missing = make_visit(programme, PersonFactory(), PersonFactory(), programme.start_date)
    client.force_login(cora)
    response = client.get(reverse("debriefs:completion", args=[programme.slug]))
    html = response.content.decode()
    assert "1 filed, 1 in draft, 1 not begun" in html
    assert missing.executive.full_name in html
    assert finance_exec.full_name in html
    assert (
        submitted.pairing.executive.full_name
        not in html.split('id="unfiled"')[1].split('id="filed"')[0]
    )


def test_completion_query_count_is_flat(client, cora, programme, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            make_visit(programme, PersonFactory(), PersonFactory(), programme.start_date)

    client.force_login(cora)
    url = reverse("debriefs:completion", args=[programme.slug])
    add(1)
    client.get(url)  # the first request of a session writes the session
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_nudge_mails_the_executive_once_an_hour(
    client, cora, visit, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    url = reverse("debriefs:nudge", args=[visit.programme.slug, visit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eve@example.com"]
    assert page(visit) in mail.outbox[0].body
    assert "Cora Coordinator" in mail.outbox[0].body


def test_nudge_through_the_api(api_as, cora, visit):
    response = api_as(cora).post("/api/v1/debriefs/nudge/", {"pairing": visit.pk})
    assert response.json() == {"pairing": visit.pk, "sent": True}
    again = api_as(cora).post("/api/v1/debriefs/nudge/", {"pairing": visit.pk})
    assert again.json() == {"pairing": visit.pk, "sent": False}


def test_completion_through_the_api(api_as, cora, eve, programme, submitted):
    response = api_as(cora).get(f"/api/v1/debriefs/completion/?programme={programme.slug}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "department": "FIN",
            "department_name": "Finance",
            "filed": 1,
            "draft": 0,
            "missing": 0,
            "upcoming": 0,
            "no_show": 0,
        }
    ]
    assert (
        api_as(eve).get(f"/api/v1/debriefs/completion/?programme={programme.slug}").status_code
        == 403
    )


# Weight -------------------------------------------------------------------------------------------


def test_the_debrief_page_weighs_under_100_kb(client, eve, visit):
    """HTML, CSS and script before images, with two barriers and the demo's departments."""
    from tests.factories import DepartmentFactory

    for n in range(12):
        DepartmentFactory(code=f"DEPT{n}", name=f"A department with a long name {n}")
    client.force_login(eve)
    body = complete(barriers=2)
    client.post(page(visit), as_post(body, "save"))
    html = client.get(page(visit)).content
    static_root = Path(settings.BASE_DIR) / "static"
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert {a.decode() for a in assets} >= {"css/app.css", "css/debriefs.css", "js/debrief.js"}
    total = len(html) + sum((static_root / a.decode()).stat().st_size for a in set(assets))
    assert total < 100 * 1024, total
