"""Where a programme stands in its life, with the clock applied, and what its coordinator does
next.

The stored status moves by the coordinator's hand (draft -> pairing -> published, and closed at
the end) and by time: a published programme is running from its first day, and a running one
has ended after its last day. Time's part is never waited for: `programme_stage` reads the
stored status through today's date (the programme's home zone, `shadowing.clock`), so a page
or the API never shows "Published" for a programme under way. The stored status catches up
whenever the programme is moved (`services.programme_transition`).

    stage_of(status, start, end, today) -> one of STAGES   (pure)
    programme_stage(programme) -> one of STAGES            (today from the clock)
    current_status(programme) -> a ProgrammeStatus value   (ended reads as running)
    next_step(programme, counts, latest_run) -> NextStep | None
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shadowing import clock

DRAFT, PAIRING, PUBLISHED, RUNNING, ENDED, CLOSED = (
    "draft",
    "pairing",
    "published",
    "running",
    "ended",
    "closed",
)
STAGES = {
    DRAFT: gettext_lazy("Draft"),
    PAIRING: gettext_lazy("Pairing"),
    PUBLISHED: gettext_lazy("Published"),
    RUNNING: gettext_lazy("Running"),
    ENDED: gettext_lazy("Ended"),
    CLOSED: gettext_lazy("Closed"),
}


def stage_of(status: str, start: dt.date, end: dt.date, today: dt.date) -> str:
    """The stage of a programme stored as `status` with dates `start`..`end`, on `today`.
    Only published and running move with time; the others wait for a person."""
    if status in (PUBLISHED, RUNNING):
        if today > end:
            return ENDED
        if today >= start:
            return RUNNING
    return status


def programme_stage(programme) -> str:
    return stage_of(programme.status, programme.start_date, programme.end_date, clock.local_today())


def current_status(programme) -> str:
    """The status to show where only the five stored values may appear (the API's `status`):
    the stage, with ended read as running (it is, until the coordinator closes it)."""
    stage = programme_stage(programme)
    return RUNNING if stage == ENDED else stage


def stage_label(stage: str) -> str:
    return str(STAGES.get(stage, stage))


@dataclass(frozen=True)
class NextStep:
    """What the programme waits for, in words, and the button that does it: `url_name` (in
    the `shadowing`, `invitations`, `reports` or `debriefs` namespace, with the programme's
    slug) opened with GET, or posted to when `post` (with `status` for a lifecycle move)."""

    text: str
    button: str
    url_name: str
    post: bool = False
    status: str = ""


def next_step(programme, counts, latest_run) -> NextStep | None:
    """The one next step of `programme` for its coordinator, from what it holds (`counts`:
    `selectors.ProgrammeCounts`) and its latest pairing run; None once it is closed."""
    stage = programme_stage(programme)
    if stage == CLOSED:
        return None
    if stage == ENDED:
        return NextStep(
            _("The last day has passed. Read the report, then close the programme."),
            _("Close the programme"),
            "shadowing:programme-transition",
            post=True,
            status=CLOSED,
        )
    if stage == RUNNING:
        return NextStep(
            _("Visits are under way: follow who has filed their debrief."),
            _("Follow the debriefs"),
            "debriefs:completion",
        )
    if stage == PUBLISHED:
        return NextStep(
            _("The invitations are out. The programme runs from its first day."),
            _("Read the dashboard"),
            "reports:programme-dashboard",
        )
    if counts.shifts == 0:
        return NextStep(
            _("Import the agents’ shifts (shifts.csv) to start."),
            _("Import shifts"),
            "shadowing:availability-upload",
        )
    if counts.availability == 0 and latest_run is None:
        return NextStep(
            _(
                "Import the executives’ availability (availability.csv), or pair now if every "
                "executive can go any day."
            ),
            _("Import availability"),
            "shadowing:availability-upload",
        )
    if counts.active_pairings == 0 or counts.needs_repair:
        return NextStep(
            _("Run the pairing: it proposes who shadows whom, and moves flagged pairings."),
            _("Pair now"),
            "shadowing:programme-pair",
            post=True,
        )
    unpublished = sum(
        n for status, n in counts.pairings.items() if status in ("proposed", "locked")
    )
    if unpublished:
        return NextStep(
            _("Review the proposed pairings, lock or change what you need, then publish."),
            _("Review the pairings"),
            "shadowing:programme-pairings",
        )
    return NextStep(
        _("Every pairing is ready: publish to send the invitations."),
        _("Publish"),
        "invitations:publish",
    )
