"""The backlog's pages without JavaScript: who sees what, the actions as plain form posts,
reporter privacy, triage, scoreboard, home panel, and flat query counts."""

import datetime as dt

import pytest

from barriers.models import BacklogItem, Status
from barriers.services.claims import barrier_claim
from shadowing import clock
from tests.barriers.conftest import file_report, item_of

pytestmark = pytest.mark.django_db


def page(item, action=None):
    return f"/backlog/{item.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", 200), ("hank", 200), ("eve", 200), ("adam", 404), ("nina", 404), ("bill", 404)],
)
def test_item_page_by_role(request, as_, item, who, expected):
    response = as_(request.getfixturevalue(who)).get(page(item))
    assert response.status_code == expected


def test_pages_need_sign_in(client, item):
    for path in ("/backlog/", page(item), "/backlog/triage/", "/backlog/scoreboard/"):
        assert client.get(path).status_code == 302


def test_head_claims_from_the_page(as_, hank, mo, item):
    due = (clock.local_today() + dt.timedelta(days=10)).isoformat()
    client = as_(hank)
    assert b'name="first_step"' in client.get(page(item)).content
    response = client.post(
        page(item, "claim"), {"owner": mo.pk, "due": due, "first_step": "Call the vendor."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner) == (Status.CLAIMED, mo)
    assert b"Call the vendor." in client.get(page(item)).content


def test_claim_form_errors_are_shown(as_, hank, item):
    response = as_(hank).post(page(item, "claim"), {"owner": hank.pk, "due": "", "first_step": ""})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_a_claim_that_lost_says_who_won(as_, hank, cora, mo, item):
    barrier_claim(barrier=item, by=hank, due=clock.local_today(), first_step="x")
    due = (clock.local_today() + dt.timedelta(days=3)).isoformat()
    BacklogItem.objects.filter(pk=item.pk)  # the page was read before hank's claim
    response = as_(cora).post(
        page(item, "claim"), {"owner": mo.pk, "due": due, "first_step": "y"}, follow=True
    )
    assert response.status_code == 200
    assert b"Hank Head" in response.content


@pytest.mark.parametrize("who", ["adam", "eve"])
def test_people_who_may_not_claim_get_403_or_404(request, as_, item, who):
    response = as_(request.getfixturevalue(who)).post(page(item, "claim"), {})
    assert response.status_code in (403, 404)


def test_unknown_action_is_404(as_, cora, item):
    assert as_(cora).post(page(item, "explode")).status_code == 404


def test_transfer_resolve_verify_from_the_pages(as_, hank, bill, eve, cora, billing, item):
    as_(hank).post(page(item, "transfer"), {"department": billing.pk, "reason": "Theirs."})
    item.refresh_from_db()
    assert item.owner == bill
    as_(bill).post(page(item, "resolve"), {"resolution": "Fixed the form."})
    item.refresh_from_db()
    assert item.status == Status.RESOLVED
    client = as_(eve)
    assert b"Yes, verified" in client.get(page(item)).content
    client.post(page(item, "verify"))
    item.refresh_from_db()
    assert item.status == Status.VERIFIED


def test_a_head_who_transfers_away_lands_on_their_backlog(as_, hank, cora, billing, item):
    """Hank may no longer open the item once it is Billing's: no dead end on a 404."""
    client = as_(hank)
    response = client.post(
        page(item, "transfer"), {"department": billing.pk, "reason": "Theirs."}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [("/backlog/", 302)]
    assert "Transferred." in response.content.decode()
    assert "It is no longer in your backlog." in response.content.decode()
    assert client.get(page(item)).status_code == 404


def _reports_section(response) -> str:
    return response.content.decode().split('id="reports-heading"')[1].split("</section>")[0]


def test_anonymous_agent_name_is_withheld_on_the_page(as_, hank, cora, adam, visit):
    item = item_of(file_report(visit, by=adam, anonymous=True, withheld_from=[hank.pk]))
    seen_by_hank = _reports_section(as_(hank).get(page(item)))
    assert "Adam Agent" not in seen_by_hank
    assert "Name withheld" in seen_by_hank
    assert "Adam Agent" in _reports_section(as_(cora).get(page(item)))
    history = as_(hank).get(page(item)).content.decode().split('id="history-heading"')[1]
    assert "adam@example.com" not in history.split("</section>")[0]


def test_debrief_link_only_for_its_executive_and_coordinators(as_, hank, eve, cora, item):
    link = b"/debrief/"
    assert link in as_(eve).get(page(item)).content
    assert link in as_(cora).get(page(item)).content
    assert link not in as_(hank).get(page(item)).content


def test_head_lands_on_their_department(as_, hank, visit, billing, bill):
    care = item_of(file_report(visit, title="Care barrier"))
    other = item_of(file_report(visit, title="Billing barrier", department="BILL"))
    content = as_(hank).get("/backlog/").content
    assert care.title.encode() in content
    assert other.title.encode() not in content


def test_triage_suggests_the_paraphrase_and_merges_it(as_, cora, visit, adam):
    first = item_of(file_report(visit))
    second = item_of(
        file_report(
            visit,
            by=adam,
            title="Agents re-type the customer's address on the second refund screen",
            description="Everything keyed on the first screen has to be entered again.",
        )
    )
    content = as_(cora).get("/backlog/triage/").content.decode()
    assert f"Merge into #{first.pk}" in content
    response = as_(cora).post(page(second, "merge"), {"into": first.pk, "next": "triage"})
    assert response.status_code == 302
    assert response.url == "/backlog/triage/"
    second.refresh_from_db()
    assert second.status == Status.MERGED
    as_(cora).post(page(second, "unmerge"))
    second.refresh_from_db()
    assert second.status == Status.NEW


def test_triage_is_for_coordinators(as_, hank):
    assert as_(hank).get("/backlog/triage/").status_code == 403


def test_scoreboard_shows_departments_that_claimed_nothing(as_, nina, visit, hank, billing, bill):
    care = item_of(file_report(visit))
    item_of(file_report(visit, title="Billing barrier", department="BILL"))
    barrier_claim(barrier=care, by=hank, due=clock.local_today(), first_step="x")
    content = as_(nina).get("/backlog/scoreboard/").content.decode()
    idle = content.split('id="idle-heading"')[1].split("</section>")[0]
    assert "Billing (BILL)" in idle
    assert "Customer Care" not in idle


def test_home_panel_for_a_head(as_, hank, item):
    content = as_(hank).get("/").content.decode()
    assert "1 item of your department waits for a claim." in content


def test_pages_have_no_inline_script_or_style(as_, cora, item):
    for path in ("/backlog/", page(item), "/backlog/triage/", "/backlog/scoreboard/"):
        content = as_(cora).get(path).content.decode()
        assert "<script>" not in content
        assert "style=" not in content
        assert "<style" not in content


def test_list_query_count_is_flat(as_, cora, visit, django_assert_max_num_queries):
    file_report(visit)
    client = as_(cora)
    with django_assert_max_num_queries(30) as one:
        client.get("/backlog/")
    for index in range(15):
        file_report(visit, title=f"Barrier {index}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/backlog/")


def test_triage_query_count_is_flat(as_, cora, visit, django_assert_max_num_queries):
    file_report(visit)
    client = as_(cora)
    with django_assert_max_num_queries(40) as one:
        client.get("/backlog/triage/")
    for index in range(10):
        file_report(visit, title=f"Barrier {index}")
    with django_assert_max_num_queries(len(one.captured_queries) + 1):
        client.get("/backlog/triage/")


def test_pages_in_french(as_, hank, item):
    hank.ui_language = "fr-ca"
    hank.save()
    content = as_(hank).get(page(item)).content.decode()
    assert "Prendre en charge" in content
    assert "Historique" in content


def test_nav_links_to_the_backlog(as_, nina):
    assert 'href="/backlog/"' in as_(nina).get("/").content.decode()


def test_admin_pages_for_coordinators(as_, cora, item):
    client = as_(cora)
    for path in (
        "/admin/barriers/backlogitem/",
        f"/admin/barriers/backlogitem/{item.pk}/change/",
        "/admin/barriers/itemevent/",
        "/admin/barriers/merge/",
        "/admin/barriers/notice/",
        "/admin/barriers/backlogsettings/",
        "/admin/barriers/backlogsettings/1/change/",
    ):
        assert client.get(path).status_code == 200, path
