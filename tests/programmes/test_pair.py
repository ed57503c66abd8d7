"""`pair SLUG`, the pairing store and the background task (the engine itself is tested apart)."""

import datetime as dt

import pytest
from django.core.management import CommandError
from django.utils import timezone

from shadowing.programmes.models import Availability, Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import (
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    RepairReason,
)
from shadowing.programmes.store.problem import NO_HOME_SITE, problem_load
from shadowing.programmes.store.runs import (
    pairing_run_execute,
    pairing_run_queue,
    pairing_run_start,
    unpaired_message,
)
from shadowing.programmes.tasks import pairing_run
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, TUE, WED, make_pairing, make_shift, run

pytestmark = pytest.mark.django_db


def last_line(out: str) -> str:
    return out.rstrip("\n").splitlines()[-1]


def visits(programme) -> set[tuple[str, str, str]]:
    return set(
        Pairing.objects.active()
        .filter(programme=programme)
        .values_list("executive__email", "agent__email", "date")
    )


def test_pair_proposes_visits_and_ends_with_the_count(spring, eve, hank, adam):
    make_shift(spring, adam, MON, "08:00", "16:00")
    out, _err = run("pair", spring.slug)
    # Hank manages Adam, the only agent: he cannot shadow him (reporting line).
    assert last_line(out) == "paired 1 of 2 executives"
    assert "only_own_reports_available: 1" in out
    pairing = Pairing.objects.get()
    assert (pairing.executive, pairing.agent, pairing.date) == (eve, adam, MON)
    assert pairing.status == PairingStatus.PROPOSED
    assert pairing.shift.date == MON
    assert pairing.site == adam.site
    assert pairing.local_start.hour == 8
    assert "shared_language:en" in pairing.reasons
    spring.refresh_from_db()
    assert spring.status == ProgrammeStatus.PAIRING
    assert PairingRun.objects.get().status == PairingRunStatus.DONE


def test_a_rerun_keeps_every_pairing_and_its_uid(spring, eve, ed, adam, ada):
    for agent in (adam, ada):
        make_shift(spring, agent, MON)
        make_shift(spring, agent, TUE)
    run("pair", spring.slug)
    before = {p.pk: (p.uid, p.executive_id, p.agent_id, p.date) for p in Pairing.objects.all()}
    assert len(before) == 2
    out, _err = run("pair", spring.slug)
    after = {p.pk: (p.uid, p.executive_id, p.agent_id, p.date) for p in Pairing.objects.all()}
    assert after == before
    assert "0 new, 2 kept, 0 moved" in out


def test_an_agent_who_opted_out_never_hosts(spring, eve, adam, ada):
    ada.hosting_opt_out = True
    ada.save()
    make_shift(spring, ada, MON)
    out, _err = run("pair", spring.slug)
    assert not Pairing.objects.exists()
    assert last_line(out) == "paired 0 of 2 executives"  # Eve, and Hank (Adam's manager)


def test_locked_and_published_pairings_are_never_moved(spring, eve, ed, adam, ada):
    make_shift(spring, adam, MON)
    make_shift(spring, ada, MON)
    locked = make_pairing(spring, eve, ada, MON, status=PairingStatus.LOCKED)
    published = make_pairing(spring, ed, adam, MON, status=PairingStatus.PUBLISHED)
    out, _err = run("pair", spring.slug)
    assert {p.pk for p in Pairing.objects.all()} == {locked.pk, published.pk}
    locked.refresh_from_db()
    assert locked.status == PairingStatus.LOCKED
    assert "locked" in locked.reasons
    assert last_line(out) == "paired 2 of 3 executives"  # Hank manages both agents


def test_a_flagged_proposal_is_moved_and_a_flagged_publication_stays(spring, eve, ed, adam, ada):
    make_shift(spring, adam, TUE)
    make_shift(spring, ada, TUE)
    proposed = make_pairing(spring, eve, adam, MON)
    published = make_pairing(spring, ed, ada, MON, status=PairingStatus.PUBLISHED)
    proposed.shift.delete()
    published.shift.delete()
    Pairing.objects.filter(pk__in=[proposed.pk, published.pk]).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    run("pair", spring.slug)
    assert not Pairing.objects.filter(pk=proposed.pk).exists()
    assert visits(spring) == {
        ("eve@example.com", "adam@example.com", TUE),
        ("ed@example.com", "ada@example.com", MON),  # the published one, kept as it was
    }
    assert "moved" in Pairing.objects.get(executive=eve).reasons
    published.refresh_from_db()
    assert (published.needs_repair, published.status) == (True, PairingStatus.PUBLISHED)


def test_a_flagged_locked_pairing_is_moved(spring, eve, adam):
    make_shift(spring, adam, TUE)
    locked = make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    locked.shift.delete()
    Pairing.objects.filter(pk=locked.pk).update(
        needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED
    )
    run("pair", spring.slug)
    assert visits(spring) == {("eve@example.com", "adam@example.com", TUE)}


def test_availability_and_other_programmes_bookings_are_respected(spring, eve, ed, adam, ada):
    make_shift(spring, adam, MON)
    make_shift(spring, adam, TUE)
    make_shift(spring, ada, WED)
    Availability.objects.create(programme=spring, executive=eve, date=TUE)
    autumn = Programme.objects.create(slug="other", name="Other", start_date=MON, end_date=WED)
    # Ed already visits someone on Wednesday in another programme.
    make_pairing(autumn, ed, PersonFactory(is_agent=True), WED)
    run("pair", spring.slug)
    assert visits(spring) == {
        ("eve@example.com", "adam@example.com", TUE),
        ("ed@example.com", "adam@example.com", MON),
    }


def test_an_executive_without_a_site_is_reported(spring, eve, adam):
    PersonFactory(email="nomad@example.com", is_executive=True, site=None)
    make_shift(spring, adam, MON)
    out, _err = run("pair", spring.slug)
    assert last_line(out) == "paired 1 of 3 executives"
    unpaired = PairingRun.objects.get().unpaired.get(reason=NO_HOME_SITE)
    assert unpaired.executive.email == "nomad@example.com"
    assert "no home site" in unpaired_message(unpaired)


def test_unpaired_reasons_read_as_sentences(spring, eve):
    run("pair", spring.slug)
    unpaired = PairingRun.objects.get().unpaired.get()
    assert unpaired.executive == eve
    assert unpaired.reason == "no_agents_in_region"
    assert unpaired_message(unpaired).startswith("No agent has a shift in region West")


def test_managers_come_from_the_roster_up_to_the_reporting_depth(spring, hank, adam):
    big_boss = PersonFactory(email="boss@example.com", is_executive=True, site=adam.site)
    hank.manager = big_boss
    hank.save()
    make_shift(spring, adam, MON)
    agent = problem_load(spring).problem.agents[0]
    assert agent.managers == (hank.pk, big_boss.pk)
    Programme.objects.filter(pk=spring.pk).update(reporting_depth=1)
    spring.refresh_from_db()
    assert problem_load(spring).problem.agents[0].managers == (hank.pk,)


def test_past_pairs_and_hosting_count_come_from_earlier_programmes(spring, eve, adam):
    earlier = Programme.objects.create(
        slug="2026", name="2026", start_date=MON.replace(year=2026), end_date=MON.replace(year=2026)
    )
    make_pairing(earlier, eve, adam, MON.replace(year=2026))
    make_shift(spring, adam, MON)
    problem = problem_load(spring).problem
    assert problem.past_pairs == frozenset({(eve.pk, adam.pk)})
    assert problem.agents[0].hosted_before == 1


def test_pair_refuses_a_closed_programme_an_unknown_one_and_a_second_run(spring):
    with pytest.raises(CommandError, match="no programme"):
        run("pair", "nope")
    pairing_run_start(programme=spring)
    with pytest.raises(CommandError, match="already under way"):
        run("pair", spring.slug)
    Programme.objects.filter(pk=spring.pk).update(status=ProgrammeStatus.CLOSED)
    PairingRun.objects.update(status=PairingRunStatus.DONE)
    with pytest.raises(CommandError, match="closed"):
        run("pair", spring.slug)


def test_the_background_task_runs_the_queued_run(
    spring, eve, adam, django_capture_on_commit_callbacks
):
    make_shift(spring, adam, MON)
    with django_capture_on_commit_callbacks(execute=True):
        queued = pairing_run_queue(programme=spring)
    queued.refresh_from_db()
    # Q_SYNC is on in tests: the task ran inline when the transaction committed.
    assert queued.status == PairingRunStatus.DONE
    assert queued.progress == 100
    assert queued.task_id
    assert (queued.paired, queued.executives, queued.visits) == (1, 2, 1)  # Eve; Hank not


def test_a_redelivered_task_does_nothing_twice(spring, eve, adam):
    make_shift(spring, adam, MON)
    queued = pairing_run_start(programme=spring)
    pairing_run(queued.pk)
    first = Pairing.objects.get()
    pairing_run(queued.pk)
    assert Pairing.objects.get() == first
    assert PairingRun.objects.get().status == PairingRunStatus.DONE
    pairing_run(999_999)  # a run that is gone: nothing happens


def test_a_failed_run_says_why(spring, eve, adam, monkeypatch):
    make_shift(spring, adam, MON)

    def broken(problem):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("shadowing.pairing.solve", broken)
    failed = pairing_run_execute(run=pairing_run_start(programme=spring))
    assert failed.status == PairingRunStatus.FAILED
    assert "RuntimeError" in failed.message
    assert not Pairing.objects.exists()
    with pytest.raises(CommandError, match="Pairing failed"):
        run("pair", spring.slug)


def test_a_run_abandoned_by_a_dead_worker_does_not_block_the_programme(spring, eve, adam):
    make_shift(spring, adam, MON)
    stuck = pairing_run_start(programme=spring)
    PairingRun.objects.filter(pk=stuck.pk).update(
        status=PairingRunStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    out, _err = run("pair", spring.slug)
    assert last_line(out) == "paired 1 of 2 executives"
    stuck.refresh_from_db()
    assert stuck.status == PairingRunStatus.FAILED
    assert "Interrupted" in stuck.message


def test_a_fresh_run_still_blocks_a_second(spring):
    PairingRun.objects.create(
        programme=spring, status=PairingRunStatus.RUNNING, started_at=timezone.now()
    )
    with pytest.raises(CommandError, match="already under way"):
        run("pair", spring.slug)
