"""Storing: the engine's `Plan` written as pairings. Only what changed changes: a kept pairing
keeps its row, UID and sequence."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing import pairing as engine
from shadowing.programmes.batches import CHUNK, chunks
from shadowing.programmes.models import Programme, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.store.problem import Loaded


@dataclass(frozen=True)
class Stored:
    created: int
    deleted: int
    kept: int


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
        for chunk in chunks(to_delete):
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
    for chunk in chunks(sorted({agent for agent, _day in keys})):
        for pk, agent, day, starts_at, ends_at in Shift.objects.filter(
            programme=programme, agent_id__in=chunk
        ).values_list("id", "agent_id", "date", "starts_at", "ends_at"):
            if (agent, day) in keys:
                found[(agent, day)] = (pk, starts_at, ends_at)
    return found
