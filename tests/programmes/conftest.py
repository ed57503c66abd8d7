"""Programme fixtures on top of the named cast (tests/conftest.py).

spring   a draft programme, Monday 2027-03-08 to Friday 2027-03-19 (Vancouver's clocks go
         forward on Sunday 2027-03-14, so the window spans a DST change)
east     a Toronto site, in region East
monday   shifts on Monday for Adam, Ada, Olga (Toronto) and Sol (Spanish only): (olga, sol)
(ada and ed, a second agent and a second executive, are in the shared cast)
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from shadowing.programmes.models import Programme
from tests.factories import (  # noqa: F401  (make_pairing, make_shift: imported by the tests)
    PersonFactory,
    SiteFactory,
    make_pairing,
    make_shift,
)

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


@pytest.fixture
def east(db):
    return SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")


@pytest.fixture
def monday(spring, adam, ada, east, care):
    """Monday's agents: Adam and Ada at Vancouver (managed by Hank), Olga in Toronto (another
    region) and Sol in Vancouver, who speaks only Spanish."""
    olga = PersonFactory(
        email="olga@example.com", full_name="Olga Agent", is_agent=True, site=east, department=care
    )
    sol = PersonFactory(
        email="sol@example.com",
        full_name="Sol Agent",
        is_agent=True,
        site=adam.site,
        languages=["es"],
        department=care,
    )
    for agent in (adam, ada, olga, sol):
        make_shift(spring, agent, MON)
    return olga, sol
