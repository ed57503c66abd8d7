"""Every write of the invitations, whatever the entry point (page, API, admin, command).

Each change to a published pairing raises its SEQUENCE and queues the messages it owes in one
transaction (`planning.invitations_plan`), and hands them to the workers once that commits.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing.invitations.links import feed_token_hash
from shadowing.invitations.models import CalendarFeed, Cancellation
from shadowing.invitations.planning import invitations_plan, invitations_queue
from shadowing.invitations.selectors import open_declines
from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import (
    ACTIVE_RUN_STATUSES,
    Decline,
    Pairing,
    PairingRun,
    PairingStatus,
    RepairReason,
)

audit = logging.getLogger("shadowing.audit")

# A programme in these states may publish (again, after a re-pairing).
PUBLISHABLE_PROGRAMME = (
    ProgrammeStatus.PAIRING,
    ProgrammeStatus.PUBLISHED,
    ProgrammeStatus.RUNNING,
)
PUBLISHABLE_PAIRING = (PairingStatus.PROPOSED, PairingStatus.LOCKED)


@dataclass(frozen=True)
class PublishPreview:
    """What publishing would do now."""

    pairings: int  # pairings that would be published
    messages: int  # invitations that would go (two per pairing, less inactive people)
    needs_repair: int  # proposed or locked pairings left out until repaired
    past: int  # proposed or locked pairings left out because the visit is over
    already_published: int


@dataclass(frozen=True)
class PublishResult:
    published: int
    messages: int
    needs_repair: int
    past: int


def _publishable(programme: Programme, now: dt.datetime):
    return Pairing.objects.filter(
        programme=programme,
        status__in=PUBLISHABLE_PAIRING,
        needs_repair=False,
        ends_at__gt=now,
    )


def programme_publish_preview(*, programme: Programme, now: dt.datetime | None = None):
    now = now or timezone.now()
    waiting = Pairing.objects.filter(programme=programme, status__in=PUBLISHABLE_PAIRING)
    publishable = _publishable(programme, now)
    return PublishPreview(
        pairings=publishable.count(),
        messages=publishable.filter(executive__is_active=True).count()
        + publishable.filter(agent__is_active=True).count(),
        needs_repair=waiting.filter(needs_repair=True).count(),
        past=waiting.filter(needs_repair=False, ends_at__lte=now).count(),
        already_published=Pairing.objects.filter(
            programme=programme, status=PairingStatus.PUBLISHED
        ).count(),
    )


def programme_publish(*, programme: Programme, by: Person | None) -> PublishResult:
    """Publish the programme: every proposed or locked pairing that needs no repair and is not
    over becomes published, and each of its two people is sent one invitation (REQUEST).

    A programme being paired becomes published; one already published or running publishes its
    new pairings (after a re-pairing), and publishing again with nothing new sends nothing.
    Refused, writing nothing, for a draft or closed programme and while a pairing run is under
    way (it would replace the very proposals being published)."""
    now = timezone.now()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.status not in PUBLISHABLE_PROGRAMME:
            raise ValidationError(
                {
                    "status": _("A %(status)s programme cannot be published.")
                    % {"status": programme.get_status_display().lower()}
                }
            )
        if PairingRun.objects.filter(programme=programme, status__in=ACTIVE_RUN_STATUSES).exists():
            raise ValidationError(_("A pairing run is under way: publish once it has finished."))
        waiting = Pairing.objects.filter(programme=programme, status__in=PUBLISHABLE_PAIRING)
        needs_repair = waiting.filter(needs_repair=True).count()
        past = waiting.filter(needs_repair=False, ends_at__lte=now).count()
        ids = list(_publishable(programme, now).values_list("id", flat=True))
        if programme.status == ProgrammeStatus.PAIRING:
            Programme.objects.filter(pk=programme.pk).update(
                status=ProgrammeStatus.PUBLISHED, updated_at=now
            )
        for start in range(0, len(ids), 500):
            Pairing.objects.filter(id__in=ids[start : start + 500]).update(
                status=PairingStatus.PUBLISHED, updated_at=now
            )
        messages = invitations_plan(pairing_ids=ids)
        invitations_queue(pairing_ids=ids)
    audit.info(
        "programme %s published by %s: %s pairings, %s messages",
        programme.slug,
        getattr(by, "email", "-"),
        len(ids),
        messages,
    )
    return PublishResult(
        published=len(ids), messages=messages, needs_repair=needs_repair, past=past
    )


def pairing_cancel(*, pairing: Pairing, by: Person | None, reason: str = "") -> Pairing:
    """Cancel a pairing. If it was published, its SEQUENCE is raised and both people (and
    anyone else who may hold the event) are sent a CANCEL, telling them `reason` if given.

    Cancelling a cancelled pairing changes nothing and sends nothing. Refused in a closed
    programme."""
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().select_related("programme").get(pk=pairing.pk)
        if pairing.status == PairingStatus.CANCELLED:
            return pairing
        if pairing.programme.status == ProgrammeStatus.CLOSED:
            raise ValidationError(_("The programme is closed: its pairings can no longer change."))
        was_published = pairing.status == PairingStatus.PUBLISHED
        Pairing.objects.filter(pk=pairing.pk).update(
            status=PairingStatus.CANCELLED,
            sequence=F("sequence") + (1 if was_published else 0),
            needs_repair=False,
            repair_reason="",
            updated_at=timezone.now(),
        )
        Cancellation.objects.update_or_create(
            pairing=pairing, defaults={"by": by, "reason": reason, "created_at": timezone.now()}
        )
        if was_published:
            invitations_plan(pairing_ids=[pairing.pk])
            invitations_queue(pairing_ids=[pairing.pk])
    audit.info("pairing %s cancelled by %s", pairing.pk, getattr(by, "email", "-"))
    pairing.refresh_from_db()
    return pairing


def pairing_reassign(
    *,
    pairing: Pairing,
    by: Person | None,
    agent: Person | None = None,
    date: dt.date | None = None,
) -> Pairing:
    """Change a published visit: move it to another date (the agent's shift that day), give it
    another agent (their shift that day), or both. Its SEQUENCE is raised: the executive and
    the agent get an updated REQUEST, and an agent taken off the visit gets a CANCEL.

    The result keeps every hard rule, checked with the engine's rules as a hand assignment is;
    otherwise nothing is written and the ValidationError names the rule. Only published
    pairings: the others change on the review page, with nobody to tell."""
    from shadowing.pairing import Visit
    from shadowing.programmes.reasons import rule_message
    from shadowing.programmes.store.checks import visits_check

    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=pairing.programme_id)
        pairing = (
            Pairing.objects.select_for_update()
            .select_related("executive", "agent")
            .get(pk=pairing.pk)
        )
        if programme.status == ProgrammeStatus.CLOSED:
            raise ValidationError(_("The programme is closed: its pairings can no longer change."))
        if pairing.status != PairingStatus.PUBLISHED:
            raise ValidationError(
                _("Only a published visit is changed here; change the others on the review page.")
            )
        agent = agent or pairing.agent
        date = date or pairing.date
        if (agent.pk, date) == (pairing.agent_id, pairing.date):
            raise ValidationError(
                _("That is the visit as it stands: choose another agent or date.")
            )
        if not programme.includes(date):
            raise ValidationError({"date": _("That date is outside the programme.")})
        visit = Visit(pairing.executive_id, agent.pk, date)
        codes = visits_check(programme=programme, visits=[visit], ignore=[pairing.pk])[visit]
        if codes:
            raise ValidationError(
                [
                    rule_message(
                        code,
                        programme=programme,
                        executive=pairing.executive,
                        agent=agent,
                        date=date,
                    )
                    for code in codes
                ]
            )
        shift = Shift.objects.get(programme=programme, agent=agent, date=date)
        try:
            with transaction.atomic():
                Pairing.objects.filter(pk=pairing.pk).update(
                    agent=agent,
                    date=date,
                    shift=shift,
                    site_id=agent.site_id,
                    starts_at=shift.starts_at,
                    ends_at=shift.ends_at,
                    needs_repair=False,
                    repair_reason="",
                    reasons=["by_hand"],
                    sequence=F("sequence") + 1,
                    updated_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("%(executive)s or %(agent)s is booked elsewhere that day.")
                % {"executive": pairing.executive.full_name, "agent": agent.full_name}
            ) from exc
        invitations_plan(pairing_ids=[pairing.pk])
        invitations_queue(pairing_ids=[pairing.pk])
    audit.info(
        "published pairing %s changed by %s: agent %s on %s",
        pairing.pk,
        getattr(by, "email", "-"),
        agent.email,
        date,
    )
    pairing.refresh_from_db()
    return pairing


def pairings_changed(*, pairing_ids: list[int]) -> None:
    """For a service of another area that has just changed published pairings and raised their
    SEQUENCE in its transaction (an import that retimes a shift): queue what they owe."""
    invitations_plan(pairing_ids=pairing_ids)
    invitations_queue(pairing_ids=pairing_ids)


def pairing_decline(*, pairing: Pairing, person: Person, reason: str = "") -> Decline:
    """Record that `person` cannot make the published visit `pairing` (their "can't make it"
    link); the pairing is flagged for repair, for the coordinator. Nothing is sent yet: the
    coordinator decides (cancel and re-pair, or change the visit). Saying it twice records it
    once. Refused for a visit that is cancelled, over, or no longer theirs."""
    reason = (reason or "").strip()[:1000]
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if pairing.status != PairingStatus.PUBLISHED:
            raise ValidationError(_("This visit is no longer planned: nothing to decline."))
        if person.pk not in (pairing.executive_id, pairing.agent_id):
            raise ValidationError(_("You no longer take part in this visit."))
        if pairing.ends_at <= timezone.now():
            raise ValidationError(_("This visit is over."))
        decline, _created = Decline.objects.get_or_create(
            pairing=pairing, person=person, sequence=pairing.sequence, defaults={"reason": reason}
        )
        if not pairing.needs_repair:
            Pairing.objects.filter(pk=pairing.pk).update(
                needs_repair=True, repair_reason=RepairReason.DECLINED, updated_at=timezone.now()
            )
    audit.info("pairing %s declined by %s", pairing.pk, person.email)
    return decline


def declines_repair(*, programme: Programme, by: Person | None) -> tuple[int, PairingRun]:
    """Cancel every published visit of the programme with an open decline (both people get a
    CANCEL) and start a pairing run: it keeps every other locked and published pairing and
    finds the people concerned another visit, never on a day one of them declined. The new
    proposals are published like the first ones. Returns (visits cancelled, the run)."""
    from shadowing.programmes.store.runs import pairing_run_queue

    with transaction.atomic():
        declines = list(open_declines(programme).select_related("person"))
        if not declines:
            raise ValidationError(_("No visit of this programme has an open decline."))
        run = pairing_run_queue(programme=programme, requested_by=by)
        for decline in declines:
            pairing_cancel(
                pairing=decline.pairing,
                by=by,
                reason=_("%(name)s cannot make it.") % {"name": decline.person.full_name},
            )
    return len({d.pairing_id for d in declines}), run


# The private calendar feed --------------------------------------------------------------------


def calendar_feed_create(*, person: Person) -> str:
    """Give the person a new private calendar address, revoking the one they had; returns its
    secret, which is not stored (only its hash): show it now or never."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person,
        defaults={"token_hash": feed_token_hash(token), "created_at": timezone.now()},
    )
    return token


def calendar_feed_revoke(*, person: Person) -> bool:
    """Stop the person's calendar address; True if they had one."""
    deleted, _rows = CalendarFeed.objects.filter(person=person).delete()
    return bool(deleted)
