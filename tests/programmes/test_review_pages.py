"""The coordinator's pairing review page: role by action, query counts, the table and its
filters, reasons and unpaired executives in words, the summary, hand changes and the run's
progress bar."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shadowing.programmes.pairing_models import (
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    RepairReason,
    UnpairedExecutive,
)
from shadowing.programmes.store.runs import pairing_run_start
from tests.factories import DepartmentFactory, PersonFactory, SiteFactory
from tests.programmes.conftest import MON, TUE, WED, make_pairing, make_shift

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


def page_url(programme, name="programme-pairings", **kwargs) -> str:
    return reverse(f"shadowing:{name}", kwargs={"slug": programme.slug, **kwargs})


def done_run(programme, *unpaired) -> PairingRun:
    """A finished run that left short the (executive, reason, params) of `unpaired`."""
    run = PairingRun.objects.create(
        programme=programme,
        status=PairingRunStatus.DONE,
        progress=100,
        message="Paired.",
        finished_at=timezone.now(),
    )
    for executive, reason, params in unpaired:
        UnpairedExecutive.objects.create(run=run, executive=executive, reason=reason, params=params)
    return run


def html_of(response) -> str:
    return response.content.decode()


# Role by action -------------------------------------------------------------------------------

# (url name, method, whether the URL names a pairing, expected status for each of CAST).
# Adam (agent) takes no part in the programme (Ada hosts the pairing): he does not see it.
ACTIONS = [
    ("programme-pairings", "get", False, (200, 403, 403, 404, 404)),
    ("pairing-assign", "post", False, (400, 403, 403, 404, 404)),
    ("pairing-swap", "post", False, (400, 403, 403, 404, 404)),
    ("pairing-lock", "post", True, (302, 403, 403, 404, 404)),
    ("pairing-unlock", "post", True, (302, 403, 403, 404, 404)),
]


@pytest.mark.parametrize("person", [None, *CAST], indirect=True)
@pytest.mark.parametrize(("name", "method", "detail", "by_person"), ACTIONS)
def test_role_by_action(as_client, person, spring, eve, ada, name, method, detail, by_person):
    pairing = make_pairing(spring, eve, ada, MON)
    url = page_url(spring, name, **({"pk": pairing.pk} if detail else {}))
    response = getattr(as_client, method)(url)
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("shadowing:sign-in"))
    else:
        expected = dict(zip(CAST, by_person, strict=True))[person.email.split("@")[0]]
        assert response.status_code == expected
    pairing.refresh_from_db()
    if name == "pairing-lock" and person is not None and person.is_coordinator:
        assert pairing.status == PairingStatus.LOCKED
    else:
        assert pairing.status == PairingStatus.PROPOSED


@pytest.mark.parametrize("name", ["programme-pairings", "pairing-assign", "pairing-swap"])
def test_an_unknown_programme_is_404(client, cora, name):
    client.force_login(cora)
    url = reverse(f"shadowing:{name}", kwargs={"slug": "nope"})
    response = client.post(url) if name != "programme-pairings" else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["pairing-assign", "pairing-swap", "pairing-lock"])
def test_actions_need_post(client, cora, spring, eve, ada, name):
    pairing = make_pairing(spring, eve, ada, MON)
    client.force_login(cora)
    kwargs = {"pk": pairing.pk} if name == "pairing-lock" else {}
    assert client.get(page_url(spring, name, **kwargs)).status_code == 405


def test_a_pairing_of_another_programme_is_404(client, cora, spring, eve, ada):
    from shadowing.programmes.models import Programme

    other = Programme.objects.create(slug="other", name="Other", start_date=MON, end_date=MON)
    pairing = make_pairing(other, eve, ada, MON)
    client.force_login(cora)
    assert client.post(page_url(spring, "pairing-lock", pk=pairing.pk)).status_code == 404


# Query counts ---------------------------------------------------------------------------------


def many_pairings(programme, n: int) -> None:
    """`n` pairings over several departments, sites and dates, and as many unpaired rows."""
    departments = [DepartmentFactory(code=f"D{i}") for i in range(3)]
    sites = [SiteFactory(code=f"S{i}", daily_visitor_limit=3) for i in range(4)]
    run = PairingRun.objects.filter(programme=programme).first()
    for i in range(n):
        executive = PersonFactory(is_executive=True, department=departments[i % 3])
        agent = PersonFactory(is_agent=True, site=sites[i % 4])
        pairing = make_pairing(programme, executive, agent, [MON, TUE, WED][i % 3])
        pairing.reasons = ["kept", "shared_language:en", "travel_same_region"]
        pairing.status = [PairingStatus.PROPOSED, PairingStatus.LOCKED][i % 2]
        pairing.save()
        UnpairedExecutive.objects.create(
            run=run,
            executive=PersonFactory(is_executive=True, department=departments[i % 3]),
            reason="sites_full",
            params={"site_days": "2"},
        )


# session, user, programme, filter choices (2), pairings (count, page), latest run, unpaired
# (count, page), summary (5: paired and all by department, fully paired, by status, by site and
# day).
PAGE_QUERIES = 15


def test_the_page_query_count_does_not_grow_with_rows(
    client, cora, spring, eve, ada, hank, django_assert_num_queries
):
    make_pairing(spring, eve, ada, MON)
    done_run(spring, (hank, "no_agents_in_region", {"region": "West"}))
    client.force_login(cora)
    client.get(page_url(spring))  # warm the session
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url(spring)).status_code == 200
    many_pairings(spring, 120)  # more than two pages of pairings and of unpaired
    with django_assert_num_queries(PAGE_QUERIES):
        html = html_of(client.get(page_url(spring)))
    assert "page 1 of 3" in html
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(page_url(spring) + "?page=2&unpaired_page=2&department=D1&q=person")


def test_a_refused_assignment_renders_in_bounded_queries(
    client, cora, spring, eve, ada, django_assert_max_num_queries
):
    client.force_login(cora)
    make_pairing(spring, eve, ada, MON)
    done_run(spring)
    form = {"executive": "eve@example.com", "agent": "ada@example.com", "date": "2027-03-09"}
    with django_assert_max_num_queries(40) as few:
        assert client.post(page_url(spring, "pairing-assign"), form).status_code == 400
    many_pairings(spring, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.post(page_url(spring, "pairing-assign"), form).status_code == 400


# The table ------------------------------------------------------------------------------------


def test_each_row_shows_people_site_local_time_status_and_reasons_in_words(
    client, cora, spring, eve, adam
):
    shift = make_shift(spring, adam, MON, "08:30", "16:30")
    pairing = make_pairing(spring, eve, adam, MON, shift=shift)
    pairing.reasons = [
        "kept",
        "shared_language:en",
        "shared_language:fr",
        "home_site",
        "department_together:2",
        "agent_hosted_before:3",
        "something_new",
    ]
    pairing.save()
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert "Eve Executive" in html
    assert "FIN · eve@example.com" in html
    assert "Vancouver, 08:30–16:30" in html
    assert "Mon, Mar 8, 2027" in html
    for label in (
        "Kept from the last run",
        "Shares English",
        "Shares French",
        "At home site",
        "With 2 of own department",
        "Agent hosted 3 before",
        "something_new",
    ):
        assert f'<li class="tag">{label}</li>' in html
    assert '<div class="table-wrap">' in html


def test_lock_and_unlock_buttons_follow_the_status(client, cora, spring, eve, ed, adam, ada):
    proposed = make_pairing(spring, eve, adam, MON)
    locked = make_pairing(spring, ed, ada, MON, status=PairingStatus.LOCKED)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert page_url(spring, "pairing-lock", pk=proposed.pk) in html
    assert page_url(spring, "pairing-unlock", pk=locked.pk) in html
    assert page_url(spring, "pairing-lock", pk=locked.pk) not in html


def test_lock_and_unlock_from_the_page_keep_the_filters(client, cora, spring, eve, adam):
    pairing = make_pairing(spring, eve, adam, MON)
    client.force_login(cora)
    response = client.post(page_url(spring, "pairing-lock", pk=pairing.pk) + "?status=proposed")
    assert response["Location"] == page_url(spring) + "?status=proposed"
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.LOCKED
    html = html_of(client.get(response["Location"]))
    assert "Locked: Eve Executive with Adam Agent on Mon, Mar 8, 2027." in html
    client.post(page_url(spring, "pairing-unlock", pk=pairing.pk))
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PROPOSED


def test_a_flagged_pairing_cannot_be_locked_and_says_why(client, cora, spring, eve, adam):
    pairing = make_pairing(spring, eve, adam, MON)
    Pairing.objects.filter(pk=pairing.pk).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert "Needs repair: The agent&#x27;s shift on that date is gone." in html
    assert page_url(spring, "pairing-lock", pk=pairing.pk) not in html
    response = client.post(page_url(spring, "pairing-lock", pk=pairing.pk), follow=True)
    assert "needs repair" in html_of(response)


@pytest.fixture
def table(spring, eve, ed, adam, ada, west_site):
    """Four pairings across departments, sites, dates and statuses."""
    care = DepartmentFactory(code="CARE")
    east = SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")
    zoe = PersonFactory(
        email="zoe@example.com", full_name="Zoe Zed", is_executive=True, department=care
    )
    toronto_agent = PersonFactory(email="tom@example.com", full_name="Tom Agent", site=east)
    flagged = make_pairing(spring, ed, ada, TUE)
    Pairing.objects.filter(pk=flagged.pk).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    return {
        "eve": make_pairing(spring, eve, adam, MON),
        "ed": flagged,
        "zoe": make_pairing(spring, zoe, toronto_agent, MON, status=PairingStatus.LOCKED),
        "gone": make_pairing(spring, zoe, adam, WED, status=PairingStatus.CANCELLED),
    }


def shown(client, programme, query="") -> set[str]:
    html = html_of(client.get(page_url(programme) + query))
    return {name for name in ("Eve Executive", "Ed Executive", "Zoe Zed") if name in html} | (
        {"cancelled"} if "Cancelled</td>" in html else set()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Eve Executive", "Ed Executive", "Zoe Zed"}),
        ("?department=FIN", {"Eve Executive", "Ed Executive"}),
        ("?department=CARE", {"Zoe Zed"}),
        ("?site=TOR", {"Zoe Zed"}),
        ("?date=2027-03-09", {"Ed Executive"}),
        ("?status=locked", {"Zoe Zed"}),
        ("?status=cancelled", {"Zoe Zed", "cancelled"}),
        ("?needs_repair=yes", {"Ed Executive"}),
        ("?needs_repair=no", {"Eve Executive", "Zoe Zed"}),
        ("?q=TOM@", {"Zoe Zed"}),
        ("?q=eve", {"Eve Executive"}),
        ("?q=agent&department=FIN&date=2027-03-08", {"Eve Executive"}),
        ("?date=not-a-date", {"Eve Executive", "Ed Executive", "Zoe Zed"}),
    ],
)
def test_filters(client, cora, spring, table, query, expected):
    client.force_login(cora)
    assert shown(client, spring, query) == expected


def test_filters_are_labelled_and_a_bad_value_is_explained(client, cora, spring, table):
    client.force_login(cora)
    html = html_of(client.get(page_url(spring) + "?date=not-a-date&site=NOPE"))
    assert "Enter a valid date." in html
    assert "Select a valid choice." in html
    fields = re.findall(r"<(?:input|select)(?![^>]*hidden)[^>]*id=\"(id_[^\"]+)\"", html)
    assert {"id_q", "id_department", "id_site", "id_date", "id_status", "id_needs_repair"} <= set(
        fields
    )
    for field_id in fields:
        assert f'for="{field_id}"' in html


def test_pages_of_fifty_keep_the_filters(client, cora, spring):
    many_pairings_only(spring, 55)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring) + "?status=proposed"))
    assert "55 pairings · page 1 of 2" in html
    assert 'href="?status=proposed&amp;page=2"' in html
    assert html.count('name="pairings"') == 50


def many_pairings_only(programme, n: int) -> None:
    for _ in range(n):
        make_pairing(programme, PersonFactory(is_executive=True), PersonFactory(is_agent=True), MON)


# Summary ---------------------------------------------------------------------------------------


def test_summary_counts_paired_unpaired_departments_and_site_days(
    client, cora, spring, eve, ed, hank, adam, ada, west_site
):
    west_site.daily_visitor_limit = 2
    west_site.save()
    make_pairing(spring, eve, adam, MON)
    make_pairing(spring, ed, ada, MON)
    make_pairing(spring, ed, adam, TUE, status=PairingStatus.CANCELLED)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert '<p class="stat">2 / 3</p>' in html  # Eve and Ed of Eve, Ed and Hank
    assert "1 unpaired" in html
    assert re.search(r"FIN <span class=\"muted\">Finance</span></th><td class=\"num\">2</td>", html)
    assert re.search(
        r"CARE <span class=\"muted\">Customer Care</span></th><td class=\"num\">0", html
    )
    # Vancouver on Monday: 2 visits, at its limit of 2; the cancelled one does not count.
    assert 'VAN <span class="muted">(2)</span>' in html
    assert '<td class="num at-limit">2' in html
    assert "Tue 9" not in html


# Unpaired --------------------------------------------------------------------------------------


def test_unpaired_executives_with_their_reason_in_words(client, cora, spring, eve, hank, ed):
    nomad = PersonFactory(email="nomad@example.com", full_name="Nomad", is_executive=True)
    done_run(
        spring,
        (hank, "only_own_reports_available", {"region": "West", "languages": "en;fr"}),
        (nomad, "no_home_site", {}),
        (ed, "no_agents_in_region", {"region": "West"}),
    )
    make_pairing(spring, ed, PersonFactory(is_agent=True), MON)  # paired by hand since
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert "Every agent in region West who speaks English, French reports to this executive" in (
        html
    )
    assert "Only own reports" in html
    assert "No home site in the roster, so no region to visit." in html
    assert "2 executives the run of" in html
    assert "No agent has a shift in region West" not in html  # Ed is paired now
    assert page_url(spring, "pairing-pick") + "?executive=hank%40example.com" in html


def test_unpaired_messages_survive_missing_params(client, cora, spring, hank):
    done_run(spring, (hank, "sites_full", {}))
    client.force_login(cora)
    assert "Sites full" in html_of(client.get(page_url(spring)))


# Assign and swap from the page -------------------------------------------------------------------


def test_assign_from_the_page(client, cora, spring, eve, adam):
    make_shift(spring, adam, MON)
    client.force_login(cora)
    response = client.post(
        page_url(spring, "pairing-assign") + "?department=FIN",
        {"executive": "EVE@example.com", "agent": "adam@example.com", "date": "2027-03-08"},
    )
    assert response["Location"] == page_url(spring) + "?department=FIN"
    pairing = Pairing.objects.get()
    assert (pairing.executive, pairing.agent, pairing.status) == (eve, adam, PairingStatus.LOCKED)
    html = html_of(client.get(response["Location"]))
    assert "Eve Executive now visits Adam Agent on Mon, Mar 8, 2027; the visit is locked." in html
    assert "Chosen by hand" in html


def test_a_refused_assignment_shows_the_rule_and_keeps_the_form(client, cora, spring, hank, adam):
    make_shift(spring, adam, MON)
    client.force_login(cora)
    response = client.post(
        page_url(spring, "pairing-assign"),
        {"executive": "hank@example.com", "agent": "adam@example.com", "date": "2027-03-08"},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Not assigned:" in html
    assert "Rule 3: Hank Head manages Adam Agent (reporting line)." in html
    assert 'value="hank@example.com"' in html
    assert not Pairing.objects.exists()


def test_an_unknown_email_is_a_field_error(client, cora, spring, adam):
    client.force_login(cora)
    response = client.post(
        page_url(spring, "pairing-assign"),
        {"executive": "zed@example.com", "agent": "adam@example.com", "date": "2027-03-08"},
    )
    assert response.status_code == 400
    assert "No one in the roster has the e-mail zed@example.com." in html_of(response)


def test_move_prefills_the_form_to_replace_that_visit(client, cora, spring, eve, adam, ada):
    pairing = make_pairing(spring, eve, adam, MON)
    make_shift(spring, ada, TUE)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring) + f"?status=proposed&move={pairing.pk}"))
    assert 'name="executive" value="eve@example.com"' in html
    assert 'name="date" value="2027-03-08"' in html
    assert f'name="replaces" value="{pairing.pk}"' in html
    assert "Moving an existing visit" in html
    response = client.post(
        page_url(spring, "pairing-assign") + f"?status=proposed&move={pairing.pk}",
        {
            "executive": "eve@example.com",
            "agent": "ada@example.com",
            "date": "2027-03-09",
            "replaces": str(pairing.pk),
        },
    )
    assert response["Location"] == page_url(spring) + "?status=proposed"
    pairing.refresh_from_db()
    assert (pairing.agent, pairing.date, pairing.status) == (ada, TUE, PairingStatus.LOCKED)


def test_swap_from_the_page(client, cora, spring, eve, ed, adam, ada):
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, ed, ada, MON)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert f'name="pairings" value="{first.pk}" form="swap-form"' in html
    response = client.post(page_url(spring, "pairing-swap"), {"pairings": [first.pk, second.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.agent, second.agent) == (ada, adam)
    html = html_of(client.get(response["Location"]))
    assert "Swapped and locked: Eve Executive with Ada Agent on Mon, Mar 8, 2027" in html


def test_a_refused_swap_names_the_rule_and_changes_nothing(client, cora, spring, eve, hank, adam):
    other = PersonFactory(email="olga@example.com", full_name="Olga Agent", is_agent=True)
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, hank, other, MON)
    client.force_login(cora)
    response = client.post(page_url(spring, "pairing-swap"), {"pairings": [first.pk, second.pk]})
    html = html_of(response)
    assert response.status_code == 400
    assert "Not swapped:" in html
    assert "Rule 3: Hank Head manages Adam Agent (reporting line)." in html
    assert f'value="{first.pk}" form="swap-form" id="swap-{first.pk}"' in html
    assert "checked" in html
    first.refresh_from_db()
    assert (first.agent, first.status) == (adam, PairingStatus.PROPOSED)


@pytest.mark.parametrize("ticked", [[], ["1"], ["x", "y"]])
def test_swap_needs_two_ticks(client, cora, spring, ticked):
    client.force_login(cora)
    response = client.post(page_url(spring, "pairing-swap"), {"pairings": ticked})
    assert response.status_code == 400
    html = html_of(response)
    assert "Tick exactly two pairings" in html or "Choose pairings from the table." in html


def test_published_rows_offer_no_hand_change(client, cora, spring, eve, adam):
    pairing = make_pairing(spring, eve, adam, MON, status=PairingStatus.PUBLISHED)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert f'value="{pairing.pk}" form="swap-form"' not in html
    assert f"move={pairing.pk}" not in html
    assert page_url(spring, "pairing-unlock", pk=pairing.pk) not in html


# The run and its progress ----------------------------------------------------------------------


def test_the_progress_bar_polls_the_run_without_inline_script(client, cora, spring):
    run = pairing_run_start(programme=spring)
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.RUNNING, progress=20, message="Pairing 3 executives."
    )
    client.force_login(cora)
    response = client.get(page_url(spring))
    html = html_of(response)
    assert f'data-url="/api/v1/pairing-runs/{run.pk}/"' in html
    assert '<progress id="run-progress" max="100" value="20"' in html
    assert "Pairing 3 executives." in html
    assert '<script src="/static/js/run-progress.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert "Reload now" in html
    assert "Pair again" not in html  # one run at a time
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_script_is_served(client):
    response = client.get("/static/js/run-progress.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"progress[data-url]" in body


def test_pair_again_from_the_review_page_comes_back_to_it(
    client, cora, spring, eve, adam, django_capture_on_commit_callbacks
):
    make_shift(spring, adam, MON)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert "Pair now" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("shadowing:programme-pair", kwargs={"slug": spring.slug}),
            {"next": page_url(spring) + "?status=proposed"},
        )
    assert response["Location"] == page_url(spring) + "?status=proposed"
    html = html_of(client.get(response["Location"]))
    assert "Pair again" in html
    assert "Eve Executive" in html
    assert "Kept" not in html


def test_pair_ignores_a_next_that_leaves_the_site(client, cora, spring):
    client.force_login(cora)
    response = client.post(
        reverse("shadowing:programme-pair", kwargs={"slug": spring.slug}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("shadowing:programme", kwargs={"slug": spring.slug})


def test_the_programme_page_links_to_the_review_and_polls_a_run(client, cora, spring):
    run = pairing_run_start(programme=spring)
    client.force_login(cora)
    html = html_of(client.get(reverse("shadowing:programme", kwargs={"slug": spring.slug})))
    assert page_url(spring) in html
    assert f'data-url="/api/v1/pairing-runs/{run.pk}/"' in html
    assert "js/run-progress.js" in html


def test_a_closed_programme_is_read_only(client, cora, spring, eve, adam):
    from shadowing.programmes.models import Programme, ProgrammeStatus

    make_pairing(spring, eve, adam, MON)
    Programme.objects.filter(pk=spring.pk).update(status=ProgrammeStatus.CLOSED)
    client.force_login(cora)
    html = html_of(client.get(page_url(spring)))
    assert "Assign by hand" not in html
    assert "swap-form" not in html
    assert "Pair again" not in html
    assert "Pair now" not in html


def test_dates_on_the_page_are_the_shift_local_date(client, cora, spring, eve, adam):
    shift = make_shift(spring, adam, MON, "14:00", "20:00")  # 22:00-04:00 UTC
    assert shift.ends_at.date() == dt.date(2027, 3, 9)
    make_pairing(spring, eve, adam, MON, shift=shift)
    client.force_login(cora)
    assert "14:00–20:00" in html_of(client.get(page_url(spring)))


HUGE = "99999999999999999999999"


def test_numbers_too_large_for_an_id_are_refused_not_errors(client, cora, spring, eve, ada):
    make_pairing(spring, eve, ada, MON)
    client.force_login(cora)
    assert client.get(page_url(spring) + f"?move={HUGE}").status_code == 200
    response = client.post(page_url(spring, "pairing-swap"), {"pairings": [HUGE, "1"]})
    assert response.status_code == 400
    assert client.post(f"{page_url(spring)}{HUGE}/lock/").status_code == 404
    response = client.post(
        page_url(spring, "pairing-assign"),
        {
            "executive": "eve@example.com",
            "agent": "ada@example.com",
            "date": "2027-03-08",
            "replaces": HUGE,
        },
    )
    assert response.status_code == 400
