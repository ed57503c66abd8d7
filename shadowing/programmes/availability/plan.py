"""Planning an availability import, before anything is written: which shifts and availability
rows go, change and come, and for each active pairing of the programme its verdict (the repair
reason it will have, and its new times if its shift moved). Counts and flagged pairings go into
the `AvailabilityImport` as they are found, so a dry run reports exactly what a real run does.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from shadowing.programmes.availability.batches import shifts_of_agents
from shadowing.programmes.availability.result import AvailabilityImport, BrokenPairing, KindChanges
from shadowing.programmes.availability.rows import AvailabilityKey, ShiftKey, ShiftRow
from shadowing.programmes.batches import chunks
from shadowing.programmes.models import Availability, Programme, Shift
from shadowing.programmes.pairing_models import Pairing, RepairReason

# (repair reason, '' for none; the new (starts_at, ends_at), None if the times stay).
type Verdict = tuple[str, tuple[dt.datetime, dt.datetime] | None]


@dataclass
class ShiftChanges:
    removed_ids: list[int]
    added: list[ShiftRow]
    changed: list[Shift]  # unsaved, holding the id and the new times


@dataclass
class AvailabilityChanges:
    removed_ids: list[int]
    added: set[AvailabilityKey]


@dataclass
class Replacement:
    """What an import changes; `shifts` or `availability` is None when its file was not given
    (that kind is left as it was)."""

    pairings: list[dict]
    verdicts: dict[int, Verdict]  # by pairing id, for every active pairing
    shifts: ShiftChanges | None
    availability: AvailabilityChanges | None


def plan_replacement(
    programme: Programme,
    new_shifts: dict[ShiftKey, ShiftRow] | None,
    new_availability: set[AvailabilityKey] | None,
    result: AvailabilityImport,
) -> Replacement:
    pairings = list(
        Pairing.objects.active()
        .filter(programme=programme)
        .values(
            "id",
            "executive_id",
            "agent_id",
            "date",
            "shift_id",
            "status",
            "needs_repair",
            "repair_reason",
            "starts_at",
            "ends_at",
            "sequence",
            executive_email=F("executive__email"),
            agent_email=F("agent__email"),
        )
    )
    shifts, shift_after = _plan_shifts(programme, new_shifts, pairings, result)
    availability, available_after = _plan_availability(
        programme, new_availability, pairings, result
    )
    verdicts = _verdicts(pairings, shift_after, available_after, result)
    return Replacement(pairings, verdicts, shifts, availability)


def _plan_shifts(
    programme: Programme,
    new_shifts: dict[ShiftKey, ShiftRow] | None,
    pairings: list[dict],
    result: AvailabilityImport,
) -> tuple[ShiftChanges | None, dict[ShiftKey, tuple[dt.datetime, dt.datetime]]]:
    # Shifts: what there is, what there will be.
    if new_shifts is not None:
        old_shifts = {
            (s["agent_id"], s["date"]): s
            for s in Shift.objects.filter(programme=programme).values(
                "id", "agent_id", "date", "start_time", "end_time", "starts_at", "ends_at"
            )
        }
        removed_ids = [s["id"] for key, s in old_shifts.items() if key not in new_shifts]
        added = [row for key, row in new_shifts.items() if key not in old_shifts]
        changed = [
            Shift(
                id=old_shifts[key]["id"],
                start_time=row.start,
                end_time=row.end,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
            )
            for key, row in new_shifts.items()
            if key in old_shifts and _differs(old_shifts[key], row)
        ]
        result.shifts = KindChanges(
            added=len(added),
            removed=len(removed_ids),
            changed=len(changed),
            unchanged=len(new_shifts) - len(added) - len(changed),
        )
        shift_after = {key: (row.starts_at, row.ends_at) for key, row in new_shifts.items()}
        return ShiftChanges(removed_ids, added, changed), shift_after
    shift_after = {
        (s["agent_id"], s["date"]): (s["starts_at"], s["ends_at"])
        for s in shifts_of_agents(programme, {p["agent_id"] for p in pairings})
    }
    return None, shift_after


def _plan_availability(
    programme: Programme,
    new_availability: set[AvailabilityKey] | None,
    pairings: list[dict],
    result: AvailabilityImport,
) -> tuple[AvailabilityChanges | None, set[AvailabilityKey]]:
    # Availability.
    if new_availability is not None:
        old_availability = {
            (a["executive_id"], a["date"]): a["id"]
            for a in Availability.objects.filter(programme=programme).values(
                "id", "executive_id", "date"
            )
        }
        removed_availability = [i for k, i in old_availability.items() if k not in new_availability]
        added_availability = new_availability - old_availability.keys()
        result.availability = KindChanges(
            added=len(added_availability),
            removed=len(removed_availability),
            unchanged=len(new_availability) - len(added_availability),
        )
        return AvailabilityChanges(removed_availability, added_availability), new_availability
    available_after: set[AvailabilityKey] = set()
    for chunk in chunks(sorted({p["executive_id"] for p in pairings})):
        available_after.update(
            Availability.objects.filter(programme=programme, executive_id__in=chunk).values_list(
                "executive_id", "date"
            )
        )
    return None, available_after


def _verdicts(
    pairings: list[dict],
    shift_after: dict[ShiftKey, tuple[dt.datetime, dt.datetime]],
    available_after: set[AvailabilityKey],
    result: AvailabilityImport,
) -> dict[int, Verdict]:
    restricted = {executive_id for executive_id, _day in available_after}

    # Pairings: which break, which come back, which change times.
    verdicts = {}
    for pairing in pairings:
        key = (pairing["agent_id"], pairing["date"])
        if key not in shift_after:
            reason = RepairReason.SHIFT_REMOVED
        elif (
            pairing["executive_id"] in restricted
            and (pairing["executive_id"], pairing["date"]) not in available_after
        ):
            reason = RepairReason.EXECUTIVE_UNAVAILABLE
        elif pairing["repair_reason"] == RepairReason.DECLINED:
            reason = RepairReason.DECLINED  # said by a person, not found in the files
        else:
            reason = ""
        instants = shift_after.get(key)
        retimed = instants is not None and instants != (pairing["starts_at"], pairing["ends_at"])
        verdicts[pairing["id"]] = (reason, instants if retimed else None)
        if reason and not pairing["needs_repair"]:
            result.broken.append(
                BrokenPairing(
                    id=pairing["id"],
                    executive=pairing["executive_email"],
                    agent=pairing["agent_email"],
                    date=pairing["date"],
                    status=pairing["status"],
                    reason=reason,
                )
            )
        elif not reason and pairing["needs_repair"]:
            result.repaired += 1
        if retimed:
            result.retimed += 1
    return verdicts


def _differs(old: dict, row: ShiftRow) -> bool:
    return (old["start_time"], old["end_time"], old["starts_at"], old["ends_at"]) != (
        row.start,
        row.end,
        row.starts_at,
        row.ends_at,
    )
