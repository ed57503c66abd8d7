"""Hand changes: `pairing_assign` and `pairing_swap`, a refusal per hard rule, naming it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shadowing.programmes.models import Availability, Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import (
    Pairing,
    PairingRunStatus,
    PairingStatus,
    RepairReason,
)
from shadowing.programmes.pairings import pairing_assign, pairing_swap, person_by_email
from shadowing.programmes.store.checks import visits_check
from shadowing.programmes.store.runs import pairing_run_start
from tests.factories import PersonFactory, SiteFactory
from tests.programmes.conftest import MON, TUE, WED, make_pairing, make_shift, run

pytestmark = pytest.mark.django_db


def assign(programme, executive, agent, day, by=None, **extra):
    return pairing_assign(
        programme=programme, executive=executive, agent=agent, date=day, by=by, **extra
    )


def refusal(callable_, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return " ".join(caught.value.messages)


def active(programme) -> set[tuple[str, str, dt.date, str]]:
    return set(
        Pairing.objects.active()
        .filter(programme=programme)
        .values_list("executive__email", "agent__email", "date", "status")
    )


# Assign: success ------------------------------------------------------------------------------


def test_assign_creates_a_locked_visit_on_the_agents_shift(spring, eve, adam, cora):
    shift = make_shift(spring, adam, MON, "08:00", "16:00")
    pairing = assign(spring, eve, adam, MON, by=cora)
    pairing.refresh_from_db()
    assert (pairing.executive, pairing.agent, pairing.date) == (eve, adam, MON)
    assert pairing.status == PairingStatus.LOCKED
    assert (pairing.shift, pairing.site) == (shift, adam.site)
    assert (pairing.starts_at, pairing.ends_at) == (shift.starts_at, shift.ends_at)
    assert pairing.reasons == ["by_hand", "shared_language:en", "home_site"]


def test_a_hand_made_visit_survives_a_rerun(spring, eve, ed, adam, ada):
    for agent in (adam, ada):
        make_shift(spring, agent, MON)
    pairing = assign(spring, eve, ada, MON)
    run("pair", spring.slug)
    pairing.refresh_from_db()
    assert (pairing.agent, pairing.status) == (ada, PairingStatus.LOCKED)
    assert ("ed@example.com", "adam@example.com", MON, "proposed") in active(spring)


def test_assign_moves_the_executives_proposed_visit_keeping_its_row(spring, eve, adam, ada):
    proposed = make_pairing(spring, eve, adam, MON)
    make_shift(spring, ada, TUE)
    moved = assign(spring, eve, ada, TUE)
    assert moved.pk == proposed.pk
    moved.refresh_from_db()
    assert moved.uid == proposed.uid
    assert active(spring) == {("eve@example.com", "ada@example.com", TUE, "locked")}


def test_assign_replaces_the_proposed_visit_on_that_date(spring, eve, adam, ada):
    Programme.objects.filter(pk=spring.pk).update(days_per_executive=2)
    spring.refresh_from_db()
    monday = make_pairing(spring, eve, adam, MON)
    make_pairing(spring, eve, ada, TUE)
    al = PersonFactory(email="al@example.com", is_agent=True, site=adam.site)
    make_shift(spring, al, MON)
    assert assign(spring, eve, al, MON).pk == monday.pk
    assert active(spring) == {
        ("eve@example.com", "al@example.com", MON, "locked"),
        ("eve@example.com", "ada@example.com", TUE, "proposed"),
    }


def test_assign_repairs_a_flagged_visit(spring, eve, adam):
    flagged = make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    Pairing.objects.filter(pk=flagged.pk).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    make_shift(spring, adam, TUE)
    assign(spring, eve, adam, TUE)
    flagged.refresh_from_db()
    assert (flagged.date, flagged.needs_repair, flagged.repair_reason) == (TUE, False, "")


def test_assigning_the_visit_already_locked_changes_nothing(spring, eve, adam):
    locked = make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    assert assign(spring, eve, adam, MON).pk == locked.pk
    assert Pairing.objects.count() == 1


def test_with_two_days_each_a_third_visit_must_say_what_it_replaces(spring, eve, adam, ada):
    Programme.objects.filter(pk=spring.pk).update(days_per_executive=2)
    spring.refresh_from_db()
    first = make_pairing(spring, eve, adam, MON)
    make_pairing(spring, eve, ada, TUE)
    make_shift(spring, adam, WED)
    message = refusal(assign, spring, eve, adam, WED)
    assert "Rule 5: Eve Executive already has 2 visits" in message
    assert "Say which visit" in message
    moved = assign(spring, eve, adam, WED, replaces=first)
    assert moved.pk == first.pk
    assert active(spring) == {
        ("eve@example.com", "adam@example.com", WED, "locked"),
        ("eve@example.com", "ada@example.com", TUE, "proposed"),
    }


def test_cross_region_visits_when_the_programme_allows_them(spring, eve):
    east = SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")
    far = PersonFactory(email="far@example.com", full_name="Far Agent", is_agent=True, site=east)
    make_shift(spring, far, MON)
    Programme.objects.filter(pk=spring.pk).update(allow_cross_region=True)
    spring.refresh_from_db()
    pairing = assign(spring, eve, far, MON)
    assert pairing.reasons[-1] == "travel_cross_region"
    assert pairing.local_start == dt.time(9, 0)  # Toronto's 09:00


# Assign: a refusal per rule --------------------------------------------------------------------


@pytest.fixture
def monday_shifts(spring, adam, ada):
    return make_shift(spring, adam, MON), make_shift(spring, ada, MON)


def test_rule_1_not_available(spring, eve, adam, monday_shifts):
    Availability.objects.create(programme=spring, executive=eve, date=TUE)
    message = refusal(assign, spring, eve, adam, MON)
    assert message == "Rule 1: Eve Executive is not available on Mon, Mar 8, 2027."
    assert not Pairing.objects.exists()


def test_rule_1_no_shift(spring, eve, adam):
    assert refusal(assign, spring, eve, adam, TUE) == (
        "Rule 1: Adam Agent has no shift on Tue, Mar 9, 2027."
    )


def test_rule_1_outside_the_programme(spring, eve, adam):
    message = refusal(assign, spring, eve, adam, dt.date(2027, 4, 1))
    assert message.startswith("Rule 1: Thu, Apr 1, 2027 is outside the programme")


def test_rule_2_no_shared_language(spring, eve, west_site):
    sol = PersonFactory(
        email="sol@example.com", full_name="Sol Agent", is_agent=True, site=west_site
    )
    sol.languages = ["es"]
    sol.save()
    make_shift(spring, sol, MON)
    assert refusal(assign, spring, eve, sol, MON) == (
        "Rule 2: Eve Executive (English, French) and Sol Agent (Spanish) share no language."
    )


def test_rule_3_reporting_line(spring, hank, adam, monday_shifts):
    assert refusal(assign, spring, hank, adam, MON) == (
        "Rule 3: Hank Head manages Adam Agent (reporting line)."
    )


def test_rule_3_reaches_up_to_the_reporting_depth(spring, hank, adam, monday_shifts):
    boss = PersonFactory(email="boss@example.com", full_name="Big Boss", is_executive=True)
    hank.manager = boss
    hank.save()
    assert "Rule 3: Big Boss manages Adam Agent" in refusal(assign, spring, boss, adam, MON)
    Programme.objects.filter(pk=spring.pk).update(reporting_depth=1)
    spring.refresh_from_db()
    assert assign(spring, boss, adam, MON).status == PairingStatus.LOCKED


def test_rule_4_agent_already_hosting_that_day(spring, eve, ed, adam, monday_shifts):
    make_pairing(spring, ed, adam, MON)
    message = refusal(assign, spring, eve, adam, MON)
    assert message.startswith("Rule 4: Adam Agent already hosts Ed Executive on Mon, Mar 8, 2027.")
    assert active(spring) == {("ed@example.com", "adam@example.com", MON, "proposed")}


def test_rule_4_agent_hosting_in_another_programme_that_day(spring, eve, ed, adam, monday_shifts):
    other = Programme.objects.create(slug="other", name="Other", start_date=MON, end_date=MON)
    make_pairing(other, ed, adam, MON)
    message = refusal(assign, spring, eve, adam, MON)
    assert "Rule 4: Adam Agent already hosts Ed Executive" in message
    assert "(programme Other)" in message


def test_rule_4_agent_at_their_day_limit(spring, eve, ed, adam, monday_shifts):
    Programme.objects.filter(pk=spring.pk).update(max_days_per_agent=1)
    spring.refresh_from_db()
    make_pairing(spring, ed, adam, TUE)
    assert refusal(assign, spring, eve, adam, MON) == (
        "Rule 4: Adam Agent already hosts on 1 day, the most this programme allows."
    )


def test_rule_5_executive_already_has_a_locked_visit_that_date(spring, eve, adam, ada):
    make_shift(spring, adam, MON)
    make_pairing(spring, eve, ada, MON, status=PairingStatus.LOCKED)
    message = refusal(assign, spring, eve, adam, MON)
    assert message.startswith("Rule 5: Eve Executive already has a visit on Mon, Mar 8, 2027.")
    assert "unlock it" in message


def test_rule_5_executive_busy_in_another_programme(spring, eve, adam, ada, monday_shifts):
    other = Programme.objects.create(slug="other", name="Other", start_date=MON, end_date=MON)
    make_pairing(other, eve, ada, MON)
    message = refusal(assign, spring, eve, adam, MON)
    assert message == (
        "Rule 5: Eve Executive already has a visit on Mon, Mar 8, 2027. (programme Other)"
    )


def test_rule_5_same_agent_twice(spring, eve, adam):
    Programme.objects.filter(pk=spring.pk).update(days_per_executive=2)
    spring.refresh_from_db()
    make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    make_shift(spring, adam, TUE)
    assert refusal(assign, spring, eve, adam, TUE) == (
        "Rule 5: Eve Executive already visits Adam Agent on another day."
    )


def test_rule_5_all_visits_decided(spring, eve, adam, ada):
    make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    make_shift(spring, ada, TUE)
    message = refusal(assign, spring, eve, ada, TUE)
    assert message.startswith("Rule 5: Eve Executive already has 1 visit, the most")
    assert "unlock one" in message


def test_rule_6_another_region(spring, eve):
    east = SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")
    far = PersonFactory(email="far@example.com", full_name="Far Agent", is_agent=True, site=east)
    make_shift(spring, far, MON)
    assert refusal(assign, spring, eve, far, MON) == (
        "Rule 6: Toronto is in region East, outside Eve Executive's home region West, "
        "and this programme does not allow cross-region visits."
    )


def test_rule_7_site_full(spring, eve, ed, adam, ada, monday_shifts, west_site):
    west_site.daily_visitor_limit = 1
    west_site.save()
    make_pairing(spring, ed, ada, MON)
    assert refusal(assign, spring, eve, adam, MON) == (
        "Rule 7: Vancouver already receives 1 executive on Mon, Mar 8, 2027, its daily limit."
    )


def test_several_rules_are_all_named(spring, hank, west_site):
    sol = PersonFactory(email="sol@example.com", full_name="Sol", is_agent=True, manager=hank)
    sol.languages = ["es"]
    sol.save()
    make_shift(spring, sol, MON)
    message = refusal(assign, spring, hank, sol, MON)
    assert "Rule 2:" in message
    assert "Rule 3:" in message


def test_an_agent_who_opted_out_cannot_host(spring, eve, adam, monday_shifts):
    adam.hosting_opt_out = True
    adam.save()
    assert "Adam Agent cannot host" in refusal(assign, spring, eve, adam, MON)


def test_a_published_visit_is_not_moved_by_hand(spring, eve, adam, ada, monday_shifts):
    make_pairing(spring, eve, ada, MON, status=PairingStatus.PUBLISHED)
    message = refusal(assign, spring, eve, adam, MON)
    assert "is published" in message
    assert active(spring) == {("eve@example.com", "ada@example.com", MON, "published")}


def test_no_hand_change_during_a_run_or_in_a_closed_programme(spring, eve, adam, monday_shifts):
    started = pairing_run_start(programme=spring)
    assert "pairing run is under way" in refusal(assign, spring, eve, adam, MON)
    started.status = PairingRunStatus.DONE
    started.save()
    Programme.objects.filter(pk=spring.pk).update(status=ProgrammeStatus.CLOSED)
    spring.refresh_from_db()
    assert "closed" in refusal(assign, spring, eve, adam, MON)
    assert not Pairing.objects.exists()


def test_people_are_looked_up_by_email_and_role(eve, adam):
    assert person_by_email(" EVE@example.com ", field="executive", role="executive") == eve
    with pytest.raises(ValidationError) as caught:
        person_by_email("adam@example.com", field="executive", role="executive")
    assert caught.value.message_dict == {"executive": ["Adam Agent is not an executive."]}
    with pytest.raises(ValidationError) as caught:
        person_by_email("zed@example.com", field="agent", role="agent")
    assert "No one in the roster" in caught.value.message_dict["agent"][0]


def test_the_check_reads_a_bounded_number_of_queries(
    spring, eve, ed, adam, ada, monday_shifts, django_assert_max_num_queries
):
    from shadowing.pairing import Visit

    make_pairing(spring, ed, ada, MON)
    for _n in range(20):
        agent = PersonFactory(is_agent=True, site=adam.site)
        make_pairing(spring, PersonFactory(is_executive=True), agent, TUE)
    with django_assert_max_num_queries(9):
        found = visits_check(programme=spring, visits=[Visit(eve.pk, adam.pk, MON)])
    assert found == {Visit(eve.pk, adam.pk, MON): ()}


# Swap ------------------------------------------------------------------------------------------


def test_swap_on_one_date_exchanges_the_agents_and_locks_both(spring, eve, ed, adam, ada):
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, ed, ada, MON)
    uids = (first.uid, second.uid)
    pairing_swap(first=first, second=second, by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.executive, first.agent, first.status) == (eve, ada, PairingStatus.LOCKED)
    assert (second.executive, second.agent, second.status) == (ed, adam, PairingStatus.LOCKED)
    assert (first.uid, second.uid) == uids
    assert first.shift.agent == ada
    assert "by_hand" in first.reasons


def test_swap_on_two_dates_exchanges_the_whole_visits(spring, eve, ed, adam, ada):
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, ed, ada, TUE)
    pairing_swap(first=first, second=second, by=None)
    assert active(spring) == {
        ("eve@example.com", "ada@example.com", TUE, "locked"),
        ("ed@example.com", "adam@example.com", MON, "locked"),
    }


def test_a_swap_that_breaks_a_rule_changes_nothing(spring, eve, hank, adam, west_site):
    other = PersonFactory(email="olga@example.com", full_name="Olga Agent", is_agent=True)
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, hank, other, MON)
    before = active(spring)
    message = refusal(pairing_swap, first=first, second=second, by=None)
    assert message == (
        "Hank Head with Adam Agent on Mon, Mar 8, 2027: "
        "Rule 3: Hank Head manages Adam Agent (reporting line)."
    )
    assert active(spring) == before


def test_a_swap_into_a_date_the_executive_cannot_make_changes_nothing(spring, eve, ed, adam, ada):
    Availability.objects.create(programme=spring, executive=eve, date=MON)
    first = make_pairing(spring, eve, adam, MON)
    second = make_pairing(spring, ed, ada, TUE)
    message = refusal(pairing_swap, first=first, second=second, by=None)
    assert "Rule 1: Eve Executive is not available on Tue, Mar 9, 2027." in message
    assert active(spring) == {
        ("eve@example.com", "adam@example.com", MON, "proposed"),
        ("ed@example.com", "ada@example.com", TUE, "proposed"),
    }


def test_swap_refuses_published_same_executive_and_same_pairing(spring, eve, ed, adam, ada):
    Programme.objects.filter(pk=spring.pk).update(days_per_executive=2)
    first = make_pairing(spring, eve, adam, MON)
    own = make_pairing(spring, eve, ada, TUE)
    published = make_pairing(spring, ed, ada, MON, status=PairingStatus.PUBLISHED)
    assert "published" in refusal(pairing_swap, first=first, second=published, by=None)
    assert "two different executives" in refusal(pairing_swap, first=first, second=own, by=None)
    assert "two different pairings" in refusal(pairing_swap, first=first, second=first, by=None)


def test_hand_changes_are_logged_with_who_and_what_was_there(
    spring, eve, ed, adam, ada, cora, caplog
):
    make_pairing(spring, eve, adam, MON)
    make_shift(spring, ada, TUE)
    with caplog.at_level("INFO", logger="shadowing.audit"):
        assign(spring, eve, ada, TUE, by=cora)
    assert f"cora@example.com assigned eve@example.com to ada@example.com on {TUE}" in caplog.text
    assert f"(was with {adam.pk} on {MON})" in caplog.text
