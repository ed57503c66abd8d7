"""The four report documents: for each kind, how to find its object by key, the fingerprint of
the data it shows, and its HTML (a template and its context).

`DOCUMENTS[kind]` is what the services, the task and the views go through, so that a new kind
is one entry here, one template and one permission.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from debriefs.models import Debrief
from shadowing.organisation.models import Department
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing, PairingStatus

from . import backlog, charts, line_charts, loop, selectors
from .models import ReportKind

# Completion and participation series, in the dashboard and the PDFs alike.
COMPLETION_COLOURS = ("#009e73", "#e69f00", "#d55e00", "#999999")
PARTICIPATION_COLOURS = ("#56b4e9", "#0072b2", "#009e73")


@dataclass(frozen=True)
class Document:
    kind: str
    template: str
    # Large reports render in a background task and are stored; small ones render inline.
    background: bool
    load: Callable[[str], Model]
    key: Callable[[Model], str]
    fingerprint: Callable[..., str]
    context: Callable[..., dict[str, Any]]
    title: Callable[[Model], str]
    # Roughly how many pages, to turn "page N laid out" into a percentage.
    pages_estimate: Callable[[dict[str, Any]], int] = lambda context: 1
    # A wide table reads better, and fits more rows to a page, across the sheet.
    landscape: bool = False


def _svg(markup: str) -> str:
    # charts.py escapes every label it draws: its SVG is safe to place as it is.
    return mark_safe(markup)  # noqa: S308


# A chart taller than this many rows is drawn as several, so that none is taller than a page.
CHART_ROWS = 28


def _chunked(draw, rows: list, *, title: str, chart_id: str, **options) -> list[str]:
    """`draw(rows, title=..., chart_id=...)` for each run of CHART_ROWS rows: a list of SVGs,
    each safe to place as it is."""
    if len(rows) <= CHART_ROWS:
        return [_svg(draw(rows, title=title, chart_id=chart_id, **options))]
    parts = [rows[i : i + CHART_ROWS] for i in range(0, len(rows), CHART_ROWS)]
    return [
        _svg(
            draw(
                part,
                title=_("%(title)s (%(part)d of %(parts)d)")
                % {"title": title, "part": n, "parts": len(parts)},
                chart_id=f"{chart_id}-{n}",
                **options,
            )
        )
        for n, part in enumerate(parts, start=1)
    ]


def _localised(style: charts.Style) -> charts.Style:
    # Figures in the page's language: "1,234" and "2.5" in English, "1 234" and "2,5" in French.
    return replace(style, number=lambda value: formats.number_format(value, force_grouping=True))


def programme_charts(
    figures: selectors.ProgrammeFigures, *, style: charts.Style = charts.PRINT, suffix: str = ""
) -> dict[str, list[str]]:
    """The programme's charts as inline SVG (lists: a long chart is cut in parts), for the PDF
    and the dashboard alike, in `style`; `suffix` keeps the ids of a second drawing apart."""
    style = _localised(style)
    participation_series = [
        charts.Series(_("Invited"), PARTICIPATION_COLOURS[0]),
        charts.Series(_("Visited"), PARTICIPATION_COLOURS[1]),
        charts.Series(_("Debriefed"), PARTICIPATION_COLOURS[2]),
    ]
    completion_series = [
        charts.Series(_("Filed"), COMPLETION_COLOURS[0]),
        charts.Series(_("Draft"), COMPLETION_COLOURS[1]),
        charts.Series(_("Missing"), COMPLETION_COLOURS[2]),
        charts.Series(_("Upcoming"), COMPLETION_COLOURS[3]),
    ]
    category_series = [
        charts.Series(str(label), charts.PALETTE[i % len(charts.PALETTE)])
        for i, (_value, label) in enumerate(figures.categories)
    ]
    empty = _("No data yet.")
    speed = figures.backlog.speed
    return {
        "participation_chart": _chunked(
            partial(charts.nested_bar_chart, series=participation_series, empty=empty, style=style),
            [
                (line.name, [line.invited, line.visited, line.debriefed])
                for line in figures.participation
            ],
            title=_("Participation by department"),
            chart_id="participation" + suffix,
        ),
        "completion_chart": _chunked(
            partial(charts.stacked_bar_chart, series=completion_series, empty=empty, style=style),
            [
                (row.name or "—", [row.filed, row.draft, row.missing, row.upcoming])
                for row in figures.completion
            ],
            title=_("Debrief completion by department"),
            chart_id="completion" + suffix,
        ),
        "category_chart": _chunked(
            partial(
                charts.stacked_bar_chart,
                series=category_series,
                empty=_("No barriers reported yet."),
                style=style,
            ),
            [(row.name, row.counts) for row in figures.by_category],
            title=_("Barriers by department and category"),
            chart_id="categories" + suffix,
        ),
        "claim_chart": _chunked(
            partial(
                charts.bar_chart,
                colour=charts.PALETTE[0],
                empty=_("Nothing claimed yet."),
                style=style,
            ),
            [(line.name, line.days_to_claim) for line in speed if line.days_to_claim is not None],
            title=_("Median days to claim"),
            chart_id="claim-speed" + suffix,
        ),
        "resolve_chart": _chunked(
            partial(
                charts.bar_chart,
                colour=charts.PALETTE[2],
                empty=_("Nothing resolved yet."),
                style=style,
            ),
            [
                (line.name, line.days_to_resolve)
                for line in speed
                if line.days_to_resolve is not None
            ],
            title=_("Median days to resolve"),
            chart_id="resolve-speed" + suffix,
        ),
    }


def dashboard_charts(figures: selectors.ProgrammeFigures) -> dict[str, list[str]]:
    """The charts for the screen, each drawn twice at the width it is shown at, never scaled
    down: labels above the bars for a phone, beside them from 48rem (dashboard.css shows one)."""
    phone = programme_charts(figures, style=charts.PHONE, suffix="-phone")
    wide = programme_charts(figures, style=charts.SCREEN)
    return {
        name: [
            _svg(f'<div class="chart-phone">{narrow}</div><div class="chart-wide">{broad}</div>')
            for narrow, broad in zip(phone[name], wide[name], strict=True)
        ]
        for name in wide
    }


# The loop, measured -----------------------------------------------------------------------------

LOOP_COLOURS = (charts.PALETTE[0], charts.PALETTE[2], charts.PALETTE[1], charts.PALETTE[5])


def loop_measure_names() -> list[tuple[str, str]]:
    """(field, label) of each share the loop measures, in the order they are shown."""
    return [
        ("claimed_in_time", _("Claimed within 5 working days")),
        ("resolved_in_time", _("Resolved within 90 days")),
        ("confirmed", _("Confirmed by a reporter")),
        ("reopened", _("Reopened")),
    ]


def loop_charts(
    data: loop.Loop, *, style: charts.Style = charts.PRINT, suffix: str = ""
) -> list[str]:
    """Small multiples of the loop's trend across the waves: one chart for all departments,
    then one per department, each with a line per measure (percent)."""
    style = _localised(style)
    names = loop_measure_names()
    series = [
        charts.Series(label, LOOP_COLOURS[i % len(LOOP_COLOURS)])
        for i, (_field, label) in enumerate(names)
    ]
    waves = [line.wave.name for line in data.waves]
    panels = [(None, _("All departments")), *data.departments()]
    out = []
    for n, (code, name) in enumerate(panels):
        lines = [
            (s, loop.trend(data, field_name, code))
            for s, (field_name, _label) in zip(series, names, strict=True)
        ]
        out.append(
            _svg(
                line_charts.line_chart(
                    waves,
                    lines,
                    title=_("The loop across the waves: %(name)s") % {"name": name},
                    heading=name,
                    chart_id=f"loop-{n}{suffix}",
                    empty=_("No items yet."),
                    style=style,
                )
            )
        )
    return out


def dashboard_loop_charts(data: loop.Loop) -> list[str]:
    """The loop's charts for the screen, drawn for a phone and for a wide screen."""
    phone = loop_charts(data, style=charts.PHONE, suffix="-phone")
    wide = loop_charts(data, style=replace(charts.SCREEN, width=480))
    return [
        _svg(f'<div class="chart-phone">{narrow}</div><div class="chart-wide">{broad}</div>')
        for narrow, broad in zip(phone, wide, strict=True)
    ]


# Programme --------------------------------------------------------------------------------------


def _programme_context(programme: Programme, *, now: dt.datetime) -> dict[str, Any]:
    figures = selectors.programme_figures(programme, now=now)
    the_loop = selectors.programme_loop(programme, now=now)
    return {
        "programme": programme,
        "figures": figures,
        **programme_charts(figures),
        "loop": the_loop,
        "loop_measures": loop_measure_names(),
        "loop_charts": loop_charts(the_loop, style=replace(charts.PRINT, width=320)),
    }


# A department's backlog -------------------------------------------------------------------------


def _backlog_context(department: Department, *, now: dt.datetime) -> dict[str, Any]:
    data = backlog.department_backlog(department, now=now)
    status_chart = charts.bar_chart(
        [(label, n) for _value, label, n in data.by_status],
        title=_("Items by status"),
        chart_id="status",
        empty=_("No items on this backlog."),
        style=_localised(charts.PRINT),
    )
    return {
        "department": department,
        "backlog": data,
        "items": data.items(),
        "status_chart": _svg(status_chart),
    }


# One debrief ------------------------------------------------------------------------------------


def _load_debrief(key: str) -> Debrief:
    return Debrief.objects.select_related(
        "pairing__executive__department",
        "pairing__agent",
        "pairing__site",
        "pairing__programme",
    ).get(pk=int(key))


def _debrief_context(debrief: Debrief, *, now: dt.datetime) -> dict[str, Any]:
    pairing = debrief.pairing
    return {
        "debrief": debrief,
        "pairing": pairing,
        "programme": pairing.programme,
        "barriers": selectors.debrief_barriers(debrief, now=now),
    }


# A visit's day sheet ---------------------------------------------------------------------------


def _load_pairing(key: str) -> Pairing:
    return (
        Pairing.objects.exclude(status=PairingStatus.CANCELLED)
        .select_related("executive__department", "agent__department", "site", "programme", "shift")
        .get(pk=int(key))
    )


def _day_sheet_context(pairing: Pairing, *, now: dt.datetime) -> dict[str, Any]:
    zone = pairing.site.zone
    return {
        "pairing": pairing,
        "programme": pairing.programme,
        "site": pairing.site,
        "executive": pairing.executive,
        "agent": pairing.agent,
        # Naive wall-clock times of the site: template filters would turn aware ones back into
        # the server's zone (UTC).
        "local_start": pairing.starts_at.astimezone(zone).replace(tzinfo=None),
        "local_end": pairing.ends_at.astimezone(zone).replace(tzinfo=None),
        "zone_name": pairing.site.timezone,
    }


DOCUMENTS: dict[str, Document] = {
    ReportKind.PROGRAMME: Document(
        kind=ReportKind.PROGRAMME,
        template="reports/pdf/programme.html",
        background=True,
        load=lambda key: Programme.objects.get(slug=key),
        key=lambda programme: programme.slug,
        fingerprint=selectors.programme_fingerprint,
        context=_programme_context,
        title=lambda programme: programme.name,
        pages_estimate=lambda context: 4 + len(context["figures"].participation) // 12,
    ),
    ReportKind.BACKLOG: Document(
        kind=ReportKind.BACKLOG,
        template="reports/pdf/backlog.html",
        background=True,
        load=lambda key: Department.objects.get(code=key),
        key=lambda department: department.code,
        fingerprint=selectors.department_fingerprint,
        context=_backlog_context,
        title=lambda department: department.display_name,
        pages_estimate=lambda context: 1 + context["backlog"].count // 15,
        landscape=True,
    ),
    ReportKind.DEBRIEF: Document(
        kind=ReportKind.DEBRIEF,
        template="reports/pdf/debrief.html",
        background=False,
        load=_load_debrief,
        key=lambda debrief: str(debrief.pk),
        fingerprint=selectors.debrief_fingerprint,
        context=_debrief_context,
        title=lambda debrief: debrief.pairing.executive.full_name,
    ),
    ReportKind.DAY_SHEET: Document(
        kind=ReportKind.DAY_SHEET,
        template="reports/pdf/day_sheet.html",
        background=False,
        load=_load_pairing,
        key=lambda pairing: str(pairing.pk),
        fingerprint=selectors.pairing_fingerprint,
        context=_day_sheet_context,
        title=lambda pairing: f"{pairing.executive.full_name} {pairing.date}",
    ),
}


def document_html(
    document: Document, obj: Model, *, language: str, now: dt.datetime | None = None
) -> tuple[str, dict[str, Any]]:
    """The document's HTML in `language`, and the context it was made from."""
    now = now or timezone.now()
    with translation.override(language):
        context = document.context(obj, now=now)
        context.update({"generated_at": now, "language": language, "kind": document.kind})
        return render_to_string(document.template, context), context
