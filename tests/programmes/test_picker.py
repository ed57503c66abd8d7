"""The eligible-agent picker and the recorded waiver, on the page and in the services: who is
offered, best first, the others with their rules in words; a waiver accepted with its reason,
refused for the reporting line or without a reason, and shown on the review page; the unpaired
executives before the pairings."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shadowing.programmes.candidates import pairing_candidates
from shadowing.programmes.models import BlackoutDate
from shadowing.programmes.pairing_models import Decline, Pairing, PairingRun, PairingStatus
from shadowing.programmes.pairings import pairing_assign
from shadowing.programmes.services import pairing_unlock
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, make_pairing, make_shift
from tests.programmes.test_review_pages import done_run

pytestmark = pytest.mark.django_db


def pick_url(programme, **query) -> str:
    url = reverse("shadowing:pairing-pick", kwargs={"slug": programme.slug})
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else url


def html_of(response) -> str:
    return response.content.decode()


# The candidates ------------------------------------------------------------------------------


def test_candidates_eligible_first_then_waivable_then_the_others(spring, eve, monday):
    found = pairing_candidates(programme=spring, executive=eve, date=MON)
    assert [(c.agent.email, c.eligible, c.waivable) for c in found] == [
        ("ada@example.com", True, False),
        ("adam@example.com", True, False),
        ("olga@example.com", False, True),
        ("sol@example.com", False, False),
    ]
    olga, sol = found[2], found[3]
    assert olga.rules == ("region",)
    assert olga.reasons[0].startswith("Rule 6: Toronto is in region East")
    assert sol.rules == ("language",)
    assert "At home site" in found[0].labels


def test_the_reporting_line_already_hosting_and_a_blackout_in_words(
    spring, eve, ed, hank, adam, monday
):
    make_pairing(spring, ed, adam, MON)
    by_agent = {
        c.agent.email: c for c in pairing_candidates(programme=spring, executive=hank, date=MON)
    }
    assert by_agent["adam@example.com"].rules == ("agent_one_per_day", "reporting_line")
    assert by_agent["ada@example.com"].reasons == (
        "Rule 3: Hank Head manages Ada Agent (reporting line).",
    )
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Quarter close")
    ada = next(
        c
        for c in pairing_candidates(programme=spring, executive=eve, date=MON)
        if c.agent.email == "ada@example.com"
    )
    assert ada.rules == ("closed_day",)
    assert not ada.waivable
    assert "blackout date: Quarter close" in ada.reasons[0]


def test_the_picker_and_the_assignment_agree(spring, eve, cora, monday):
    for candidate in pairing_candidates(programme=spring, executive=eve, date=MON):
        if candidate.eligible:
            pairing = pairing_assign(
                programme=spring, executive=eve, agent=candidate.agent, date=MON, by=cora
            )
            pairing.delete()
        else:
            with pytest.raises(ValidationError):
                pairing_assign(
                    programme=spring, executive=eve, agent=candidate.agent, date=MON, by=cora
                )


# The waiver ----------------------------------------------------------------------------------


def test_a_waived_region_is_kept_with_its_reason_and_who(spring, eve, cora, monday):
    olga, _sol = monday
    pairing = pairing_assign(
        programme=spring,
        executive=eve,
        agent=olga,
        date=MON,
        by=cora,
        waive=["region"],
        waiver_reason="Eve agreed by phone to fly to Toronto.",
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.waived_rules) == (PairingStatus.LOCKED, ["region"])
    assert (pairing.waiver_reason, pairing.waived_by) == (
        "Eve agreed by phone to fly to Toronto.",
        cora,
    )


def test_unlocking_a_waived_visit_hands_it_back_to_the_engine_without_the_waiver(
    spring, eve, cora, monday
):
    olga, _sol = monday
    pairing = pairing_assign(
        programme=spring,
        executive=eve,
        agent=olga,
        date=MON,
        by=cora,
        waive=["region"],
        waiver_reason="Eve agreed by phone to fly to Toronto.",
    )
    pairing = pairing_unlock(pairing=pairing)
    assert pairing.status == PairingStatus.PROPOSED
    assert (pairing.waived_rules, pairing.waiver_reason, pairing.waived_by) == ([], "", None)


@pytest.mark.parametrize(
    ("waive", "reason", "key", "text"),
    [
        ([], "", "__all__", "Rule 6: Toronto is in region East"),
        (["region"], "  ", "waiver_reason", "Say why the rules are waived"),
        (["reporting_line"], "He insists", "waive", "reporting_line cannot be waived"),
    ],
)
def test_a_waiver_is_refused_without_a_reason_or_for_an_unwaivable_rule(
    spring, eve, cora, monday, waive, reason, key, text
):
    olga, _sol = monday
    with pytest.raises(ValidationError) as caught:
        pairing_assign(
            programme=spring,
            executive=eve,
            agent=olga,
            date=MON,
            by=cora,
            waive=waive,
            waiver_reason=reason,
        )
    error = caught.value
    messages = error.message_dict[key] if hasattr(error, "error_dict") else error.messages
    assert key == "__all__" or hasattr(error, "error_dict")
    assert text in " ".join(messages)
    assert not Pairing.objects.exists()


def test_the_reporting_line_is_never_waived_even_with_the_others(spring, hank, cora, adam, monday):
    with pytest.raises(ValidationError) as caught:
        pairing_assign(
            programme=spring,
            executive=hank,
            agent=adam,
            date=MON,
            by=cora,
            waive=["region", "availability"],
            waiver_reason="Agreed",
        )
    assert caught.value.messages == ["Rule 3: Hank Head manages Adam Agent (reporting line)."]


# The page ------------------------------------------------------------------------------------


def test_the_picker_page_lists_the_agents_with_radios_and_reasons(
    client, cora, spring, eve, monday
):
    client.force_login(cora)
    html = html_of(client.get(pick_url(spring, executive="eve@example.com", date="2027-03-08")))
    assert "Assign Eve Executive by hand" in html
    assert "2 agents can host on" in html
    assert 'name="agent" value="ada@example.com"' in html
    assert 'name="agent" value="olga@example.com"' in html  # with a waiver
    assert 'name="agent" value="sol@example.com"' not in html  # cannot host at all
    assert (
        "Rule 2: Eve Executive (English, French) and Sol Agent (Spanish) share no language." in html
    )
    assert html.index("ada@example.com") < html.index("olga@example.com") < html.index("Sol Agent")
    filtered = html_of(client.get(pick_url(spring, executive="eve@example.com", q="olga")))
    assert "Olga Agent" in filtered
    assert "Ada Agent" not in filtered


def test_moving_from_the_picker_keeps_the_visit_and_locks_it(
    client, cora, spring, eve, adam, ada, monday
):
    pairing = make_pairing(spring, eve, adam, MON)
    client.force_login(cora)
    html = html_of(client.get(pick_url(spring, move=pairing.pk)))
    assert "Move Eve Executive’s visit" in html
    response = client.post(pick_url(spring, move=pairing.pk), {"agent": "ada@example.com"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.agent, pairing.status) == (ada, PairingStatus.LOCKED)


def test_a_waiver_from_the_page_needs_a_reason_and_is_shown_on_the_review(
    client, cora, spring, eve, monday
):
    client.force_login(cora)
    url = pick_url(spring, executive="eve@example.com", date="2027-03-08")
    refused = client.post(url, {"agent": "olga@example.com"})
    assert refused.status_code == 400
    assert "Rule 6: Toronto is in region East" in html_of(refused)
    no_reason = client.post(url, {"agent": "olga@example.com", "waive": ["region"]})
    assert no_reason.status_code == 400
    assert "Say why the rules are waived" in html_of(no_reason)
    assert 'value="olga@example.com" id="agent-' in html_of(no_reason)
    assert not Pairing.objects.exists()
    done = client.post(
        url, {"agent": "olga@example.com", "waive": ["region"], "waiver_reason": "Agreed by phone"}
    )
    assert done.status_code == 302
    review = html_of(client.get(done["Location"]))
    assert "Waived" in review
    assert "Rule 6: the region" in review
    assert "Why: Agreed by phone (by Cora Coordinator)" in review


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ({"executive": "zed@example.com"}, 400, "No one in the roster has the e-mail"),
        ({"executive": "adam@example.com"}, 400, "is not an executive"),
        ({"move": "999999"}, 404, ""),
        ({"move": "x"}, 404, ""),
    ],
)
def test_bad_picker_queries_say_what_is_wrong(client, cora, spring, adam, query, status, text):
    client.force_login(cora)
    response = client.get(pick_url(spring, **query))
    assert response.status_code == status
    assert text in html_of(response)


@pytest.mark.parametrize(
    ("name", "status"), [("cora", 200), ("hank", 403), ("eve", 403), ("adam", 403)]
)
def test_only_coordinators_pick(client, request, spring, eve, adam, name, status):
    make_pairing(spring, eve, adam, MON)
    client.force_login(request.getfixturevalue(name))
    assert client.get(pick_url(spring, executive="eve@example.com")).status_code == status


def test_picker_query_count_is_flat(client, cora, spring, eve, django_assert_max_num_queries):
    client.force_login(cora)
    url = pick_url(spring, executive="eve@example.com", date="2027-03-08")
    make_shift(spring, PersonFactory(is_agent=True, site=eve.site), MON)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _n in range(30):
        make_shift(spring, PersonFactory(is_agent=True, site=eve.site), MON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# The review page: unpaired first -------------------------------------------------------------


def test_unpaired_executives_come_first_counted_and_paged(client, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, MON)
    people = [PersonFactory(is_executive=True) for _n in range(55)]
    done_run(spring, *[(p, "no_date_in_common", {}) for p in people])
    client.force_login(cora)
    html = html_of(
        client.get(reverse("shadowing:programme-pairings", kwargs={"slug": spring.slug}))
    )
    assert html.index('id="unpaired-heading"') < html.index('id="table-heading"')
    assert re.search(r"Unpaired executives\s*\(55\)", html)
    assert "Page 1 of 2" in html
    assert html.count("?executive=") == 50
    assert PairingRun.objects.count() == 1


def test_a_day_the_executive_declined_is_not_offered(spring, eve, adam, monday):
    pairing = make_pairing(spring, eve, adam, MON, status=PairingStatus.PUBLISHED)
    Decline.objects.create(pairing=pairing, person=eve, sequence=pairing.sequence)
    found = pairing_candidates(programme=spring, executive=eve, date=MON, replaces=pairing)
    assert all("declined" in c.rules for c in found)
    assert (
        "Eve Executive or Ada Agent said they cannot make"
        in next(c for c in found if c.agent.email == "ada@example.com").reasons[0]
    )


def test_assigning_an_executive_with_a_proposal_that_day_offers_what_would_replace_it(
    client, cora, spring, eve, adam, ada, monday
):
    make_pairing(spring, eve, adam, MON)
    client.force_login(cora)
    html = html_of(client.get(pick_url(spring, executive="eve@example.com", date="2027-03-08")))
    assert "2 agents can host on" in html  # Ada, and Adam (her proposal would be replaced)
    response = client.post(
        pick_url(spring, executive="eve@example.com", date="2027-03-08"),
        {"agent": "ada@example.com"},
    )
    assert response.status_code == 302
    assert Pairing.objects.get().agent == ada
