"""Writing a planned availability import: shifts and availability rows deleted, updated and
created, then every pairing's verdict stored (its shift, repair flag and times). A published
visit whose times changed gets a higher SEQUENCE and `published_pairings_retimed` is sent, in
the same transaction, so its updated invitations are queued with it.
"""

from django.utils import timezone

from shadowing.programmes.availability.batches import shifts_of_agents
from shadowing.programmes.availability.plan import Replacement, Verdict
from shadowing.programmes.batches import CHUNK, chunks
from shadowing.programmes.models import Availability, Programme, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.signals import published_pairings_retimed


def apply_replacement(programme: Programme, replacement: Replacement) -> None:
    """Write `replacement`, inside the import's transaction."""
    shifts, availability = replacement.shifts, replacement.availability
    if shifts is not None:
        for chunk in chunks(shifts.removed_ids):
            Shift.objects.filter(id__in=chunk).delete()
        Shift.objects.bulk_update(
            shifts.changed, ["start_time", "end_time", "starts_at", "ends_at"], batch_size=CHUNK
        )
        Shift.objects.bulk_create(
            [
                Shift(
                    programme=programme,
                    agent_id=row.agent_id,
                    date=row.date,
                    start_time=row.start,
                    end_time=row.end,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                )
                for row in shifts.added
            ],
            batch_size=CHUNK,
        )
    if availability is not None:
        for chunk in chunks(availability.removed_ids):
            Availability.objects.filter(id__in=chunk).delete()
        Availability.objects.bulk_create(
            [
                Availability(programme=programme, executive_id=executive_id, date=day)
                for executive_id, day in sorted(availability.added)
            ],
            batch_size=CHUNK,
        )
    _store_verdicts(programme, replacement.pairings, replacement.verdicts)


def _store_verdicts(
    programme: Programme, pairings: list[dict], verdicts: dict[int, Verdict]
) -> None:
    shift_ids = {
        (s["agent_id"], s["date"]): s["id"]
        for s in shifts_of_agents(programme, {p["agent_id"] for p in pairings})
    }
    changed = []
    retimed_published = []
    now = timezone.now()
    for pairing in pairings:
        reason, instants = verdicts[pairing["id"]]
        shift_id = shift_ids.get((pairing["agent_id"], pairing["date"]))
        update = Pairing(
            id=pairing["id"],
            shift_id=shift_id,
            needs_repair=bool(reason),
            repair_reason=reason,
            starts_at=pairing["starts_at"],
            ends_at=pairing["ends_at"],
            sequence=pairing["sequence"],
            updated_at=now,
        )
        if instants is not None:
            update.starts_at, update.ends_at = instants
            # The people already hold an invitation: a changed visit needs a higher SEQUENCE.
            if pairing["status"] == PairingStatus.PUBLISHED:
                update.sequence += 1
                retimed_published.append(pairing["id"])
        if (
            update.shift_id != pairing["shift_id"]
            or update.needs_repair != pairing["needs_repair"]
            or update.repair_reason != pairing["repair_reason"]
            or instants is not None
        ):
            changed.append(update)
    Pairing.objects.bulk_update(
        changed,
        [
            "shift_id",
            "needs_repair",
            "repair_reason",
            "starts_at",
            "ends_at",
            "sequence",
            "updated_at",
        ],
        batch_size=CHUNK,
    )
    if retimed_published:
        # Same transaction as the raised SEQUENCE: the updated invitations are queued with it.
        published_pairings_retimed.send(sender=Pairing, pairing_ids=retimed_published)
