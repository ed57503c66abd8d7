"""Benchmark of the coordinator's pairing table: ``python benchmarks/bench_pairing_table.py``.

Builds the organisation of ``bench_pair_end_to_end.py`` (default 1,000 executives x 5,000
agents x 20 days) in a throwaway database, adds 150 executives nobody can host (they speak
only German) so that the unpaired list is not empty, runs `pair` (1,000 pairings), locks one
in ten, and then times, through Django's test client (the whole middleware stack, a signed-in
coordinator), the median of 10 requests and their query count for:

- the review page, unfiltered (page 1 of 20, the summary over all pairings, the unpaired list);
- the review page filtered by department and site, by a name search, and its last page;
- `GET /api/v1/pairings/?programme=...` (a page of 50) and a filtered one.

    python benchmarks/bench_pairing_table.py                    # SQLite under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shadowing_bench \\
        python benchmarks/bench_pairing_table.py
        (the database is created if missing, migrated, and emptied first)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pair_end_to_end import build_organisation, django_setup

BUDGET_MS = 300


def add_unpairable(n: int) -> None:
    from shadowing.organisation.models import Department, Person, Site

    site = Site.objects.order_by("code").first()
    department = Department.objects.order_by("code").first()
    Person.objects.bulk_create(
        Person(
            email=f"german{i:04d}@bench.example",
            full_name=f"Unpairable {i:04d}",
            department=department,
            site=site,
            languages=["de"],
            is_executive=True,
            password="!",
        )
        for i in range(n)
    )


def measure(client, url: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds over `repeat` requests, queries of one, and the response size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates compiled, session read once
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries.captured_queries), len(response.content)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="1000x5000x20", help="EXECUTIVESxAGENTSxDAYS")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    n_exec, n_agent, n_days = (int(v) for v in args.size.split("x"))

    url = django_setup(os.environ.get("DATABASE_URL"), "pairing_table")
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from shadowing.organisation.models import Person
    from shadowing.programmes.pairing_models import Pairing, PairingStatus

    print(f"database: {connection.vendor} ({url.split('@')[-1]})", flush=True)
    made = build_organisation(n_exec, n_agent, n_days)
    add_unpairable(150)
    out = io.StringIO()
    call_command("pair", made["programme"], stdout=out)
    ids = list(
        Pairing.objects.filter(programme__slug=made["programme"])
        .order_by("id")
        .values_list("id", flat=True)
    )
    Pairing.objects.filter(id__in=ids[::10]).update(status=PairingStatus.LOCKED)
    print(
        f"{len(ids):,} pairings of {n_exec + 150:,} executives "
        f"({out.getvalue().strip().splitlines()[-1]}), {len(ids[::10])} locked",
        flush=True,
    )

    client = Client()
    client.force_login(Person.objects.get(email="coordinator@bench.example"))
    page = reverse("shadowing:programme-pairings", kwargs={"slug": made["programme"]})
    sample = Pairing.objects.select_related("executive__department", "site").first()
    cases = [
        ("review page, unfiltered", page),
        (
            "review page, department + site",
            f"{page}?department={sample.executive.department.code}&site={sample.site.code}",
        ),
        ("review page, name search", f"{page}?q=executive+00"),
        ("review page, last page (20)", f"{page}?page=20"),
        ("API pairings, a page of 50", f"/api/v1/pairings/?programme={made['programme']}"),
        (
            "API pairings, filtered",
            f"/api/v1/pairings/?programme={made['programme']}"
            f"&department={sample.executive.department.code}&status=proposed",
        ),
    ]
    print(f"median of {args.repeat} requests (budget {BUDGET_MS} ms):", flush=True)
    worst = 0.0
    for label, target in cases:
        ms, queries, size = measure(client, target, args.repeat)
        worst = max(worst, ms)
        print(
            f"  {label:<34} {ms:7.1f} ms  {queries:3d} queries  {size / 1024:6.1f} KiB", flush=True
        )
    print(f"slowest: {worst:.1f} ms ({'within' if worst < BUDGET_MS else 'OVER'} budget)")


if __name__ == "__main__":
    main()
