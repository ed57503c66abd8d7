"""The ORM side of the pairing engine: load a `Problem` from the database, run `solve`, store the
`Plan`, and keep a `PairingRun` up to date for whoever waits on it.

The engine (`shadowing.pairing`) is pure Python and knows nothing of this module. What goes in:

- executives: every active executive with a home site; their availability rows as
  `available` (no row: any date), less the dates they already visit in another programme;
- agents: active agents with a site and at least one shift here, except those who opted out of
  hosting; their management chain from `Person.manager`; how often they hosted earlier;
- shifts: the programme's, less the agent-days already taken by another programme;
- locked: published pairings (whatever their state) and locked ones that need no repair;
- previous: the other pairings (proposed, and locked ones whose shift or date vanished), which
  the engine keeps as far as the optimum allows; those it does not keep are replaced;
- past pairs: (executive, agent) of non-cancelled pairings in programmes that started earlier.

Storing changes only what changed: a kept pairing keeps its row, UID and sequence.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing import pairing as engine
from shadowing.organisation.models import Person, Site
from shadowing.programmes.models import Availability, Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import (
    ACTIVE_RUN_STATUSES,
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    UnpairedExecutive,
)
from shadowing.programmes.selectors import declined_days

logger = logging.getLogger(__name__)

CHUNK = 500
# Reported for executives the engine cannot take at all (it needs a home site for the region).
NO_HOME_SITE = "no_home_site"


@dataclass
class Loaded:
    problem: engine.Problem
    without_site: list[int] = field(default_factory=list)  # executives left out: no home site
    agent_site: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stored:
    created: int
    deleted: int
    kept: int


# Loading ------------------------------------------------------------------------------------


def problem_load(programme: Programme) -> Loaded:
    """The engine's view of `programme`, read in a bounded number of queries."""
    dates = tuple(programme.dates)
    other = (
        Pairing.objects.active()
        .exclude(programme=programme)
        .filter(date__gte=programme.start_date, date__lte=programme.end_date)
    )
    executive_busy: dict[int, set[dt.date]] = defaultdict(set)
    agent_busy: set[tuple[int, dt.date]] = set()
    for executive_id, agent_id, day in other.values_list("executive_id", "agent_id", "date"):
        executive_busy[executive_id].add(day)
        agent_busy.add((agent_id, day))
    # A day someone said they cannot make ("can't make it") is not offered to them again.
    declined_executives, declined_agents = declined_days(programme)
    for executive_id, day in declined_executives:
        executive_busy[executive_id].add(day)
    agent_busy |= declined_agents

    available: dict[int, set[dt.date]] = defaultdict(set)
    for executive_id, day in Availability.objects.filter(programme=programme).values_list(
        "executive_id", "date"
    ):
        available[executive_id].add(day)

    executives: list[engine.Executive] = []
    without_site: list[int] = []
    for person in (
        Person.objects.filter(is_executive=True, is_active=True)
        .only("id", "department_id", "site_id", "languages")
        .order_by("id")
    ):
        if person.site_id is None:
            without_site.append(person.pk)
            continue
        dates_free = available.get(person.pk)
        busy = executive_busy.get(person.pk)
        if busy:
            dates_free = (dates_free if dates_free is not None else set(dates)) - busy
        executives.append(
            engine.Executive(
                id=person.pk,
                department=person.department_id or 0,
                home_site=person.site_id,
                languages=_languages(person.languages),
                available=frozenset(dates_free) if dates_free is not None else None,
            )
        )

    shifts_by_agent: dict[int, list[tuple[dt.date, dt.time, dt.time]]] = defaultdict(list)
    for agent_id, day, start, end in Shift.objects.filter(programme=programme).values_list(
        "agent_id", "date", "start_time", "end_time"
    ):
        if (agent_id, day) not in agent_busy:
            shifts_by_agent[agent_id].append((day, start, end))

    managers = dict(Person.objects.filter(manager__isnull=False).values_list("id", "manager_id"))
    earlier = Pairing.objects.active().filter(programme__start_date__lt=programme.start_date)
    hosted = dict(
        earlier.values_list("agent_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("agent_id", "n")
    )
    past_pairs = frozenset(earlier.values_list("executive_id", "agent_id").distinct())

    agents: list[engine.Agent] = []
    agent_site: dict[int, int] = {}
    shifts: list[engine.Shift] = []
    candidates = (
        Person.objects.filter(is_agent=True, is_active=True, hosting_opt_out=False)
        .exclude(site=None)
        .only("id", "site_id", "languages")
        .order_by("id")
    )
    for chunk in _chunks(sorted(shifts_by_agent)):
        for person in candidates.filter(id__in=chunk):
            agents.append(
                engine.Agent(
                    id=person.pk,
                    site=person.site_id,
                    languages=_languages(person.languages),
                    managers=_chain(person.pk, managers, programme.reporting_depth),
                    hosted_before=hosted.get(person.pk, 0),
                )
            )
            agent_site[person.pk] = person.site_id
            shifts += [
                engine.Shift(agent=person.pk, date=day, start=start, end=end)
                for day, start, end in shifts_by_agent[person.pk]
            ]

    site_ids = {x.home_site for x in executives} | set(agent_site.values())
    sites = tuple(
        engine.Site(id=pk, region=region, daily_visitor_limit=limit)
        for pk, region, limit in Site.objects.filter(id__in=site_ids)
        .order_by("id")
        .values_list("id", "region", "daily_visitor_limit")
    )

    locked, previous = [], []
    for visit, status, needs_repair in _current_visits(programme):
        if status == PairingStatus.PUBLISHED or (
            status == PairingStatus.LOCKED and not needs_repair
        ):
            locked.append(visit)
        else:
            previous.append(visit)

    problem = engine.Problem(
        executives=tuple(executives),
        agents=tuple(sorted(agents, key=lambda a: a.id)),
        sites=sites,
        shifts=tuple(shifts),
        dates=dates,
        days_per_executive=programme.days_per_executive,
        max_days_per_agent=programme.max_days_per_agent,
        reporting_depth=programme.reporting_depth,
        allow_cross_region=programme.allow_cross_region,
        locked=tuple(locked),
        previous=tuple(previous),
        past_pairs=past_pairs,
    )
    return Loaded(problem, without_site, agent_site)


def _current_visits(programme: Programme) -> Iterator[tuple[engine.Visit, str, bool]]:
    for executive_id, agent_id, day, status, needs_repair in (
        Pairing.objects.active()
        .filter(programme=programme)
        .values_list("executive_id", "agent_id", "date", "status", "needs_repair")
    ):
        yield engine.Visit(executive_id, agent_id, day), status, needs_repair


def _languages(value) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(str(code).strip().lower() for code in value if str(code).strip())


def _chain(person_id: int, managers: dict[int, int], depth: int) -> tuple[int, ...]:
    """The management chain above a person, nearest first, `depth` levels at most; a cycle in
    the data (A manages B manages A) ends it rather than looping."""
    chain: list[int] = []
    current = managers.get(person_id)
    while current is not None and len(chain) < depth and current not in chain:
        chain.append(current)
        current = managers.get(current)
    return tuple(chain)


# Checking hand-made visits ------------------------------------------------------------------


def visits_check(
    *,
    programme: Programme,
    visits: Sequence[engine.Visit],
    ignore: Collection[int] = (),
) -> dict[engine.Visit, tuple[str, ...]]:
    """The hard rules each of `visits` would break if they joined the programme's pairings
    (less the pairings whose ids are in `ignore`: those a hand change replaces), as the engine's
    rule codes (`shadowing.pairing.rules`); a visit that breaks none maps to ().

    Reads only the neighbourhood of the visits, in a bounded number of queries whatever the
    programme's size: the people named, their availability and shifts on those dates, the
    days they are taken by another programme, the agents' management chains, and this
    programme's pairings that share an executive, an agent or a site-day with them. The rules
    are the engine's own (`Rules.plan`), on the same reading of the data as `problem_load`:
    an agent's site is their current one, a date taken by another programme is not available.
    """
    visits = list(visits)
    if not visits:
        return {}
    dates = sorted({v.date for v in visits})
    executive_ids = {v.executive for v in visits}
    agent_ids = {v.agent for v in visits}
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=executive_ids | agent_ids).only(
            "id",
            "department_id",
            "site_id",
            "manager_id",
            "languages",
            "is_active",
            "is_executive",
            "is_agent",
            "hosting_opt_out",
        )
    }
    agent_sites = {people[pk].site_id for pk in agent_ids if pk in people} - {None}

    executive_busy: dict[int, set[dt.date]] = defaultdict(set)
    agent_busy: set[tuple[int, dt.date]] = set()
    for executive_id, agent_id, day in (
        Pairing.objects.active()
        .exclude(programme=programme)
        .filter(date__in=dates)
        .filter(Q(executive_id__in=executive_ids) | Q(agent_id__in=agent_ids))
        .values_list("executive_id", "agent_id", "date")
    ):
        executive_busy[executive_id].add(day)
        agent_busy.add((agent_id, day))

    available: dict[int, set[dt.date]] = defaultdict(set)
    for executive_id, day in Availability.objects.filter(
        programme=programme, executive_id__in=executive_ids
    ).values_list("executive_id", "date"):
        available[executive_id].add(day)

    # This programme's pairings that count against the same capacities (rules 4, 5 and 7).
    neighbours: list[engine.Visit] = []
    neighbour_sites: dict[int, int | None] = {}
    for executive_id, agent_id, day, site_id in (
        Pairing.objects.active()
        .filter(programme=programme)
        .exclude(pk__in=list(ignore))
        .filter(
            Q(executive_id__in=executive_ids)
            | Q(agent_id__in=agent_ids)
            | Q(date__in=dates, agent__site_id__in=agent_sites)
        )
        .values_list("executive_id", "agent_id", "date", "agent__site_id")
    ):
        neighbours.append(engine.Visit(executive_id, agent_id, day))
        neighbour_sites[agent_id] = site_id

    window = tuple(programme.dates)
    executives = []
    for pk in sorted(executive_ids):
        person = people.get(pk)
        if person is None or not (person.is_active and person.is_executive) or not person.site_id:
            continue
        dates_free = available.get(pk)
        if executive_busy.get(pk):
            free = dates_free if dates_free is not None else set(window)
            dates_free = free - executive_busy[pk]
        executives.append(
            engine.Executive(
                id=pk,
                department=person.department_id or 0,
                home_site=person.site_id,
                languages=_languages(person.languages),
                available=frozenset(dates_free) if dates_free is not None else None,
            )
        )

    managers = _managers_above(
        {pk: people[pk].manager_id for pk in agent_ids if pk in people},
        programme.reporting_depth,
    )
    agents: dict[int, engine.Agent] = {}
    for pk in sorted(agent_ids):
        person = people.get(pk)
        if (
            person is None
            or not (person.is_active and person.is_agent)
            or person.hosting_opt_out
            or not person.site_id
        ):
            continue
        agents[pk] = engine.Agent(
            id=pk,
            site=person.site_id,
            languages=_languages(person.languages),
            managers=_chain(pk, managers, programme.reporting_depth),
        )
    # Other agents of the neighbourhood matter only for where they are (the site-day count).
    for pk, site_id in neighbour_sites.items():
        if pk not in agents and site_id is not None:
            agents[pk] = engine.Agent(id=pk, site=site_id, languages=frozenset())

    shifts = [
        engine.Shift(agent=agent_id, date=day, start=start, end=end)
        for agent_id, day, start, end in Shift.objects.filter(
            programme=programme, agent_id__in=list(agents.keys() & agent_ids), date__in=dates
        ).values_list("agent_id", "date", "start_time", "end_time")
        if (agent_id, day) not in agent_busy
    ]
    site_ids = {x.home_site for x in executives} | {a.site for a in agents.values()}
    sites = tuple(
        engine.Site(id=pk, region=region, daily_visitor_limit=limit)
        for pk, region, limit in Site.objects.filter(id__in=site_ids)
        .order_by("id")
        .values_list("id", "region", "daily_visitor_limit")
    )
    problem = engine.Problem(
        executives=tuple(executives),
        agents=tuple(agents[pk] for pk in sorted(agents)),
        sites=sites,
        shifts=tuple(shifts),
        dates=window,
        days_per_executive=programme.days_per_executive,
        max_days_per_agent=programme.max_days_per_agent,
        reporting_depth=programme.reporting_depth,
        allow_cross_region=programme.allow_cross_region,
    )
    found = engine.Rules(problem).plan([*neighbours, *visits])
    return {v: found.get(v, ()) for v in visits}


def _managers_above(first: dict[int, int | None], depth: int) -> dict[int, int]:
    """`person -> manager` for the people of `first` and their managers, `depth` levels up: one
    query per level above the first, instead of the whole organisation's tree."""
    managers = {pk: manager for pk, manager in first.items() if manager is not None}
    frontier = set(managers.values()) - managers.keys()
    for _level in range(1, depth):
        if not frontier:
            break
        found = dict(
            Person.objects.filter(pk__in=frontier, manager__isnull=False).values_list(
                "id", "manager_id"
            )
        )
        managers.update(found)
        frontier = set(found.values()) - managers.keys()
    return managers


# Storing ------------------------------------------------------------------------------------


def plan_store(*, programme: Programme, plan: engine.Plan, loaded: Loaded) -> Stored:
    """Make the programme's pairings equal the plan, touching only what changed.

    Kept visits keep their row (UID, sequence); their reasons are refreshed. Pairings that are
    not in the plan are deleted if they were never published (nobody holds an invitation) and
    never a locked pairing that needs no repair; new visits are created as proposed, with the
    shift, site and times of that agent-day. Raises ValidationError, writing nothing, if the
    shifts changed since the problem was loaded."""
    planned = {visit.visit: visit for visit in plan.visits}
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        current = {
            engine.Visit(p.executive_id, p.agent_id, p.date): p
            for p in Pairing.objects.active()
            .filter(programme=programme)
            .only("id", "executive_id", "agent_id", "date", "status", "needs_repair", "reasons")
        }
        to_delete = [
            pairing.pk
            for visit, pairing in current.items()
            if visit not in planned
            and pairing.status != PairingStatus.PUBLISHED
            and not (pairing.status == PairingStatus.LOCKED and not pairing.needs_repair)
        ]
        kept = []
        for visit, pairing in current.items():
            if visit in planned:
                reasons = list(planned[visit].reasons)
                if pairing.reasons != reasons:
                    pairing.reasons = reasons
                    pairing.updated_at = timezone.now()
                    kept.append(pairing)
        new = [visit for visit in planned.values() if visit.visit not in current]
        shifts = _shifts_for(programme, {(v.agent, v.date) for v in new})
        missing = [v for v in new if (v.agent, v.date) not in shifts]
        if missing:
            raise ValidationError(
                _("The shifts changed while pairing (%(n)d planned visits lost theirs): run again.")
                % {"n": len(missing)}
            )
        for chunk in _chunks(to_delete):
            Pairing.objects.filter(id__in=chunk).delete()
        Pairing.objects.bulk_update(kept, ["reasons", "updated_at"], batch_size=CHUNK)
        try:
            Pairing.objects.bulk_create(
                [
                    Pairing(
                        programme=programme,
                        executive_id=visit.executive,
                        agent_id=visit.agent,
                        date=visit.date,
                        shift_id=shifts[(visit.agent, visit.date)][0],
                        site_id=loaded.agent_site[visit.agent],
                        starts_at=shifts[(visit.agent, visit.date)][1],
                        ends_at=shifts[(visit.agent, visit.date)][2],
                        reasons=list(visit.reasons),
                    )
                    for visit in new
                ],
                batch_size=CHUNK,
            )
        except IntegrityError as exc:
            # Another programme took one of these people on that day since the problem was read.
            raise ValidationError(
                _("Someone was booked elsewhere while pairing: run again.")
            ) from exc
    return Stored(created=len(new), deleted=len(to_delete), kept=len(planned) - len(new))


def _shifts_for(
    programme: Programme, keys: set[tuple[int, dt.date]]
) -> dict[tuple[int, dt.date], tuple[int, dt.datetime, dt.datetime]]:
    found = {}
    for chunk in _chunks(sorted({agent for agent, _day in keys})):
        for pk, agent, day, starts_at, ends_at in Shift.objects.filter(
            programme=programme, agent_id__in=chunk
        ).values_list("id", "agent_id", "date", "starts_at", "ends_at"):
            if (agent, day) in keys:
                found[(agent, day)] = (pk, starts_at, ends_at)
    return found


# Runs ---------------------------------------------------------------------------------------


def pairing_run_start(*, programme: Programme, requested_by: Person | None = None) -> PairingRun:
    """Create a queued run for the programme (a draft programme moves to `pairing`).

    Raises ValidationError for a closed programme or when a run is already queued or running
    (one at a time, held by a database constraint). A run whose worker must have died (running
    past the task timeout, or queued past every retry) is marked failed first, so that a lost
    task never blocks the programme for good."""
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed: it can no longer be paired."))
    _fail_abandoned_runs(programme)
    try:
        with transaction.atomic():
            run = PairingRun.objects.create(programme=programme, requested_by=requested_by)
            if programme.status == ProgrammeStatus.DRAFT:
                Programme.objects.filter(pk=programme.pk, status=ProgrammeStatus.DRAFT).update(
                    status=ProgrammeStatus.PAIRING, updated_at=timezone.now()
                )
                programme.refresh_from_db(fields=["status", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            _("A pairing run for this programme is already under way; wait for it to finish.")
        ) from None
    return run


def _fail_abandoned_runs(programme: Programme) -> None:
    q = settings.Q_CLUSTER
    now = timezone.now()
    running_limit = now - dt.timedelta(seconds=q.get("timeout", 300))
    queued_limit = now - dt.timedelta(
        seconds=q.get("retry", 360) * max(q.get("max_attempts", 1), 1) + q.get("timeout", 300)
    )
    PairingRun.objects.filter(programme=programme).filter(
        Q(status=PairingRunStatus.RUNNING, started_at__lt=running_limit)
        | Q(status=PairingRunStatus.QUEUED, created_at__lt=queued_limit)
    ).update(
        status=PairingRunStatus.FAILED,
        message=_("Interrupted: the background worker stopped. Run the pairing again."),
        finished_at=now,
    )


def pairing_run_active(programme: Programme) -> PairingRun | None:
    """The programme's queued or running run, if any. A run whose worker must have died is
    marked failed first (as `pairing_run_start` does), so that it never blocks hand changes."""
    _fail_abandoned_runs(programme)
    return PairingRun.objects.filter(programme=programme, status__in=ACTIVE_RUN_STATUSES).first()


def pairing_run_queue(*, programme: Programme, requested_by: Person | None = None) -> PairingRun:
    """Start a run and hand it to the background workers once this transaction commits."""
    from django_q.tasks import async_task

    run = pairing_run_start(programme=programme, requested_by=requested_by)

    def enqueue() -> None:
        task_id = async_task("shadowing.programmes.tasks.pairing_run", run.pk)
        PairingRun.objects.filter(pk=run.pk, task_id="").update(task_id=task_id or "")

    transaction.on_commit(enqueue)
    return run


def pairing_run_execute(*, run: PairingRun) -> PairingRun:
    """Run the engine for a run and store its plan.

    Never raises because the pairing failed: the run says `failed` and why. Only a queued run,
    or a running one whose worker must be dead (older than the task timeout), is taken, so a
    task delivered twice does the work once."""
    now = timezone.now()
    overdue = now - dt.timedelta(seconds=settings.Q_CLUSTER.get("timeout", 300))
    claimed = (
        PairingRun.objects.filter(pk=run.pk)
        .filter(
            Q(status=PairingRunStatus.QUEUED)
            | Q(status=PairingRunStatus.RUNNING, started_at__lt=overdue)
        )
        .update(status=PairingRunStatus.RUNNING, started_at=now, progress=0)
    )
    run.refresh_from_db()
    if not claimed:
        return run
    programme = run.programme
    try:
        _progress(run, 5, _("Reading the programme."))
        loaded = problem_load(programme)
        _progress(
            run,
            20,
            _("Pairing %(executives)d executives with %(agents)d agents.")
            % {
                "executives": len(loaded.problem.executives),
                "agents": len(loaded.problem.agents),
            },
        )
        plan = engine.solve(loaded.problem)
        _progress(run, 85, _("Saving the pairings."))
        stored = plan_store(programme=programme, plan=plan, loaded=loaded)
        _finish(run, plan, loaded, stored)
    except (ValidationError, engine.ProblemError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _fail(run, message)
    except Exception as exc:
        logger.exception("pairing run %s failed", run.pk)
        _fail(
            run, _("The pairing failed unexpectedly (%(error)s).") % {"error": type(exc).__name__}
        )
    run.refresh_from_db()
    return run


def _finish(run: PairingRun, plan: engine.Plan, loaded: Loaded, stored: Stored) -> None:
    stats = plan.stats
    executives = stats.executives + len(loaded.without_site)
    message = _(
        "Paired %(paired)d of %(executives)d executives: %(visits)d visits, %(created)d new, "
        "%(kept)d kept, %(moved)d moved."
    ) % {
        "paired": stats.paired_executives,
        "executives": executives,
        "visits": stats.visits,
        "created": stored.created,
        "kept": stored.kept,
        "moved": stats.moved,
    }
    if stats.conflicts:
        message += " " + _(
            "%(n)d locked or published visits break a rule today; they were kept."
        ) % {"n": len(stats.conflicts)}
    with transaction.atomic():
        UnpairedExecutive.objects.filter(run=run).delete()  # a re-taken run starts clean
        UnpairedExecutive.objects.bulk_create(
            [
                UnpairedExecutive(
                    run=run, executive_id=u.executive, reason=u.reason, params=dict(u.params)
                )
                for u in plan.unpaired
            ]
            + [
                UnpairedExecutive(run=run, executive_id=pk, reason=NO_HOME_SITE)
                for pk in loaded.without_site
            ],
            batch_size=CHUNK,
        )
        PairingRun.objects.filter(pk=run.pk).update(
            status=PairingRunStatus.DONE,
            progress=100,
            message=message[:500],
            executives=executives,
            paired=stats.paired_executives,
            visits=stats.visits,
            moved=stats.moved,
            finished_at=timezone.now(),
        )


def _fail(run: PairingRun, message: str) -> None:
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.FAILED, message=message[:500], finished_at=timezone.now()
    )


def unpaired_message(unpaired: UnpairedExecutive) -> str:
    """Why an executive was not (fully) paired, in words."""
    if unpaired.reason == NO_HOME_SITE:
        return _("The executive has no home site in the roster, so no region to visit.")
    params = tuple(sorted((str(k), str(v)) for k, v in (unpaired.params or {}).items()))
    return engine.Unpaired(unpaired.executive_id, unpaired.reason, params).message


def _progress(run: PairingRun, percent: int, message: str) -> None:
    PairingRun.objects.filter(pk=run.pk).update(progress=percent, message=message[:500])
    run.progress, run.message = percent, message[:500]


def _chunks[T](items: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
