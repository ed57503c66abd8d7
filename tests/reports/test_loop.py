"""The loop, measured: each measure on hand-built items with the clock pinned, wave membership
by the earliest report, the departments that claimed nothing (never filtered out), bounded
queries, the API's shape and permissions, the dashboard, the series page and the PDF."""

import datetime as dt
import itertools
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from barriers.kinds import EventKind
from barriers.models import BacklogItem, ItemEvent, ItemReport, Status
from debriefs.models import BarrierReport, Source
from reports import loop, selectors
from reports.backlog import loop_items
from shadowing.organisation.models import CompanyDay
from shadowing.programmes.models import Programme, Series
from tests.debriefs.conftest import make_visit
from tests.factories import DepartmentFactory
from tests.reports.conftest import flat, pdf_text

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# A Wednesday, mid-afternoon in Toronto.
NOW = dt.datetime(2026, 3, 11, 15, 0, tzinfo=TORONTO)
FRIDAY = dt.datetime(2026, 2, 6, 10, 0, tzinfo=TORONTO)


# Pure measures ---------------------------------------------------------------------------------


def row(created, *, claimed=None, resolved=None, verified=False, reopened=False, dept=1, wave=1):
    return loop.ItemRow(
        department_id=dept,
        wave_id=wave,
        created_at=created,
        created_on=created.astimezone(TORONTO).date(),
        first_claimed_at=claimed,
        first_claimed_on=claimed.astimezone(TORONTO).date() if claimed else None,
        resolved_at=resolved,
        verified=verified,
        reopened=reopened,
    )


def weekends(_department_id, start, end):
    from barriers.workdays import working_days_between

    return working_days_between(start, end)


WAVES = [
    loop.Wave(1, "w1", "Wave 1", dt.date(2026, 1, 5)),
    loop.Wave(2, "w2", "Wave 2", NOW.date()),
]
DEPARTMENTS = {1: ("CARE", "Customer Care"), 2: ("FIN", "Finance"), 3: ("IT", "Technology")}


def run(rows, **options):
    return loop.measure(
        rows,
        waves=WAVES,
        departments=DEPARTMENTS,
        now=NOW,
        today=NOW.date(),
        working_days=options.pop("working_days", weekends),
        **options,
    )


def care(result, wave=0):
    return next(d for d in result.waves[wave].departments if d.code == "CARE")


@pytest.mark.parametrize(
    ("claimed_after", "in_time"),
    [
        (dt.timedelta(days=7), True),  # Friday to the next Friday: 5 working days
        (dt.timedelta(days=10), False),  # to the Monday after: 6 working days
        (dt.timedelta(days=3), True),  # across the weekend to Monday: 1
        (dt.timedelta(hours=2), True),  # the same day
    ],
)
def test_claimed_within_5_working_days_counts_across_a_weekend(claimed_after, in_time):
    result = run([row(FRIDAY, claimed=FRIDAY + claimed_after)])
    assert care(result).claimed_in_time == loop.Share(int(in_time), 1)


def test_claimed_in_time_follows_the_departments_calendar():
    # With the Monday between closed, the claim on the Monday after next is 5 working days on.
    closed = FRIDAY.date() + dt.timedelta(days=3)

    def with_holiday(_department_id, start, end):
        from barriers.workdays import WorkCalendar, working_days_between

        return working_days_between(start, end, WorkCalendar(closed=frozenset({closed})))

    claim = FRIDAY + dt.timedelta(days=10)
    assert care(run([row(FRIDAY, claimed=claim)])).claimed_in_time.numerator == 0
    assert care(
        run([row(FRIDAY, claimed=claim)], working_days=with_holiday)
    ).claimed_in_time == loop.Share(1, 1)


def test_an_unclaimed_item_counts_only_once_its_5_working_days_are_over():
    young = NOW - dt.timedelta(days=2)  # Monday: 2 working days ago
    old = NOW - dt.timedelta(days=14)
    line = care(run([row(young), row(old)]))
    assert line.claimed_in_time == loop.Share(0, 1)
    assert line.items == 2
    assert line.claimed_none


def test_resolved_within_90_days_counts_calendar_days():
    created = NOW - dt.timedelta(days=200)
    rows = [
        row(created, claimed=created, resolved=created + dt.timedelta(days=90)),  # in
        row(created, claimed=created, resolved=created + dt.timedelta(days=91)),  # late
        row(created, claimed=created),  # unresolved after 200 days: late
        row(NOW - dt.timedelta(days=30), claimed=NOW - dt.timedelta(days=30)),  # not yet known
    ]
    line = care(run(rows))
    assert line.resolved_in_time == loop.Share(1, 3)
    assert line.resolved_in_time.share == pytest.approx(0.3333, abs=1e-4)
    assert line.resolved_in_time.percent == 33


def test_confirmed_is_of_the_resolved_and_reopened_of_every_item():
    created = NOW - dt.timedelta(days=40)
    done = created + dt.timedelta(days=10)
    rows = [
        row(created, claimed=created, resolved=done, verified=True),
        row(created, claimed=created, resolved=done),
        row(created, claimed=created, reopened=True),
        row(created),
    ]
    line = care(run(rows))
    assert line.confirmed == loop.Share(1, 2)
    assert line.reopened == loop.Share(1, 4)


def test_medians_are_in_days_from_creation():
    created = NOW - dt.timedelta(days=60)
    rows = [
        row(created, claimed=created + dt.timedelta(days=1)),
        row(
            created, claimed=created + dt.timedelta(days=2), resolved=created + dt.timedelta(days=9)
        ),
        row(
            created,
            claimed=created + dt.timedelta(days=6),
            resolved=created + dt.timedelta(days=12),
        ),
    ]
    line = care(run(rows))
    assert line.days_to_claim == 2
    assert line.days_to_resolve == 10.5


def test_departments_that_claimed_nothing_come_first_and_no_filter_hides_them():
    created = NOW - dt.timedelta(days=30)
    rows = [
        row(created, claimed=created, dept=1),
        row(created, dept=2),
        row(created, dept=2, wave=2),
        row(created, claimed=created, dept=3, wave=2),
        row(created, dept=3),
    ]
    result = run(rows)
    first = result.waves[0]
    assert [d.code for d in first.departments] == ["FIN", "IT", "CARE"]
    assert [d.code for d in first.claimed_none] == ["FIN", "IT"]
    # Across the waves IT claimed one of its items; FIN never did.
    assert [d.code for d in result.claimed_none] == ["FIN"]
    narrowed = result.only(["CARE"])
    assert [d.code for d in narrowed.waves[0].departments] == ["CARE"]
    assert [d.code for d in narrowed.waves[0].claimed_none] == ["FIN", "IT"]
    assert [d.code for d in narrowed.claimed_none] == ["FIN"]


def test_trend_gives_each_wave_a_value_and_none_where_a_department_had_nothing():
    created = NOW - dt.timedelta(days=30)
    rows = [row(created, claimed=created, dept=1), row(created, dept=2, wave=2)]
    result = run(rows)
    assert loop.trend(result, "claimed_in_time", "CARE") == [100, None]
    assert loop.trend(result, "claimed_in_time", "FIN") == [None, 0]
    assert loop.trend(result, "claimed_in_time") == [100, 0]


def test_the_total_adds_up_the_departments():
    created = NOW - dt.timedelta(days=30)
    rows = [row(created, claimed=created, dept=1), row(created, dept=2), row(created, dept=2)]
    total = run(rows).waves[0].total
    assert total.items == 3
    assert total.claimed_in_time == loop.Share(1, 3)
    assert total.name == "All departments"


# From the database ---------------------------------------------------------------------------


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


_numbers = itertools.count(1)


@pytest.fixture
def series(db):
    return Series.objects.create(slug="customer-first", name="Customer first")


def make_wave(series, n, start):
    return Programme.objects.create(
        slug=f"wave-{n}",
        name=f"Wave {n}",
        series=series,
        start_date=start,
        end_date=start + dt.timedelta(days=20),
        status="running",
    )


def report(pairing, department, *, at):
    n = next(_numbers)
    made = BarrierReport.objects.create(
        pairing=pairing,
        reporter=pairing.agent,  # an agent's own report: no debrief needed
        source=Source.AGENT,
        title=f"Barrier {n}",
        category="process",
        department=department,
        severity=2,
        frequency="daily",
    )
    BarrierReport.objects.filter(pk=made.pk).update(created_at=at)
    return made


def make_item(department, owner, reports, *, created, claimed=None, resolved=None, **extra):
    status = Status.NEW
    if claimed:
        status = Status.CLAIMED
    if resolved:
        status = Status.RESOLVED
    values = {
        "title": f"Item {next(_numbers)}",
        "category": "process",
        "department": department,
        "severity": 2,
        "frequency": "daily",
        "owner": owner,
        "status": status,
        "created_at": created,
        "owned_since": created,
        "first_claimed_at": claimed,
        "claimed_at": claimed,
        "resolved_at": resolved,
    }
    if claimed:
        values.update(claimed_by=owner, due=claimed.date() + dt.timedelta(days=30), first_step="Go")
    if resolved or extra.get("status") in (Status.WONT_FIX, Status.VERIFIED):
        values["resolution"] = "Done."
    values.update(extra)
    item = BacklogItem.objects.create(**values)
    for made in reports:
        ItemReport.objects.create(item=item, report=made)
    return item


@pytest.fixture
def waves(pinned, series, eve, adam, care, hank):
    """Two waves of a series: CARE claims in time in the first; FIN (a new department) owns an
    item of the second and has claimed none."""
    first = make_wave(series, 1, NOW.date() - dt.timedelta(days=60))
    second = make_wave(series, 2, NOW.date() - dt.timedelta(days=20))
    visit1 = make_visit(first, eve, adam, first.start_date + dt.timedelta(days=1))
    visit2 = make_visit(second, eve, adam, second.start_date + dt.timedelta(days=1))
    created = NOW - dt.timedelta(days=50)
    # Reported first in wave 1, again in wave 2: it belongs to wave 1.
    early = report(visit1, care, at=created)
    late = report(visit2, care, at=NOW - dt.timedelta(days=18))
    make_item(care, hank, [late, early], created=created, claimed=created + dt.timedelta(days=1))
    fin = DepartmentFactory(code="FIN2", name="Finance operations")
    make_item(
        fin,
        hank,
        [report(visit2, fin, at=NOW - dt.timedelta(days=18))],
        created=NOW - dt.timedelta(days=18),
    )
    return first, second


def test_an_item_belongs_to_the_wave_of_its_earliest_report(waves):
    first, second = waves
    rows, departments, _working_days = loop_items([first.pk, second.pk], now=NOW)
    by_wave = {(departments[r.department_id][0], r.wave_id) for r in rows}
    assert by_wave == {("CARE", first.pk), ("FIN2", second.pk)}


def test_a_merged_item_is_left_out_and_a_refusal_is_no_resolution(waves, care, hank):
    first, _second = waves
    visit = first.pairings.first()
    created = NOW - dt.timedelta(days=120)
    target = BacklogItem.objects.filter(department=care).first()
    make_item(
        care,
        hank,
        [report(visit, care, at=created)],
        created=created,
        status=Status.MERGED,
        merged_into=target,
    )
    make_item(
        care,
        hank,
        [report(visit, care, at=created)],
        created=created,
        claimed=created,
        resolved=created + dt.timedelta(days=3),
        status=Status.WONT_FIX,
    )
    line = next(
        d for d in selectors.programme_loop(first, now=NOW).wave.departments if d.code == "CARE"
    )
    assert line.items == 2
    assert line.resolved_in_time == loop.Share(0, 1)


def test_reopened_and_verified_come_from_the_audit_and_the_status(waves, care, hank):
    first, _second = waves
    visit = first.pairings.first()
    created = NOW - dt.timedelta(days=30)
    reopened = make_item(care, hank, [report(visit, care, at=created)], created=created)
    ItemEvent.objects.create(item=reopened, kind=EventKind.REOPENED)
    make_item(
        care,
        hank,
        [report(visit, care, at=created)],
        created=created,
        claimed=created,
        resolved=created + dt.timedelta(days=2),
        status=Status.VERIFIED,
        verified_at=created + dt.timedelta(days=3),
    )
    line = next(
        d for d in selectors.programme_loop(first, now=NOW).wave.departments if d.code == "CARE"
    )
    assert line.reopened == loop.Share(1, 3)
    assert line.confirmed == loop.Share(1, 1)


def test_a_company_day_off_moves_the_5_working_days(pinned, series, eve, adam, care, hank):
    wave = make_wave(series, 1, FRIDAY.date() - dt.timedelta(days=1))
    visit = make_visit(wave, eve, adam, wave.start_date)
    # Friday to the Monday after next is 6 working days; with the Monday between closed, 5.
    CompanyDay.objects.create(date=FRIDAY.date() + dt.timedelta(days=3), name="Shutdown")
    make_item(
        care,
        hank,
        [report(visit, care, at=FRIDAY)],
        created=FRIDAY,
        claimed=FRIDAY + dt.timedelta(days=10),
    )
    line = selectors.programme_loop(wave, now=NOW).wave.departments[0]
    assert line.claimed_in_time == loop.Share(1, 1)


def test_the_loop_costs_the_same_queries_for_few_items_and_many(waves, care, hank):
    first, second = waves

    def queries():
        with CaptureQueriesContext(connection) as captured:
            selectors.series_loop(first.series, now=NOW)
        return len(captured)

    few = queries()
    visit = second.pairings.first()
    for k in range(30):
        department = DepartmentFactory(code=f"X{k:02d}", name=f"Extra {k:02d}")
        created = NOW - dt.timedelta(days=10 + k)
        make_item(department, hank, [report(visit, department, at=created)], created=created)
    assert queries() == few
    assert few <= 6


# The API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"), [("cora", 200), ("hank", 200), ("eve", 403), ("adam", 403)]
)
def test_loop_api_is_for_coordinators_and_heads(request, api_as, waves, who, expected):
    client = api_as(request.getfixturevalue(who))
    assert client.get("/api/v1/programmes/wave-2/loop/").status_code == expected
    assert client.get("/api/v1/series/customer-first/loop/").status_code == expected


def test_loop_api_signed_out_and_unknown(api, api_as, cora, waves):
    assert api.get("/api/v1/series/customer-first/loop/").status_code in (401, 403)
    assert api_as(cora).get("/api/v1/series/nope/loop/").status_code == 404
    assert api_as(cora).get("/api/v1/programmes/nope/loop/").status_code == 404


def test_series_loop_api_shape(api_as, cora, waves):
    body = api_as(cora).get("/api/v1/series/customer-first/loop/").json()
    assert body["series"] == "customer-first"
    assert body["current"] is None
    assert [w["slug"] for w in body["waves"]] == ["wave-1", "wave-2"]
    first = body["waves"][0]
    assert set(first) == {"slug", "name", "start_date", "total", "departments", "claimed_none"}
    care_line = first["departments"][0]
    assert care_line["code"] == "CARE"
    assert care_line["claimed_in_time"] == {"numerator": 1, "denominator": 1, "share": 1.0}
    assert care_line["median_days_to_claim"] == 1.0
    assert care_line["median_days_to_resolve"] is None
    assert care_line["resolved_in_time"] == {"numerator": 0, "denominator": 0, "share": None}
    assert body["claimed_none"] == [{"code": "FIN2", "name": "Finance operations", "items": 1}]


def test_programme_loop_api_names_its_wave_and_keeps_claimed_none_under_a_filter(
    api_as, cora, waves
):
    response = api_as(cora).get("/api/v1/programmes/wave-2/loop/?department=CARE")
    assert response.status_code == 200
    body = response.json()
    assert body["current"] == "wave-2"
    assert body["waves"][1]["departments"] == []  # CARE has no item of wave 2
    assert [d["code"] for d in body["waves"][1]["claimed_none"]] == ["FIN2"]
    assert [d["code"] for d in body["claimed_none"]] == ["FIN2"]


def test_loop_api_unknown_department_is_a_400_naming_the_field(api_as, cora, waves):
    response = api_as(cora).get("/api/v1/series/customer-first/loop/?department=ZZZ")
    assert response.status_code == 400
    assert "ZZZ" in response.json()["department"][0]


# Pages and the PDF ---------------------------------------------------------------------------


def test_dashboard_has_the_loop_with_claimed_none_even_when_filtered(client, cora, waves):
    client.force_login(cora)
    html = client.get("/reports/programmes/wave-2/?department=CARE").content.decode()
    assert 'id="loop"' in html
    section = html[html.index('id="loop-claimed-none"') :]
    assert "Finance operations" in section[: section.index("</ul>")]
    assert "/reports/series/customer-first/" in html
    assert html.count('id="loop-0-title"') == 1  # the "All departments" trend, wide


def test_series_page_has_every_wave(client, cora, eve, waves):
    client.force_login(cora)
    response = client.get("/reports/series/customer-first/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wave 1" in html
    assert "Wave 2" in html
    assert 'id="loop-wave-2"' in html
    client.force_login(eve)
    assert client.get("/reports/series/customer-first/").status_code == 403
    client.force_login(cora)
    assert client.get("/reports/series/nope/").status_code == 404


def test_series_page_in_french_renders(client, cora, waves):
    client.force_login(cora)
    response = client.get("/reports/series/customer-first/", HTTP_ACCEPT_LANGUAGE="fr-ca")
    assert response.status_code == 200
    assert 'id="loop-trend"' in response.content.decode()


def test_programme_pdf_has_the_loop(waves):
    from django.utils import timezone

    from reports import documents, services
    from reports.models import ReportKind

    _first, second = waves
    document = documents.DOCUMENTS[ReportKind.PROGRAMME]
    result = services._render(
        document, second, language="en", paper="a4", now=timezone.now(), on_progress=None
    )
    text = flat(pdf_text(result.pdf))
    assert "The loop" in text
    assert "Departments that own items and have claimed none" in text
    assert "Finance operations" in text
    assert "Claimed within 5 working days" in text
