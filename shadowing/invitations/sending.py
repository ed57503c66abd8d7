"""Sending the queued messages of some pairings: claim a log row, send its message, mark it.

The protocol, and why a retried or duplicated task never mails twice:

1. the row exists before anything is sent (planning.py, in the change's transaction);
2. a worker sends a row only after moving it from queued (or failed and due, or stuck in
   sending past the lease) to `sending`, in one conditional UPDATE: of two workers holding the
   same task, one wins the row and the other skips it;
3. once the mail server has accepted the message (`send_messages` returned), the row becomes
   `sent`, with its time; a refusal or a broken connection makes it `failed`, retried later
   with a growing delay, and `abandoned` after MAX_ATTEMPTS.

The one window left is a crash between the server's acceptance and step 3 (a single UPDATE).
The row then stays `sending`, and after the lease (the cluster's task timeout: no live worker
holds a row longer) it is sent again: delivery is at least once, never silently lost. Such a
second copy is harmless where it matters: it carries the same Message-ID, UID and SEQUENCE, so
mail systems that de-duplicate show one message and every calendar keeps one event.

A row whose pairing changed since it was queued is not sent (`superseded`): a REQUEST for an
older SEQUENCE, an invitation to someone no longer on the visit, a reminder for a cancelled one.
"""

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db.models import F, Q
from django.utils import timezone

from shadowing.invitations.compose import compose
from shadowing.invitations.models import Cancellation, InvitationLog, MessageKind, MessageStatus
from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# After the n-th failed attempt, wait this long (the last figure repeats).
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)
# A debrief request still makes sense this long after the visit ended.
DEBRIEF_GRACE = dt.timedelta(days=1)


def lease() -> dt.timedelta:
    """How long a row may stay `sending` before it counts as abandoned by a dead worker: the
    cluster's task timeout, past which no worker is still running the task."""
    return dt.timedelta(seconds=settings.Q_CLUSTER.get("timeout") or 300)


def sendable(now: dt.datetime) -> Q:
    return (
        Q(status=MessageStatus.QUEUED)
        | Q(status=MessageStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - lease())
    )


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    superseded: int = 0
    skipped: int = 0  # taken by another worker, or not yet due


def invitations_send(*, pairing_ids: list[int], now: dt.datetime | None = None) -> SendReport:
    """Send every sendable message of these pairings (REQUEST, CANCEL, reminders, debrief
    requests), each once, over one mail connection. Never raises for a mail failure: the row
    records it and is retried later."""
    now = now or timezone.now()
    report = SendReport()
    rows = list(
        InvitationLog.objects.filter(pairing_id__in=pairing_ids)
        .filter(sendable(now))
        .order_by("pairing_id", "sequence", "kind", "id")
    )
    if not rows:
        return report
    pairing_ids = sorted({row.pairing_id for row in rows})
    pairings = Pairing.objects.select_related(
        "programme", "executive__department", "agent", "site"
    ).in_bulk(pairing_ids)
    people = Person.objects.select_related("site").in_bulk({row.person_id for row in rows})
    sent_before: dict[tuple[int, int], list[dict]] = {}
    for earlier in (
        InvitationLog.objects.filter(
            pairing_id__in=pairing_ids, kind=MessageKind.REQUEST, status=MessageStatus.SENT
        )
        .order_by("sequence")
        .values("pairing_id", "person_id", "sequence", "starts_at", "ends_at")
    ):
        sent_before.setdefault((earlier["pairing_id"], earlier["person_id"]), []).append(earlier)
    reasons = dict(
        Cancellation.objects.filter(pairing_id__in=pairing_ids).values_list("pairing_id", "reason")
    )
    with _Connection() as connection:
        for row in rows:
            pairing, person = pairings.get(row.pairing_id), people.get(row.person_id)
            if _stale(row, pairing, person, now):
                won = (
                    InvitationLog.objects.filter(pk=row.pk)
                    .filter(sendable(now))
                    .update(status=MessageStatus.SUPERSEDED, next_attempt_at=None)
                )
                report.superseded += won
                continue
            claimed = (
                InvitationLog.objects.filter(pk=row.pk)
                .filter(sendable(now))
                .update(
                    status=MessageStatus.SENDING,
                    claimed_at=now,
                    attempts=F("attempts") + 1,
                    next_attempt_at=None,
                )
            )
            if not claimed:
                report.skipped += 1
                continue
            attempts = row.attempts + 1
            earlier = [
                r
                for r in sent_before.get((row.pairing_id, row.person_id), [])
                if r["sequence"] < row.sequence
            ]
            try:
                letter = compose(
                    kind=row.kind,
                    sequence=row.sequence,
                    pairing=pairing,
                    person=person,
                    now=now,
                    is_update=bool(earlier),
                    reason=reasons.get(pairing.pk, ""),
                    held=(earlier[-1]["starts_at"], earlier[-1]["ends_at"])
                    if earlier and earlier[-1]["starts_at"]
                    else None,
                )
                connection.send(letter.email(to=person, message_id=row.message_id))
            except Exception as exc:
                _failed(row, attempts, exc, now)
                report.failed += 1
                continue
            InvitationLog.objects.filter(pk=row.pk, status=MessageStatus.SENDING).update(
                status=MessageStatus.SENT,
                sent_at=max(now, timezone.now()),
                email=person.email,
                starts_at=letter.starts_at,
                ends_at=letter.ends_at,
                error="",
            )
            report.sent += 1
    return report


def _stale(row: InvitationLog, pairing, person, now: dt.datetime) -> bool:
    """Whether the pairing changed since the row was queued so that its message must not go."""
    if pairing is None or person is None:
        return True
    is_party = person.pk in (pairing.executive_id, pairing.agent_id)
    published = pairing.status == PairingStatus.PUBLISHED
    if row.kind == MessageKind.REQUEST:
        return (
            not published
            or row.sequence != pairing.sequence
            or not is_party
            or not person.is_active
            or pairing.ends_at <= now
        )
    if row.kind == MessageKind.CANCEL:
        # Sent even if the pairing changed again since: it cancels what the person holds.
        return (published and is_party) or pairing.ends_at <= now
    if row.kind == MessageKind.REMINDER:
        return not published or not is_party or not person.is_active or pairing.starts_at <= now
    if row.kind == MessageKind.DEBRIEF:
        return (
            not published
            or person.pk != pairing.executive_id
            or now > pairing.ends_at + DEBRIEF_GRACE
        )
    return True


def _failed(row: InvitationLog, attempts: int, exc: Exception, now: dt.datetime) -> None:
    give_up = attempts >= MAX_ATTEMPTS
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    logger.warning(
        "message %s (%s #%s of pairing %s) failed, attempt %s: %s",
        row.pk,
        row.kind,
        row.sequence,
        row.pairing_id,
        attempts,
        exc,
    )
    InvitationLog.objects.filter(pk=row.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.ABANDONED if give_up else MessageStatus.FAILED,
        next_attempt_at=None if give_up else now + delay,
        error=f"{type(exc).__name__}: {exc}"[:500],
    )


class _Connection:
    """The default mailer, kept open across messages when it is SMTP (one connection for a
    task's messages), reopened after an error; other backends (files, memory) as they come."""

    def __init__(self) -> None:
        self.mailer = mailers.default
        self.keep_open = isinstance(self.mailer, SMTPBackend)

    def __enter__(self) -> "_Connection":
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def send(self, message) -> None:
        if self.keep_open and self.mailer.connection is None:
            self.mailer.open()
        try:
            accepted = self.mailer.send_messages([message])
        except Exception:
            self._close()
            raise
        if accepted != 1:
            raise RuntimeError("the mail backend did not accept the message")

    def _close(self) -> None:
        if not self.keep_open:
            return
        # Closing a broken connection may fail too; there is nothing more to do with it.
        with contextlib.suppress(Exception):
            self.mailer.close()
