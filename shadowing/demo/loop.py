"""The loop's other roles in the demo, once the waves have lived: the CX ambassadors work the
top of their queues, owners put a value on their fixes and the finance reviewer confirms or
challenges it, executives tell stories and the sponsor's digest goes out."""

from __future__ import annotations

import datetime as dt
import random

from shadowing.demo.generate import SEED


def live_loop(now: dt.datetime) -> dict:
    """Counts of what each role did (for the demo's summary)."""
    from barriers.ambassadors.demo import ambassadors_act
    from barriers.ambassadors.tasks import nudge_notify
    from barriers.kinds import NoticeKind
    from barriers.models import Notice
    from shadowing.demo.stories import live_stories
    from shadowing.demo.value import live_values

    acted = ambassadors_act(rng=random.Random(SEED + 4), now=now)
    # The nudges' mails, which a commit queues: sent once, so a second send is a no-op.
    unsent = Notice.objects.filter(kind=NoticeKind.NUDGE, sent_at=None)
    for notice_id in unsent.values_list("pk", flat=True):
        nudge_notify(notice_id)
    return {
        "ambassadors": acted,
        "values": live_values(random.Random(SEED + 5)),
        "stories": live_stories(now),
    }
