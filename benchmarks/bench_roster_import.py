"""Benchmark of the roster import: ``python benchmarks/bench_roster_import.py``.

For each size it generates a realistic roster (departments, sites across regions and time
zones, and people in a management tree: a CEO, department heads, directors and managers with
4 to 12 reports each, agents at the leaves) and times, through `roster_import`:

1. the first import of the three files into an empty database,
2. a re-import of the same files (must write nothing),
3. a re-import where 5 % of the people changed (titles, sites, managers),
4. a dry run of that same change.

It prints the file sizes, seconds, queries and the counts. Each size runs in a fresh process
with its own throwaway SQLite file under var/, so sizes do not share caches or pages.

    python benchmarks/bench_roster_import.py                 # 2,500 and 25,000 people
    python benchmarks/bench_roster_import.py --size 60000
    DATABASE_URL=postgres://... python benchmarks/bench_roster_import.py --wipe
        (a throwaway database: it is flushed before each size)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
import unicodedata
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jun", "Kofi"]
LAST = ["Singh", "Tremblay", "Nguyen", "Roy", "Smith", "García", "Côté", "Chen", "Okafor"]
ZONES = [
    ("West", "America/Vancouver"),
    ("Prairies", "America/Edmonton"),
    ("Central", "America/Winnipeg"),
    ("East", "America/Toronto"),
    ("Quebec", "America/Toronto"),
    ("Atlantic", "America/Halifax"),
]
CHANNELS = ["call_centre", "call_centre", "retail", "field", "digital"]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # what spreadsheets export
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def make_roster(n_people: int, seed: int = 1) -> dict:
    """Rows (as lists of cells) for the three files; people in a management tree."""
    rng = random.Random(seed)
    n_departments = max(8, n_people // 1000)
    n_sites = max(6, n_people // 100)
    sites = []
    for i in range(n_sites):
        region, zone = ZONES[i % len(ZONES)]
        limit = str(rng.randint(2, 6)) if rng.random() < 0.3 else ""
        channel = CHANNELS[i % len(CHANNELS)]
        sites.append([f"S{i:04d}", f"Site {i}", region, zone, channel, f"{i} Main St", limit])

    # Breadth first: the CEO has one report per department (its head); everyone else takes 4
    # to 12 reports until the roster is full, so the leaves (most people) are agents.
    manager = [-1] * n_people
    depth = [0] * n_people
    department = [0] * n_people
    reports = [0] * n_people
    queue: deque[int] = deque()
    next_id = 1
    for d in range(min(n_departments, n_people - 1)):
        manager[next_id], depth[next_id], department[next_id] = 0, 1, d
        reports[0] += 1
        queue.append(next_id)
        next_id += 1
    while next_id < n_people:
        boss = queue.popleft()
        for _ in range(rng.randint(4, 12)):
            if next_id >= n_people:
                break
            manager[next_id], depth[next_id], department[next_id] = (
                boss,
                depth[boss] + 1,
                department[boss],
            )
            reports[boss] += 1
            queue.append(next_id)
            next_id += 1

    def email(i: int) -> str:
        # Addresses are ASCII as HR systems issue them: Chloé Côté is chloe.cote.
        name = f"{FIRST[i % len(FIRST)]}.{LAST[i % len(LAST)]}.{i}"
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return f"{ascii_name}@example.com".lower()

    people = []
    heads = {}
    for i in range(n_people):
        if i == 0:
            roles, title = "executive;coordinator", "Chief Executive"
        elif depth[i] == 1:
            roles, title = "department_head;executive", "Vice-President"
            heads[department[i]] = email(i)
        elif reports[i] and depth[i] <= 3:
            roles, title = "executive", "Director"
        elif reports[i]:
            roles, title = "", "Team Manager"
        else:
            roles, title = "agent", "Customer Agent"
        draw = rng.random()
        languages = (
            "en" if draw < 0.7 else "en;fr" if draw < 0.9 else "fr" if draw < 0.95 else "es;en"
        )
        site = 0 if depth[i] <= 1 else rng.randrange(n_sites)
        people.append(
            [
                email(i),
                f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]}",
                title,
                f"D{department[i]:03d}",
                email(manager[i]) if manager[i] >= 0 else "",
                f"S{site:04d}",
                languages,
                roles,
            ]
        )
    departments = [[f"D{d:03d}", f"Department {d}", heads.get(d, "")] for d in range(n_departments)]
    return {"departments": departments, "sites": sites, "people": people, "manager": manager}


def files_of(roster: dict) -> dict[str, bytes]:
    return {
        "departments.csv": _csv(["code", "name", "head_email"], roster["departments"]),
        "sites.csv": _csv(
            ["code", "name", "region", "timezone", "channel", "address", "daily_visitor_limit"],
            roster["sites"],
        ),
        "people.csv": _csv(
            [
                "email",
                "full_name",
                "title",
                "department_code",
                "manager_email",
                "site_code",
                "languages",
                "roles",
            ],
            roster["people"],
        ),
    }


def changed(roster: dict, share: float = 0.05, seed: int = 2) -> dict:
    """The same roster with `share` of the agents changed: a new title, another site, or a
    manager of the same department with reports (never creating a cycle: agents manage none)."""
    rng = random.Random(seed)
    people = [row[:] for row in roster["people"]]
    agents = [i for i, row in enumerate(people) if row[7] == "agent"]
    managers_by_department: dict[str, list[str]] = {}
    for row in people:
        if row[2] == "Team Manager":
            managers_by_department.setdefault(row[3], []).append(row[0])
    for i in rng.sample(agents, int(len(people) * share)):
        kind = rng.randrange(3)
        if kind == 0:
            people[i][2] = "Senior Customer Agent"
        elif kind == 1:
            people[i][5] = f"S{rng.randrange(len(roster['sites'])):04d}"
        elif managers_by_department.get(people[i][3]):
            people[i][4] = rng.choice(managers_by_department[people[i][3]])
    return {**roster, "people": people}


def run_one(n_people: int, wipe: bool) -> dict:
    """In a fresh process: set Django up on its own database, then time the imports."""
    if not os.environ.get("DATABASE_URL"):
        path = ROOT / "var" / f"bench_roster_{n_people}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif not wipe:
        sys.exit("DATABASE_URL is set: add --wipe to confirm it is a throwaway database.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shadowing.organisation.roster.importer import roster_import

    call_command("migrate", verbosity=0)
    if wipe:
        call_command("flush", interactive=False, verbosity=0)

    roster = make_roster(n_people)
    files = files_of(roster)
    edited = files_of(changed(roster))
    figures: dict = {
        "people": n_people,
        "departments": len(roster["departments"]),
        "sites": len(roster["sites"]),
        "depth": _depth(roster["manager"]),
        "bytes": {name: len(data) for name, data in files.items()},
        "engine": connection.vendor,
    }

    def timed(label: str, files: dict[str, bytes], dry_run: bool = False) -> None:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = roster_import(files=files, dry_run=dry_run)
            seconds = time.perf_counter() - start
        assert result.ok, [str(e) for e in result.errors[:5]]
        figures[label] = {
            "seconds": round(seconds, 2),
            "queries": len(queries.captured_queries),
            "counts": {k: vars(c) for k, c in result.counts.items()},
        }

    timed("first import", files)
    timed("re-import, same files", files)
    timed("dry run, 5% changed", edited, dry_run=True)
    timed("re-import, 5% changed", edited)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def _depth(manager: list[int]) -> int:
    depth = [0] * len(manager)
    for i in range(1, len(manager)):  # managers come before their reports
        depth[i] = depth[manager[i]] + 1
    return max(depth)


def report(figures: dict) -> None:
    sizes = ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in figures["bytes"].items())
    print(
        f"\n{figures['people']:,} people, {figures['departments']} departments, "
        f"{figures['sites']} sites, management depth {figures['depth']} ({figures['engine']})"
    )
    print(f"  files: {sizes}")
    for label in (
        "first import",
        "re-import, same files",
        "dry run, 5% changed",
        "re-import, 5% changed",
    ):
        f = figures[label]
        people = f["counts"]["people"]
        print(
            f"  {label:<24} {f['seconds']:>7.2f} s  {f['queries']:>4} queries  people: "
            f"{people['created']} created, {people['updated']} updated, "
            f"{people['unchanged']} unchanged"
        )
    print(f"  peak RSS {figures['peak_rss_mb']} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="people (repeatable)")
    parser.add_argument("--wipe", action="store_true", help="flush the DATABASE_URL database")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.wipe)))
        return
    for size in args.size or [2_500, 25_000]:
        command = [sys.executable, __file__, "--one", str(size), *(["--wipe"] if args.wipe else [])]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stdout, done.stderr, file=sys.stderr)
            sys.exit(f"the {size:,}-person run failed")
        report(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
