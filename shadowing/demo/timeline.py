"""The demo's clock: where the four waves of its series fall around today, the instants events
are played at, the event queue that plays them with the clock travelled to each
(`time_machine`), and the quiet, inline setting (mail to nowhere, tasks at once)
`shadowing.demo.lived` plays them in.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import time
from contextlib import ExitStack, contextmanager
from unittest import mock

import time_machine
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from shadowing import clock

DUMMY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def demo_today(now: dt.datetime | None = None) -> dt.date:
    """Today where the programme is run (PROGRAMME_TIME_ZONE): the demo's 'yesterday' and
    'today' are that zone's."""
    return clock.local_date(now or clock.now())


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def wave_starts(today: dt.date) -> dict[str, dt.date]:
    this_monday = monday(today)
    return {
        "first": this_monday - dt.timedelta(weeks=24),
        "past": this_monday - dt.timedelta(weeks=12),
        "current": this_monday - dt.timedelta(weeks=1),
        "next": this_monday + dt.timedelta(weeks=3),
    }


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.home_zone())


@contextmanager
def quiet_and_inline():
    """Background tasks inline, mail to nowhere: what the demo plays is recorded as done."""
    from django_q.conf import Conf

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(Conf, "SYNC", True))
        # The thousands of tasks played inline are history, not work the admin should list.
        stack.enter_context(mock.patch.object(Conf, "SAVE_LIMIT", -1))
        stack.enter_context(override_settings(MAILERS=DUMMY_MAIL))
        q_log = logging.getLogger("django-q")
        level = q_log.level
        q_log.setLevel(logging.WARNING)
        try:
            yield
        finally:
            q_log.setLevel(level)


class Timeline:
    """The event queue of `shadowing.demo.lived.Life`, which holds its state (`events`,
    `counter`, `failures`, `timings`, `out`, `verbosity`)."""

    # The event queue ------------------------------------------------------------------------

    def schedule(self, instant: dt.datetime, action, *args) -> None:
        heapq.heappush(self.events, (instant, next(self.counter), action, args))

    def run_until(self, limit: dt.datetime) -> None:
        while self.events and self.events[0][0] <= limit:
            instant, _n, action, args = heapq.heappop(self.events)
            with time_machine.travel(instant, tick=False):
                try:
                    action(*args)
                except (ValidationError, Exception) as exc:
                    self.failures[f"{action.__name__}: {type(exc).__name__}"] += 1
                    if self.verbosity >= 3:
                        self.out.write(f"  {instant:%Y-%m-%d %H:%M} {action.__name__}: {exc!r}")

    def phase(self, name: str, started: float) -> None:
        self.timings.append((name, time.monotonic() - started))
