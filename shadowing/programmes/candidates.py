"""The agents who could host an executive on one day, best first, and why the others cannot: the
picker behind "move" and "assign by hand" on the review page and the API's candidate lists.

Each agent with a shift that day is checked with the same rules a hand assignment is
(`store.checks.visits_check_each`, the engine's `Rules`), so the picker offers exactly what
`pairing_assign` accepts: an eligible agent is accepted, a refused one is refused for the rules
listed, and one whose every broken rule is waivable is accepted with a waiver.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from shadowing import pairing as engine
from shadowing.organisation.models import Person
from shadowing.programmes.calendar import closed_days
from shadowing.programmes.models import Programme, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.reasons import closed_message, rule_message, visit_reason_labels
from shadowing.programmes.store.checks import CLOSED, WAIVABLE, visits_check_each


@dataclass(frozen=True)
class Candidate:
    agent: Person
    shift: Shift
    rules: tuple[str, ...]  # rule codes the visit would break; () when eligible
    reasons: tuple[str, ...]  # those rules in words ("Rule 3: ... (reporting line).")
    labels: tuple[str, ...]  # what speaks for it ("At home site", "Shares French")
    hosted_before: int

    @property
    def eligible(self) -> bool:
        return not self.rules

    @property
    def waivable(self) -> bool:
        """Not eligible, but only for rules a coordinator may waive."""
        return bool(self.rules) and all(code in WAIVABLE for code in self.rules)

    @property
    def reason_items(self) -> list[dict]:
        return [
            {"code": code, "message": message, "waivable": code in WAIVABLE}
            for code, message in zip(self.rules, self.reasons, strict=True)
        ]


def pairing_candidates(
    *,
    programme: Programme,
    executive: Person,
    date: dt.date,
    replaces: Pairing | None = None,
    search: str = "",
) -> list[Candidate]:
    """Every agent with a shift in `programme` on `date` (whose name or e-mail contains
    `search`), as a visit for `executive` replacing `replaces`: eligible ones first, best first
    (home site, then within the region, then further; then those who hosted least before),
    then those a waiver would allow, then the others; each with its broken rules in words.

    A bounded number of queries whatever the number of agents."""
    shifts = (
        Shift.objects.filter(programme=programme, date=date)
        .select_related("agent__site")
        .order_by("agent__full_name", "agent_id")
    )
    search = search.strip()
    if search:
        shifts = shifts.filter(
            Q(agent__full_name__icontains=search) | Q(agent__email__icontains=search)
        )
    shifts = list(shifts)
    if not shifts:
        return []
    executive = Person.objects.select_related("site").get(pk=executive.pk)  # for the words
    visits = {s.agent_id: engine.Visit(executive.pk, s.agent_id, date) for s in shifts}
    ignore = [replaces.pk] if replaces is not None else []
    found = visits_check_each(programme=programme, visits=list(visits.values()), ignore=ignore)
    hosted = dict(
        Pairing.objects.active()
        .filter(programme__start_date__lt=programme.start_date, agent_id__in=list(visits))
        .values_list("agent_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("agent_id", "n")
    )
    closed = {}
    if any(CLOSED in codes for codes in found.values()):  # one read, not one per agent
        sites = {s.agent.site for s in shifts if s.agent.site} | {executive.site} - {None}
        closed = closed_days(programme, sites)

    def words(code: str, agent: Person) -> str:
        if code == CLOSED:
            why = closed.get((agent.site_id, date)) or closed.get((executive.site_id, date))
            return closed_message(date, why or "?")
        return rule_message(code, programme=programme, executive=executive, agent=agent, date=date)

    out = []
    for shift in shifts:
        agent = shift.agent
        codes = found[visits[agent.pk]]
        out.append(
            Candidate(
                agent=agent,
                shift=shift,
                rules=codes,
                reasons=tuple(words(code, agent) for code in codes),
                labels=tuple(visit_reason_labels(_strengths(executive, agent))),
                hosted_before=hosted.get(agent.pk, 0),
            )
        )
    out.sort(key=lambda c: _rank(c, executive))
    return out


def replaced_by_assignment(
    *, programme: Programme, executive: Person, date: dt.date
) -> Pairing | None:
    """The visit an assignment of `executive` on `date` would replace when none is named, as
    `pairing_assign` chooses it (their movable visit that day, or their one movable visit when
    they hold all they may); None when it would add one, or refuse."""
    mine = list(Pairing.objects.active().filter(programme=programme, executive=executive))
    movable = [
        p
        for p in mine
        if p.status == PairingStatus.PROPOSED
        or (p.status == PairingStatus.LOCKED and p.needs_repair)
    ]
    same_day = next((p for p in movable if p.date == date), None)
    if same_day is not None:
        return same_day
    if len(mine) >= programme.days_per_executive and len(movable) == 1:
        return movable[0]
    return None


def _rank(c: Candidate, executive: Person) -> tuple:
    group = 0 if c.eligible else 1 if c.waivable else 2
    return (group, _distance(executive, c.agent), c.hosted_before, c.agent.full_name, c.agent.pk)


def _distance(executive: Person, agent: Person) -> int:
    if agent.site_id == executive.site_id:
        return 0
    if agent.site and executive.site and agent.site.region == executive.site.region:
        return 1
    return 2


def _strengths(executive: Person, agent: Person) -> list[str]:
    """The engine's reason codes that speak for this agent (as a run would label the visit)."""
    shared = sorted(set(executive.languages or ()) & set(agent.languages or ()))
    codes = [f"shared_language:{code}" for code in shared]
    codes.append(
        ("home_site", "travel_same_region", "travel_cross_region")[_distance(executive, agent)]
    )
    return codes
