"""The loop, measured, at the size of issue 13: a series of 5 waves, 1,750 debriefs, 30,000
barrier reports across 12 departments, grouped into 6,000 backlog items (claimed, resolved,
verified, reopened, and one department that never claims). Times the programme dashboard (the
whole page and the loop's read alone), the two loop API endpoints and the programme PDF's
render, with their query counts. Goal: the loop's read and its API under 300 ms.

A throwaway SQLite database (or BENCH_DATABASE_URL) is migrated and filled with bulk_create.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_loop.py   (make bench runs it)
"""

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

WAVES, DEBRIEFS, REPORTS, DEPARTMENTS, ITEMS = 5, 1750, 30000, 12, 6000
TARGET_MS = 300

_tmp = tempfile.TemporaryDirectory(prefix="bench-loop-")
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{Path(_tmp.name) / 'bench.sqlite3'}"),
)
os.environ.update(
    {
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": os.environ.get(
            "BENCH_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
        ),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "dummymail://",
        "Q_SYNC": "false",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def fill():
    from django.core.management import call_command
    from django.utils import timezone

    from barriers.kinds import EventKind
    from barriers.models import BacklogItem, ItemEvent, ItemReport, Status
    from debriefs.models import BarrierReport, Debrief, DebriefStatus, Source
    from shadowing.organisation.models import Department, Person, Site
    from shadowing.programmes.models import Programme, Series, Shift, local_instant
    from shadowing.programmes.pairing_models import Pairing, PairingStatus

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    today = timezone.localdate()
    site = Site.objects.create(
        code="TOR", name="Toronto", region="East", timezone="America/Toronto", channel="retail"
    )
    departments = Department.objects.bulk_create(
        Department(code=f"D{n:02d}", name=f"Department {n:02d}") for n in range(DEPARTMENTS)
    )
    heads = Person.objects.bulk_create(
        Person(
            email=f"head{n}@bench.example",
            full_name=f"Head {n:02d}",
            department=d,
            site=site,
            is_department_head=True,
            password="!",
        )
        for n, d in enumerate(departments)
    )
    coordinator = Person.objects.create(
        email="cora@bench.example", full_name="Cora", site=site, is_coordinator=True, password="!"
    )
    per_wave = DEBRIEFS // WAVES
    executives = Person.objects.bulk_create(
        Person(
            email=f"exec{n}@bench.example",
            full_name=f"Executive {n:04d}",
            department=departments[n % DEPARTMENTS],
            site=site,
            is_executive=True,
            password="!",
        )
        for n in range(per_wave)
    )
    agents = Person.objects.bulk_create(
        Person(
            email=f"agent{n}@bench.example",
            full_name=f"Agent {n:04d}",
            department=departments[0],
            site=site,
            is_agent=True,
            password="!",
        )
        for n in range(per_wave)
    )
    series = Series.objects.create(slug="bench-series", name="Customer first")
    waves = []
    for w in range(WAVES):
        start = today - dt.timedelta(days=90 * (WAVES - w))
        waves.append(
            Programme.objects.create(
                slug=f"wave-{w + 1}",
                name=f"Wave {w + 1}",
                series=series,
                start_date=start,
                end_date=start + dt.timedelta(days=20),
                status="running" if w == WAVES - 1 else "closed",
            )
        )
    shifts = []
    for wave in waves:
        for n, agent in enumerate(agents):
            day = wave.start_date + dt.timedelta(days=n % 20)
            shifts.append(
                Shift(
                    programme=wave,
                    agent=agent,
                    date=day,
                    start_time=dt.time(9),
                    end_time=dt.time(17),
                    starts_at=local_instant(day, dt.time(9), site.zone),
                    ends_at=local_instant(day, dt.time(17), site.zone),
                )
            )
    Shift.objects.bulk_create(shifts)
    pairings = Pairing.objects.bulk_create(
        Pairing(
            programme=shift.programme,
            executive=executives[n % per_wave],
            agent=shift.agent,
            date=shift.date,
            shift=shift,
            site=site,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            status=PairingStatus.PUBLISHED,
        )
        for n, shift in enumerate(shifts)
    )
    debriefs = Debrief.objects.bulk_create(
        Debrief(
            pairing=p,
            status=DebriefStatus.SUBMITTED,
            overall="Long holds.",
            rating=3,
            commitment="Fix it.",
            submitted_at=p.ends_at,
        )
        for p in pairings
    )
    per_debrief = REPORTS // len(debriefs)
    reports = BarrierReport.objects.bulk_create(
        BarrierReport(
            debrief=d,
            pairing=d.pairing,
            reporter=d.pairing.executive,
            source=Source.EXECUTIVE,
            title=f"Barrier {n}-{k}",
            category="process",
            department=departments[(n + k) % DEPARTMENTS],
            severity=2,
            frequency="daily",
            created_at=d.pairing.ends_at,
        )
        for n, d in enumerate(debriefs)
        for k in range(per_debrief + (1 if n < REPORTS - per_debrief * len(debriefs) else 0))
    )
    # Items in the department and wave of their reports: ITEMS // WAVES per wave.
    by_key = {}
    for r in reports:
        by_key.setdefault((r.pairing.programme_id, r.department_id), []).append(r)
    items, links = [], []
    per_group = max(ITEMS // len(by_key), 1)
    for (_wave_id, department_id), group in by_key.items():
        d_index = [d.pk for d in departments].index(department_id)
        owner = heads[d_index]
        for k in range(per_group):
            chunk = group[k::per_group]
            created = chunk[0].created_at
            n = len(items)
            never = d_index == DEPARTMENTS - 1  # the department that never claims
            state = "new" if never else ("new", "claimed", "resolved", "verified")[n % 4]
            values = {
                "title": f"Item {n}",
                "category": "process",
                "department_id": department_id,
                "severity": 2,
                "frequency": "daily",
                "owner": owner,
                "status": Status.NEW,
                "created_at": created,
                "owned_since": created,
                "report_count": len(chunk),
                "updated_at": created,
            }
            if state != "new":
                claimed = created + dt.timedelta(days=1 + n % 11)
                values.update(
                    status=Status.CLAIMED,
                    claimed_by=owner,
                    claimed_at=claimed,
                    first_claimed_at=claimed,
                    due=(claimed + dt.timedelta(days=30)).date(),
                    first_step="Call the vendor.",
                )
            if state in ("resolved", "verified"):
                values.update(
                    status=Status.RESOLVED if state == "resolved" else Status.VERIFIED,
                    resolved_at=min(created + dt.timedelta(days=20 + n % 120), now),
                    resolution="Done.",
                )
                if state == "verified":
                    values["verified_at"] = values["resolved_at"]
            items.append(BacklogItem(**values))
            links.append(chunk)
    items = BacklogItem.objects.bulk_create(items, batch_size=1000)
    ItemReport.objects.bulk_create(
        (
            ItemReport(item=item, report=r)
            for item, chunk in zip(items, links, strict=True)
            for r in chunk
        ),
        batch_size=2000,
    )
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, kind=EventKind.REOPENED, at=item.created_at) for item in items[::17]
    )
    print(
        f"filled: {WAVES} waves, {len(debriefs)} debriefs, {len(reports)} barrier reports, "
        f"{len(items)} backlog items, {DEPARTMENTS} departments",
        flush=True,
    )
    return coordinator, waves[-1], series


def timed(label, call, *, target=None):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()  # warm: templates, translations
    reset_queries()
    best = None
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            ms = (time.perf_counter() - started) * 1000
        best = ms if best is None else min(best, ms)
    verdict = "" if target is None else (" ok" if best < target else f" OVER {target} ms")
    print(f"{label:<42} {best:8.0f} ms  {len(captured):3d} queries{verdict}", flush=True)
    return best < target if target else True


def main() -> int:
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    from reports import documents, selectors, services
    from reports.models import ReportKind

    coordinator, programme, series = fill()
    client = Client()
    client.force_login(coordinator)
    api = APIClient()
    api.force_authenticate(coordinator)

    def get(c, url):
        def call():
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    ok = True
    ok &= timed(
        "loop read, programme (all 5 waves)",
        lambda: selectors.programme_loop(programme, now=timezone.now()),
        target=TARGET_MS,
    )
    ok &= timed(
        "GET /api/v1/programmes/{slug}/loop/",
        get(api, f"/api/v1/programmes/{programme.slug}/loop/"),
        target=TARGET_MS,
    )
    ok &= timed(
        "GET /api/v1/series/{slug}/loop/",
        get(api, f"/api/v1/series/{series.slug}/loop/"),
        target=TARGET_MS,
    )
    timed("GET /reports/series/{slug}/ (page)", get(client, f"/reports/series/{series.slug}/"))
    timed(
        "GET /reports/programmes/{slug}/ (dashboard)",
        get(client, f"/reports/programmes/{programme.slug}/"),
    )
    document = documents.DOCUMENTS[ReportKind.PROGRAMME]
    started = time.perf_counter()
    result = services._render(
        document, programme, language="en", paper="letter", now=timezone.now(), on_progress=None
    )
    print(
        f"{'programme PDF render (whole report)':<42} {(time.perf_counter() - started):8.1f} s"
        f"   {result.pages} pages",
        flush=True,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
