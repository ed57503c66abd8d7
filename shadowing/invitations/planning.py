"""Which messages a change owes, written as queued log rows inside the change's own transaction.

Every service that changes a published pairing (publish, cancel, move, replace the agent, an
import that retimes a shift) raises the pairing's SEQUENCE and calls `invitations_plan` in the
same transaction, then `invitations_queue` to have the rows sent once it commits. The rows are
the outbox: if the queueing is lost (a Redis broker restarting, a process killed right after the
commit), the sweeper finds them still queued and sends them (tasks.invitations_sweep).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from email.utils import parseaddr
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from shadowing.invitations.models import InvitationLog, MessageKind, MessageStatus
from shadowing.programmes.pairing_models import Pairing, PairingStatus

CHUNK = 500
# Pairings per send task: two messages each, over one SMTP connection. Small enough that a task
# ends well inside the cluster's timeout, large enough that the queue's overhead stays small.
SEND_CHUNK = 25
# Not yet handed to a mail server, so free to withdraw.
WITHDRAWABLE = (MessageStatus.QUEUED, MessageStatus.FAILED)


def new_message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{uuid4().hex}@{domain}>"


def invitations_plan(*, pairing_ids: Iterable[int]) -> int:
    """Queue every message the present state of these pairings owes; withdraw queued ones a
    change made stale. Call it inside the transaction of the change. Returns the rows queued.

    Guarantees, together with `sending`:

    - each party to a published pairing gets one REQUEST at the pairing's SEQUENCE;
    - a person who may hold the event (a REQUEST to them was ever handed to the mail server,
      and no CANCEL since) but no longer takes part (taken off the visit, or the visit
      cancelled) gets one CANCEL at the pairing's SEQUENCE;
    - a REQUEST for an older SEQUENCE that has not gone yet never goes, nor a CANCEL to a
      person who takes part again;
    - planning again with nothing changed queues nothing (the unique log row).
    """
    queued = 0
    for chunk in _chunks(sorted(set(pairing_ids))):
        _withdraw_stale(chunk)
        queued += _queue_owed(chunk)
    return queued


def invitations_queue(*, pairing_ids: Iterable[int]) -> None:
    """Hand the pairings' queued messages to the background workers once the current
    transaction commits. A failure to queue is logged, never raised: the change is committed
    and the sweeper sends what stays queued."""
    ids = sorted(set(pairing_ids))
    if not ids:
        return

    def enqueue() -> None:
        from django_q.tasks import async_task

        for start in range(0, len(ids), SEND_CHUNK):
            async_task(
                "shadowing.invitations.tasks.invitations_send",
                ids[start : start + SEND_CHUNK],
                group="invitations",
            )

    transaction.on_commit(enqueue, robust=True)


def _withdraw_stale(chunk: list[int]) -> None:
    # First, so that the rows read next show any claim a worker made meanwhile: a row it took
    # is `sending` (and counted as maybe delivered), one it did not can no longer be taken.
    open_rows = InvitationLog.objects.filter(pairing_id__in=chunk, status__in=WITHDRAWABLE)
    is_party = Q(person=F("pairing__executive")) | Q(person=F("pairing__agent"))
    open_rows.filter(kind=MessageKind.REQUEST).filter(
        Q(sequence__lt=F("pairing__sequence"))
        | ~Q(pairing__status=PairingStatus.PUBLISHED)
        | ~is_party
    ).update(status=MessageStatus.SUPERSEDED, next_attempt_at=None)
    open_rows.filter(kind=MessageKind.CANCEL, pairing__status=PairingStatus.PUBLISHED).filter(
        is_party
    ).update(status=MessageStatus.SUPERSEDED, next_attempt_at=None)


def _queue_owed(chunk: list[int]) -> int:
    rows = defaultdict(list)
    for row in InvitationLog.objects.filter(
        pairing_id__in=chunk, kind__in=(MessageKind.REQUEST, MessageKind.CANCEL)
    ).values("pairing_id", "person_id", "kind", "sequence", "status", "attempts"):
        rows[row["pairing_id"]].append(row)
    owed = []
    for pairing in Pairing.objects.filter(id__in=chunk).values(
        "id",
        "status",
        "sequence",
        "executive_id",
        "agent_id",
        "executive__is_active",
        "agent__is_active",
    ):
        parties = set()
        if pairing["status"] == PairingStatus.PUBLISHED:
            if pairing["executive__is_active"]:
                parties.add(pairing["executive_id"])
            if pairing["agent__is_active"]:
                parties.add(pairing["agent_id"])
        have = {(r["person_id"], r["sequence"], r["kind"]) for r in rows[pairing["id"]]}
        wanted = [(person, MessageKind.REQUEST) for person in sorted(parties)]
        wanted += [
            (person, MessageKind.CANCEL)
            for person in sorted(_holders(rows[pairing["id"]]) - parties)
        ]
        owed += [
            InvitationLog(
                pairing_id=pairing["id"],
                person_id=person,
                kind=kind,
                sequence=pairing["sequence"],
                message_id=new_message_id(),
            )
            for person, kind in wanted
            if (person, pairing["sequence"], kind) not in have
        ]
    InvitationLog.objects.bulk_create(owed, batch_size=CHUNK, ignore_conflicts=True)
    return len(owed)


def _holders(rows: list[dict]) -> set[int]:
    """The people whose calendar may hold the event: a REQUEST to them was tried (whatever came
    of it: a time-out after the message went counts), and no CANCEL was planned since."""
    latest_request: dict[int, int] = {}
    latest_cancel: dict[int, int] = {}
    for row in rows:
        person, sequence = row["person_id"], row["sequence"]
        if row["kind"] == MessageKind.REQUEST and row["attempts"] > 0:
            latest_request[person] = max(sequence, latest_request.get(person, -1))
        elif row["kind"] == MessageKind.CANCEL and row["status"] != MessageStatus.SUPERSEDED:
            latest_cancel[person] = max(sequence, latest_cancel.get(person, -1))
    return {
        person
        for person, sequence in latest_request.items()
        if latest_cancel.get(person, -1) < sequence
    }


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
