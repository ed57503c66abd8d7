"""Submitting a debrief with five barriers, through the real API over loopback, by 20 executives
at once.

A throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL, e.g. a PostgreSQL
database you can drop) is migrated and filled with 20 executives, each with ROUNDS visits and a
draft debrief for each. The stdlib's threaded WSGI server serves Django from
BENCH_WEB_PROCESSES pre-forked processes (1 on SQLite, the embedded default; 2 on PostgreSQL,
one per core) of 8 threads each, on one socket;
another process runs one executive alone (SOLO submits, the time of a submit without a queue),
then 20 clients (one per executive, each with its API token and a keep-alive
connection) that, round after round, all submit at the same moment: POST
/api/v1/debriefs/{id}/submit/ with the whole body (five barriers). A wrapper around the WSGI
application measures the server's time for each request.

Prints the bodies' sizes, the queries one submit takes, and for the concurrent rounds the
server time (median, p95, max), the client's time, and the throughput.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_debrief_submit.py   (make bench runs it)
"""

import datetime as dt
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

EXECUTIVES = 20
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
SOLO = 20  # submits by one executive alone first: the time of a submit without a queue
# The embedded default (SQLite) runs one web process (DESIGN.md, Scale); with PostgreSQL, one
# per core of this machine.
WEB_PROCESSES = int(
    os.environ.get(
        "BENCH_WEB_PROCESSES",
        "2" if os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres") else "1",
    )
)
THREADS_PER_PROCESS = 8
BARRIERS = 5
TARGET_MS = 150

_tmp = tempfile.TemporaryDirectory(prefix="bench-debrief-")
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
        "Q_SYNC": "false",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def body() -> dict:
    return {
        "overall": "Holds while the agent waited for a supervisor's override; "
        "three systems to change one address. " * 4,
        "rating": 2,
        "commitment": "My team gives agents the refund override under $50.",
        "barriers": [
            {
                "title": f"Barrier {n}: the address lives in three systems",
                "description": "The agent retypes the address in billing, the network tool "
                "and the CRM while the customer waits. " * 2,
                "category": "technology",
                "department": "CARE",
                "severity": 3,
                "frequency": "daily",
                "suggested_fix": "One address service behind all three.",
            }
            for n in range(BARRIERS)
        ],
    }


def setup_data():
    """Migrate, then create the cast: returns [(token, [debrief ids])] for each executive; the
    first executive has SOLO more (for the solo phase) and one more for the query count."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from rest_framework.authtoken.models import Token

    from debriefs.services.drafts import debrief_create
    from shadowing.organisation.models import Department, Person, Site
    from shadowing.programmes.models import Programme
    from shadowing.programmes.pairing_models import Pairing

    today = dt.date.today()
    care = Department.objects.create(code="CARE", name="Customer Care")
    site = Site.objects.create(
        code="VAN", name="Vancouver", region="West", timezone="America/Vancouver", channel="retail"
    )
    programme = Programme.objects.create(
        slug="bench",
        name="Bench",
        start_date=today - dt.timedelta(days=ROUNDS + 2),
        end_date=today,
    )
    cast = []
    for i in range(EXECUTIVES):
        executive = Person.objects.create_user(
            f"exec{i}@bench.example",
            f"Executive {i}",
            department=care,
            site=site,
            is_executive=True,
        )
        agent = Person.objects.create_user(
            f"agent{i}@bench.example", f"Agent {i}", department=care, site=site, is_agent=True
        )
        ids = []
        for r in range(ROUNDS + 1 + (SOLO if i == 0 else 0)):
            day = today - dt.timedelta(days=r + 1)
            starts = dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)
            pairing = Pairing.objects.create(
                programme=programme,
                executive=executive,
                agent=agent,
                date=day,
                site=site,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=8),
                status="published",
            )
            ids.append(debrief_create(pairing=pairing, by=executive).pk)
        cast.append((Token.objects.create(user=executive).key, ids))
    return cast


def count_queries(token: str, debrief_id: int) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/debriefs/{debrief_id}/submit/", body(), content_type="application/json"
        )
    assert response.status_code == 200, response.content
    return len(queries)


class PooledServer(WSGIServer):
    """The stdlib WSGI server with a pool of threads, as production servers run (gunicorn's
    gthread): a thread, and so its database connection, serves request after request."""

    request_queue_size = 64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = None

    def process_request(self, request, client_address):
        if self.pool is None:  # made in the process that serves (after the fork)
            self.pool = ThreadPoolExecutor(max_workers=THREADS_PER_PROCESS)
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def timed(application, record):
    def app(environ, start_response):
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            # Returned as is: the server calls its close(), which ends Django's request
            # (request_finished closes the thread's database connection).
            return application(environ, start_response)
        finally:
            if environ["PATH_INFO"].endswith("/submit/"):
                phase = environ.get("HTTP_X_BENCH_PHASE", "")
                record.setdefault(phase, []).append(time.perf_counter() - started)
                record.setdefault(f"{phase} cpu", []).append(time.thread_time() - cpu)

    return app


def clients(port: int, cast, solo, payload: bytes, out) -> None:
    """In its own process: first one executive alone, one submit after the other; then one
    thread per executive, and each round all submit at once."""
    barrier = threading.Barrier(len(cast))
    results = []
    lock = threading.Lock()

    token, ids = solo
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "X-Bench-Phase": "solo",
    }
    for debrief_id in ids:
        connection.request("POST", f"/api/v1/debriefs/{debrief_id}/submit/", payload, headers)
        connection.getresponse().read()
    connection.close()

    def run(token, ids):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "X-Bench-Phase": "concurrent",
        }
        for debrief_id in ids:
            barrier.wait()
            started = time.perf_counter()
            connection.request("POST", f"/api/v1/debriefs/{debrief_id}/submit/", payload, headers)
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                results.append((response.status, elapsed, len(data)))
        connection.close()

    threads = [threading.Thread(target=run, args=item) for item in cast]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((results, time.perf_counter() - started))


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    cast = setup_data()
    from django.db import connections

    from config.wsgi import application

    queries = count_queries(cast[0][0], cast[0][1][-1])
    solo = (cast[0][0], cast[0][1][ROUNDS : ROUNDS + SOLO])
    cast = [(token, ids[:ROUNDS]) for token, ids in cast]
    payload = json.dumps(body()).encode()
    server_times: dict[str, list[float]] = {}
    server = make_server(
        "127.0.0.1", 0, timed(application, server_times), PooledServer, QuietHandler
    )
    port = server.server_address[1]
    # Several processes wait on this socket: when one wins a connection, the others must not
    # block in accept() (a failed accept is an OSError that the server shrugs off).
    server.socket.setblocking(False)
    connections.close_all()  # forked processes must not share them

    # Pre-forked web processes on one listening socket, as a production server runs them.
    fork = multiprocessing.get_context("fork")
    stop, times_out = fork.Event(), fork.Queue()

    def serve():
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stop.wait()
        server.shutdown()
        times_out.put(server_times)

    web = [fork.Process(target=serve) for _ in range(WEB_PROCESSES)]
    for process in web:
        process.start()
    out = fork.Queue()
    process = fork.Process(target=clients, args=(port, cast, solo, payload, out))
    process.start()
    results, wall = out.get(timeout=600)
    process.join()
    stop.set()
    for _ in web:
        for phase, values in times_out.get(timeout=60).items():
            server_times.setdefault(phase, []).extend(values)
    for process in web:
        process.join()

    statuses = {status for status, _e, _s in results}
    client_ms = [e * 1000 for _s, e, _n in results]
    server_ms = [t * 1000 for t in server_times["concurrent"]]
    solo_ms = [t * 1000 for t in server_times["solo"]]
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"database: {database}; {WEB_PROCESSES} web processes x {THREADS_PER_PROCESS} threads "
        "(stdlib WSGI server); "
        f"machine load average (1, 5, 15 min): {load}"
    )
    print(
        f"request body: {len(payload)} bytes ({BARRIERS} barriers); "
        f"response: {results[0][2]} bytes; statuses: {sorted(statuses)}"
    )
    print(f"queries per submit (pinned in tests/debriefs/test_api.py): {queries}")
    print(
        f"one executive alone, {SOLO} submits: server time median "
        f"{statistics.median(solo_ms):.1f} ms, p95 {pct(solo_ms, 0.95):.1f} ms"
    )
    cpu_ms = [t * 1000 for t in server_times["concurrent cpu"]]
    print(f"{EXECUTIVES} executives at once, {ROUNDS} rounds:")
    print(
        f"CPU time of the request's thread: median {statistics.median(cpu_ms):.1f} ms, "
        f"p95 {pct(cpu_ms, 0.95):.1f} ms (the rest of the server time is waiting: for the "
        "interpreter lock, the database, the machine)"
    )
    print(
        f"server time per submit: median {statistics.median(server_ms):.1f} ms, "
        f"p95 {pct(server_ms, 0.95):.1f} ms, max {max(server_ms):.1f} ms "
        f"({len(server_ms)} submits)"
    )
    print(
        f"client time per submit: median {statistics.median(client_ms):.1f} ms, "
        f"p95 {pct(client_ms, 0.95):.1f} ms"
    )
    print(f"throughput: {len(results) / wall:.0f} submits/s over {wall:.1f} s")
    verdict = "OK" if statistics.median(server_ms) < TARGET_MS else "OVER"
    print(f"target: median server time under {TARGET_MS} ms: {verdict}")
    if statuses != {200}:
        raise SystemExit(f"unexpected statuses {statuses}")


if __name__ == "__main__":
    main()
