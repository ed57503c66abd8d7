"""The barrier backlog at size: 10,000 items built from 30,000 reports, listed filtered and
paginated through the API and the page.

A throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL, e.g. a PostgreSQL
database you can drop) is migrated and filled with bulk_create: 12 departments with their heads,
300 executives and 1,000 agents, 3,000 visits with a submitted debrief each, 30,000 barrier
reports (21,000 from debriefs, 9,000 from agents, a third of those anonymous) grouped three to
an item, 10,000 items in every status, their vectors and creation events. Then, in-process with
Django's test client (no network), each request is timed ROUNDS times:

- API: GET /api/v1/barriers/?department=D03&status=open&page=2 as the coordinator, the same
  as department D03's head without filters, and ?owner=... ;
- the page: /backlog/?department=D03&status=open&page=2 as the coordinator and as the head.

Prints, for each, the median and p95 in milliseconds and the number of queries (target: under
150 ms, a bounded query count).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_backlog.py   (make bench runs it)
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
REPORTS_PER_ITEM = 3
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
TARGET_MS = 150

_tmp = tempfile.TemporaryDirectory(prefix="bench-backlog-")
os.environ.update(
    {
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(_tmp.name) / 'bench.sqlite3'}"
        ),
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_URL": "dummymail://",
        "Q_SYNC": "true",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOPICS = [
    ("The refund form asks for the same details twice", "process", "BILL"),
    ("Billing system times out during peak hours", "technology", "IT"),
    ("No way to see an outage in the customer's area", "technology", "NET"),
    ("Store shows phones in stock that are not there", "process", "RET"),
    ("Credits over $50 need a supervisor", "policy", "CARE"),
    ("Number transfers from other carriers fail silently", "process", "NET"),
    ("Transferred calls arrive without notes", "technology", "CARE"),
    ("Technician appointment windows are too wide", "process", "FIELD"),
    ("New hires start on the phones without system training", "training", "TRAIN"),
    ("Too few staff on weekends in stores", "staffing", "WFM"),
    ("New promotions reach the front line after customers see them", "communication", "MKT"),
    ("Agents sign in to seven different applications", "technology", "IT"),
]
PLACES = ["in Vancouver", "in Montréal", "on the night shift", "for business accounts", "in stores"]


def build(*, items: int = ITEMS, seed: int = 7) -> dict:
    """Fill the database; returns the names the requests use. bulk_create throughout: the
    services' per-item work (a model run per report) is measured by bench_similarity."""
    from django.utils import timezone

    from barriers import similarity
    from barriers.kinds import EventKind
    from barriers.models import BacklogItem, ItemEvent, ItemReport, ItemVector, Status
    from barriers.priority import priority
    from debriefs.models import BarrierReport, Debrief, DebriefStatus, Source
    from shadowing.organisation.models import Department, Person, Site
    from shadowing.programmes.models import Programme
    from shadowing.programmes.pairing_models import Pairing

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    codes = [f"D{n:02d}" for n in range(12)]
    site = Site.objects.create(
        code="VAN", name="Vancouver", region="West", timezone="America/Vancouver", channel="retail"
    )
    departments = Department.objects.bulk_create(
        [Department(code=code, name=f"Department {code}") for code in codes]
    )
    heads = Person.objects.bulk_create(
        [
            Person(
                email=f"head.{d.code.lower()}@example.com",
                full_name=f"Head {d.code}",
                department=d,
                site=site,
                is_department_head=True,
                is_executive=True,
            )
            for d in departments
        ]
    )
    for department, head in zip(departments, heads, strict=True):
        department.head = head
    Department.objects.bulk_update(departments, ["head"])
    coordinator = Person.objects.create(
        email="coordinator@example.com", full_name="Coordinator", is_coordinator=True, site=site
    )
    executives = Person.objects.bulk_create(
        [
            Person(
                email=f"exec{n}@example.com",
                full_name=f"Executive {n}",
                department=departments[n % 12],
                site=site,
                is_executive=True,
            )
            for n in range(300)
        ]
    )
    agents = Person.objects.bulk_create(
        [
            Person(
                email=f"agent{n}@example.com",
                full_name=f"Agent {n}",
                department=departments[n % 12],
                manager=heads[n % 12],
                site=site,
                is_agent=True,
            )
            for n in range(1000)
        ]
    )
    start = today - dt.timedelta(days=30)
    programme = Programme.objects.create(
        slug="bench", name="Bench", start_date=start, end_date=today, status="running"
    )
    visits = items * REPORTS_PER_ITEM // 10
    pairings = Pairing.objects.bulk_create(
        [
            Pairing(
                programme=programme,
                executive=executives[k % 300],
                agent=agents[(k % 300 + (k // 300) * 300) % 1000],
                date=start + dt.timedelta(days=k // 300),
                site=site,
                starts_at=now - dt.timedelta(days=30 - k // 300, hours=8),
                ends_at=now - dt.timedelta(days=30 - k // 300),
                status="published",
            )
            for k in range(visits)
        ]
    )
    debriefs = Debrief.objects.bulk_create(
        [
            Debrief(pairing=p, status=DebriefStatus.SUBMITTED, rating=3, submitted_at=now)
            for p in pairings
        ]
    )
    # 3 reports an item: 10 per visit, 7 from the executive's debrief and 3 from the agent.
    reports, owners = [], []
    for n in range(items * REPORTS_PER_ITEM):
        visit = n // 10
        pairing, debrief = pairings[visit], debriefs[visit]
        by_agent = n % 10 >= 7
        title, category, _dept = TOPICS[(n // REPORTS_PER_ITEM) % len(TOPICS)]
        reports.append(
            BarrierReport(
                debrief=None if by_agent else debrief,
                pairing=pairing,
                reporter=pairing.agent if by_agent else pairing.executive,
                source=Source.AGENT if by_agent else Source.EXECUTIVE,
                key=uuid.uuid4(),
                title=f"{title} {rng.choice(PLACES)}",
                description="Seen on most calls of the visit.",
                category=category,
                department=departments[(n // REPORTS_PER_ITEM) % 12],
                severity=rng.randint(1, 4),
                frequency=rng.choice(["rare", "weekly", "daily", "most_calls"]),
                anonymous_to_management=by_agent and n % 3 == 0,
                withheld_from=[pairing.agent.manager_id] if by_agent and n % 3 == 0 else [],
            )
        )
    reports = BarrierReport.objects.bulk_create(reports, batch_size=2000)
    statuses = [
        Status.NEW,
        Status.NEW,
        Status.CLAIMED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.WONT_FIX,
        Status.VERIFIED,
        Status.REOPENED,
    ]
    members = {}
    for person in agents:
        members.setdefault(person.department_id, []).append(person)
    item_rows = []
    for i in range(items):
        department = departments[i % 12]
        status = statuses[i % len(statuses)]
        claimed = status in (Status.CLAIMED, Status.IN_PROGRESS, Status.RESOLVED, Status.VERIFIED)
        closed = status in (Status.RESOLVED, Status.WONT_FIX, Status.VERIFIED)
        group = reports[i * REPORTS_PER_ITEM : (i + 1) * REPORTS_PER_ITEM]
        created = now - dt.timedelta(days=rng.randint(1, 60))
        executives_n = len({r.reporter_id for r in group if r.source == Source.EXECUTIVE})
        agents_n = len({r.reporter_id for r in group if r.source == Source.AGENT})
        severity = max(r.severity for r in group)
        owner = rng.choice(members[department.pk]) if claimed else heads[i % 12]
        owners.append(owner)
        item_rows.append(
            BacklogItem(
                title=group[0].title,
                description=group[0].description,
                category=group[0].category,
                department=department,
                status=status,
                severity=severity,
                frequency="daily",
                report_count=len(group),
                executive_count=executives_n,
                agent_count=agents_n,
                priority=priority(
                    severity=severity, frequency="daily", executives=executives_n, agents=agents_n
                ),
                owner=owner,
                owned_since=created,
                claimed_by=heads[i % 12] if claimed else None,
                claimed_at=created + dt.timedelta(days=2) if claimed else None,
                first_claimed_at=created + dt.timedelta(days=2) if claimed else None,
                due=today + dt.timedelta(days=rng.randint(-20, 20)) if claimed else None,
                first_step="Call the vendor." if claimed else "",
                resolution="Done." if closed else "",
                resolved_at=created + dt.timedelta(days=9) if closed else None,
                created_at=created,
                updated_at=created,
            )
        )
    item_rows = BacklogItem.objects.bulk_create(item_rows, batch_size=2000)
    ItemReport.objects.bulk_create(
        [
            ItemReport(item=item_rows[n // REPORTS_PER_ITEM], report=report)
            for n, report in enumerate(reports)
        ],
        batch_size=5000,
    )
    vectors = np.random.default_rng(seed).normal(size=(items, similarity.DIMENSIONS))
    ItemVector.objects.bulk_create(
        [
            ItemVector(item=item, vector=similarity.to_bytes(similarity.normalise(vector)))
            for item, vector in zip(item_rows, vectors, strict=True)
        ],
        batch_size=2000,
    )
    ItemEvent.objects.bulk_create(
        [ItemEvent(item=item, kind=EventKind.CREATED, at=item.created_at) for item in item_rows],
        batch_size=5000,
    )
    return {
        "coordinator": coordinator,
        "head": heads[3],
        "department": codes[3],
        "owner": owners[3 + 12 * 2].email,
    }


def measure(client, path: str) -> tuple[float, float, int, int]:
    from django.db import connection

    times, queries = [], []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper rather than CaptureQueriesContext: it counts across the connection being
    # closed and reopened by the request cycle.
    with connection.execute_wrapper(count):
        response = client.get(path)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        print("\n".join(q[:150] for q in queries))
    assert response.status_code == 200, (path, response.status_code)
    for _ in range(ROUNDS):
        began = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(queries), response.status_code


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    began = time.perf_counter()
    names = build()
    print(
        f"database: {connection.vendor}; built {ITEMS:,} items from "
        f"{ITEMS * REPORTS_PER_ITEM:,} reports in {time.perf_counter() - began:.1f} s"
    )
    coordinator, head = Client(), Client()
    coordinator.force_login(names["coordinator"])
    head.force_login(names["head"])
    dept, owner = names["department"], names["owner"]
    cases = [
        (
            "API coordinator, department+status, page 2",
            coordinator,
            f"/api/v1/barriers/?department={dept}&status=open&page=2",
        ),
        (
            f"API coordinator, no filter, page {ITEMS // 100}",
            coordinator,
            f"/api/v1/barriers/?page={ITEMS // 100}",
        ),
        ("API coordinator, owner filter", coordinator, f"/api/v1/barriers/?owner={owner}"),
        ("API head, own department, page 2", head, "/api/v1/barriers/?page=2"),
        ("API head, overdue", head, "/api/v1/barriers/?status=overdue"),
        (
            "page coordinator, department+status, page 2",
            coordinator,
            f"/backlog/?department={dept}&status=open&page=2",
        ),
        ("page head, own department", head, "/backlog/"),
    ]
    worst = 0.0
    print(f"{'request':48s} {'median ms':>9s} {'p95 ms':>7s} {'queries':>7s}")
    for label, client, path in cases:
        median, p95, queries, _status = measure(client, path)
        worst = max(worst, median)
        print(f"{label:48s} {median:9.1f} {p95:7.1f} {queries:7d}")
    verdict = "under" if worst < TARGET_MS else "OVER"
    print(f"slowest median {worst:.1f} ms: {verdict} the {TARGET_MS} ms target")


if __name__ == "__main__":
    main()
