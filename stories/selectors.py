"""Reads: the stories a person may see, how a story names its agent, the week's "you said, we
did" items and the content of a digest."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from barriers.models import BacklogItem, Status
from shadowing import clock

from .models import Story
from .permissions import is_curator

YOU_SAID_STATUSES = (Status.RESOLVED, Status.VERIFIED)


def _stories():
    return Story.objects.select_related(
        "debrief__pairing__agent",
        "debrief__pairing__executive",
        "debrief__pairing__site",
    )


def stories_visible_to(user) -> QuerySet[Story]:
    """Curators (sponsor, coordinators) see all; an executive their own; nobody else any."""
    if is_curator(user):
        return _stories().all()
    if getattr(user, "is_authenticated", False):
        return _stories().filter(debrief__pairing__executive_id=user.pk)
    return Story.objects.none()


def stories_about(user) -> QuerySet[Story]:
    """The stories that ask to name this agent (their consent state only is theirs to see)."""
    return _stories().filter(debrief__pairing__agent_id=user.pk, name_agent=True)


def story_agent_label(story: Story) -> str:
    """The agent as the story may print them: their name only with consent given."""
    pairing = story.debrief.pairing
    if story.agent_named:
        return pairing.agent.full_name
    return _("an agent at %(site)s") % {"site": pairing.site.name}


def you_said_we_did() -> QuerySet[BacklogItem]:
    """Resolved and verified items with what was done. No reporter is ever named: counts only."""
    return (
        BacklogItem.objects.filter(status__in=YOU_SAID_STATUSES, merged_into__isnull=True)
        .select_related("department")
        .only(
            "id",
            "title",
            "resolution",
            "resolved_at",
            "status",
            "report_count",
            "executive_count",
            "agent_count",
            "department__code",
            "department__name",
            "department__name_fr",
        )
        .order_by("-resolved_at", "-id")
    )


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    """Monday and next Monday of an ISO week `YYYY-Www`; ValueError if malformed."""
    monday = dt.datetime.strptime(week + "-1", "%G-W%V-%u").date()
    return monday, monday + dt.timedelta(days=7)


def week_of(day: dt.date) -> str:
    year, number, _weekday = day.isocalendar()
    return f"{year}-W{number:02d}"


def previous_week(now: dt.datetime | None = None) -> str:
    """The week that ended last Sunday, programme time: what Monday's digest reports."""
    today = clock.local_date(now or clock.now())
    return week_of(today - dt.timedelta(days=7))


def items_of_week(week: str) -> QuerySet[BacklogItem]:
    start, end = week_bounds(week)
    zone = clock.home_zone()
    start_at = dt.datetime.combine(start, dt.time(), zone)
    end_at = dt.datetime.combine(end, dt.time(), zone)
    return you_said_we_did().filter(resolved_at__gte=start_at, resolved_at__lt=end_at)
