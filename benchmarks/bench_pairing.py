"""Benchmark of the pairing engine alone (no Django): ``python benchmarks/bench_pairing.py``.

Prints, for each size: executives x agents x days, feasible triples, time, peak RSS, visits,
cost, method and pricing rounds. Each size runs in a fresh subprocess so peak RSS is its own.

    python benchmarks/bench_pairing.py                      # 1,000 x 5,000 x 20, four variants
    python benchmarks/bench_pairing.py --size 5000x20000x30 --size 2000x10000x20
    python benchmarks/bench_pairing.py --sweep              # grow until a run passes 60 s
    python benchmarks/bench_pairing.py --variant tight      # few shifts, floor limits, 2 days
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shadowing.pairing import Agent, Executive, Problem, Shift, Site, solve


def make_problem(n_exec: int, n_agent: int, n_days: int, seed: int = 1, variant: str = "default"):
    """A realistic organisation: regions of sites, mostly English with French and Spanish
    minorities, executives who are directors of some agents, partial availability, shifts on
    about half the days, some sites with a floor limit, hosting history and past pairs.

    ``variant``: ``default`` (1 day each, 2 days per agent), ``tight`` (few shifts, narrow
    availability, floor limits, 2 days per executive), ``limits`` (default with binding floor
    limits), ``two_day`` (default with 2 days per executive), ``series`` (default as a later
    wave of a series: sites have channels, executives have seen some, and each executive has
    two agents of earlier waves they may not shadow again).
    """
    rng = np.random.default_rng(seed)
    tight = variant == "tight"
    start = date(2027, 3, 1)
    dates = tuple(start + timedelta(days=i) for i in range(n_days))
    n_regions = max(2, min(12, n_agent // 1250))
    n_sites = max(n_regions, n_agent // 125)
    regions = [f"R{i}" for i in range(n_regions)]
    site_limit_share = 0.9 if variant in ("tight", "limits") else 0.3
    sites = tuple(
        Site(
            id=i + 1,
            region=regions[i % n_regions],
            daily_visitor_limit=(
                int(rng.integers(1, 3) if variant in ("tight", "limits") else rng.integers(2, 6))
                if rng.random() < site_limit_share
                else None
            ),
        )
        for i in range(n_sites)
    )
    langs_agent = [
        (0.60, frozenset({"en"})),
        (0.15, frozenset({"en", "fr"})),
        (0.10, frozenset({"fr"})),
        (0.10, frozenset({"es"})),
        (0.05, frozenset({"en", "es"})),
    ]
    probs = np.array([p for p, _ in langs_agent])
    execs = []
    for i in range(n_exec):
        langs = {"en"}
        if rng.random() < 0.2:
            langs.add("fr")
        if rng.random() < 0.1:
            langs.add("es")
        if rng.random() < 0.05:
            langs = {"fr"}
        if rng.random() < (0.8 if tight else 0.5):
            k = int(rng.integers(1, 4) if tight else rng.integers(5, 16))
            avail = frozenset(
                dates[j] for j in rng.choice(n_days, size=min(k, n_days), replace=False)
            )
        else:
            avail = None
        execs.append(
            Executive(
                id=i + 1,
                department=int(rng.integers(0, 12)),
                home_site=int(rng.integers(0, n_sites)) + 1,
                languages=frozenset(langs),
                available=avail,
            )
        )
    agents, shifts = [], []
    p_shift = 0.08 if tight else 0.43
    for j in range(n_agent):
        aid = 100_000 + j
        site = int(rng.integers(0, n_sites)) + 1
        director = int(rng.integers(0, n_exec)) + 1 if n_exec and rng.random() < 0.3 else 0
        lead = 300_000 + j // 12
        manager = 400_000 + j // 60
        agents.append(
            Agent(
                id=aid,
                site=site,
                languages=langs_agent[int(rng.choice(len(probs), p=probs))][1],
                managers=(lead, manager, director) if director else (lead, manager),
                hosted_before=int(rng.integers(0, 4)) if rng.random() < 0.3 else 0,
            )
        )
        worked = np.flatnonzero(rng.random(n_days) < p_shift)
        shifts.extend(Shift(agent=aid, date=dates[k]) for k in worked)
    past = (
        frozenset(
            (int(rng.integers(0, n_exec)) + 1, 100_000 + int(rng.integers(0, n_agent)))
            for _ in range(n_exec // 2)
        )
        if n_exec and n_agent
        else frozenset()
    )
    series = frozenset()
    if variant == "series" and n_exec and n_agent:
        channels = ("call_centre", "retail", "field", "digital")
        sites = tuple(
            Site(s.id, s.region, s.daily_visitor_limit, channel=channels[s.id % 4]) for s in sites
        )
        execs = [
            Executive(
                x.id,
                x.department,
                x.home_site,
                x.languages,
                x.available,
                seen_channels=frozenset(rng.choice(channels, size=int(rng.integers(0, 3)))),
            )
            for x in execs
        ]
        series = frozenset(
            (x.id, 100_000 + int(rng.integers(0, n_agent))) for x in execs for _ in range(2)
        )
    return Problem(
        series_pairs=series,
        executives=tuple(execs),
        agents=tuple(agents),
        sites=sites,
        shifts=tuple(shifts),
        dates=dates,
        days_per_executive=2 if variant in ("tight", "two_day") else 1,
        max_days_per_agent=1 if tight else 2,
        past_pairs=past,
    )


def run_one(n_exec: int, n_agent: int, n_days: int, variant: str, seed: int) -> dict:
    # The engine runs in a long-lived worker: imports and the solvers' first-call set-up
    # (about 0.5 s here) are paid once per process, so a tiny solve warms them before timing.
    solve(make_problem(30, 120, 5, seed=seed, variant="limits"))
    solve(make_problem(30, 120, 5, seed=seed, variant="tight"))
    t0 = time.perf_counter()
    problem = make_problem(n_exec, n_agent, n_days, seed=seed, variant=variant)
    t_build = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    plan = solve(problem)
    t_solve, c_solve = time.perf_counter() - t0, time.process_time() - c0
    st = plan.stats
    return {
        "size": f"{n_exec}x{n_agent}x{n_days}",
        "variant": variant,
        "triples": st.candidates,
        "solve_s": round(t_solve, 2),
        "cpu_s": round(c_solve, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_solve_mb": round(rss_before),
        "input_build_s": round(t_build, 2),
        "visits": st.visits,
        "requested": st.requested_visits,
        "cost": st.cost,
        "method": st.method,
        "rounds": st.rounds,
        "columns": st.columns,
        "unpaired": len(plan.unpaired),
        "phases": dict(st.phases),
    }


def run_isolated(size: str, variant: str, seed: int, timeout: float | None = None) -> dict | None:
    cmd = [sys.executable, __file__, "--child", size, "--variant", variant, "--seed", str(seed)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    print(
        f"{r['size']:>18} {r['variant']:>8}  triples {r['triples']:>11,}  "
        f"solve {r['solve_s']:6.2f} s (cpu {r['cpu_s']:6.2f} s)  "
        f"peak RSS {r['peak_rss_mb']:>6,} MB  "
        f"visits {r['visits']:>6,}/{r['requested']:<6,} cost {r['cost']:>7,}  "
        f"{r['method']} rounds {r['rounds']} columns {r['columns']:,}",
        flush=True,
    )
    print("    phases (s): " + ", ".join(f"{k} {v}" for k, v in r["phases"].items()), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", action="append", help="EXECxAGENTSxDAYS, repeatable")
    ap.add_argument(
        "--variant", default="default", choices=["default", "tight", "limits", "two_day", "series"]
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sweep", action="store_true", help="grow the size until a run takes > 60 s")
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        e, a, d = (int(v) for v in args.child.split("x"))
        print(json.dumps(run_one(e, a, d, args.variant, args.seed)))
        return
    if args.sweep:
        best = None
        for e, a, d in [
            (1000, 5000, 20),
            (2000, 10000, 20),
            (5000, 20000, 30),
            (7000, 35000, 30),
            (10000, 50000, 30),
            (15000, 75000, 30),
            (20000, 100000, 30),
        ]:
            r = run_isolated(f"{e}x{a}x{d}", args.variant, args.seed, timeout=args.budget * 3)
            if r is None:
                print(f"{e}x{a}x{d}: over {args.budget * 3:.0f} s, stopped")
                break
            show(r)
            if r["solve_s"] > args.budget:
                break
            best = r
        if best:
            print(f"largest within {args.budget:.0f} s: {best['size']} ({best['solve_s']} s)")
        return
    if args.size:
        for size in args.size:
            show(run_isolated(size, args.variant, args.seed))
        return
    # make bench: the instance, then the same size where the flow structure breaks
    for variant in ("default", "limits", "two_day", "tight"):
        show(run_isolated("1000x5000x20", variant, args.seed))


if __name__ == "__main__":
    main()
