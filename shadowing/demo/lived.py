"""The demo's lived history: four waves of one series (`SERIES_SLUG`), played through the
product's own services with the clock travelled to each moment (`time_machine`), so that every
timestamp, audit row and notice is what the product itself wrote. The waves never pair an
executive with the same agent twice (the series' hard rule), and prefer a channel the
executive has not seen yet.

- the first wave, about 24 weeks ago, lived as the finished one below (without its specials);
- a finished wave, over about eight weeks ago: paired, published, visited, ~90% debriefed,
  its barriers triaged (duplicates merged, one merge undone), claimed, transferred, resolved,
  verified, reopened, refused, and escalated by the real sweep;
- the current wave, under way: visits up to yesterday (the demo executive has one to debrief),
  today and next week; a few declined and re-paired;
- the next wave, drafted with its availability, not paired.

Mail is handed to a dummy mailer and background tasks run inline while the history is played,
so the product records every invitation, reminder and escalation as sent and nothing stale is
left queued; the real sweeps, run afterwards, find nothing owed. Unlike the rest of
`shadowing.demo` this module uses the database (and the debriefs and barriers apps): it is the
demo command's, nothing else imports it. `Life` is built of the clock and event queue
(`shadowing.demo.timeline`), the visits and debriefs (`shadowing.demo.visits`) and the
backlog's life (`shadowing.demo.backlog`), which only it uses; the waves are played here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from shadowing.demo import barriers as pool
from shadowing.demo.backlog import Backlog
from shadowing.demo.generate import CAST, SEED, generate_programme, write_programme
from shadowing.demo.generate import Programme as ProgrammeFiles
from shadowing.demo.loop import live_loop
from shadowing.demo.roster import Roster
from shadowing.demo.timeline import Timeline, at, demo_today, quiet_and_inline, wave_starts
from shadowing.demo.visits import Visits

SLUG_REGEX = r"^frontline-\d{4}-\d{2}-\d{2}$"
SERIES_SLUG = "frontline"
SERIES_NAME = "Front-line shadowing"


def programme_load(programme: ProgrammeFiles, folder: Path, *, say: dict, series: str = ""):
    """Writes a generated programme's files into `folder` and loads them with the commands a
    coordinator uses: `create_programme` (unless it exists; a wave of `series` if given), then
    `import_availability`."""
    from shadowing.programmes.models import Programme

    write_programme(programme, folder)
    if not Programme.objects.filter(slug=programme.slug).exists():
        wave_of = ("--series", series) if series else ()
        call_command(
            "create_programme",
            programme.slug,
            "--name",
            programme.name,
            "--start",
            programme.start.isoformat(),
            "--end",
            programme.end.isoformat(),
            *wave_of,
            **say,
        )
    call_command("import_availability", programme.slug, str(folder), **say)
    return Programme.objects.get(slug=programme.slug)


def clear(stdout=None) -> int:
    """Delete what an earlier demo load lived: its programmes (by the demo's slugs), their
    visits, debriefs and reports, and the backlog items those reports opened."""
    from barriers.models import BacklogItem, ItemReport, Merge
    from barriers.selectors import vector_index
    from debriefs.models import BarrierReport, Debrief
    from shadowing.programmes.models import Programme, Series
    from stories.models import Digest, Story

    programmes = Programme.objects.filter(slug__regex=SLUG_REGEX)
    if not programmes.exists():
        Series.objects.filter(slug=SERIES_SLUG, waves__isnull=True).delete()
        return 0
    reports = BarrierReport.objects.filter(pairing__programme__in=programmes)
    items = set(ItemReport.objects.filter(report__in=reports).values_list("item_id", flat=True))
    while True:  # and the items merged into those (their reports moved away)
        more = set(Merge.objects.filter(into_id__in=items).values_list("source_id", flat=True))
        more |= set(Merge.objects.filter(source_id__in=items).values_list("into_id", flat=True))
        if more <= items:
            break
        items |= more
    with transaction.atomic():
        Merge.objects.filter(source_id__in=items).delete()
        Merge.objects.filter(into_id__in=items).delete()
        remaining = BacklogItem.objects.filter(pk__in=items)
        while remaining.exists():  # the merged first: their targets are protected from deletion
            targets = remaining.filter(merged_into__isnull=False).values("merged_into")
            remaining.exclude(pk__in=targets).delete()
        reports.delete()
        debriefs = Debrief.objects.filter(pairing__programme__in=programmes)
        Story.objects.filter(debrief__in=debriefs).delete()
        Digest.objects.filter(stories__isnull=True).delete()
        debriefs.delete()
        count = programmes.count()
        programmes.delete()
        Series.objects.filter(slug=SERIES_SLUG, waves__isnull=True).delete()
    # The similarity index of this process keys on the vectors' count and latest update, which
    # a rebuild on the same clock repeats: it must forget the deleted items itself.
    vector_index.clear()
    return count


class Life(Timeline, Visits, Backlog):
    """Plays the four waves. Events are (instant, order, action) in a heap, run in time order
    each with the clock at its instant."""

    def __init__(self, roster: Roster, folder: Path, *, out, verbosity: int, now=None):
        from shadowing.organisation.models import Department, Person

        self.roster, self.folder, self.out, self.verbosity = roster, folder, out, verbosity
        self.now = now or timezone.now()
        self.today = demo_today(self.now)
        self.rng = random.Random(SEED)
        self.events: list = []
        self.counter = itertools.count()
        self.failures: Counter = Counter()
        self.timings: list[tuple[str, float]] = []
        self.coordinator = Person.objects.get(email=CAST.coordinator)
        self.departments = {d.code: d for d in Department.objects.select_related("head")}
        self.staff = defaultdict(list)  # executives of a department, who may own items
        for person in Person.objects.filter(is_executive=True, is_department_head=False).order_by(
            "pk"
        ):
            self.staff[person.department_id].append(person)
        self.group_of_key: dict[str, tuple] = {}
        self.canonical: dict[tuple, int] = {}  # group -> the item that absorbs its duplicates
        self.plans: dict[tuple, str] = {}
        self.missed: set[int] = set()  # duplicates the coordinator did not see as such
        self.wave_of_group: dict[tuple, str] = {}
        self.specs = {i: spec for i, spec in enumerate(pool.BARRIERS)}
        self.programmes = {}

    # Programmes -----------------------------------------------------------------------------

    def create(self, key: str, start: dt.date, *, seed: int, name: str, extra=(), fixed=None):
        from shadowing.programmes.calendar import site_holidays

        programme = generate_programme(
            self.roster,
            start=start,
            seed=seed,
            name=name,
            extra_shifts=extra,
            fixed_availability=fixed,
            holidays_of=site_holidays,
        )
        say = dict(stdout=self.out, stderr=self.out, verbosity=0)
        self.programmes[key] = programme_load(
            programme, self.folder / key, say=say, series=SERIES_SLUG
        )
        return self.programmes[key]

    def pair(self, key: str) -> None:
        call_command("pair", self.programmes[key].slug, stdout=self.out, verbosity=0)

    def publish(self, key: str) -> None:
        from shadowing.invitations.services import programme_publish

        programme_publish(programme=self.programmes[key], by=self.coordinator)

    def transition(self, key: str, to: str) -> None:
        from shadowing.programmes.services import programme_transition

        programme = self.programmes[key]
        programme.refresh_from_db()
        programme_transition(programme=programme, to=to, by=self.coordinator)

    # Sweeps ---------------------------------------------------------------------------------

    def sweeps(self) -> None:
        from barriers.tasks import backlog_sweep
        from debriefs.tasks import debrief_reminders_sweep
        from shadowing.invitations.tasks import invitations_sweep

        invitations_sweep()
        debrief_reminders_sweep()
        backlog_sweep()

    def schedule_sweeps(self, first: dt.date, last: dt.date, busy_until: dt.date) -> None:
        """The hourly sweeps, played once a working day while visits happen (reminders,
        debrief requests), then three times a week (escalations, at 5 and 10 working days)."""
        day = first
        while day <= last:
            if day.weekday() < 5 and (day <= busy_until or day.weekday() in (0, 2, 4)):
                self.schedule(at(day, 18, 30), self.sweeps)
            day += dt.timedelta(days=1)

    # The waves ------------------------------------------------------------------------------

    def series(self):
        """The demo's series, made as a coordinator would (once: a re-run finds it)."""
        from shadowing.programmes.models import Series
        from shadowing.programmes.series_services import series_create

        found = Series.objects.filter(slug=SERIES_SLUG).first()
        return found or series_create(slug=SERIES_SLUG, name=SERIES_NAME)

    def finished_wave(self, key: str, s: dt.date, *, seed: int, name: str, specials: bool):
        """A wave lived to its end: created, paired, published, visited, debriefed, its
        backlog triaged and lived four weeks past its last day, then closed."""
        from shadowing.programmes.models import ProgrammeStatus

        t = time.monotonic()
        end = s + dt.timedelta(days=25)
        with time_machine.travel(at(s - dt.timedelta(days=28), 10), tick=False):
            self.create(key, s, seed=seed, name=name.format(s))
        with time_machine.travel(at(s - dt.timedelta(days=21), 10), tick=False):
            self.pair(key)
        with time_machine.travel(at(s - dt.timedelta(days=18), 9), tick=False):
            self.publish(key)
        self.phase(f"{key} wave: created, paired, published", t)
        t = time.monotonic()
        self.schedule(
            at(s - dt.timedelta(days=1), 17), self.transition, key, ProgrammeStatus.RUNNING
        )
        self.schedule_sweeps(s - dt.timedelta(days=4), end + dt.timedelta(weeks=4), end)
        self.schedule_triage(s + dt.timedelta(days=1), end + dt.timedelta(weeks=3), key)
        if specials:
            self.schedule(at(end + dt.timedelta(days=8), 10), self.specials)
            self.schedule(at(end + dt.timedelta(weeks=3, days=1), 10), self.claim_one_each)
        self.plan_debriefs(key, until=at(end + dt.timedelta(days=20), 0), never=0.09, late=0.14)
        self.schedule(
            at(end + dt.timedelta(weeks=3), 16), self.transition, key, ProgrammeStatus.CLOSED
        )
        self.run_until(at(end + dt.timedelta(weeks=4), 23))
        self.phase(f"{key} wave: visits, debriefs, backlog", t)

    def live(self) -> dict:
        from shadowing.organisation.models import Person
        from shadowing.programmes.models import ProgrammeStatus
        from shadowing.programmes.pairings import pairing_assign

        starts = wave_starts(self.today)
        yesterday = self.today - dt.timedelta(days=1)
        names = {
            "first": "Wave 1: front-line shadowing, {:%B %Y}",
            "past": "Wave 2: front-line shadowing, {:%B %Y}",
            "current": "Wave 3: front-line shadowing, {:%B %Y}",
            "next": "Wave 4: front-line shadowing, {:%B %Y}",
        }
        with time_machine.travel(at(starts["first"] - dt.timedelta(days=30), 10), tick=False):
            self.series()

        # The finished waves ---------------------------------------------------------------
        self.finished_wave(
            "first", starts["first"], seed=SEED + 4, name=names["first"], specials=False
        )
        self.finished_wave("past", starts["past"], seed=SEED + 1, name=names["past"], specials=True)

        # The current wave ---------------------------------------------------------------
        t = time.monotonic()
        s = starts["current"]
        priya = Person.objects.get(email=CAST.executive)
        helene = Person.objects.get(email=CAST.agent)
        visit_day = cast_visit_day(self.roster, self.today)
        with time_machine.travel(at(s - dt.timedelta(days=24), 10), tick=False):
            self.create(
                "current",
                s,
                seed=SEED + 2,
                name=names["current"].format(s),
                extra=((CAST.agent, visit_day, "08:00", "16:00"),),
                fixed={CAST.executive: (visit_day,)},
            )
        with time_machine.travel(at(s - dt.timedelta(days=17), 10), tick=False):
            programme = self.programmes["current"]
            try:
                pairing_assign(
                    programme=programme, executive=priya, agent=helene, date=visit_day,
                    by=self.coordinator,
                )  # fmt: skip
            except ValidationError as exc:
                self.failures[f"priya's visit: {exc}"] += 1
            self.pair("current")
        with time_machine.travel(at(s - dt.timedelta(days=14), 9), tick=False):
            self.publish("current")
        self.phase("current wave: created, paired, published", t)
        t = time.monotonic()
        self.schedule(at(s - dt.timedelta(days=6), 15), self.declines, s)
        self.schedule(at(s - dt.timedelta(days=5), 10), self.repair)
        self.schedule(
            at(s - dt.timedelta(days=1), 17), self.transition, "current", ProgrammeStatus.RUNNING
        )
        self.schedule_sweeps(
            starts["past"] + dt.timedelta(weeks=4, days=32), yesterday, s - dt.timedelta(days=4)
        )
        self.schedule_triage(s + dt.timedelta(days=1), yesterday, "current")
        self.run_until(at(s - dt.timedelta(days=4), 23))  # visits as re-paired
        now = self.now
        self.plan_debriefs("current", until=now, never=0.0, late=0.3)
        self.run_until(now)
        self.phase("current wave: declines, visits, debriefs, backlog", t)

        # The next wave -----------------------------------------------------------------
        t = time.monotonic()
        s = starts["next"]
        with time_machine.travel(now - dt.timedelta(days=1), tick=False):
            self.create("next", s, seed=SEED + 3, name=names["next"].format(s))
        self.claim_one_each()  # a department whose first items came late claims one too
        self.loop = live_loop(self.now)
        self.sweeps()  # what is owed now is recorded, so the real sweeps send nothing stale
        self.phase("next wave drafted; sweeps caught up", t)
        return self.programmes

    def declines(self, start: dt.date) -> None:
        from shadowing.invitations.services import pairing_decline

        later = [p for p in self.visits("current") if p.date >= start + dt.timedelta(days=2)]
        later = [
            p for p in later if p.executive.email != CAST.executive and p.agent.email != CAST.agent
        ]
        for i, pairing in enumerate(self.rng.sample(later, min(6, len(later)))):
            person = pairing.executive if i % 2 == 0 else pairing.agent
            reason = (
                "Board meeting moved to that day, sorry."
                if person == pairing.executive
                else "I am on a training course that day."
            )
            pairing_decline(pairing=pairing, person=person, reason=reason)

    def repair(self) -> None:
        from shadowing.invitations.services import declines_repair

        declines_repair(programme=self.programmes["current"], by=self.coordinator)
        self.publish("current")


def cast_visit_day(roster: Roster, today: dt.date) -> dt.date:
    """The day of the demo executive's visit with the demo agent, still to debrief: yesterday,
    or the last day before it that is no public holiday at her home site or at his site."""
    from shadowing.programmes.calendar import site_holidays

    sites = {s.code: s for s in roster.sites}
    where = [sites[p.site_code] for p in roster.people if p.email in (CAST.executive, CAST.agent)]
    day = today - dt.timedelta(days=1)
    while any(day in site_holidays(s.country, s.subdivision, day.year) for s in where):
        day -= dt.timedelta(days=1)
    return day


def live(roster: Roster, folder: Path, *, out, verbosity: int) -> Life:
    life = Life(roster, folder, out=out, verbosity=verbosity)
    with quiet_and_inline():
        life.live()
    return life


def sizes() -> dict:
    """What the demo holds, for the summary and the tests."""
    from barriers.models import BacklogItem, ItemEvent, Notice
    from debriefs.models import BarrierReport, Debrief, DebriefStatus
    from shadowing.organisation.models import Person
    from shadowing.programmes.models import Programme
    from shadowing.programmes.pairing_models import Pairing

    programmes = Programme.objects.filter(slug__regex=SLUG_REGEX)
    return {
        "people": Person.objects.count(),
        "programmes": programmes.count(),
        "pairings": Pairing.objects.filter(programme__in=programmes).active().count(),
        "debriefs submitted": Debrief.objects.filter(status=DebriefStatus.SUBMITTED).count(),
        "barrier reports": BarrierReport.objects.count(),
        "backlog items": BacklogItem.objects.count(),
        "items by status": dict(
            sorted(Counter(BacklogItem.objects.values_list("status", flat=True)).items())
        ),
        "history events": ItemEvent.objects.count(),
        "escalation notices": Notice.objects.count(),
    }
