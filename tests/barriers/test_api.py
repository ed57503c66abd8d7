"""The backlog API: role by action, filters, privacy of reporters, 409 for a claim that lost,
never 500, and flat query counts for the list."""

import datetime as dt

import pytest

from barriers.models import BacklogItem, Status
from barriers.services.claims import barrier_claim
from barriers.services.merges import barrier_merge
from barriers.services.resolution import barrier_resolve
from shadowing import clock
from tests.barriers.conftest import file_report, item_of

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina", "bill"]


def url(item, suffix=""):
    return f"/api/v1/barriers/{item.pk}/{suffix}"


def due(days=7):
    return (clock.local_today() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def cast(cora, hank, eve, adam, nina, bill, mo):
    return {"cora": cora, "hank": hank, "eve": eve, "adam": adam, "nina": nina, "bill": bill}


def prepare(name, item, cast, billing):
    """Put the item in the state the action needs; returns the request body."""
    hank, cora, _eve = cast["hank"], cast["cora"], cast["eve"]
    if name in ("reassign", "start"):
        barrier_claim(barrier=item, by=hank, due=clock.local_today(), first_step="x")
    if name in ("verify", "reopen"):
        barrier_resolve(barrier=item, by=hank, resolution="Done.")
    if name == "unmerge":
        other = item_of(file_report(item.links.first().report.pairing, title="Other"))
        barrier_merge(source=item, into=other, by=cora)
    return {
        "claim": {"due": due(), "first_step": "Call the vendor."},
        "reassign": {"owner": "mo@example.com"},
        "transfer": {"department": "BILL", "reason": "Billing's form."},
        "resolve": {"resolution": "One form now."},
        "wont_fix": {"reason": "Regulation."},
        "reopen": {"reason": "Still there."},
        "merge": {"into": None},
    }.get(name, {})


# eve reported the item (CARE, owned by hank). adam is in CARE but not its head; bill heads
# another department; nina is nobody. Who may see it: cora, hank, eve; others get 404.
ACTIONS = [
    ("retrieve", "get", "", (200, 200, 200, 404, 404, 404)),
    ("similar", "get", "similar/", (200, 200, 200, 404, 404, 404)),
    ("claim", "post", "claim/", (200, 200, 403, 404, 404, 404)),
    ("reassign", "post", "reassign/", (200, 200, 403, 404, 404, 404)),
    ("transfer", "post", "transfer/", (200, 200, 403, 404, 404, 404)),
    ("start", "post", "start/", (200, 200, 403, 404, 404, 404)),
    ("resolve", "post", "resolve/", (200, 200, 403, 404, 404, 404)),
    ("wont_fix", "post", "wont_fix/", (200, 200, 403, 404, 404, 404)),
    ("verify", "post", "verify/", (403, 403, 200, 404, 404, 404)),
    ("reopen", "post", "reopen/", (200, 403, 200, 404, 404, 404)),
    ("merge", "post", "merge/", (200, 403, 403, 404, 404, 404)),
    # Merged away, the item holds no report of eve's any more: she no longer sees it.
    ("unmerge", "post", "unmerge/", (200, 403, 404, 404, 404, 404)),
    ("destroy", "delete", "", (405, 405, 405, 405, 405, 405)),
]


@pytest.mark.parametrize(("name", "method", "suffix", "expected"), ACTIONS)
@pytest.mark.parametrize("who", range(len(CAST)))
def test_role_by_action(api_as, cast, item, billing, name, method, suffix, expected, who):
    body = prepare(name, item, cast, billing)
    if name == "merge":
        body["into"] = item_of(file_report(item.links.first().report.pairing, title="B")).pk
    item.refresh_from_db()
    response = getattr(api_as(cast[CAST[who]]), method)(url(item, suffix), body, format="json")
    assert response.status_code == expected[who], (CAST[who], response.content)


def test_unauthenticated_gets_401_or_403(api, item):
    assert api.get("/api/v1/barriers/").status_code in (401, 403)
    assert api.get(url(item)).status_code in (401, 403)


def test_claim_answers_with_the_commitment(api_as, hank, mo, item):
    response = api_as(hank).post(
        url(item, "claim/"),
        {"due": due(), "first_step": "Call the vendor.", "owner": "MO@example.com"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["owner"], body["claimed_by"], body["due"]) == (
        "claimed",
        "mo@example.com",
        "hank@example.com",
        due(),
    )
    assert [e["kind"] for e in body["history"]] == ["created", "claimed"]


def test_claim_when_already_claimed_returns_409(api_as, hank, cora, mo, item):
    barrier_claim(barrier=item, by=hank, due=clock.local_today(), first_step="Mine.")
    response = api_as(cora).post(
        url(item, "claim/"),
        {"due": due(), "first_step": "x", "owner": "mo@example.com"},
        format="json",
    )
    assert response.status_code == 409
    assert "Hank Head" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"due": "tomorrow", "first_step": "x"},
        {"due": "2020-01-01", "first_step": "x"},
        {"first_step": "x"},
        {"due": "2099-01-01"},
        {"due": "2099-01-01", "first_step": "x", "owner": "nobody@example.com"},
        {"due": "2099-01-01", "first_step": "x", "owner": "eve@example.com"},
    ],
)
def test_claim_with_bad_input_is_400(api_as, hank, eve, item, body):
    assert api_as(hank).post(url(item, "claim/"), body, format="json").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"department": "BILL"},
        {"department": "NOPE", "reason": "x"},
        {"department": "CARE", "reason": "x"},
    ],
)
def test_transfer_with_bad_input_is_400(api_as, hank, billing, item, body):
    assert api_as(hank).post(url(item, "transfer/"), body, format="json").status_code == 400


def test_transfer_names_the_new_owner(api_as, hank, bill, item):
    response = api_as(hank).post(
        url(item, "transfer/"), {"department": "BILL", "reason": "Theirs."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["department"], response.json()["owner"]) == (
        "BILL",
        "bill@example.com",
    )


def test_merge_into_missing_item_is_400(api_as, cora, item):
    response = api_as(cora).post(url(item, "merge/"), {"into": 999999}, format="json")
    assert response.status_code == 400


def test_list_filters(api_as, cora, hank, adam, mo, visit, billing, bill):
    care = item_of(file_report(visit, title="Care one"))
    other = item_of(file_report(visit, title="Billing one", department="BILL"))
    barrier_claim(barrier=care, by=hank, owner=mo, due=clock.local_today(), first_step="x")
    api = api_as(cora)

    def ids(query):
        response = api.get(f"/api/v1/barriers/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {care.pk, other.pk}
    assert ids("department=BILL") == {other.pk}
    assert ids("status=claimed") == {care.pk}
    assert ids("status=new") == {other.pk}
    assert ids("owner=mo@example.com") == {care.pk}
    assert ids("owner=BILL@example.com") == {other.pk}
    assert ids("status=open&department=CARE") == {care.pk}
    assert ids("department=NOPE") == set()


@pytest.mark.parametrize("query", ["status=bogus", "department=%00", "owner=a%00b"])
def test_list_bad_filters_are_400(api_as, cora, query):
    assert api_as(cora).get(f"/api/v1/barriers/?{query}").status_code == 400


def test_list_shows_each_person_only_what_they_may_see(
    api_as, cora, hank, eve, adam, bill, nina, item
):
    counts = {
        p.email: api_as(p).get("/api/v1/barriers/").json()["count"]
        for p in (cora, hank, eve, adam, bill, nina)
    }
    assert counts == {
        "cora@example.com": 1,
        "hank@example.com": 1,
        "eve@example.com": 1,
        "adam@example.com": 0,
        "bill@example.com": 0,
        "nina@example.com": 0,
    }


def test_anonymous_agent_is_anonymous_to_the_head_and_named_to_the_coordinator(
    api_as, cora, hank, adam, visit
):
    report = file_report(visit, by=adam, anonymous=True, withheld_from=[hank.pk])
    item = item_of(report)
    for person, expected in (
        (hank, "anonymous"),
        (cora, "adam@example.com"),
        (adam, "adam@example.com"),
    ):
        if person == adam:
            continue  # adam sees the item as its reporter below
        rows = api_as(person).get(url(item)).json()["reports"]
        assert rows[0]["reporter"] == expected, person
    rows = api_as(adam).get(url(item)).json()["reports"]
    assert rows[0]["reporter"] == "adam@example.com"


def test_debrief_link_only_for_its_executive_and_coordinators(api_as, cora, hank, eve, item):
    for person, shown in ((cora, True), (eve, True), (hank, False)):
        row = api_as(person).get(url(item)).json()["reports"][0]
        assert (row["debrief"] is not None) == shown, person


def test_similar_returns_paraphrase_first(api_as, cora, visit, adam):
    first = item_of(file_report(visit))
    item_of(
        file_report(
            visit,
            by=adam,
            title="Store shelves empty",
            description="Phones show in stock but are not there.",
        )
    )
    paraphrase = item_of(
        file_report(
            visit,
            by=adam,
            title="Agents re-type the customer's address on the second refund screen",
            description="Everything keyed on the first screen has to be entered again.",
        )
    )
    response = api_as(cora).get(url(first, "similar/"))
    assert response.status_code == 200
    assert response.json()[0]["item"]["id"] == paraphrase.pk
    assert 0 < response.json()[0]["score"] <= 1


def test_scoreboard(api_as, nina, hank, item):
    barrier_claim(barrier=item, by=hank, due=clock.local_today(), first_step="x")
    rows = {
        row["department"]: row for row in api_as(nina).get("/api/v1/barriers/scoreboard/").json()
    }
    assert rows["CARE"]["owned"] == 1
    assert rows["CARE"]["claimed"] == 1
    assert rows["CARE"]["claimed_nothing"] is False


def make_items(visit, n, department="CARE"):
    for index in range(n):
        file_report(visit, title=f"Barrier {index}", department=department)


@pytest.mark.parametrize("who", ["cora", "hank"])
def test_list_query_count_is_flat(request, api_as, visit, hank, mo, who, django_assert_num_queries):
    person = request.getfixturevalue(who)
    make_items(visit, 2)
    with django_assert_num_queries(2):  # count, page (department, owner, claimer joined)
        assert api_as(person).get("/api/v1/barriers/").status_code == 200
    make_items(visit, 12)
    barrier_claim(
        barrier=BacklogItem.objects.first(),
        by=hank,
        owner=mo,
        due=clock.local_today(),
        first_step="x",
    )
    with django_assert_num_queries(2):
        response = api_as(person).get("/api/v1/barriers/?status=open&department=CARE")
        assert response.json()["count"] == 14


def test_detail_query_count_is_flat(api_as, cora, visit, adam, django_assert_max_num_queries):
    item = item_of(file_report(visit))
    with django_assert_max_num_queries(12) as few:
        api_as(cora).get(url(item))
    for index in range(10):
        report = file_report(visit, by=adam, title=f"Same {index}", anonymous=bool(index % 2))
        barrier_merge(source=item_of(report), into=item, by=cora)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = api_as(cora).get(url(item))
    assert len(response.json()["reports"]) == 11


def test_no_500_for_a_huge_id(api_as, cora):
    assert api_as(cora).get("/api/v1/barriers/99999999999999999999/").status_code in (400, 404)


def test_merged_item_is_listed_only_when_asked(api_as, cora, visit, adam):
    first = item_of(file_report(visit))
    second = item_of(file_report(visit, by=adam, title="Two"))
    barrier_merge(source=second, into=first, by=cora)
    ids = {r["id"] for r in api_as(cora).get("/api/v1/barriers/").json()["results"]}
    assert ids == {first.pk}
    merged = api_as(cora).get("/api/v1/barriers/?status=merged").json()["results"]
    assert [(r["id"], r["merged_into"]) for r in merged] == [(second.pk, first.pk)]
    assert BacklogItem.objects.get(pk=second.pk).status == Status.MERGED


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("merge/", {"into": 10**30}),
        ("merge/", {"into": "x"}),
        ("claim/", {"due": "2099-01-01", "first_step": "x", "owner": "a\x00@example.com"}),
        ("transfer/", {"department": "B\x00", "reason": "x"}),
        ("resolve/", {"resolution": ""}),
        ("wont_fix/", {"reason": "x" * 3000}),
    ],
)
def test_odd_input_is_400_not_500(api_as, cora, item, suffix, body):
    assert api_as(cora).post(url(item, suffix), body, format="json").status_code == 400
