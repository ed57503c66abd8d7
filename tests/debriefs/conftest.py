"""Debrief fixtures on top of the named cast (tests/conftest.py).

visit     eve (executive) beside adam (agent) at Vancouver, published, yesterday 09:00-17:00:
          started and ended, so eve may file her debrief and adam add his barriers
upcoming  eve beside ada next week: not started
hanks     hank (head and executive) beside ada yesterday: a visit that is not eve's
"""

import datetime as dt

import pytest

from shadowing import clock
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import PairingStatus
from tests.factories import make_pairing, make_shift


@pytest.fixture
def programme(db):
    today = clock.local_today()
    return Programme.objects.create(
        slug="autumn",
        name="Autumn",
        start_date=today - dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=20),
        status="running",
    )


def make_visit(programme, executive, agent, day, status=PairingStatus.PUBLISHED, hours=(9, 17)):
    shift = make_shift(programme, agent, day, f"{hours[0]:02d}:00", f"{hours[1]:02d}:00")
    return make_pairing(programme, executive, agent, day, status=status, shift=shift)


def local_today(site):
    return clock.local_today(site.zone)


@pytest.fixture
def visit(programme, eve, adam):
    return make_visit(programme, eve, adam, local_today(adam.site) - dt.timedelta(days=1))


@pytest.fixture
def upcoming(programme, eve, ada):
    return make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=7))


@pytest.fixture
def hanks(programme, hank, ada):
    return make_visit(programme, hank, ada, local_today(ada.site) - dt.timedelta(days=1))


def barrier(**overrides):
    values = {
        "title": "Two systems for one address change",
        "description": "The agent retypes the address in billing and in the network tool.",
        "category": "technology",
        "department": "CARE",
        "severity": 3,
        "frequency": "daily",
        "suggested_fix": "One address service.",
    }
    return {**values, **overrides}


def full_body(pairing=None, barriers=2, **overrides):
    body = {
        "overall": "Long holds while the agent waited for a supervisor override.",
        "rating": 2,
        "commitment": "Give agents the override for refunds under $50.",
        "barriers": [barrier(title=f"Barrier {n}") for n in range(barriers)],
    }
    if pairing is not None:
        body["pairing"] = pairing.pk
    return {**body, **overrides}
