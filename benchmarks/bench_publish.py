"""Benchmark of publishing: 1,000 pairings, so 2,000 invitations, sent by django-q2 workers
through the real broker to a local SMTP server: ``python benchmarks/bench_publish.py``.

It starts an SMTP sink (aiosmtpd) on 127.0.0.1, builds a programme of N published-to-be
pairings with bulk inserts in a throwaway database, starts `manage.py qcluster` with W workers
(the ORM broker, or Redis when REDIS_URL is set), waits until the cluster is up, then times
`programme_publish` until the sink has received every message. It checks what arrived: one
message per person (no Message-ID twice), each a multipart/alternative whose text/calendar part
says METHOD:REQUEST; and that every log row is `sent`. Target: under 60 s for 1,000 pairings
with two workers; the exit status is 1 if the target or a check fails.

    python benchmarks/bench_publish.py                          # SQLite file in a temp folder
    python benchmarks/bench_publish.py --pairings 200 --workers 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/bench_publish.py
        (a database bench_publish_<pid> is created on that server and dropped at the end)
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60.0


class Sink:
    """aiosmtpd handler: keeps what arrived (raw bytes) and when the last one did."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.lock = threading.Lock()
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        with self.lock:
            self.messages.append(envelope.original_content or envelope.content)
            self.last = time.perf_counter()
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def throwaway_database(tmp: Path) -> tuple[str, str | None]:
    """(the DATABASE_URL to use, the PostgreSQL admin URL to drop it with, or None)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'bench.sqlite3'}", None
    import psycopg

    parts = urlsplit(base)
    name = f"bench_publish_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop_database(url: str, admin: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(n: int) -> int:
    """A programme being paired with `n` proposed pairings over ten days, at sites in four
    time zones; returns the programme's id."""
    from django.db import transaction
    from django.utils import timezone

    from shadowing.organisation.models import Department, Person, Site
    from shadowing.programmes.models import Programme, ProgrammeStatus, Shift, local_instant
    from shadowing.programmes.pairing_models import Pairing

    zones = ["America/Vancouver", "America/Edmonton", "America/Toronto", "America/Halifax"]
    start = timezone.localdate() + dt.timedelta(days=30)
    with transaction.atomic():
        care = Department.objects.create(code="CARE", name="Customer Care")
        finance = Department.objects.create(code="FIN", name="Finance")
        sites = Site.objects.bulk_create(
            Site(
                code=f"S{i}",
                name=f"Site {i}",
                region="All",
                timezone=zones[i % len(zones)],
                channel="call_centre",
                address=f"{100 + i} Main Street, Suite {i}",
            )
            for i in range(20)
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    email=f"exec{i}@example.com",
                    full_name=f"Exécutive {i} Côté",
                    department=finance,
                    site=sites[i % 20],
                    languages=["fr", "en"] if i % 4 == 0 else ["en"],
                    is_executive=True,
                    password="!",
                )
                for i in range(n)
            ]
            + [
                Person(
                    email=f"agent{i}@example.com",
                    full_name=f"Agent {i}",
                    department=care,
                    site=sites[i % 20],
                    languages=["en", "fr"],
                    is_agent=True,
                    password="!",
                )
                for i in range(n)
            ],
            batch_size=500,
        )
        executives, agents = people[:n], people[n:]
        programme = Programme.objects.create(
            slug="bench",
            name="Benchmark programme",
            start_date=start,
            end_date=start + dt.timedelta(days=9),
            status=ProgrammeStatus.PAIRING,
        )
        shifts = []
        for i, agent in enumerate(agents):
            day = start + dt.timedelta(days=i % 10)
            zone = sites[i % 20].zone
            shifts.append(
                Shift(
                    programme=programme,
                    agent=agent,
                    date=day,
                    start_time=dt.time(9),
                    end_time=dt.time(17),
                    starts_at=local_instant(day, dt.time(9), zone),
                    ends_at=local_instant(day, dt.time(17), zone),
                )
            )
        shifts = Shift.objects.bulk_create(shifts, batch_size=500)
        Pairing.objects.bulk_create(
            [
                Pairing(
                    programme=programme,
                    executive=executive,
                    agent=agents[i],
                    date=shifts[i].date,
                    shift=shifts[i],
                    site=sites[i % 20],
                    starts_at=shifts[i].starts_at,
                    ends_at=shifts[i].ends_at,
                )
                for i, executive in enumerate(executives)
            ],
            batch_size=500,
        )
    return programme.pk


def check(messages: list[bytes], expected: int) -> list[str]:
    problems = []
    ids = set()
    for raw in messages:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        ids.add(str(msg["Message-ID"]))
        if msg.get_content_type() != "multipart/alternative":
            problems.append(f"{msg['Message-ID']}: {msg.get_content_type()}")
            continue
        calendar = list(msg.iter_parts())[-1]
        body = calendar.get_content()
        if calendar.get_param("method") != "REQUEST" or "METHOD:REQUEST" not in body:
            problems.append(f"{msg['Message-ID']}: no REQUEST calendar part")
    if len(messages) != expected:
        problems.append(f"{len(messages)} messages arrived, {expected} expected")
    if len(ids) != len(messages):
        problems.append(f"{len(messages) - len(ids)} messages arrived twice")
    return problems[:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairings", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    tmp = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    database_url, admin = throwaway_database(tmp)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        # Production settings (DEBUG off: Django then keeps no query log and renders templates
        # without debug information), with a throwaway secret.
        "DEBUG": "false",
        "SECRET_KEY": "bench-publish-only-" + "x" * 40,
        "Q_SYNC": "false",
        "Q_WORKERS": str(args.workers),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    cluster = None
    keep = False
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        programme_id = seed(args.pairings)
        print(f"seeded {args.pairings} pairings in {time.perf_counter() - t:.1f} s")
        broker = "Redis" if settings.Q_CLUSTER.get("redis") else "ORM"
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

        log = open(tmp / "qcluster.log", "w")  # noqa: SIM115 (open for the cluster's life)
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        time.sleep(4)  # the cluster forks its workers, monitor and pusher

        from django.db.models import Count

        from shadowing.invitations.models import InvitationLog, MessageStatus
        from shadowing.invitations.services import programme_publish
        from shadowing.programmes.models import Programme

        expected = 2 * args.pairings
        started = time.perf_counter()
        result = programme_publish(programme=Programme.objects.get(pk=programme_id), by=None)
        queued = time.perf_counter() - started
        deadline = started + args.timeout
        while sink.count() < expected and time.perf_counter() < deadline:
            time.sleep(0.05)
        elapsed = (sink.last or time.perf_counter()) - started
        time.sleep(1.0)  # anything arriving late would be a duplicate
        statuses = dict(
            InvitationLog.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        problems = check(list(sink.messages), expected)
        if statuses.get(MessageStatus.SENT, 0) != expected:
            problems.append(f"log rows by status: {statuses}")
        rate = sink.count() / elapsed if elapsed else 0
        print(
            f"published {result.published} pairings on {engine} with the {broker} broker and "
            f"{args.workers} workers: {sink.count()} of {expected} messages in {elapsed:.1f} s "
            f"({rate:.0f}/s; publishing itself {queued:.2f} s)"
        )
        if problems:
            print("PROBLEMS:\n  " + "\n  ".join(problems))
            print(f"cluster log: {tmp / 'qcluster.log'}")
            keep = True
            return 1
        if args.pairings >= 1000 and args.workers <= 2 and elapsed > TARGET_SECONDS:
            print(f"SLOWER than the {TARGET_SECONDS:.0f} s target")
            return 1
        print(f"all checks passed; target {TARGET_SECONDS:.0f} s")
        return 0
    finally:
        if cluster is not None:
            os.killpg(cluster.pid, signal.SIGTERM)
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(cluster.pid, signal.SIGKILL)
        controller.stop()
        if admin:
            from django.db import connections

            connections.close_all()
            drop_database(database_url, admin)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
