"""The demo organisation: the files' shape (no database), then a full `manage.py demo`."""

import csv
import re
import zoneinfo
from collections import Counter, defaultdict
from datetime import date, time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shadowing.demo import generate
from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme

ROLES = {
    "executive",
    "agent",
    "department_head",
    "coordinator",
    "cx_ambassador",
    "finance_reviewer",
}
CHANNELS = {"call_centre", "retail", "field", "digital"}
TODAY = date(2026, 11, 25)  # a Wednesday


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    roster = generate.generate_roster()
    generate.write_roster(roster, folder)
    generate.write_programme(
        generate.generate_programme(roster, start=generate.programme_start(TODAY)), folder
    )
    return folder


@pytest.fixture(scope="module")
def people(files) -> dict[str, dict]:
    return {row["email"]: row for row in read(files / "people.csv")}


@pytest.fixture(scope="module")
def sites(files) -> dict[str, dict]:
    return {row["code"]: row for row in read(files / "sites.csv")}


def roles(person: dict) -> set[str]:
    return set(filter(None, person["roles"].split(";")))


def languages(person: dict) -> list[str]:
    return person["languages"].split(";")


def test_files_have_the_contract_columns(files):
    headers = {
        "departments.csv": ["code", "name", "name_fr", "head_email"],
        "sites.csv": [
            "code", "name", "region", "timezone", "channel", "address", "daily_visitor_limit",
            "country", "subdivision",
        ],
        "people.csv": [
            "email", "full_name", "title", "department_code", "manager_email", "site_code",
            "languages", "roles",
        ],
        "shifts.csv": ["agent_email", "date", "start", "end"],
        "availability.csv": ["executive_email", "date"],
    }  # fmt: skip
    for name, header in headers.items():
        with (files / name).open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == header, name


def test_generation_is_deterministic(files, tmp_path):
    roster = generate.generate_roster()
    generate.write_roster(roster, tmp_path)
    generate.write_programme(
        generate.generate_programme(roster, start=generate.programme_start(TODAY)), tmp_path
    )
    for path in files.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_sites_in_four_regions_with_real_time_zones(sites):
    assert len(sites) == 30
    assert Counter(s["region"] for s in sites.values()).keys() == {
        "West", "Prairies", "Central", "East",
    }  # fmt: skip
    zones = {s["timezone"] for s in sites.values()}
    assert zones <= zoneinfo.available_timezones()
    assert {"America/Vancouver", "America/Toronto", "America/Halifax", "America/St_Johns"} <= zones
    assert {s["channel"] for s in sites.values()} == CHANNELS
    limits = [s["daily_visitor_limit"] for s in sites.values()]
    assert "" in limits
    assert all(int(limit) >= 1 for limit in limits if limit)
    assert all(s["address"] for s in sites.values())


def test_each_site_has_its_country_and_province(sites):
    """Where its public holidays come from: the province is the one in its address."""
    for site in sites.values():
        assert site["country"] == "CA"
        assert f", {site['subdivision']} " in site["address"], site["code"]
    provinces = {s["subdivision"] for s in sites.values()}
    assert {"BC", "AB", "SK", "MB", "ON", "QC", "NS", "NB", "NL"} == provinces


def test_no_shift_or_availability_on_a_public_holiday_of_the_site():
    """Over Christmas and New Year's Day: agents do not work their site's public holidays, and
    executives do not offer their home site's; other days are worked as usual."""
    from shadowing.programmes.calendar import site_holidays

    roster = generate.generate_roster()
    start = generate.programme_start(date(2026, 12, 20))
    programme = generate.generate_programme(roster, start=start, holidays_of=site_holidays)
    site_of = {
        p.email: next(s for s in roster.sites if s.code == p.site_code) for p in roster.people
    }

    def holiday(email, day):
        site = site_of[email]
        return day in site_holidays(site.country, site.subdivision, day.year)

    shift_days = Counter(d for _e, d, _s, _t in programme.shifts)
    assert shift_days[date(2026, 12, 25)] == shift_days[date(2027, 1, 1)] == 0
    assert shift_days[date(2026, 12, 24)] > 1000
    assert not [s for s in programme.shifts if holiday(s[0], s[1])]
    assert not [a for a in programme.availability if holiday(*a)]
    assert {d for _e, d in programme.availability} >= {date(2026, 12, 24), date(2026, 12, 31)}


def test_departments_each_have_a_head_who_is_an_executive_of_it(files, people):
    departments = read(files / "departments.csv")
    assert len(departments) == 12
    for department in departments:
        head = people[department["head_email"]]
        assert {"department_head", "executive"} <= roles(head)
        assert head["department_code"] == department["code"]
    assert sum("department_head" in roles(p) for p in people.values()) == 12


def test_people_counts_and_references(files, people, sites):
    count = Counter(role for p in people.values() for role in roles(p))
    assert count["agent"] == 2000
    assert count["executive"] == 350
    assert 2 <= count["coordinator"] <= 3
    assert count["cx_ambassador"] == 11  # every department but Legal
    assert count["finance_reviewer"] == 1
    assert len({e.lower() for e in people}) == len(people)
    codes = {d["code"] for d in read(files / "departments.csv")}
    executives_by_department = Counter(
        p["department_code"] for p in people.values() if "executive" in roles(p)
    )
    assert executives_by_department.keys() == codes
    for person in people.values():
        assert roles(person) <= ROLES
        assert person["department_code"] in codes
        assert person["site_code"] in sites
        assert not person["manager_email"] or person["manager_email"] in people
        assert all(re.fullmatch(r"[a-z]{2}", lang) for lang in languages(person)), person
        assert person["email"].isascii()


def test_names_are_multicultural_with_accents(people):
    names = [p["full_name"] for p in people.values()]
    assert sum(not n.isascii() for n in names) > 100
    assert "Hélène Côté" in names
    assert "François Lévesque" in names


def test_managers_come_first_and_the_tree_has_no_cycle(files, people):
    seen = set()
    for row in read(files / "people.csv"):
        assert not row["manager_email"] or row["manager_email"] in seen, row["email"]
        seen.add(row["email"])
    for email in people:
        chain = []
        while email:
            assert email not in chain, f"cycle through {email}"
            chain.append(email)
            email = people[email]["manager_email"]


def test_agents_report_through_leads_and_managers_to_executives(people):
    """agent -> team lead -> site manager -> regional director -> VP operations -> head."""
    for agent in (p for p in people.values() if "agent" in roles(p)):
        chain = []
        manager = agent["manager_email"]
        while manager:
            chain.append(people[manager])
            manager = people[manager]["manager_email"]
        assert len(chain) == 5, agent["email"]
        lead, site_manager, director, vice_president, head = chain
        assert not roles(lead)
        assert not roles(site_manager)
        assert lead["site_code"] == site_manager["site_code"] == agent["site_code"]
        assert "executive" in roles(director)
        assert "executive" in roles(vice_president)
        assert "department_head" in roles(head)
        assert len({p["department_code"] for p in [agent, *chain]}) == 1


def test_every_executive_shares_a_language_with_agents_of_their_region(people, sites):
    region_languages = defaultdict(Counter)
    for agent in (p for p in people.values() if "agent" in roles(p)):
        region_languages[sites[agent["site_code"]]["region"]].update(languages(agent))
    for executive in (p for p in people.values() if "executive" in roles(p)):
        spoken = region_languages[sites[executive["site_code"]]["region"]]
        assert any(spoken[lang] >= 20 for lang in languages(executive)), executive["email"]


def test_quebec_agents_speak_french_mostly_first(people, sites):
    quebec = [
        p
        for p in people.values()
        if "agent" in roles(p) and ", QC " in sites[p["site_code"]]["address"]
    ]
    assert len(quebec) > 200
    assert all("fr" in languages(p) for p in quebec)
    assert sum(languages(p)[0] == "fr" for p in quebec) > 0.7 * len(quebec)
    bilingual = [p for p in people.values() if {"en", "fr"} <= set(languages(p))]
    assert len(bilingual) > 300


def test_the_cast_has_its_roles(people):
    cast = generate.CAST
    assert "coordinator" in roles(people[cast.coordinator])
    assert "department_head" in roles(people[cast.department_head])
    assert "executive" in roles(people[cast.executive])
    assert roles(people[cast.executive]) == {"executive"}
    assert "agent" in roles(people[cast.agent])


def test_makefile_signs_in_the_demo_coordinator():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert f"DEMO_COORDINATOR := {generate.CAST.coordinator}\n" in makefile


def test_waves_are_placed_around_today():
    from shadowing.demo import timeline

    starts = timeline.wave_starts(TODAY)
    assert starts["first"] == date(2026, 6, 8)  # a whole wave before the past one
    assert starts["past"] == date(2026, 8, 31)  # over by the end of September
    assert starts["current"] == date(2026, 11, 16)  # yesterday and next week fall inside
    assert starts["next"] == date(2026, 12, 14)


def test_programme_starts_on_the_monday_after_today():
    assert generate.programme_start(date(2026, 11, 25)) == date(2026, 11, 30)
    assert generate.programme_start(date(2026, 11, 29)) == date(2026, 11, 30)
    assert generate.programme_start(date(2026, 11, 30)) == date(2026, 12, 7)


def test_shifts_are_weekdays_of_four_weeks_one_a_day(files, people):
    start = generate.programme_start(TODAY)
    shifts = read(files / "shifts.csv")
    dates = {date.fromisoformat(s["date"]) for s in shifts}
    assert len(dates) == 20
    assert min(dates) == start
    assert all(d.weekday() < 5 and (d - start).days < 28 for d in dates)
    assert len({(s["agent_email"], s["date"]) for s in shifts}) == len(shifts)
    for shift in shifts:
        assert "agent" in roles(people[shift["agent_email"]])
        assert time.fromisoformat(shift["start"]) < time.fromisoformat(shift["end"])
        assert re.fullmatch(r"\d\d:\d\d", shift["start"])
    per_agent = Counter(s["agent_email"] for s in shifts)
    assert len(per_agent) > 1800
    assert set(per_agent.values()) <= set(range(1, 17))


def test_executives_give_three_to_eight_dates_or_none(files, people):
    available = defaultdict(set)
    for row in read(files / "availability.csv"):
        assert "executive" in roles(people[row["executive_email"]])
        available[row["executive_email"]].add(date.fromisoformat(row["date"]))
    assert all(3 <= len(dates) <= 8 for dates in available.values())
    assert all(d.weekday() < 5 for dates in available.values() for d in dates)
    assert 200 < len(available) < 300  # the others can come any day


# The command ---------------------------------------------------------------------------------


def test_demo_refuses_a_database_with_people(cora):
    with pytest.raises(CommandError, match="already has 1 people"):
        call_command("demo", stdout=StringIO())


def test_demo_if_empty_leaves_a_database_with_people_alone(cora, tmp_path):
    out = StringIO()
    call_command("demo", "--if-empty", "--folder", str(tmp_path), stdout=out)
    assert "not loaded" in out.getvalue()
    assert not list(tmp_path.iterdir())
    assert Person.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_lives_a_whole_wave(tmp_path):
    """The whole demo through the product's commands and services (slow: the three waves are
    played event by event); on any date, since the waves are placed around today."""
    assert_demo_lived(tmp_path)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_built_before_christmas_has_no_visit_on_a_holiday(tmp_path):
    """Built on 2026-12-20, the current wave spans Christmas and New Year's Day: no visit then."""
    import datetime as dt

    import time_machine

    from shadowing.programmes.pairing_models import Pairing

    with time_machine.travel(dt.datetime(2026, 12, 20, 15, tzinfo=dt.UTC), tick=True):
        assert_demo_lived(tmp_path)
        days = set(Pairing.objects.active().values_list("date", flat=True))
    assert date(2026, 12, 24) in days
    assert not days & {date(2026, 12, 25), date(2027, 1, 1)}


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_force_rebuilds_the_same(tmp_path):
    """Loaded twice (--force the second time): the same sizes. The placement around today is
    proved above on every moved clock; `.ci/run` runs this one on the real date only."""
    from shadowing.demo import lived

    assert_demo_lived(tmp_path)
    first = lived.sizes()
    call_command("demo", "--force", "--folder", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert lived.sizes() == first


def assert_demo_lived(tmp_path):
    import datetime as dt

    from barriers.kinds import EventKind
    from barriers.models import BacklogItem, ItemEvent, Notice, Status
    from debriefs.models import BarrierReport, Debrief, DebriefStatus
    from shadowing.demo import lived, timeline
    from shadowing.programmes.calendar import site_holidays
    from shadowing.programmes.pairing_models import Pairing, PairingStatus

    out = StringIO()
    call_command("demo", "--folder", str(tmp_path), stdout=out, stderr=StringIO())
    assert Person.objects.filter(is_agent=True).count() == 2000
    assert Person.objects.filter(is_executive=True).count() == 350
    assert generate.CAST.coordinator in out.getvalue()
    today = timeline.demo_today()
    starts = timeline.wave_starts(today)
    past, current, upcoming = (
        Programme.objects.get(start_date=starts[k]) for k in ("past", "current", "next")
    )
    visits = Pairing.objects.filter(programme=past, status=PairingStatus.PUBLISHED)
    submitted = Debrief.objects.filter(pairing__in=visits, status=DebriefStatus.SUBMITTED)
    assert 0.85 <= submitted.count() / visits.count() <= 0.95
    # Agents said who came: most did, a few did not (and owe no debrief), some forgot.
    recorded = visits.exclude(attendance="")
    assert 0.85 <= recorded.count() / visits.count() <= 0.97
    no_shows = visits.filter(attendance="no_show")
    assert no_shows.exists()
    assert not submitted.filter(pairing__in=no_shows).exists()
    past_reports = BarrierReport.objects.filter(pairing__programme=past)
    assert 800 <= past_reports.count() <= 1000
    items = BacklogItem.objects.exclude(status=Status.MERGED)
    assert 200 <= items.filter(links__report__in=past_reports).distinct().count() <= 300
    statuses = set(BacklogItem.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert BacklogItem.objects.filter(needs_arbitration=True).exists()
    assert ItemEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    assert ItemEvent.objects.filter(kind=EventKind.UNMERGED).exists()
    assert ItemEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert BarrierReport.objects.filter(anonymous_to_management=True).exists()
    priya = Pairing.objects.get(
        programme=current, executive__email=generate.CAST.executive, status=PairingStatus.PUBLISHED
    )
    assert priya.date == lived.cast_visit_day(generate.generate_roster(), today)
    assert today - dt.timedelta(days=4) <= priya.date < today
    on_holidays = [
        (p.pk, p.date, p.site.code)
        for p in Pairing.objects.active().select_related("site")
        if p.date in site_holidays(p.site.country, p.site.subdivision, p.date.year)
    ]
    assert on_holidays == []
    assert priya.agent.email == generate.CAST.agent
    assert priya.attendance == ""  # for the demo agent to record
    assert not Debrief.objects.filter(pairing=priya, status=DebriefStatus.SUBMITTED).exists()
    assert Pairing.objects.filter(programme=current, status=PairingStatus.CANCELLED).exists()
    assert not Pairing.objects.filter(programme=upcoming).exists()
    assert upcoming.availability.exists()
    assert_one_series_without_repeats(starts)


def assert_one_series_without_repeats(starts):
    """The demo's waves are one series: at least three with visits, debriefs and backlog
    items; no executive shadows the same agent twice in it (checked over the rows); exactly
    one department owns items and never claims any."""
    from collections import Counter

    from barriers.models import BacklogItem
    from debriefs.models import Debrief, DebriefStatus
    from shadowing.demo import backlog, lived
    from shadowing.programmes.models import Series
    from shadowing.programmes.pairing_models import Pairing
    from shadowing.programmes.series import series_waves

    series = Series.objects.get(slug=lived.SERIES_SLUG)
    waves = list(series_waves(series))
    assert [w.start_date for w in waves] == [
        starts[k] for k in ("first", "past", "current", "next")
    ]
    lived_waves = [
        w
        for w in waves
        if Pairing.objects.filter(programme=w).active().exists()
        and Debrief.objects.filter(pairing__programme=w, status=DebriefStatus.SUBMITTED).exists()
        and BacklogItem.objects.filter(links__report__pairing__programme=w).exists()
    ]
    assert len(lived_waves) >= 3
    pairs = Counter(
        Pairing.objects.active()
        .filter(programme__series=series)
        .values_list("executive_id", "agent_id")
    )
    assert [pair for pair, n in pairs.items() if n > 1] == []

    owners = set(BacklogItem.objects.values_list("department__code", flat=True))
    claimers = set(
        BacklogItem.objects.exclude(first_claimed_at=None).values_list(
            "department__code", flat=True
        )
    )
    assert owners - claimers == {backlog.NEVER_CLAIMS}
