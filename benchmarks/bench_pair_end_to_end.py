"""Benchmark of `pair` end to end, loading and saving included:
``python benchmarks/bench_pair_end_to_end.py``.

It builds a realistic organisation in a throwaway database with bulk inserts (default
1,000 executives x 5,000 agents x 20 days), then runs the `pair` command's path and prints
where the time goes: load (the Problem from the database), solve (the engine), save (the
pairings), record (the run's unpaired rows and counts), and the total; then a re-run with
nothing changed, a re-run after 5 % of the shifts vanished (an import flags their pairings),
and `manage.py pair` in a fresh process, start-up and imports included.

The organisation: 4 regions of 10 sites each (time zones of Canada; 30 % of sites with a
daily visitor limit of 2 to 5), 12 departments, executives spread over all of them, mostly
English with French and Spanish minorities, half of them with 5 to 15 available dates; agents
in the three front-line departments, 125 a site, each working a shift on about 43 % of the
days (2 % opted out of hosting), under team leads (12 agents each), site managers and one
regional director per department and region, the director being an executive (so the reporting
line rule bites); an earlier programme with 800 visits gives hosting history and past pairs.

    python benchmarks/bench_pair_end_to_end.py                   # SQLite under var/bench/
    python benchmarks/bench_pair_end_to_end.py --size 2000x10000x30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shadowing_bench \\
        python benchmarks/bench_pair_end_to_end.py
        (the database is created if missing, migrated, and emptied first: use a throwaway one)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))

REGIONS = [
    ("West", "America/Vancouver"),
    ("Prairies", "America/Edmonton"),
    ("East", "America/Toronto"),
    ("Quebec", "America/Toronto"),
]
FRONT_LINE = ["CARE", "RETAIL", "FIELD"]
OTHER_DEPARTMENTS = ["FIN", "HR", "IT", "LEGAL", "MKT", "NET", "OPS", "PROD", "SALES"]
AGENT_LANGUAGES = [
    (0.60, ["en"]),
    (0.15, ["en", "fr"]),
    (0.10, ["fr"]),
    (0.10, ["es"]),
    (0.05, ["en", "es"]),
]
START = dt.date(2027, 3, 1)


def django_setup(database_url: str | None, name: str) -> str:
    """Point Django at `database_url` (or a fresh SQLite file `var/bench/NAME.sqlite3`), create
    the database if it is a missing PostgreSQL one, migrate it and empty it."""
    if not database_url:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    elif database_url.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    # The settings of the test runner: dev secret, static files without a manifest, no HTTPS
    # redirect for the test client. Nothing of it changes how the database is used.
    os.environ.setdefault("TESTING", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    return database_url


def _create_postgres_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _pick_languages(rng: random.Random) -> list[str]:
    roll, total = rng.random(), 0.0
    for share, languages in AGENT_LANGUAGES:
        total += share
        if roll < total:
            return languages
    return AGENT_LANGUAGES[-1][1]


def build_organisation(n_exec: int, n_agent: int, n_days: int, seed: int = 1) -> dict:
    """Write the organisation, a programme of `n_days` days with its shifts and availability, and
    an earlier programme with some visits. Returns what was made (counts, the programme slug)."""
    from django.db import transaction

    from shadowing.organisation.models import Department, Person, Site
    from shadowing.programmes.models import Availability, Programme, Shift, local_instant
    from shadowing.programmes.pairing_models import Pairing, PairingStatus

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        departments = {
            code: Department(code=code, name=f"Department {code}")
            for code in FRONT_LINE + OTHER_DEPARTMENTS
        }
        Department.objects.bulk_create(departments.values())
        departments = {d.code: d for d in Department.objects.all()}

        n_sites = max(len(REGIONS), n_agent // 125)
        sites = []
        for i in range(n_sites):
            region, zone = REGIONS[i % len(REGIONS)]
            sites.append(
                Site(
                    code=f"S{i:03d}",
                    name=f"{region} site {i}",
                    region=region,
                    timezone=zone,
                    channel=["call_centre", "retail", "field"][i % 3],
                    daily_visitor_limit=rng.randint(2, 5) if rng.random() < 0.3 else None,
                )
            )
        Site.objects.bulk_create(sites)
        sites = list(Site.objects.order_by("code"))

        def person(email, name, department, site, **extra) -> Person:
            return Person(
                email=email,
                full_name=name,
                title=extra.pop("title", "Staff"),
                department=department,
                site=site,
                languages=extra.pop("languages", ["en"]),
                password="!",
                **extra,
            )

        people = [
            person(
                "coordinator@bench.example",
                "Bench Coordinator",
                departments["OPS"],
                sites[0],
                is_coordinator=True,
            )
        ]
        executives = []
        for i in range(n_exec):
            languages = ["en"]
            if rng.random() < 0.2:
                languages.append("fr")
            if rng.random() < 0.1:
                languages.append("es")
            if rng.random() < 0.05:
                languages = ["fr"]
            code = rng.choice(FRONT_LINE + OTHER_DEPARTMENTS)
            executives.append(
                person(
                    f"exec{i:05d}@bench.example",
                    f"Executive {i:05d}",
                    departments[code],
                    rng.choice(sites),
                    title="Vice-president",
                    languages=languages,
                    is_executive=True,
                )
            )
        people += executives
        Person.objects.bulk_create(people, batch_size=1000)
        executives = list(Person.objects.filter(is_executive=True).order_by("email"))

        # One regional director per front-line department and region: an executive of that
        # department (any home site), so that some executives manage some agents.
        directors = {}
        for code in FRONT_LINE:
            pool = [x for x in executives if x.department_id == departments[code].pk]
            for region, _zone in REGIONS:
                directors[(code, region)] = pool[len(directors) % len(pool)] if pool else None

        managers, leads, agents = [], [], []
        per_site = max(1, n_agent // len(sites))
        for index, site in enumerate(sites):
            code = FRONT_LINE[index % len(FRONT_LINE)]
            director = directors[(code, site.region)]
            manager = person(
                f"manager{index:03d}@bench.example",
                f"Site manager {index:03d}",
                departments[code],
                site,
                title="Site manager",
                manager=director,
            )
            managers.append(manager)
        Person.objects.bulk_create(managers)
        managers = list(Person.objects.filter(title="Site manager").order_by("email"))
        count = 0
        for index, site in enumerate(sites):
            size = per_site if index < len(sites) - 1 else n_agent - per_site * (len(sites) - 1)
            for team in range((size + 11) // 12):
                leads.append(
                    person(
                        f"lead{index:03d}-{team:02d}@bench.example",
                        f"Team lead {index:03d}-{team:02d}",
                        managers[index].department,
                        site,
                        title="Team lead",
                        manager=managers[index],
                    )
                )
        Person.objects.bulk_create(leads, batch_size=1000)
        leads_by_site: dict[int, list[Person]] = {}
        for lead in Person.objects.filter(title="Team lead").order_by("email"):
            leads_by_site.setdefault(lead.site_id, []).append(lead)
        for index, site in enumerate(sites):
            size = per_site if index < len(sites) - 1 else n_agent - per_site * (len(sites) - 1)
            for k in range(size):
                agents.append(
                    person(
                        f"agent{count:05d}@bench.example",
                        f"Agent {count:05d}",
                        managers[index].department,
                        site,
                        title="Agent",
                        manager=leads_by_site[site.pk][k // 12],
                        languages=_pick_languages(rng),
                        is_agent=True,
                        hosting_opt_out=rng.random() < 0.02,
                    )
                )
                count += 1
        Person.objects.bulk_create(agents, batch_size=1000)
        agents = list(Person.objects.filter(is_agent=True).select_related("site").order_by("email"))

        programme = Programme.objects.create(
            slug="bench",
            name="Benchmark programme",
            start_date=START,
            end_date=START + dt.timedelta(days=n_days - 1),
        )
        dates = programme.dates
        zones = {site.pk: site.zone for site in sites}
        shifts = []
        for agent in agents:
            zone = zones[agent.site_id]
            for day in dates:
                if rng.random() < 0.43:
                    start = dt.time(rng.choice([7, 8, 9, 10]), rng.choice([0, 30]))
                    end = dt.time(start.hour + 8, start.minute)
                    shifts.append(
                        Shift(
                            programme=programme,
                            agent=agent,
                            date=day,
                            start_time=start,
                            end_time=end,
                            starts_at=local_instant(day, start, zone),
                            ends_at=local_instant(day, end, zone),
                        )
                    )
        Shift.objects.bulk_create(shifts, batch_size=2000)
        availability = []
        for executive in executives:
            if rng.random() < 0.5:
                for day in rng.sample(dates, min(len(dates), rng.randint(5, 15))):
                    availability.append(
                        Availability(programme=programme, executive=executive, date=day)
                    )
        Availability.objects.bulk_create(availability, batch_size=2000)

        # An earlier programme: hosting history and past pairs for the cost terms.
        earlier = Programme.objects.create(
            slug="earlier",
            name="Earlier programme",
            start_date=START - dt.timedelta(days=200),
            end_date=START - dt.timedelta(days=181),
            status="closed",
        )
        past = []
        for n, executive in enumerate(rng.sample(executives, min(800, len(executives)))):
            agent = agents[(n * 7) % len(agents)]
            day = earlier.start_date + dt.timedelta(days=n % 20)
            starts_at = local_instant(day, dt.time(9), zones[agent.site_id])
            past.append(
                Pairing(
                    programme=earlier,
                    executive=executive,
                    agent=agent,
                    date=day,
                    site_id=agent.site_id,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=8),
                    status=PairingStatus.PUBLISHED,
                )
            )
        Pairing.objects.bulk_create(past, batch_size=1000)
    return {
        "programme": programme.slug,
        "executives": len(executives),
        "agents": len(agents),
        "people": Person.objects.count(),
        "sites": len(sites),
        "days": n_days,
        "shifts": len(shifts),
        "availability": len(availability),
        "build_s": round(time.perf_counter() - t0, 1),
    }


class Timings:
    """Wraps the steps `pair` runs (the store's load, the engine's solve, the store and the
    run's record) to time each, without changing what runs."""

    def __init__(self) -> None:
        # The names as the run module looks them up when it executes a run.
        from shadowing.programmes.store import runs as store

        self.seconds: dict[str, float] = {}
        self.phases: dict[str, float] = {}
        self.store = store
        store.problem_load = self._timed("load", store.problem_load)
        store.engine.solve = self._timed("solve", store.engine.solve)
        store.plan_store = self._timed("save", store.plan_store)
        store._finish = self._timed("record", store._finish)

    def _timed(self, name, function):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self.seconds[name] = time.perf_counter() - t0
            if name == "solve":
                self.phases = dict(result.stats.phases)
            return result

        return timed

    def run(self, slug: str) -> dict:
        import io

        from django.core.management import call_command

        self.seconds, self.phases = {}, {}
        out = io.StringIO()
        t0 = time.perf_counter()
        call_command("pair", slug, stdout=out)
        total = time.perf_counter() - t0
        row = {name: round(self.seconds.get(name, 0.0), 2) for name in self.steps}
        row["total"] = round(total, 2)
        row["last_line"] = out.getvalue().strip().splitlines()[-1]
        row["phases"] = self.phases
        return row

    steps = ("load", "solve", "save", "record")


def _show(label: str, row: dict) -> None:
    steps = "  ".join(f"{name} {row[name]:5.2f}" for name in Timings.steps)
    print(f"  {label:<40} {steps}  total {row['total']:5.2f} s   {row['last_line']}", flush=True)
    phases = ", ".join(f"{k} {v}" for k, v in row["phases"].items())
    print(f"  {'':<40} engine phases (s): {phases}", flush=True)


def flag_vanished_shifts(slug: str, share: float, seed: int = 2) -> int:
    """What `import_availability` does when shifts vanish: delete them and flag the pairings
    that stood on them (shift_removed). Returns how many pairings were flagged."""
    from django.db import transaction

    from shadowing.programmes.models import Shift
    from shadowing.programmes.pairing_models import Pairing, RepairReason

    rng = random.Random(seed)
    with transaction.atomic():
        ids = list(Shift.objects.filter(programme__slug=slug).values_list("id", flat=True))
        gone = rng.sample(ids, int(len(ids) * share))
        flagged = 0
        for i in range(0, len(gone), 500):
            chunk = gone[i : i + 500]
            flagged += (
                Pairing.objects.active()
                .filter(shift_id__in=chunk)
                .update(needs_repair=True, repair_reason=RepairReason.SHIFT_REMOVED)
            )
            Shift.objects.filter(id__in=chunk).delete()
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="1000x5000x20", help="EXECUTIVESxAGENTSxDAYS")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-subprocess", action="store_true", help="skip `manage.py pair`")
    args = ap.parse_args()
    n_exec, n_agent, n_days = (int(v) for v in args.size.split("x"))

    url = django_setup(os.environ.get("DATABASE_URL"), "pair_end_to_end")
    from django.db import connection

    print(f"database: {connection.vendor} ({url.split('@')[-1]})", flush=True)
    made = build_organisation(n_exec, n_agent, n_days, seed=args.seed)
    print(
        f"built in {made['build_s']} s: {made['executives']:,} executives, "
        f"{made['agents']:,} agents ({made['people']:,} people), {made['sites']} sites, "
        f"{made['days']} days, {made['shifts']:,} shifts, "
        f"{made['availability']:,} availability rows",
        flush=True,
    )
    timings = Timings()
    print("seconds:", flush=True)
    _show("pair (first run)", timings.run(made["programme"]))
    _show("pair again, nothing changed", timings.run(made["programme"]))
    flagged = flag_vanished_shifts(made["programme"], 0.05)
    _show(f"pair after 5% shifts gone ({flagged} flagged)", timings.run(made["programme"]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"  peak RSS of this process: {peak_mb:,} MB", flush=True)
    if not args.no_subprocess:
        env = {**os.environ, "DATABASE_URL": url}
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "pair", made["programme"]],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        print(
            f"  manage.py pair in a fresh process (start-up and imports included): "
            f"{time.perf_counter() - t0:.2f} s   {done.stdout.strip().splitlines()[-1]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
