"""An item's history in words: one sentence per audit event (`ItemEvent`), in the reader's
language, with names instead of the ids and codes the audit row keeps (status labels,
departments, people, linked items, dates in the reader's format).

`history_rows(events, viewer)` loads every name the events mention in a fixed number of queries
and returns `HistoryRow`s; `describe(event, names)` writes one event, through the function its
kind has in DESCRIBERS (one per EventKind). Sentences are safe HTML (links to items); `as_text`
gives the same words as plain text for the API. names.py loads what the events mention.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from shadowing.organisation.models import Department, Person

from ..kinds import EventKind, NoticeKind
from ..models import ItemEvent, Status
from .names import Names, load_names

# How long an item waits before it escalates (tasks.ESCALATE_AFTER, kept here without importing
# the tasks): the escalation event's words name it.
ESCALATE_AFTER_DAYS = 10


@dataclass(frozen=True)
class HistoryRow:
    event: ItemEvent
    sentence: SafeString

    @property
    def text(self) -> str:
        return as_text(self.sentence)


def as_text(sentence: str) -> str:
    return html.unescape(strip_tags(sentence))


# Words for one value ----------------------------------------------------------------------------


def _say(template: str, **parts) -> SafeString:
    """`template` (translated, with %(name)s slots) filled with `parts`, escaped unless safe."""
    # The template is escaped and so is every part that is not already safe HTML.
    filled = escape(template) % {k: conditional_escape(v) for k, v in parts.items()}
    return mark_safe(filled)  # noqa: S308


def department_name(department: Department | None) -> str:
    if department is None:
        return "—"
    if department.name_fr and (get_language() or "").startswith("fr"):
        return department.name_fr
    return department.name


def _department(names: Names, code: str | None) -> str:
    if code is None:
        return "—"
    return department_name(names.departments[code]) if code in names.departments else code


def _person(names: Names, email: str | None) -> str:
    if not email:
        return "—"
    return names.people.get(email, email)


def _people(names: Names, emails: Iterable[str]) -> str:
    people = [_person(names, email) for email in emails]
    if not people:
        return "—"
    if len(people) == 1:
        return people[0]
    return gettext("%(first)s and %(last)s") % {
        "first": ", ".join(people[:-1]),
        "last": people[-1],
    }


def _item(names: Names, item_id: int | None) -> SafeString | str:
    if item_id is None:
        return "—"
    url = reverse("barriers:item", args=[item_id])
    title = names.items.get(item_id)
    label = f"#{item_id} {title}" if title else f"#{item_id}"
    return format_html('<a href="{}">{}</a>', url, label)


def _report(names: Names, report_id: int | None, *, start: bool = False) -> str:
    words = names.reports.get(report_id) if report_id is not None else None
    words = words or gettext("a report since deleted")
    return capfirst(words) if start else words


def _date(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return formats.date_format(dt.date.fromisoformat(value[:10]), "DATE_FORMAT")
    except ValueError:
        return value


def _status(value: str | None) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or "—"


def _actor(event: ItemEvent) -> str:
    return event.actor.full_name if event.actor_id else gettext("The system")


# One function per kind -------------------------------------------------------------------------


def _created(event, names):
    after = event.after
    return _say(
        gettext("Opened from %(report)s, in %(department)s, owned by %(owner)s."),
        report=_report(names, after.get("report")),
        department=_department(names, after.get("department")),
        owner=_person(names, after.get("owner")),
    )


def _report_added(event, names):
    ids = event.after.get("reports") or [event.after.get("report")]
    if len(ids) == 1:
        return _say(gettext("%(report)s joined."), report=_report(names, ids[0], start=True))
    return _say(ngettext("%(n)s report joined.", "%(n)s reports joined.", len(ids)), n=len(ids))


def _report_withdrawn(event, names):
    return _say(
        gettext("%(report)s was withdrawn."),
        report=_report(names, event.after.get("report"), start=True),
    )


def _claimed(event, names):
    after = event.after
    # An ambassador's claim names the head it was made for, owner of record already.
    owner = after.get("owner") or after.get("on_behalf_of")
    parts = {
        "actor": _actor(event),
        "department": _department(names, names.department_of.get(event.item_id)),
        "due": _date(after.get("due")),
        "step": after.get("first_step", ""),
    }
    if owner is None or (event.actor_id and owner == event.actor.email):
        return _say(
            gettext("%(actor)s claimed it for %(department)s, due %(due)s: first step %(step)s"),
            **parts,
        )
    return _say(
        gettext(
            "%(actor)s claimed it for %(owner)s (%(department)s), due %(due)s: first step %(step)s"
        ),
        owner=_person(names, owner),
        **parts,
    )


def _reassigned(event, names):
    after = event.after
    sentence = _say(
        gettext("%(actor)s handed it to %(owner)s."),
        actor=_actor(event),
        owner=_person(names, after.get("owner")),
    )
    if after.get("due"):
        sentence += " " + _say(gettext("Now due %(due)s."), due=_date(after["due"]))
    if after.get("first_step"):
        sentence += " " + _say(gettext("First step: %(step)s"), step=after["first_step"])
    return sentence


def _transferred(event, names):
    return _say(
        gettext("%(actor)s transferred it from %(from)s to %(to)s, owned by %(owner)s."),
        actor=_actor(event),
        **{
            "from": _department(names, event.before.get("department")),
            "to": _department(names, event.after.get("department")),
            "owner": _person(names, event.after.get("owner")),
        },
    )


def _arbitration(event, names):
    return _say(
        gettext(
            "%(actor)s asked to transfer it once more: %(owner)s, coordinator, decides where "
            "it goes."
        ),
        actor=_actor(event),
        owner=_person(names, event.after.get("owner")),
    )


def _simple(message: str) -> Callable:
    def describe_it(event, names):
        return _say(gettext(message), actor=_actor(event))

    return describe_it


def _reopened(event, names):
    after = event.after
    if "by_report" in after or "by_reports" in after:
        ids = after.get("by_reports") or [after.get("by_report")]
        return _say(
            gettext("Reopened by a new report: %(report)s."),
            report=_report(names, ids[0]),
        )
    return _say(gettext("%(actor)s reopened it."), actor=_actor(event))


def _merged(event, names):
    return _say(
        gettext("%(actor)s merged it into %(item)s."),
        actor=_actor(event),
        item=_item(names, event.after.get("merged_into")),
    )


def _absorbed(event, names):
    n = len(event.after.get("reports") or [])
    return _say(
        ngettext(
            "%(actor)s merged %(item)s into it: %(n)s report joined.",
            "%(actor)s merged %(item)s into it: %(n)s reports joined.",
            n,
        ),
        actor=_actor(event),
        item=_item(names, event.after.get("item")),
        n=n,
    )


def _unmerged(event, names):
    if "item" in event.after:  # the item that held the reports
        n = len(event.before.get("reports") or [])
        return _say(
            ngettext(
                "%(actor)s undid the merge of %(item)s: its %(n)s report left.",
                "%(actor)s undid the merge of %(item)s: its %(n)s reports left.",
                n,
            ),
            actor=_actor(event),
            item=_item(names, event.after["item"]),
            n=n,
        )
    return _say(
        gettext("%(actor)s undid its merge into %(item)s."),
        actor=_actor(event),
        item=_item(names, event.before.get("merged_into")),
    )


def _escalated(event, names):
    days = ESCALATE_AFTER_DAYS
    if event.after.get("kind") == NoticeKind.OVERDUE_ESCALATION:
        message = ngettext(
            "Escalated to %(people)s: the commitment is %(n)s working day past its due date.",
            "Escalated to %(people)s: the commitment is %(n)s working days past its due date.",
            days,
        )
    else:
        message = ngettext(
            "Escalated to %(people)s: unclaimed for %(n)s working day.",
            "Escalated to %(people)s: unclaimed for %(n)s working days.",
            days,
        )
    return _say(message, people=_people(names, event.after.get("to") or []), n=days)


def _nudged(event, names):
    return _say(
        gettext("%(actor)s nudged %(people)s to claim it."),
        actor=_actor(event),
        people=_people(names, event.after.get("to") or []),
    )


def _suggestion(template):
    def describe(event, names):
        item = _item(names, event.after.get("item"))
        return _say(gettext(template), actor=_actor(event), item=item)

    return describe


DESCRIBERS: dict[str, Callable[[ItemEvent, Names], SafeString]] = {
    EventKind.CREATED: _created,
    EventKind.REPORT_ADDED: _report_added,
    EventKind.REPORT_WITHDRAWN: _report_withdrawn,
    EventKind.CLAIMED: _claimed,
    EventKind.REASSIGNED: _reassigned,
    EventKind.TRANSFERRED: _transferred,
    EventKind.ARBITRATION: _arbitration,
    EventKind.STARTED: _simple(gettext_noop("%(actor)s started work.")),
    EventKind.RESOLVED: _simple(gettext_noop("%(actor)s resolved it.")),
    EventKind.WONT_FIX: _simple(gettext_noop("%(actor)s refused it (won’t fix).")),
    EventKind.VERIFIED: _simple(gettext_noop("%(actor)s confirmed the barrier is gone.")),
    EventKind.REOPENED: _reopened,
    EventKind.MERGED: _merged,
    EventKind.ABSORBED: _absorbed,
    EventKind.UNMERGED: _unmerged,
    EventKind.ESCALATED: _escalated,
    EventKind.NUDGED: _nudged,
    EventKind.MERGE_SUGGESTED: _suggestion(
        gettext_noop("%(actor)s suggested merging it into %(item)s.")
    ),
    EventKind.SUGGESTION_DISMISSED: _suggestion(
        gettext_noop("%(actor)s dismissed the suggestion to merge it into %(item)s.")
    ),
}


def describe(event: ItemEvent, names: Names) -> SafeString:
    """The event in words, with its change of status when it has one ("Status: In progress →
    Resolved"). Keeps `names.department_of` current for the events that follow."""
    describer = DESCRIBERS.get(event.kind)
    sentence = describer(event, names) if describer else _say(str(event.get_kind_display()))
    before, after = event.before or {}, event.after or {}
    if after.get("department"):
        names.department_of[event.item_id] = after["department"]
    if before.get("status") and after.get("status") and before["status"] != after["status"]:
        sentence += " " + _say(
            gettext("Status: %(before)s → %(after)s"),
            before=_status(before["status"]),
            after=_status(after["status"]),
        )
    return sentence


def history_rows(events: Iterable[ItemEvent], viewer: Person, reports=()) -> list[HistoryRow]:
    """The events in words, in the order given (oldest first). `reports`: the item's report
    rows already read for `viewer` (selectors.item_reports), to spare reading them again."""
    events = list(events)
    names = load_names(events, viewer, reports)
    return [HistoryRow(event, describe(event, names)) for event in events]


__all__ = ["DESCRIBERS", "HistoryRow", "Names", "as_text", "describe", "history_rows"]
