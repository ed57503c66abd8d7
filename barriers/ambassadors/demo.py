"""What the demo's CX ambassadors do, through the same services as the pages: for the demo's
life (shadowing/demo/lived.py) to call once the backlog has items. The demo's roster names the
ambassadors (the `cx_ambassador` role in its people CSV)."""

from __future__ import annotations

import datetime as dt
import random

from shadowing import clock
from shadowing.organisation.models import Person

from .. import selectors
from ..ambassador_selectors import ambassador_queue
from ..calendars import department_calendar
from ..models import UNCLAIMED_STATUSES
from ..services.claims import barrier_claim
from ..services.common import Conflict
from .services import barrier_nudge, barrier_suggest_merge


def ambassadors_act(*, rng: random.Random | None = None, now: dt.datetime | None = None) -> dict:
    """Each active ambassador of a department with a head works the top of their queue: nudges
    the head about the first item, suggests merging the next one into its likeliest duplicate
    (when it has one), and claims the one after on the head's behalf. Returns the counts by
    action. Safe to call twice: a nudge is once a day, a suggestion once, a claim once."""
    rng = rng or random.Random(0)
    now = now or clock.now()
    done = {"nudged": 0, "suggested": 0, "claimed": 0}
    ambassadors = Person.objects.filter(
        is_active=True, is_cx_ambassador=True, department__head__isnull=False
    ).select_related("department__head")
    for person in ambassadors.order_by("department__code", "full_name", "pk"):
        queue = [item for item in ambassador_queue(person)[:3] if item.is_open]
        if queue:
            done["nudged"] += barrier_nudge(barrier=queue[0], by=person, now=now)[1]
        if len(queue) > 1:
            similar = selectors.similar_items(queue[1], person, limit=1)
            if similar:
                barrier_suggest_merge(source=queue[1], into=similar[0][0], by=person, now=now)
                done["suggested"] += 1
        if len(queue) > 2 and queue[2].status in UNCLAIMED_STATUSES:
            due = clock.local_date(now) + dt.timedelta(days=rng.randint(14, 45))
            calendar = department_calendar(queue[2].department, due, due + dt.timedelta(days=30))
            try:
                barrier_claim(
                    barrier=queue[2],
                    by=person,
                    due=calendar.next_working_day(due),
                    first_step="Ask the team that owns the tool for a date.",
                    now=now,
                )
            except Conflict:
                continue
            done["claimed"] += 1
    return done
