"""The demo's lived history: three waves of the programme, played through the product's own
services with the clock travelled to each moment (`time_machine`), so that every timestamp,
audit row and notice is what the product itself wrote.

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
demo command's, nothing else imports it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import random
import time
import uuid
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from shadowing import clock
from shadowing.demo import barriers as pool
from shadowing.demo.generate import CAST, SEED, Roster, generate_programme, write_programme
from shadowing.demo.generate import Programme as ProgrammeFiles

# The finished wave's debriefs name more barriers than the current one's first days: about
# 850 reports of some 200 distinct barriers, the size of a real wave of 350 visits.
BARRIERS_PER_DEBRIEF = {"past": [1, 2, 2, 3, 3, 3], "current": [1, 1, 2, 2, 2, 3]}
AGENTS_WHO_FILE = {"past": 0.25, "current": 0.2}
# Triage merges most duplicates; a few are worded too differently and stay items of their own.
MISSED_DUPLICATES = 0.1
DUMMY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
SLUG_REGEX = r"^frontline-\d{4}-\d{2}-\d{2}$"


def demo_today(now: dt.datetime | None = None) -> dt.date:
    """Today where the programme is run (PROGRAMME_TIME_ZONE): the demo's 'yesterday' and
    'today' are that zone's."""
    return clock.local_date(now or clock.now())


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def wave_starts(today: dt.date) -> dict[str, dt.date]:
    this_monday = monday(today)
    return {
        "past": this_monday - dt.timedelta(weeks=12),
        "current": this_monday - dt.timedelta(weeks=1),
        "next": this_monday + dt.timedelta(weeks=3),
    }


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.home_zone())


@contextmanager
def quiet_and_inline():
    """Background tasks inline, mail to nowhere: what the demo plays is recorded as done."""
    from django_q.conf import Conf

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(Conf, "SYNC", True))
        # The thousands of tasks played inline are history, not work the admin should list.
        stack.enter_context(mock.patch.object(Conf, "SAVE_LIMIT", -1))
        stack.enter_context(override_settings(MAILERS=DUMMY_MAIL))
        q_log = logging.getLogger("django-q")
        level = q_log.level
        q_log.setLevel(logging.WARNING)
        try:
            yield
        finally:
            q_log.setLevel(level)


def programme_load(programme: ProgrammeFiles, folder: Path, *, say: dict):
    """Writes a generated programme's files into `folder` and loads them with the commands a
    coordinator uses: `create_programme` (unless it exists), then `import_availability`."""
    from shadowing.programmes.models import Programme

    write_programme(programme, folder)
    if not Programme.objects.filter(slug=programme.slug).exists():
        call_command(
            "create_programme",
            programme.slug,
            "--name",
            programme.name,
            "--start",
            programme.start.isoformat(),
            "--end",
            programme.end.isoformat(),
            **say,
        )
    call_command("import_availability", programme.slug, str(folder), **say)
    return Programme.objects.get(slug=programme.slug)


def clear(stdout=None) -> int:
    """Delete what an earlier demo load lived: its programmes (by the demo's slugs), their
    visits, debriefs and reports, and the backlog items those reports opened."""
    from barriers.models import BacklogItem, ItemReport, Merge
    from debriefs.models import BarrierReport, Debrief
    from shadowing.programmes.models import Programme

    programmes = Programme.objects.filter(slug__regex=SLUG_REGEX)
    if not programmes.exists():
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
        Debrief.objects.filter(pairing__programme__in=programmes).delete()
        count = programmes.count()
        programmes.delete()
    return count


class Life:
    """Plays the three waves. Events are (instant, order, action) in a heap, run in time order
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

    # The event queue ------------------------------------------------------------------------

    def schedule(self, instant: dt.datetime, action, *args) -> None:
        heapq.heappush(self.events, (instant, next(self.counter), action, args))

    def run_until(self, limit: dt.datetime) -> None:
        while self.events and self.events[0][0] <= limit:
            instant, _n, action, args = heapq.heappop(self.events)
            with time_machine.travel(instant, tick=False):
                try:
                    action(*args)
                except (ValidationError, Exception) as exc:
                    self.failures[f"{action.__name__}: {type(exc).__name__}"] += 1
                    if self.verbosity >= 3:
                        self.out.write(f"  {instant:%Y-%m-%d %H:%M} {action.__name__}: {exc!r}")

    def phase(self, name: str, started: float) -> None:
        self.timings.append((name, time.monotonic() - started))

    # Programmes -----------------------------------------------------------------------------

    def create(self, key: str, start: dt.date, *, seed: int, name: str, extra=(), fixed=None):
        programme = generate_programme(
            self.roster,
            start=start,
            seed=seed,
            name=name,
            extra_shifts=extra,
            fixed_availability=fixed,
        )
        say = dict(stdout=self.out, stderr=self.out, verbosity=0)
        self.programmes[key] = programme_load(programme, self.folder / key, say=say)
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

    # Visits and debriefs --------------------------------------------------------------------

    def visits(self, key: str):
        from shadowing.programmes.pairing_models import Pairing, PairingStatus

        return list(
            Pairing.objects.filter(programme=self.programmes[key], status=PairingStatus.PUBLISHED)
            .select_related("executive", "agent", "site")
            .order_by("date", "pk")
        )

    def choose_barriers(self, site, count: int) -> list[tuple]:
        channel = pool.CHANNEL_CODES[site.channel]
        candidates = [i for i, s in self.specs.items() if channel in s.channels.split()]
        weights = [self.specs[i].weight for i in candidates]
        chosen = []
        for _ in range(count * 3):
            i = self.rng.choices(candidates, weights=weights)[0]
            if i not in chosen:
                chosen.append(i)
            if len(chosen) == count:
                break
        return [(i, site.code if self.specs[i].regional else "") for i in chosen]

    def barrier_body(self, group: tuple, site) -> dict:
        spec = self.specs[group[0]]
        title = f"{spec.title} ({site.name})" if group[1] else spec.title
        observation = self.rng.choice(pool.OBSERVATIONS)
        key = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self.group_of_key[key] = group
        return {
            "key": key,
            "title": title[:200],
            "description": f"{spec.description} {observation}".strip(),
            "category": spec.category,
            "department": spec.department,
            "severity": self.rng.choices([1, 2, 3, 4], weights=[2, 5, 4, 1])[0],
            "frequency": self.rng.choices(
                ["rare", "weekly", "daily", "most_calls"], weights=[1, 3, 4, 2]
            )[0],
            "suggested_fix": spec.fix if self.rng.random() < 0.7 else "",
        }

    def debrief_body(self, pairing, barriers_per_debrief: list[int]) -> dict:
        count = self.rng.choice(barriers_per_debrief)
        barriers = [
            self.barrier_body(group, pairing.site)
            for group in self.choose_barriers(pairing.site, count)
        ]
        return {
            "overall": self.rng.choice(pool.OVERALL).format(name=pairing.agent.full_name),
            "rating": self.rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 2, 1])[0],
            "commitment": self.rng.choice(pool.COMMITMENTS),
            "barriers": barriers,
        }

    def submit(self, pairing, body: dict) -> None:
        from debriefs.services import debrief_get_or_create, debrief_submit

        debrief, _created = debrief_get_or_create(pairing=pairing, by=pairing.executive)
        debrief_submit(debrief=debrief, by=pairing.executive, body=body)

    def draft(self, pairing, body: dict) -> None:
        from debriefs.services import debrief_get_or_create, debrief_save_draft

        debrief, _created = debrief_get_or_create(pairing=pairing, by=pairing.executive)
        debrief_save_draft(
            debrief=debrief, by=pairing.executive, body={"overall": body["overall"][:80]}
        )

    def agent_files(self, pairing, barrier: dict, anonymous: bool) -> None:
        from debriefs.services import barrier_report_file_by_agent

        barrier_report_file_by_agent(
            pairing=pairing,
            agent=pairing.agent,
            barrier=barrier,
            anonymous=anonymous,
            key=barrier["key"],
        )

    def plan_debriefs(self, key: str, *, until: dt.datetime, never: float, late: float) -> None:
        priya = CAST.executive
        for pairing in self.visits(key):
            end = pairing.ends_at
            if end > until:
                continue
            body = self.debrief_body(pairing, BARRIERS_PER_DEBRIEF[key])
            roll = self.rng.random()
            if pairing.executive.email == priya and key == "current":
                continue  # the demo executive files this one herself
            if pairing.executive.email == priya:
                roll = 1.0
            if roll < never:
                if self.rng.random() < 0.5:
                    self.schedule(end + dt.timedelta(hours=2), self.draft, pairing, body)
            else:
                if roll < never + late:
                    delay = dt.timedelta(hours=self.rng.randint(3 * 24, 12 * 24))
                else:
                    delay = dt.timedelta(minutes=self.rng.randint(45, 30 * 60))
                if end + delay <= until:
                    self.schedule(end + delay, self.submit, pairing, body)
            if self.rng.random() < AGENTS_WHO_FILE[key]:
                for group in self.choose_barriers(pairing.site, self.rng.choice([1, 1, 2])):
                    barrier = self.barrier_body(group, pairing.site)
                    barrier["suggested_fix"] = ""
                    delay = dt.timedelta(minutes=self.rng.randint(20, 48 * 60))
                    if end + delay <= until:
                        anonymous = self.rng.random() < 0.4
                        self.schedule(end + delay, self.agent_files, pairing, barrier, anonymous)

    # The backlog ----------------------------------------------------------------------------

    def item_of_group(self, group):
        from barriers.models import BacklogItem

        pk = self.canonical.get(group)
        return BacklogItem.objects.filter(pk=pk).select_related("department__head").first()

    def triage(self, wave: str) -> None:
        """The coordinator's triage: new items of a barrier already in the backlog are merged
        into its item; a barrier seen for the first time gets a plan for its life."""
        from barriers.models import OPEN_STATUSES, BacklogItem, ItemReport, Status
        from barriers.services import barrier_merge

        links = (
            ItemReport.objects.filter(item__status__in=[*OPEN_STATUSES, Status.RESOLVED])
            .exclude(item__status=Status.MERGED)
            .values_list("item_id", "report__key", "item__created_at")
            .order_by("item__created_at", "item_id")
        )
        by_group: dict[tuple, list[int]] = defaultdict(list)
        for item_id, key, _created in links:
            group = self.group_of_key.get(str(key))
            if group is not None and item_id not in by_group[group]:
                by_group[group].append(item_id)
        owner_of = {pk: g for g, pk in self.canonical.items()}
        for group, item_ids in by_group.items():
            item_ids = [pk for pk in item_ids if owner_of.get(pk, group) == group]
            into_pk = self.canonical.get(group)
            into = BacklogItem.objects.filter(pk=into_pk).first() if into_pk else None
            if into is None or into.status not in OPEN_STATUSES:
                if into is not None and into.pk in item_ids:
                    item_ids = [pk for pk in item_ids if pk != into.pk]
                if not item_ids:
                    continue
                into = BacklogItem.objects.get(pk=item_ids[0])
                self.canonical[group] = into.pk
                self.new_group(group, into, wave)
            for pk in item_ids:
                if pk == into.pk or pk in self.missed:
                    continue
                if self.rng.random() < MISSED_DUPLICATES:
                    self.missed.add(pk)  # worded too differently: it stays an item of its own
                    continue
                source = BacklogItem.objects.get(pk=pk)
                into = barrier_merge(source=source, into=into, by=self.coordinator)

    def new_group(self, group, item, wave: str) -> None:
        if wave == "past":
            plan = self.rng.choices(
                [
                    "new", "claimed", "claimed_late", "in_progress", "resolved", "verified",
                    "reopened", "wont_fix", "transferred", "transferred_open",
                ],
                weights=[12, 13, 5, 14, 15, 13, 4, 5, 8, 3],
            )[0]  # fmt: skip
        else:
            plan = self.rng.choices(["new", "claimed", "transferred"], weights=[7, 2, 1])[0]
        self.plans[group] = plan
        self.wave_of_group[group] = wave
        start = timezone.now()
        day = dt.timedelta(days=1)
        if plan == "new":
            return
        if plan in ("transferred", "transferred_open"):
            claim_at = start + day * self.rng.randint(1, 3)
            self.schedule(claim_at, self.transfer, group)
            if plan == "transferred":
                self.schedule(claim_at + day * self.rng.randint(1, 5), self.claim, group)
            return
        late = plan == "claimed_late"
        claim_at = start + day * (self.rng.randint(8, 16) if late else self.rng.randint(1, 4))
        claim_at = claim_at.replace(hour=14, minute=self.rng.randint(0, 59))
        self.schedule(claim_at, self.claim, group)
        if plan in ("in_progress", "resolved", "verified", "reopened", "wont_fix"):
            started = claim_at + day * self.rng.randint(1, 6)
            self.schedule(started, self.start, group)
            if plan == "wont_fix":
                self.schedule(started + day * self.rng.randint(3, 15), self.wont_fix, group)
            elif plan != "in_progress":
                resolved = started + day * self.rng.randint(7, 30)
                self.schedule(resolved, self.resolve, group)
                if plan == "verified":
                    self.schedule(resolved + day * self.rng.randint(1, 8), self.verify, group)
                if plan == "reopened":
                    self.schedule(resolved + day * self.rng.randint(3, 10), self.reopen, group)

    def claim(self, group) -> None:
        from barriers.services import barrier_claim

        item = self.item_of_group(group)
        head = item.department.head
        staff = self.staff.get(item.department_id) or [head]
        owner = self.rng.choice(staff) if self.rng.random() < 0.7 else head
        spec = self.specs[group[0]]
        barrier_claim(
            barrier=item,
            by=head,
            owner=owner,
            due=demo_today(timezone.now()) + dt.timedelta(days=self.rng.randint(14, 60)),
            first_step=self.rng.choice(
                pool.FIRST_STEPS.get(spec.category, pool.FIRST_STEPS["other"])
            ),
        )

    def start(self, group) -> None:
        from barriers.services import barrier_start

        item = self.item_of_group(group)
        barrier_start(barrier=item, by=item.owner)

    def resolve(self, group) -> None:
        from barriers.services import barrier_resolve

        item = self.item_of_group(group)
        text = self.rng.choice(pool.RESOLUTIONS).format(fix=self.specs[group[0]].fix)
        barrier_resolve(barrier=item, by=item.owner, resolution=text)

    def wont_fix(self, group) -> None:
        from barriers.services import barrier_wont_fix

        item = self.item_of_group(group)
        barrier_wont_fix(barrier=item, by=item.owner, reason=self.rng.choice(pool.WONT_FIX))

    def reporter(self, item):
        from barriers.models import ItemReport
        from debriefs.models import Source

        link = (
            ItemReport.objects.filter(item=item, report__source=Source.EXECUTIVE)
            .select_related("report__reporter")
            .order_by("report_id")
            .first()
        )
        return link.report.reporter if link else None

    def verify(self, group) -> None:
        from barriers.services import barrier_verify

        item = self.item_of_group(group)
        reporter = self.reporter(item)
        if reporter is not None:  # only agents reported it: they are told, an executive confirms
            barrier_verify(barrier=item, by=reporter)

    def reopen(self, group) -> None:
        from barriers.services import barrier_reopen

        item = self.item_of_group(group)
        reporter = self.reporter(item)
        if reporter is not None:
            reason = self.rng.choice(pool.REOPEN_REASONS)
            barrier_reopen(barrier=item, by=reporter, reason=reason)

    def transfer(self, group, to: str | None = None) -> None:
        from barriers.services import barrier_transfer

        item = self.item_of_group(group)
        codes = sorted(c for c in self.departments if c != item.department.code)
        to = to or self.rng.choice(codes)
        barrier_transfer(
            barrier=item,
            by=item.department.head,
            department=self.departments[to],
            reason=pool.TRANSFER_REASONS[to],
        )

    def specials(self) -> None:
        """One item bounced between departments until it waits for the coordinator's
        arbitration; one merge made by mistake, then undone."""
        from barriers.models import Status
        from barriers.services import barrier_merge

        new = sorted(
            g for g, p in self.plans.items() if p == "new" and self.wave_of_group[g] == "past"
        )
        if len(new) < 3:
            return
        bounced, wrong, right = new[0], new[1], new[2]
        self.plans[bounced] = "arbitration"
        for to in ("IT", "PROD", "BILL"):
            item = self.item_of_group(bounced)
            if item.department.code == to:
                continue
            self.transfer(bounced, to)
        source, into = self.item_of_group(wrong), self.item_of_group(right)
        if source and into and into.status != Status.MERGED:
            barrier_merge(source=source, into=into, by=self.coordinator)
            self.plans[wrong] = "unmerged"
            self.schedule(timezone.now() + dt.timedelta(days=2), self.unmerge, source.pk)

    def unmerge(self, item_pk: int) -> None:
        from barriers.models import BacklogItem
        from barriers.services import barrier_unmerge

        barrier_unmerge(source=BacklogItem.objects.get(pk=item_pk), by=self.coordinator)

    def schedule_triage(self, first: dt.date, last: dt.date, wave: str) -> None:
        day = first
        while day <= last:
            if day.weekday() in (0, 2, 4):
                self.schedule(at(day, 11), self.triage, wave)
            day += dt.timedelta(days=1)

    # The waves ------------------------------------------------------------------------------

    def live(self) -> dict:
        from shadowing.organisation.models import Person
        from shadowing.programmes.models import ProgrammeStatus
        from shadowing.programmes.pairings import pairing_assign

        starts = wave_starts(self.today)
        yesterday = self.today - dt.timedelta(days=1)
        names = {
            "past": "Wave 1: front-line shadowing, {:%B %Y}",
            "current": "Wave 2: front-line shadowing, {:%B %Y}",
            "next": "Wave 3: front-line shadowing, {:%B %Y}",
        }

        # The finished wave --------------------------------------------------------------
        t = time.monotonic()
        s = starts["past"]
        end = s + dt.timedelta(days=25)
        with time_machine.travel(at(s - dt.timedelta(days=28), 10), tick=False):
            self.create("past", s, seed=SEED + 1, name=names["past"].format(s))
        with time_machine.travel(at(s - dt.timedelta(days=21), 10), tick=False):
            self.pair("past")
        with time_machine.travel(at(s - dt.timedelta(days=18), 9), tick=False):
            self.publish("past")
        self.phase("finished wave: created, paired, published", t)
        t = time.monotonic()
        self.schedule(
            at(s - dt.timedelta(days=1), 17), self.transition, "past", ProgrammeStatus.RUNNING
        )
        self.schedule_sweeps(s - dt.timedelta(days=4), end + dt.timedelta(weeks=4), end)
        self.schedule_triage(s + dt.timedelta(days=1), end + dt.timedelta(weeks=3), "past")
        self.schedule(at(end + dt.timedelta(days=8), 10), self.specials)
        self.plan_debriefs("past", until=at(end + dt.timedelta(days=20), 0), never=0.09, late=0.14)
        self.schedule(
            at(end + dt.timedelta(weeks=3), 16), self.transition, "past", ProgrammeStatus.CLOSED
        )
        self.run_until(at(end + dt.timedelta(weeks=4), 23))
        self.phase("finished wave: visits, debriefs, backlog", t)

        # The current wave ---------------------------------------------------------------
        t = time.monotonic()
        s = starts["current"]
        priya = Person.objects.get(email=CAST.executive)
        helene = Person.objects.get(email=CAST.agent)
        with time_machine.travel(at(s - dt.timedelta(days=24), 10), tick=False):
            self.create(
                "current",
                s,
                seed=SEED + 2,
                name=names["current"].format(s),
                extra=((CAST.agent, yesterday, "08:00", "16:00"),),
                fixed={CAST.executive: (yesterday,)},
            )
        with time_machine.travel(at(s - dt.timedelta(days=17), 10), tick=False):
            programme = self.programmes["current"]
            try:
                pairing_assign(
                    programme=programme, executive=priya, agent=helene, date=yesterday,
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
