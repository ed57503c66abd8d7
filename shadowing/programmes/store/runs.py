"""Runs: a `PairingRun` queued for the worker, executed (load, solve, store) and kept up to date
for whoever waits on it."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shadowing import pairing as engine
from shadowing.organisation.models import Person
from shadowing.programmes import reasons
from shadowing.programmes.batches import CHUNK
from shadowing.programmes.models import Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import (
    ACTIVE_RUN_STATUSES,
    Pairing,
    PairingRun,
    PairingRunStatus,
    UnpairedExecutive,
)
from shadowing.programmes.store.plans import Stored, plan_store
from shadowing.programmes.store.problem import DAYS_CLOSED, NO_HOME_SITE, Loaded, problem_load

logger = logging.getLogger(__name__)


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


def dropped_visits(problem: engine.Problem, plan: engine.Plan) -> int:
    """Of the earlier proposals the plan did not keep, how many were dropped rather than moved:
    their executive got no new visit in their place (a moved visit is one replaced by another
    visit of the same executive)."""
    planned = set(plan.as_visits())
    locked = set(problem.locked)
    lost: dict[int, int] = {}
    for v in set(problem.previous) - locked - planned:
        lost[v.executive] = lost.get(v.executive, 0) + 1
    previous = set(problem.previous)
    new: dict[int, int] = {}
    for v in planned - previous - locked:
        new[v.executive] = new.get(v.executive, 0) + 1
    return sum(max(n - new.get(executive, 0), 0) for executive, n in lost.items())


def run_message(
    *,
    paired: int,
    executives: int,
    visits: int,
    created: int,
    kept: int,
    moved: int,
    dropped: int,
    conflicts: int,
) -> str:
    """What a finished run says, every count with its plural."""
    parts = [
        ngettext(
            "Paired %(paired)d of %(executives)d executive:",
            "Paired %(paired)d of %(executives)d executives:",
            executives,
        )
        % {"paired": paired, "executives": executives},
        ngettext("%(n)d visit,", "%(n)d visits,", visits) % {"n": visits},
        ngettext("%(n)d new,", "%(n)d new,", created) % {"n": created},
        ngettext("%(n)d kept,", "%(n)d kept,", kept) % {"n": kept},
    ]
    if dropped:
        parts.append(ngettext("%(n)d moved,", "%(n)d moved,", moved) % {"n": moved})
        parts.append(
            ngettext(
                "%(n)d dropped (its executive is now unpaired that day).",
                "%(n)d dropped (their executives are now unpaired those days).",
                dropped,
            )
            % {"n": dropped}
        )
    else:
        parts.append(ngettext("%(n)d moved.", "%(n)d moved.", moved) % {"n": moved})
    if conflicts:
        parts.append(
            ngettext(
                "%(n)d locked or published visit breaks a rule today; it was kept.",
                "%(n)d locked or published visits break a rule today; they were kept.",
                conflicts,
            )
            % {"n": conflicts}
        )
    return " ".join(parts)


def _finish(run: PairingRun, plan: engine.Plan, loaded: Loaded, stored: Stored) -> None:
    stats = plan.stats
    executives = stats.executives + len(loaded.without_site)
    dropped = dropped_visits(loaded.problem, plan)
    moved = max(stats.moved - dropped, 0)
    message = run_message(
        paired=stats.paired_executives,
        executives=executives,
        visits=stats.visits,
        created=stored.created,
        kept=stored.kept,
        moved=moved,
        dropped=dropped,
        conflicts=_unwaived_conflicts(run.programme, stats.conflicts),
    )
    with transaction.atomic():
        UnpairedExecutive.objects.filter(run=run).delete()  # a re-taken run starts clean
        UnpairedExecutive.objects.bulk_create(
            [
                UnpairedExecutive(run=run, executive_id=u.executive, reason=reason, params=params)
                for u in plan.unpaired
                for reason, params in [loaded.unpaired_reason(u)]
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
            moved=moved,
            dropped=dropped,
            finished_at=timezone.now(),
        )


def _unwaived_conflicts(programme: Programme, conflicts) -> int:
    """Locked visits that break a rule today, less those whose broken rules were all waived by
    a coordinator (a recorded override is not news)."""
    if not conflicts:
        return 0
    waived = {
        engine.Visit(x, a, day): set(rules or ())
        for x, a, day, rules in Pairing.objects.active()
        .filter(programme=programme)
        .exclude(waived_rules=[])
        .values_list("executive_id", "agent_id", "date", "waived_rules")
    }
    return sum(1 for c in conflicts if not set(c.rules) <= waived.get(c.visit, set()))


def _fail(run: PairingRun, message: str) -> None:
    PairingRun.objects.filter(pk=run.pk).update(
        status=PairingRunStatus.FAILED, message=message[:500], finished_at=timezone.now()
    )


def unpaired_message(unpaired: UnpairedExecutive) -> str:
    """Why an executive was not (fully) paired, in words."""
    if unpaired.reason == NO_HOME_SITE:
        return _("The executive has no home site in the roster, so no region to visit.")
    if unpaired.reason == DAYS_CLOSED:
        return reasons.unpaired_message(DAYS_CLOSED, unpaired.params)
    params = tuple(sorted((str(k), str(v)) for k, v in (unpaired.params or {}).items()))
    return engine.Unpaired(unpaired.executive_id, unpaired.reason, params).message


def _progress(run: PairingRun, percent: int, message: str) -> None:
    PairingRun.objects.filter(pk=run.pk).update(progress=percent, message=message[:500])
    run.progress, run.message = percent, message[:500]
