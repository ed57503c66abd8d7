"""The demo organisation and programme as roster files in the CONTRACT.md format: the
organisation is built by `shadowing.demo.roster`; the programme (shifts and availability),
the cast to sign in as and the files are made here.

Deterministic: the same seed gives the same files, byte for byte (the programme's dates follow
the start date it is given). Plain Python, no Django: `manage.py demo` imports the files through
the same commands a coordinator uses.
"""

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from shadowing.demo.data import DOMAIN, NAMES_FR, SHIFT_PATTERNS
from shadowing.demo.roster import Roster, RosterBuilder

SEED = 350


@dataclass(frozen=True)
class Cast:
    """People to sign in as, one per role: stable across versions of the generator."""

    coordinator: str
    department_head: str
    executive: str
    agent: str


CAST = Cast(
    coordinator=f"camille.roy@{DOMAIN}",
    department_head=f"daniel.okafor@{DOMAIN}",
    executive=f"priya.raman@{DOMAIN}",
    agent=f"helene.cote@{DOMAIN}",
)


@dataclass(frozen=True)
class Programme:
    slug: str
    name: str
    start: date
    end: date
    shifts: tuple[tuple[str, date, str, str], ...]  # agent_email, date, start, end
    availability: tuple[tuple[str, date], ...]  # executive_email, date


def generate_roster(seed: int = SEED) -> Roster:
    """The demo organisation: 12 departments, 30 sites in 4 regions, 350 executives (one head
    per department among them), 2,000 agents in a management tree, and 3 coordinators."""
    return RosterBuilder(seed).build()


def programme_start(today: date) -> date:
    """The Monday after `today` (a week later when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def generate_programme(
    roster: Roster,
    *,
    start: date,
    weeks: int = 4,
    seed: int = SEED,
    name: str = "",
    extra_shifts: tuple[tuple[str, date, str, str], ...] = (),
    fixed_availability: dict[str, tuple[date, ...]] | None = None,
    holidays_of: Callable[[str, str, int], dict[date, str]] | None = None,
) -> Programme:
    """Weekday shifts for agents (4 days a week, a steady pattern, a few on leave) and
    3 to 8 available dates for most executives; the rest give none (any date suits them).

    `extra_shifts` adds (or replaces, for the same agent and date) shifts, e.g. a weekend one;
    `fixed_availability` gives some executives exactly these dates. `holidays_of(country,
    subdivision, year) -> {date: name}` (`shadowing.programmes.calendar.site_holidays`) closes
    each site's public holidays: no agent works on one, no executive offers their home site's.
    """
    rng = random.Random(seed)
    fixed_availability = fixed_availability or {}
    dates = [
        start + timedelta(days=d)
        for d in range(weeks * 7)
        if (start + timedelta(days=d)).weekday() < 5
    ]
    sites = {s.code: s for s in roster.sites}
    closed = site_closed_days(roster, dates, holidays_of) if holidays_of else {}
    shifts = []
    for person in roster.people:
        if "agent" not in person.roles or rng.random() < 0.04:  # on leave
            continue
        patterns = SHIFT_PATTERNS[sites[person.site_code].channel]
        usual = rng.choice(patterns)
        for week in range(weeks):
            week_dates = dates[week * 5 : week * 5 + 5]
            day_off = rng.choice(week_dates)
            pattern = rng.choice(patterns) if rng.random() < 0.2 else usual
            shut = closed.get(person.site_code, frozenset())
            shifts.extend(
                (person.email, d, *pattern) for d in week_dates if d != day_off and d not in shut
            )
    if extra_shifts:
        replaced = {(e, d) for e, d, _s, _t in extra_shifts}
        shifts = [s for s in shifts if (s[0], s[1]) not in replaced]
        shifts.extend(extra_shifts)
        shifts.sort(key=lambda s: (s[1], s[0]))
    availability = []
    for person in roster.people:
        if "executive" not in person.roles or rng.random() < 0.3:
            continue
        shut = closed.get(person.site_code, frozenset())
        offered = [d for d in dates if d not in shut]
        chosen = sorted(rng.sample(offered, min(rng.randint(3, 8), len(offered))))
        if person.email in fixed_availability:
            chosen = sorted(fixed_availability[person.email])
        availability.extend((person.email, d) for d in chosen)
    for email, chosen in fixed_availability.items():
        if not any(e == email for e, _d in availability):
            availability.extend((email, d) for d in sorted(chosen))
    return Programme(
        slug=f"frontline-{start:%Y-%m-%d}",
        name=name or f"Front-line shadowing, {start:%B %Y}",
        start=dates[0],
        end=dates[-1],
        shifts=tuple(shifts),
        availability=tuple(availability),
    )


def site_closed_days(
    roster: Roster, dates: list[date], holidays_of: Callable[[str, str, int], dict[date, str]]
) -> dict[str, frozenset[date]]:
    """Each site's public holidays among `dates`, by its country and province."""
    years = sorted({d.year for d in dates})
    closed = {}
    for site in roster.sites:
        holidays = {}
        for year in years:
            holidays |= holidays_of(site.country, site.subdivision, year)
        closed[site.code] = frozenset(d for d in dates if d in holidays)
    return closed


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_roster(roster: Roster, folder: Path) -> None:
    """departments.csv, sites.csv and people.csv, in the CONTRACT.md format."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "departments.csv",
        ["code", "name", "name_fr", "head_email"],
        (
            (d.code, d.name, NAMES_FR.get(d.code, ""), roster.head_of(d.code))
            for d in roster.departments
        ),
    )
    _write(
        folder / "sites.csv",
        [
            "code",
            "name",
            "region",
            "timezone",
            "channel",
            "address",
            "daily_visitor_limit",
            "country",
            "subdivision",
        ],
        (
            (
                s.code,
                s.name,
                s.region,
                s.timezone,
                s.channel,
                s.address,
                "" if s.daily_visitor_limit is None else s.daily_visitor_limit,
                s.country,
                s.subdivision,
            )
            for s in roster.sites
        ),
    )
    _write(
        folder / "people.csv",
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
        (
            (
                p.email,
                p.full_name,
                p.title,
                p.department_code,
                p.manager_email,
                p.site_code,
                ";".join(p.languages),
                ";".join(p.roles),
            )
            for p in roster.people
        ),
    )


def write_programme(programme: Programme, folder: Path) -> None:
    """shifts.csv and availability.csv, in the CONTRACT.md format."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "shifts.csv",
        ["agent_email", "date", "start", "end"],
        ((e, d.isoformat(), s, t) for e, d, s, t in programme.shifts),
    )
    _write(
        folder / "availability.csv",
        ["executive_email", "date"],
        ((e, d.isoformat()) for e, d in programme.availability),
    )
