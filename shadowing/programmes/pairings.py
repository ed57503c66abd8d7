"""Hand changes to a programme's pairings: assign an executive to an agent's shift, swap two
visits. Every entry point (the review page, the API) calls these; each is one transaction and
checks every hard rule with the pairing engine's own rules before writing anything.

A hand-made visit is locked: it is a decision, and a re-run must keep it (rule 8). Published
pairings are never changed here: their people hold invitations, and changing those is the
invitations' work (re-invite with a raised sequence), not a silent edit.
"""

import datetime as dt
import logging
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing import pairing as engine
from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.reasons import day_text, rule_message
from shadowing.programmes.store.checks import visits_check
from shadowing.programmes.store.runs import pairing_run_active
from shadowing.programmes.waivers import waiver_check

# Who changed what by hand, for the record (Pairing has no history of its own yet).
audit = logging.getLogger("shadowing.audit")


def person_by_email(email: str, *, field: str, role: str) -> Person:
    """The person with this e-mail (case-insensitive) and role, or a ValidationError keyed by
    `field`. `role` is "executive" or "agent"."""
    email = (email or "").strip().lower()
    person = Person.objects.select_related("site").filter(email=email).first()
    if person is None:
        raise ValidationError(
            {field: _("No one in the roster has the e-mail %(email)s.") % {"email": email}}
        )
    if role == "executive" and not person.is_executive:
        raise ValidationError(
            {field: _("%(name)s is not an executive.") % {"name": person.full_name}}
        )
    if role == "agent" and not person.is_agent:
        raise ValidationError({field: _("%(name)s is not an agent.") % {"name": person.full_name}})
    return person


def pairing_assign(
    *,
    programme: Programme,
    executive: Person,
    agent: Person,
    date: dt.date,
    by: Person | None,
    replaces: Pairing | None = None,
    waive: Collection[str] = (),
    waiver_reason: str = "",
) -> Pairing:
    """Give `executive` a visit beside `agent` for the agent's shift on `date`, locked.

    `waive` names rules the coordinator waives for this visit, the executive having agreed
    (`waivers.waiver_check`: only the waivable ones, with `waiver_reason` required); the rules
    actually waived, the reason and `by` are kept on the pairing. A re-run keeps it (locked).

    What it replaces, so that the executive never holds more visits than the programme allows:
    `replaces` if given (one of the executive's proposed or locked visits here); otherwise the
    executive's proposed (or flagged) visit on that date, or, when they already hold all their
    visits, their one proposed or flagged visit. The replaced pairing is moved (it keeps its
    row and calendar UID); with nothing to replace a pairing is created.

    Guarantees: the result keeps every hard rule (CONTRACT.md 1-7, checked with the engine's
    rules against the programme's other pairings and other programmes' bookings), or nothing
    is written and a ValidationError says which rule, in words ("Rule 3: Eve Executive manages
    Adam Agent (reporting line)."). Refused as well: a closed programme, a pairing run under
    way (it would overwrite the change), and any change to a published pairing.
    """
    if not programme.includes(date):
        raise ValidationError(
            {
                "date": rule_message(
                    "outside_window",
                    programme=programme,
                    executive=executive,
                    agent=agent,
                    date=date,
                )
            }
        )
    with transaction.atomic():
        programme = _lock_programme(programme)
        mine = list(
            Pairing.objects.active()
            .filter(programme=programme, executive=executive)
            .select_for_update()
            .order_by("date", "id")
        )
        exact = next((p for p in mine if (p.agent_id, p.date) == (agent.pk, date)), None)
        if exact is not None and exact.is_fixed and not exact.needs_repair:
            return exact  # already exactly this, and decided: nothing to do
        if replaces is not None:
            replaced = next((p for p in mine if p.pk == replaces.pk), None)
            if replaced is None:
                raise ValidationError(
                    {
                        "replaces": _(
                            "The pairing to replace is not one of %(executive)s's visits in "
                            "this programme."
                        )
                        % {"executive": executive.full_name}
                    }
                )
            _refuse_published(replaced, executive)
        else:
            replaced = _implicit_replacement(mine, programme, executive, agent, date)
        _refuse_busy_elsewhere(programme, executive, agent, date, ignore=replaced)
        visit = engine.Visit(executive.pk, agent.pk, date)
        ignore = [replaced.pk] if replaced is not None else []
        codes = visits_check(programme=programme, visits=[visit], ignore=ignore)[visit]
        waived = waiver_check(
            broken=codes,
            waive=waive,
            reason=waiver_reason,
            programme=programme,
            executive=executive,
            agent=agent,
            date=date,
        )
        shift = Shift.objects.get(programme=programme, agent=agent, date=date)
        was = f" (was with {replaced.agent_id} on {replaced.date})" if replaced else ""
        pairing = replaced or Pairing(programme=programme, executive=executive)
        _place(pairing, agent, shift, _reasons(executive, agent))
        if waived:
            pairing.waived_rules = list(waived)
            pairing.waiver_reason = waiver_reason.strip()
            pairing.waived_by = by if isinstance(by, Person) else None
        try:
            with transaction.atomic():
                pairing.save()
        except IntegrityError as exc:
            # Someone booked one of them on that day meanwhile (another programme, another tab).
            raise ValidationError(
                _("%(executive)s or %(agent)s was booked on %(date)s meanwhile: try again.")
                % {
                    "executive": executive.full_name,
                    "agent": agent.full_name,
                    "date": day_text(date),
                }
            ) from exc
    audit.info(
        "pairing %s: %s assigned %s to %s on %s%s%s",
        pairing.pk,
        getattr(by, "email", "-"),
        executive.email,
        agent.email,
        date,
        was,
        f", waiving {','.join(waived)}: {pairing.waiver_reason}" if waived else "",
    )
    return pairing


def pairing_swap(*, first: Pairing, second: Pairing, by: Person | None) -> tuple[Pairing, Pairing]:
    """Exchange the visits of two executives in one programme: the first executive takes the
    second's agent, shift and date, and the second the first's. On one date this swaps their
    agents; on two dates it swaps the whole visits.

    All or nothing: both results are checked against every hard rule (as `pairing_assign` does,
    each against the programme without the two pairings, and against each other); if either
    breaks one, nothing changes and the ValidationError names the visit and the rule. Both
    results are locked. Refused for a published or cancelled pairing, for two visits of the
    same executive, across programmes, in a closed programme or during a pairing run.
    """
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different pairings to swap."))
    if first.programme_id != second.programme_id:
        raise ValidationError(_("Only pairings of the same programme can be swapped."))
    with transaction.atomic():
        programme = _lock_programme(first.programme)
        locked = {
            p.pk: p
            for p in Pairing.objects.select_for_update()
            .filter(pk__in=[first.pk, second.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError(_("One of these pairings no longer exists."))
        first, second = locked[first.pk], locked[second.pk]
        people = Person.objects.select_related("site").in_bulk(
            {first.executive_id, first.agent_id, second.executive_id, second.agent_id}
        )
        for pairing in (first, second):
            if pairing.status == PairingStatus.CANCELLED:
                raise ValidationError(_("A cancelled pairing cannot be swapped."))
            _refuse_published(pairing, people[pairing.executive_id])
        if first.executive_id == second.executive_id:
            raise ValidationError(
                _("Both visits are %(executive)s's: swap visits of two different executives.")
                % {"executive": people[first.executive_id].full_name}
            )
        wanted = [
            (people[first.executive_id], people[second.agent_id], second.date),
            (people[second.executive_id], people[first.agent_id], first.date),
        ]
        visits = [engine.Visit(x.pk, a.pk, day) for x, a, day in wanted]
        found = visits_check(programme=programme, visits=visits, ignore=[first.pk, second.pk])
        problems = [
            _("%(executive)s with %(agent)s on %(date)s: %(rule)s")
            % {
                "executive": executive.full_name,
                "agent": agent.full_name,
                "date": day_text(day),
                "rule": rule_message(
                    code, programme=programme, executive=executive, agent=agent, date=day
                ),
            }
            for (executive, agent, day), visit in zip(wanted, visits, strict=True)
            for code in found[visit]
        ]
        if problems:
            raise ValidationError(problems)
        shifts = {
            (s.agent_id, s.date): s
            for s in Shift.objects.filter(programme=programme).filter(
                Q(agent_id=second.agent_id, date=second.date)
                | Q(agent_id=first.agent_id, date=first.date)
            )
        }
        slots = [
            (people[second.agent_id], shifts[(second.agent_id, second.date)]),
            (people[first.agent_id], shifts[(first.agent_id, first.date)]),
        ]
        # The two rows hold each other's agent-day (and, on two dates, executive-day), which
        # the one-per-day constraints forbid even for an instant: the first steps aside
        # (cancelled rows are outside those constraints) while the second takes its place.
        Pairing.objects.filter(pk=first.pk).update(status=PairingStatus.CANCELLED)
        for pairing, (agent, shift) in zip((second, first), reversed(slots), strict=True):
            _place(pairing, agent, shift, _reasons(people[pairing.executive_id], agent))
            pairing.save()
    audit.info("pairings %s and %s swapped by %s", first.pk, second.pk, getattr(by, "email", "-"))
    return first, second


# Helpers ------------------------------------------------------------------------------------


def _lock_programme(programme: Programme) -> Programme:
    """Hold the programme row (as a pairing run's store does) and refuse what cannot change."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed: its pairings can no longer change."))
    if pairing_run_active(programme) is not None:
        raise ValidationError(
            _("A pairing run is under way and would overwrite this change: wait for it to end.")
        )
    return programme


def _refuse_published(pairing: Pairing, executive: Person) -> None:
    if pairing.status == PairingStatus.PUBLISHED:
        raise ValidationError(
            _(
                "%(executive)s's visit on %(date)s is published: its invitations are out, so it "
                "cannot be changed here."
            )
            % {"executive": executive.full_name, "date": day_text(pairing.date)}
        )


def _implicit_replacement(
    mine: list[Pairing], programme: Programme, executive: Person, agent: Person, date: dt.date
) -> Pairing | None:
    """Which of the executive's visits a new one replaces when the caller did not say: the one
    on that date, or the one visit that may move when they hold all they may. A decision (locked
    or published) is never replaced silently: that is a refusal naming rule 5."""
    movable = [
        p
        for p in mine
        if p.status == PairingStatus.PROPOSED
        or (p.status == PairingStatus.LOCKED and p.needs_repair)
    ]
    same_day = next((p for p in mine if p.date == date), None)
    if same_day is not None:
        if same_day in movable:
            return same_day
        _refuse_published(same_day, executive)
        raise ValidationError(
            rule_message(
                "executive_same_date",
                programme=programme,
                executive=executive,
                agent=agent,
                date=date,
            )
            + " "
            + _("It is %(status)s: unlock it to replace it.")
            % {"status": same_day.get_status_display().lower()}
        )
    if len(mine) < programme.days_per_executive:
        return None
    if len(movable) == 1:
        return movable[0]
    message = rule_message(
        "executive_max_days", programme=programme, executive=executive, agent=agent, date=date
    )
    if movable:
        message += " " + _("Say which visit this one replaces.")
    else:
        message += " " + _("They are all locked or published: unlock one to replace it.")
    raise ValidationError(message)


def _refuse_busy_elsewhere(
    programme: Programme, executive: Person, agent: Person, date: dt.date, ignore: Pairing | None
) -> None:
    """Rules 4 and 5 on the day itself, said precisely: whom the agent already hosts, where the
    executive already goes (in any programme: a person is in one place a day)."""
    taken = (
        Pairing.objects.active()
        .filter(date=date)
        .filter(Q(agent=agent) | Q(executive=executive))
        .exclude(pk=ignore.pk if ignore is not None else None)
        .select_related("programme", "executive", "agent")
        .select_for_update(of=("self",))
    )
    for other in taken:
        elsewhere = (
            ""
            if other.programme_id == programme.pk
            else " " + _("(programme %(name)s)") % {"name": other.programme.name}
        )
        if other.agent_id == agent.pk:
            raise ValidationError(
                _("Rule 4: %(agent)s already hosts %(other)s on %(date)s.")
                % {
                    "agent": agent.full_name,
                    "other": other.executive.full_name,
                    "date": day_text(date),
                }
                + elsewhere
                + " "
                + _("Swap the two visits instead.")
            )
        raise ValidationError(
            rule_message(
                "executive_same_date",
                programme=programme,
                executive=executive,
                agent=agent,
                date=date,
            )
            + elsewhere
        )


def _place(pairing: Pairing, agent: Person, shift: Shift, reasons: list[str]) -> None:
    """Put the pairing on `agent`'s `shift`, locked, as a fresh hand decision."""
    pairing.agent = agent
    pairing.date = shift.date
    pairing.shift = shift
    pairing.site_id = agent.site_id
    pairing.starts_at = shift.starts_at
    pairing.ends_at = shift.ends_at
    pairing.status = PairingStatus.LOCKED
    pairing.needs_repair = False
    pairing.repair_reason = ""
    pairing.reasons = reasons
    pairing.waived_rules, pairing.waiver_reason, pairing.waived_by = [], "", None
    pairing.updated_at = timezone.now()


def _reasons(executive: Person, agent: Person) -> list[str]:
    """The engine's reason codes that describe a hand-made visit, after `by_hand`."""
    codes = ["by_hand"]
    shared = sorted(set(executive.languages or ()) & set(agent.languages or ()))
    codes += [f"shared_language:{code}" for code in shared]
    if agent.site_id == executive.site_id:
        codes.append("home_site")
    elif agent.site and executive.site and agent.site.region == executive.site.region:
        codes.append("travel_same_region")
    else:
        codes.append("travel_cross_region")
    return codes
