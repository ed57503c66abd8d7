"""The names an item's history mentions (people by e-mail, departments by code, items and
reports by id), loaded for many events at once in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext

from debriefs.models import BarrierReport, Source
from debriefs.selectors import management_chains, reporter_hidden_from
from shadowing.organisation.models import Department, Person

from ..models import BacklogItem, ItemEvent


@dataclass
class Names:
    """What the events mention, by the keys the audit rows hold."""

    people: dict[str, str] = field(default_factory=dict)  # e-mail -> full name
    departments: dict[str, Department] = field(default_factory=dict)  # code -> department
    items: dict[int, str] = field(default_factory=dict)  # id -> title
    reports: dict[int, str] = field(default_factory=dict)  # id -> "the report from …"
    # The department each item is in as the history is read, oldest first.
    department_of: dict[int, str] = field(default_factory=dict)


# Loading ------------------------------------------------------------------------------


def _mentions(events: list[ItemEvent]) -> tuple[set, set, set, set]:
    emails, codes, item_ids, report_ids = set(), set(), set(), set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            for key in ("owner", "claimed_by"):
                if values.get(key):
                    emails.add(values[key])
            emails.update(values.get("to") or [])
            if values.get("department"):
                codes.add(values["department"])
            for key in ("merged_into", "item"):
                if isinstance(values.get(key), int):
                    item_ids.add(values[key])
            for key in ("report", "by_report"):
                if isinstance(values.get(key), int):
                    report_ids.add(values[key])
            report_ids.update(values.get("by_reports") or [])
    return emails, codes, item_ids, report_ids


def _report_words(report: BarrierReport, hidden: bool) -> str:
    name = report.reporter.full_name
    if report.source == Source.EXECUTIVE and report.debrief_id:
        return gettext("the report from %(name)s’s debrief") % {"name": name}
    if hidden:
        return gettext("an agent’s report (name withheld)")
    return gettext("%(name)s’s report") % {"name": name}


def load_names(events: list[ItemEvent], viewer: Person, known: Iterable = ()) -> Names:
    """Every name the events mention, in five queries at most, whatever their number. An
    agent's name stays hidden where `viewer` may not see it (debriefs' anonymity rule).
    `known`: the item's report rows already read for `viewer` (selectors.ReportRow), whose
    reports are not read again."""
    emails, codes, item_ids, report_ids = _mentions(events)
    names = Names()
    if emails:
        names.people = dict(
            Person.objects.filter(email__in=emails).values_list("email", "full_name")
        )
    item_ids |= {event.item_id for event in events}
    items = BacklogItem.objects.filter(pk__in=item_ids).values_list("pk", "title", "department")
    department_ids = {}
    for pk, title, department_id in items:
        names.items[pk] = title
        department_ids[pk] = department_id
    departments = Department.objects.filter(
        Q(pk__in=set(department_ids.values())) | Q(code__in=codes)
    )
    by_id = {department.pk: department for department in departments}
    names.departments = {department.code: department for department in by_id.values()}
    # Until the history says otherwise (its creation, its transfers: `describe` follows them),
    # an item is where it is now.
    names.department_of = {pk: by_id[d].code for pk, d in department_ids.items() if d in by_id}
    for row in known:
        if row.report.pk in report_ids:
            names.reports[row.report.pk] = _report_words(row.report, row.reporter_hidden)
            report_ids.discard(row.report.pk)
    if report_ids:
        reports = list(BarrierReport.objects.select_related("reporter").filter(pk__in=report_ids))
        anonymous = {r.reporter_id for r in reports if r.anonymous_to_management}
        chains = management_chains(anonymous) if anonymous else {}
        names.reports.update(
            {r.pk: _report_words(r, reporter_hidden_from(viewer, r, chains)) for r in reports}
        )
    return names


__all__ = ["Names", "load_names"]
