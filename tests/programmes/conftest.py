"""Programme fixtures on top of the named cast (tests/conftest.py).

spring   a draft programme, Monday 2027-03-08 to Friday 2027-03-19 (Vancouver's clocks go
         forward on Sunday 2027-03-14, so the window spans a DST change)
ada      a second agent at Vancouver          ed    a second executive
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from shadowing.models import Pairing, PairingStatus, Programme, Shift, local_instant
from tests.factories import PersonFactory

MON = dt.date(2027, 3, 8)
TUE = dt.date(2027, 3, 9)
WED = dt.date(2027, 3, 10)
AFTER_DST = dt.date(2027, 3, 15)


@pytest.fixture
def spring(db):
    return Programme.objects.create(
        slug="spring-2027",
        name="Spring 2027",
        start_date=MON,
        end_date=dt.date(2027, 3, 19),
    )


@pytest.fixture
def ada(care, west_site, hank):
    return PersonFactory(
        email="ada@example.com",
        full_name="Ada Agent",
        department=care,
        site=west_site,
        manager=hank,
        is_agent=True,
    )


@pytest.fixture
def ed(finance, west_site):
    return PersonFactory(
        email="ed@example.com",
        full_name="Ed Executive",
        department=finance,
        site=west_site,
        is_executive=True,
    )


def make_shift(programme, agent, day, start="09:00", end="17:00") -> Shift:
    start_time, end_time = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    zone = agent.site.zone
    return Shift.objects.create(
        programme=programme,
        agent=agent,
        date=day,
        start_time=start_time,
        end_time=end_time,
        starts_at=local_instant(day, start_time, zone),
        ends_at=local_instant(day, end_time, zone),
    )


def make_pairing(programme, executive, agent, day, status=PairingStatus.PROPOSED, shift=None):
    shift = shift or Shift.objects.filter(programme=programme, agent=agent, date=day).first()
    shift = shift or make_shift(programme, agent, day)
    return Pairing.objects.create(
        programme=programme,
        executive=executive,
        agent=agent,
        date=day,
        shift=shift,
        site=agent.site,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        status=status,
    )


@pytest.fixture
def write_files(tmp_path):
    """`write_files(shifts=..., availability=...)`: a folder holding those CSV files (text or
    bytes); a file given as None is left out."""

    def write(**files) -> Path:
        for kind, content in files.items():
            if content is None:
                continue
            path = tmp_path / f"{kind}.csv"
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return tmp_path

    return write


def run(*args) -> tuple[str, str]:
    """Run a management command in-process; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
