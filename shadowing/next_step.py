"""Each person's next step, the panel their home page opens with: the one thing to do now and
the button that does it.

An executive: file the debrief of a visit that is over, else see the next visit. A department
head: the items of their department waiting for a claim (escalated ones counted), and the
claim due soonest; a CX ambassador, their department's queue to triage. A coordinator: for
every programme not yet closed, what it waits for. An agent: say whether the executive came,
add the barriers they face, else their next visit. Reads only, a fixed number of queries
whatever the number of visits, items or programmes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from barriers import selectors as backlog
from barriers.ambassador_selectors import ambassador_step_counts
from barriers.kinds import NoticeKind
from barriers.models import CLAIMED_STATUSES, UNCLAIMED_STATUSES, Notice
from debriefs.agent_links import agent_link_path
from debriefs.models import Debrief, DebriefStatus
from debriefs.selectors import agent_next_visit, agent_visits_ended, executive_visits_to_debrief
from shadowing import clock
from shadowing.invitations.home import executive_published_visits
from shadowing.invitations.models import InvitationLog
from shadowing.invitations.selectors import TROUBLE
from shadowing.organisation.models import Person
from shadowing.programmes.attendance import attendance_is_open
from shadowing.programmes.models import Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import (
    Decline,
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
)

# A coordinator's home lists at most this many programmes; the programmes page has them all.
MAX_PROGRAMMES = 8


@dataclass(frozen=True)
class Step:
    text: str
    action: str = ""  # the button's words; none when there is nothing to press
    url: str = ""
    programme: Programme | None = None  # the coordinator's rows name their programme


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


# The executive ----------------------------------------------------------------------------------


def executive_step(person: Person, *, now: dt.datetime) -> Step:
    for row in executive_visits_to_debrief(person, now=now):
        if row.debrief is not None and row.debrief.is_submitted:
            continue
        names = {"agent": row.pairing.agent.full_name, "date": _day(row.pairing.date)}
        url = reverse("debriefs:pairing-debrief", args=[row.pairing.pk])
        if row.debrief is None:
            text = _(
                "Your visit beside %(agent)s on %(date)s is over: say what you saw while fresh."
            )
            return Step(text % names, _("File your debrief"), url)
        text = _("Your debrief of the visit beside %(agent)s on %(date)s is a draft.")
        return Step(text % names, _("Continue your debrief"), url)
    coming = executive_published_visits(person).filter(ends_at__gt=now).first()
    if coming is not None:
        names = {
            "date": _day(coming.starts_at.astimezone(coming.site.zone).date()),
            "site": coming.site.name,
            "agent": coming.agent.full_name,
        }
        text = _("Your next visit: %(date)s at %(site)s, beside %(agent)s.") % names
        return Step(text, _("See your visit"), f"#visit-{coming.pk}")
    return Step(
        _("No visit is planned for you yet: your invitation comes by e-mail once it is."),
        _("Your profile"),
        reverse("shadowing:profile"),
    )


# The agent --------------------------------------------------------------------------------------


def agent_step(person: Person, *, now: dt.datetime) -> Step:
    """Say whether the executive came, then add the barriers of that shift, then the next
    visit: three queries at most."""
    hosted = agent_visits_ended(person, now=now)
    for pairing in hosted:
        unrecorded = pairing.status == PairingStatus.PUBLISHED and not pairing.attendance
        if unrecorded and attendance_is_open(pairing, now=now):
            names = {"name": pairing.executive.full_name, "date": _day(pairing.date)}
            text = _("Did %(name)s come to your shift on %(date)s? Say it in one tap.")
            return Step(text % names, _("Record attendance"), f"#hosted-{pairing.pk}")
    latest = hosted[0] if hosted else None
    if latest is not None and not latest.barrier_reports.filter(reporter=person).exists():
        names = {"name": latest.executive.full_name, "date": _day(latest.date)}
        text = _(
            "What gets in your way? Add the barriers you face; %(name)s saw your shift on "
            "%(date)s and the backlog gives each one an owner."
        )
        return Step(text % names, _("Add the barriers you face"), agent_link_path(latest))
    coming = agent_next_visit(person, now=now)
    if coming is not None:
        names = {
            "name": coming.executive.full_name,
            "date": _day(coming.starts_at.astimezone(coming.site.zone).date()),
        }
        text = _("Your next visit: %(name)s spends your shift on %(date)s beside you.")
        return Step(
            text % names,
            _("Add your visits to your calendar"),
            reverse("invitations:feed-settings"),
        )
    return Step(_("No executive is planned beside you yet: you will be told by e-mail."))


# The department head ----------------------------------------------------------------------------


def head_steps(person: Person, *, today: dt.date) -> list[Step]:
    items = backlog.items_visible_to(person).filter(department_id=person.department_id)
    escalated = Exists(
        Notice.objects.filter(
            item=OuterRef("pk"),
            kind=NoticeKind.ESCALATION,
            created_at__gte=OuterRef("owned_since"),
        )
    )
    waiting = items.filter(status__in=UNCLAIMED_STATUSES)
    counts = waiting.aggregate(n=Count("pk"), escalated=Count("pk", filter=Q(escalated)))
    steps = []
    if counts["n"]:
        first = waiting.order_by("-priority", "-id").first()
        text = ngettext(
            "%(n)d item of %(department)s waits for a claim",
            "%(n)d items of %(department)s wait for a claim",
            counts["n"],
        ) % {"n": counts["n"], "department": person.department.display_name}
        if counts["escalated"]:
            text += ngettext(" (%(n)d escalated).", " (%(n)d escalated).", counts["escalated"]) % {
                "n": counts["escalated"]
            }
        else:
            text += "."
        url = reverse("barriers:item", args=[first.pk])
        steps.append(Step(text, _("Claim the most pressing"), url))
    due = items.filter(status__in=CLAIMED_STATUSES, due__isnull=False).order_by("due", "id")
    nearest = due.first()
    if nearest is not None:
        names = {"title": nearest.title, "date": _day(nearest.due)}
        if nearest.due < today:
            text = _("Overdue since %(date)s: %(title)s.") % names
        else:
            text = _("Due soonest, on %(date)s: %(title)s.") % names
        url = reverse("barriers:item", args=[nearest.pk])
        steps.append(Step(text, _("Open the commitment"), url))
    if not steps:
        text = _("Nothing of %(department)s waits for a claim, and no commitment is open.")
        steps.append(
            Step(
                text % {"department": person.department.display_name},
                _("Open the backlog"),
                reverse("barriers:list"),
            )
        )
    return steps


def ambassador_steps(person: Person) -> list[Step]:
    """A CX ambassador: triage the department's queue (new and escalated items)."""
    counts = ambassador_step_counts(person)
    if not counts["n"]:
        return []
    text = ngettext("Triage %(n)d new item", "Triage %(n)d new items", counts["n"]) % counts
    if counts["escalated"]:
        text += ngettext(" (%(n)d escalated).", " (%(n)d escalated).", counts["escalated"]) % {
            "n": counts["escalated"]
        }
    else:
        text += "."
    return [Step(text, _("Open your queue"), reverse("barriers:ambassador"))]


# The coordinator --------------------------------------------------------------------------------


def _by_programme(rows, key="programme") -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


def coordinator_steps(*, now: dt.datetime, today: dt.date) -> list[Step]:
    """One step per programme not closed, soonest first: seven queries for any number."""
    programmes = list(
        Programme.objects.exclude(status=ProgrammeStatus.CLOSED).order_by("start_date", "slug")[
            :MAX_PROGRAMMES
        ]
    )
    ids = [programme.pk for programme in programmes]
    if not ids:
        return []
    shifts = _by_programme(
        Shift.objects.filter(programme__in=ids).values("programme").annotate(n=Count("id"))
    )
    pairings = {
        row["programme"]: row
        for row in Pairing.objects.active()
        .filter(programme__in=ids)
        .values("programme")
        .annotate(
            n=Count("id"),
            unpublished=Count(
                "id", filter=Q(status__in=(PairingStatus.PROPOSED, PairingStatus.LOCKED))
            ),
            repair=Count("id", filter=Q(needs_repair=True)),
        )
    }
    submitted = Debrief.objects.filter(pairing=OuterRef("pk"), status=DebriefStatus.SUBMITTED)
    undebriefed = _by_programme(
        Pairing.objects.filter(programme__in=ids, status=PairingStatus.PUBLISHED, ends_at__lte=now)
        .exclude(Exists(submitted))
        .values("programme")
        .annotate(n=Count("id"))
    )
    declines = _by_programme(
        Decline.objects.filter(
            pairing__programme__in=ids,
            pairing__status=PairingStatus.PUBLISHED,
            sequence=F("pairing__sequence"),
        )
        .filter(Q(person=F("pairing__executive")) | Q(person=F("pairing__agent")))
        .values("pairing__programme")
        .annotate(n=Count("pairing", distinct=True)),
        key="pairing__programme",
    )
    trouble = _by_programme(
        InvitationLog.objects.filter(pairing__programme__in=ids, status__in=TROUBLE)
        .values("pairing__programme")
        .annotate(n=Count("id")),
        key="pairing__programme",
    )
    running = set(
        PairingRun.objects.filter(
            programme__in=ids, status__in=(PairingRunStatus.QUEUED, PairingRunStatus.RUNNING)
        ).values_list("programme", flat=True)
    )
    facts = {
        "shifts": shifts,
        "pairings": pairings,
        "undebriefed": undebriefed,
        "declines": declines,
        "trouble": trouble,
        "running": running,
    }
    return [_programme_step(programme, facts, today=today) for programme in programmes]


def _programme_step(programme: Programme, facts: dict, *, today: dt.date) -> Step:
    pk, slug = programme.pk, programme.slug
    counts = facts["pairings"].get(pk, {"n": 0, "unpublished": 0, "repair": 0})
    page = reverse("shadowing:programme", args=[slug])
    review = reverse("shadowing:programme-pairings", args=[slug])
    invitations = reverse("invitations:programme", args=[slug])
    status = programme.status

    def step(text, action, url):
        return Step(text, action, url, programme=programme)

    if pk in facts["running"]:
        return step(_("The pairing is running."), _("Follow it"), page)
    if n := counts["repair"]:
        text = ngettext("%(n)d visit needs a new match.", "%(n)d visits need a new match.", n) % {
            "n": n
        }
        return step(text, _("Repair the pairings"), review + "?needs_repair=yes")
    if n := facts["declines"].get(pk, 0):
        text = ngettext(
            "%(n)d visit has someone who can’t make it.",
            "%(n)d visits have someone who can’t make it.",
            n,
        ) % {"n": n}
        return step(text, _("Re-pair them"), invitations)
    if n := facts["trouble"].get(pk, 0):
        text = ngettext(
            "%(n)d invitation could not be sent.", "%(n)d invitations could not be sent.", n
        ) % {"n": n}
        return step(text, _("See the invitations"), invitations)
    if status == ProgrammeStatus.DRAFT:
        if not facts["shifts"].get(pk):
            text = _("Import the agents’ shifts and the executives’ availability.")
            return step(
                text, _("Import them"), reverse("shadowing:availability-upload", args=[slug])
            )
        if not counts["n"]:
            return step(_("The shifts are in: pair the executives."), _("Pair them"), page)
    if n := counts["unpublished"]:
        text = ngettext(
            "%(n)d pairing is not published yet: review, then send the invitation.",
            "%(n)d pairings are not published yet: review, then send the invitations.",
            n,
        ) % {"n": n}
        return step(text, _("Review and publish"), review)
    if n := facts["undebriefed"].get(pk, 0):
        text = ngettext(
            "%(n)d visit is over without a debrief.", "%(n)d visits are over without a debrief.", n
        ) % {"n": n}
        return step(text, _("Remind them"), reverse("debriefs:completion", args=[slug]))
    if status == ProgrammeStatus.PUBLISHED and today >= programme.start_date:
        return step(
            _("The visits have begun: mark the programme running."), _("Open the programme"), page
        )
    if status == ProgrammeStatus.RUNNING and today > programme.end_date:
        return step(
            _("Every visit is over and debriefed: close the programme."),
            _("Open the programme"),
            page,
        )
    text = _("Nothing to do now: the visits go ahead from %(date)s.") % {
        "date": _day(programme.start_date)
    }
    return step(text, _("Open the programme"), page)


# For the home page --------------------------------------------------------------------------


@dataclass(frozen=True)
class NextSteps:
    executive: Step | None
    head: list[Step]
    programmes: list[Step]
    agent: Step | None = None

    def __bool__(self) -> bool:
        return bool(self.executive or self.agent or self.head or self.programmes)


def next_steps(person: Person, *, now: dt.datetime | None = None) -> NextSteps:
    now = now or timezone.now()
    today = clock.local_today()
    coordinator = person.has_perm("shadowing.review_pairings")
    return NextSteps(
        executive=executive_step(person, now=now) if person.is_executive else None,
        agent=agent_step(person, now=now) if person.is_agent else None,
        head=(
            head_steps(person, today=today)
            if person.is_department_head and person.department_id
            else []
        )
        + (ambassador_steps(person) if person.is_cx_ambassador and person.department_id else []),
        programmes=coordinator_steps(now=now, today=today) if coordinator else [],
    )
