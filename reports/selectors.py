"""Reads for the reports: the programme's figures, a department's backlog, one debrief, one
visit; and the fingerprints that tell whether a stored PDF still shows the data.

Every figure is an aggregate query whose count does not grow with the programme: the
programme report for 10,000 executives costs the same dozen queries as for ten.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from debriefs.models import BarrierReport, Category, Debrief, DebriefStatus, Frequency, Severity
from debriefs.selectors import DepartmentCompletion, debrief_completion
from shadowing import clock
from shadowing.organisation.models import Department, Person
from shadowing.programmes.models import Programme, Series
from shadowing.programmes.pairing_models import VISITED, Attendance, Pairing, PairingStatus

from . import backlog, loop

# Raise when a template or a figure changes, so that stored PDFs render again.
LAYOUT_VERSION = "2"


def digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


# The programme report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    code: str
    name: str
    executives: int  # active executives of the department
    invited: int  # of them, with a published visit in the programme
    visited: int  # recorded as having come (attended or cut short) to a published visit
    debriefed: int  # with a submitted debrief
    no_show: int = 0  # recorded as not having come to a published visit

    @property
    def percent_visited(self) -> int:
        return round(100 * self.visited / self.executives) if self.executives else 0


def programme_participation(programme: Programme, *, now: dt.datetime) -> list[Participation]:
    """Every department (those without executives too, so that none drops out of sight), with
    how many of its executives were invited, visited and debriefed: three queries."""
    executives = dict(
        Person.objects.filter(is_executive=True, is_active=True, department__isnull=False)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    submitted = Debrief.objects.filter(pairing=OuterRef("pk"), status=DebriefStatus.SUBMITTED)
    rows = {
        row["executive__department_id"]: row
        for row in Pairing.objects.filter(
            programme=programme, status=PairingStatus.PUBLISHED, executive__is_active=True
        )
        .annotate(submitted=Subquery(submitted.values("pk")[:1]))
        .values("executive__department_id")
        .annotate(
            invited=Count("executive", distinct=True),
            # Attendance as recorded, not the clock: a visit that ended with nobody there is
            # no visit (the no-shows are counted apart). Where nobody recorded it, a filed
            # debrief is the executive's own word that they came.
            visited=Count(
                "executive",
                distinct=True,
                filter=Q(attendance__in=VISITED) | Q(attendance="", submitted__isnull=False),
            ),
            no_show=Count("executive", distinct=True, filter=Q(attendance=Attendance.NO_SHOW)),
            debriefed=Count("executive", distinct=True, filter=Q(submitted__isnull=False)),
        )
        .order_by()
    }
    lines = []
    for department in Department.objects.order_by("name", "code").only(
        "pk", "code", "name", "name_fr"
    ):
        row = rows.get(department.pk, {})
        lines.append(
            Participation(
                code=department.code,
                name=department.display_name,
                executives=executives.get(department.pk, 0),
                invited=row.get("invited", 0),
                visited=row.get("visited", 0),
                debriefed=row.get("debriefed", 0),
                no_show=row.get("no_show", 0),
            )
        )
    return lines


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    counts: list[int]  # one per category, in Category order

    @property
    def total(self) -> int:
        return sum(self.counts)


def barriers_by_department_and_category(programme: Programme) -> list[CategoryRow]:
    """The programme's barrier reports (withdrawn ones left out) by the department they were
    routed to and their category: one query; departments with none left out."""
    categories = list(Category.values)
    table: dict[tuple[str, str], list[int]] = {}
    for code, name, category, n in (
        BarrierReport.objects.filter(pairing__programme=programme, withdrawn_at__isnull=True)
        .values_list("department__code", "department__name", "category")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts = table.setdefault((code, name), [0] * len(categories))
        counts[categories.index(category)] += n
    return [
        CategoryRow(code=code, name=name, counts=counts)
        for (code, name), counts in sorted(table.items(), key=lambda item: item[0][1].lower())
    ]


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: Programme
    now: dt.datetime
    participation: list[Participation]
    completion: list[DepartmentCompletion]
    categories: list[tuple[str, str]]
    by_category: list[CategoryRow]
    backlog: backlog.ProgrammeBacklog
    reports_total: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def category_totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.by_category) for i in range(len(self.categories))]


def programme_figures(programme: Programme, *, now: dt.datetime) -> ProgrammeFigures:
    """Everything the programme report and the dashboard show, in a bounded number of queries."""
    participation = programme_participation(programme, now=now)
    completion = debrief_completion(programme, now=now)
    by_category = barriers_by_department_and_category(programme)
    totals = {
        name: sum(getattr(line, name) for line in participation)
        for name in ("executives", "invited", "visited", "debriefed", "no_show")
    }
    for name in ("filed", "draft", "missing", "upcoming"):
        totals[name] = sum(getattr(row, name) for row in completion)
    due = totals["filed"] + totals["draft"] + totals["missing"]
    totals["percent_filed"] = round(100 * totals["filed"] / due) if due else 0
    return ProgrammeFigures(
        programme=programme,
        now=now,
        participation=participation,
        completion=completion,
        categories=list(Category.choices),
        by_category=by_category,
        backlog=backlog.programme_backlog(programme, now=now),
        reports_total=sum(row.total for row in by_category),
        totals=totals,
    )


def _changes(queryset: QuerySet, field_name: str = "updated_at") -> tuple:
    row = queryset.order_by().aggregate(n=Count("pk"), last=Max(field_name))
    return (row["n"], row["last"])


def programme_fingerprint(programme: Programme, *, now: dt.datetime) -> str:
    """The state of everything the programme report shows, in a few aggregate queries: what
    changed since a stored PDF was made (a visit ended, a debrief was filed, a department was
    renamed, an item was claimed, a day passed and an item fell overdue) changes this."""
    pairings = Pairing.objects.filter(programme=programme)
    return digest(
        LAYOUT_VERSION,
        "programme",
        programme.pk,
        programme.updated_at,
        clock.local_date(now),
        _changes(pairings),
        pairings.filter(ends_at__lte=now).count(),
        pairings.filter(starts_at__lte=now).count(),
        _changes(Debrief.objects.filter(pairing__programme=programme)),
        _changes(BarrierReport.objects.filter(pairing__programme=programme)),
        _changes(Person.objects.all()),
        list(Department.objects.order_by("pk").values_list("pk", "code", "name", "head_id")),
        backlog.changes(),
        # The loop's trend: the other waves' reports decide which wave an item belongs to.
        programme.series_id
        and _changes(BarrierReport.objects.filter(pairing__programme__series=programme.series_id)),
    )


# A department's backlog ------------------------------------------------------------------------


def department_fingerprint(department: Department, *, now: dt.datetime) -> str:
    return digest(
        LAYOUT_VERSION,
        "backlog",
        department.pk,
        department.code,
        department.name,
        department.name_fr,
        department.head_id,
        clock.local_date(now),
        _changes(Person.objects.all()),
        backlog.changes(),
    )


# One debrief, one visit ------------------------------------------------------------------------


def debrief_fingerprint(debrief: Debrief, *, now: dt.datetime) -> str:
    pairing = debrief.pairing
    return digest(
        LAYOUT_VERSION,
        "debrief",
        debrief.pk,
        debrief.updated_at,
        debrief.status,
        pairing.updated_at,
        _changes(Person.objects.filter(pk__in=[pairing.executive_id, pairing.agent_id])),
        _changes(BarrierReport.objects.filter(debrief=debrief)),
        list(Department.objects.order_by("pk").values_list("pk", "name", "name_fr")),
        backlog.changes(),
    )


def pairing_fingerprint(pairing: Pairing, *, now: dt.datetime) -> str:
    site = pairing.site
    return digest(
        LAYOUT_VERSION,
        "day_sheet",
        pairing.pk,
        pairing.updated_at,
        pairing.status,
        (site.name, site.address, site.timezone, site.code),
        _changes(Person.objects.filter(pk__in=[pairing.executive_id, pairing.agent_id])),
        list(
            Department.objects.filter(people__in=[pairing.executive_id, pairing.agent_id])
            .order_by("pk")
            .values_list("pk", "name", "name_fr")
        ),
    )


@dataclass(frozen=True)
class BarrierLine:
    """One barrier of a debrief as the report shows it, from a filed report or a draft."""

    title: str
    description: str
    category: str
    department: str
    severity: str
    frequency: str
    suggested_fix: str
    report_id: int | None = None
    item: backlog.Item | None = None  # what became of it on the backlog


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def debrief_barriers(debrief: Debrief, *, now: dt.datetime) -> list[BarrierLine]:
    """The barriers of a submitted debrief as filed (withdrawn ones left out), each with the
    backlog item it became; for a draft, the barriers as typed so far (those with a title), so
    that a draft prints too."""
    categories = _labels(Category.choices)
    severities = _labels(Severity.choices)
    frequencies = _labels(Frequency.choices)
    if debrief.status == DebriefStatus.SUBMITTED:
        reports = list(
            debrief.reports.filter(withdrawn_at__isnull=True)
            .select_related("department")
            .order_by("created_at", "pk")
        )
        items = backlog.items_of_reports([report.pk for report in reports], now=now)
        return [
            BarrierLine(
                title=report.title,
                description=report.description,
                category=categories.get(report.category, report.category),
                department=report.department.display_name,
                severity=severities.get(report.severity, str(report.severity)),
                frequency=frequencies.get(report.frequency, report.frequency),
                suggested_fix=report.suggested_fix,
                report_id=report.pk,
                item=items.get(report.pk),
            )
            for report in reports
        ]
    departments = dict(Department.objects.named())
    lines = []
    for typed in debrief.barriers or []:
        if not isinstance(typed, dict) or not str(typed.get("title") or "").strip():
            continue
        lines.append(
            BarrierLine(
                title=str(typed["title"]).strip(),
                description=str(typed.get("description") or ""),
                category=categories.get(typed.get("category"), ""),
                department=departments.get(typed.get("department"), ""),
                severity=severities.get(typed.get("severity"), ""),
                frequency=frequencies.get(typed.get("frequency"), ""),
                suggested_fix=str(typed.get("suggested_fix") or ""),
            )
        )
    return lines


# The loop, measured ----------------------------------------------------------------------------


def _loop(waves: list[Programme], *, now: dt.datetime, current: str | None) -> loop.Loop:
    from django.utils.translation import gettext as _

    rows, departments, working_days = backlog.loop_items([w.pk for w in waves], now=now)
    return loop.measure(
        rows,
        waves=[loop.Wave(w.pk, w.slug, w.name, w.start_date) for w in waves],
        departments=departments,
        now=now,
        today=clock.local_date(now),
        working_days=working_days,
        current=current,
        all_label=_("All departments"),
    )


def programme_loop(programme: Programme, *, now: dt.datetime) -> loop.Loop:
    """The loop of the programme's series, every wave of it (the trend), with the programme as
    the current wave; a programme in no series is a series of one."""
    if programme.series_id:
        waves = list(
            Programme.objects.filter(series_id=programme.series_id).order_by("start_date", "pk")
        )
    else:
        waves = [programme]
    return _loop(waves, now=now, current=programme.slug)


def series_loop(series: Series, *, now: dt.datetime) -> loop.Loop:
    """The loop of every wave of `series`, in order."""
    waves = list(Programme.objects.filter(series=series).order_by("start_date", "pk"))
    return _loop(waves, now=now, current=None)
