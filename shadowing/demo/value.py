"""The demo's value of fixes: after the backlog is lived, open and resolved items get an expected
impact from their owner, resolved ones a realised impact with evidence, and the demo's finance
reviewer (Valérie Després, Vice-President Controllership in Finance) confirms most of them,
challenges some with a reason, and leaves a few awaiting review; one challenged value is
recorded again with better evidence, so its history shows a review re-opened."""

from __future__ import annotations

import random
from decimal import Decimal

FINANCE_REVIEWER = "valerie.despres@mapletel.example"

EVIDENCE = [
    "Contact volumes for the reason code fell in the four weeks after the fix (WFM report).",
    "Average handle time for the call type, before and after, from the telephony dashboard.",
    "Repeat-contact rate within seven days, from the quality team's monthly sample.",
    "Finance's ledger of credits issued by hand for this cause, month over month.",
]
CHALLENGES = [
    "The drop started before the fix went live: show the trend over a longer period.",
    "Handle time fell across every call type that month; isolate this one.",
    "The volumes counted include a seasonal dip: compare with the same month last year.",
]
CONFIRMATIONS = ["", "Matches the ledger.", "Checked against the WFM report."]


def _reviewer():
    from shadowing.organisation.models import Person

    person = (
        Person.objects.filter(is_active=True, is_finance_reviewer=True).order_by("email").first()
        or Person.objects.filter(email=FINANCE_REVIEWER, is_active=True).first()
    )
    if person is None:  # another roster: any executive of Finance, else any executive
        person = (
            Person.objects.filter(is_active=True, is_executive=True, department__code="FIN")
            .order_by("email")
            .first()
            or Person.objects.filter(is_active=True, is_executive=True).order_by("email").first()
        )
    if person is not None and not person.is_finance_reviewer:
        Person.objects.filter(pk=person.pk).update(is_finance_reviewer=True)
        person.is_finance_reviewer = True
    return person


def _setter(item, coordinator):
    """Who records the item's value: its owner, else its head, else a coordinator."""
    for person in (item.owner, item.department.head, coordinator):
        if person is not None and person.has_perm("value.set_impact", item):
            return person
    return None


def _expected(rng: random.Random) -> tuple[str, Decimal, str]:
    kind = rng.choices(["contacts", "minutes", "fcr", "amount"], weights=[5, 4, 1, 1])[0]
    if kind == "contacts":
        return kind, Decimal(rng.randrange(40, 900, 10)), ""
    if kind == "minutes":
        return kind, Decimal(rng.randrange(300, 9000, 50)), ""
    if kind == "fcr":
        return kind, Decimal(rng.randint(1, 4)), ""
    amount = Decimal(rng.randrange(500, 6000, 50))
    return kind, amount, "Credits issued by hand for this cause last quarter, divided by three."


def live_values(rng: random.Random) -> dict:
    """Give the backlog's items their value (call once the backlog is built; the clock as the
    demo's "now"). Returns counts by outcome and the reviewer's e-mail."""
    from barriers.models import OPEN_STATUSES, BacklogItem, Status
    from shadowing.organisation.models import Person
    from value.models import Review
    from value.services import impact_review, impact_set_expected, impact_set_realised

    reviewer = _reviewer()
    coordinator = Person.objects.filter(is_active=True, is_coordinator=True).order_by("pk").first()
    counts = {"expected": 0, "realised": 0, "confirmed": 0, "challenged": 0, "pending": 0}
    items = (
        BacklogItem.objects.filter(status__in=[*OPEN_STATUSES, Status.RESOLVED, Status.VERIFIED])
        .select_related("owner", "department__head")
        .order_by("pk")
    )
    resubmitted = False
    for item in items:
        resolved = item.status in (Status.RESOLVED, Status.VERIFIED)
        if not resolved and rng.random() < 0.5:
            continue  # not every open item has been valued yet
        by = _setter(item, coordinator)
        if by is None:
            continue
        kind, quantity, basis = _expected(rng)
        impact_set_expected(item=item, by=by, kind=kind, quantity=quantity, basis=basis)
        counts["expected"] += 1
        if not resolved:
            continue
        ratio = Decimal(str(round(rng.uniform(0.4, 1.2), 2)))
        realised = (quantity * ratio).quantize(Decimal("1"))
        evidence = rng.choice(EVIDENCE)
        impact_set_realised(item=item, by=by, kind=kind, quantity=realised, evidence=evidence)
        counts["realised"] += 1
        if reviewer is None:
            counts["pending"] += 1
            continue
        roll = rng.random()
        if roll < 0.55:
            impact_review(
                item=item, by=reviewer, decision=Review.CONFIRMED, reason=rng.choice(CONFIRMATIONS)
            )
            counts["confirmed"] += 1
        elif roll < 0.85:
            impact_review(
                item=item, by=reviewer, decision=Review.CHALLENGED, reason=rng.choice(CHALLENGES)
            )
            if not resubmitted:  # the owner answers one challenge: the review opens again
                resubmitted = True
                impact_set_realised(
                    item=item,
                    by=by,
                    kind=kind,
                    quantity=(realised * Decimal("0.8")).quantize(Decimal("1")),
                    evidence=evidence + " Twelve months compared, the seasonal dip taken out.",
                )
                counts["pending"] += 1
            else:
                counts["challenged"] += 1
        else:
            counts["pending"] += 1
    counts["reviewer"] = reviewer.email if reviewer else ""
    return counts
