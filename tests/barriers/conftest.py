"""Backlog fixtures on top of the named cast (tests/conftest.py) and the debriefs' visits.

cora coordinator · hank head of CARE · mo manager (an executive) in CARE under hank
eve executive in FIN · adam agent in CARE under hank
bill head of BILL · bea in BILL · fay head of FIN (eve's department)
visit: eve beside adam yesterday (so eve files through a debrief, adam directly)
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from barriers.models import BacklogItem
from barriers.selectors import vector_index
from barriers.services.filing import backlog_file_reports
from debriefs.models import BarrierReport, Debrief, DebriefStatus, Source
from shadowing import clock
from shadowing.organisation.models import Department
from tests.debriefs.conftest import local_today, make_visit, programme, visit  # noqa: F401
from tests.factories import DepartmentFactory, PersonFactory


@pytest.fixture(autouse=True)
def fresh_vector_index():
    vector_index.clear()
    yield
    vector_index.clear()


@pytest.fixture
def billing(db):
    return DepartmentFactory(code="BILL", name="Billing")


@pytest.fixture
def bill(billing, west_site):
    head = PersonFactory(
        email="bill@example.com",
        full_name="Bill Head",
        department=billing,
        site=west_site,
        is_department_head=True,
    )
    billing.head = head
    billing.save(update_fields=["head"])
    return head


@pytest.fixture
def bea(billing, west_site):
    return PersonFactory(
        email="bea@example.com", full_name="Bea Billing", department=billing, site=west_site
    )


@pytest.fixture
def mo(care, west_site, hank):
    """A manager in CARE (an executive, not its head): someone hank may name as an owner."""
    return PersonFactory(
        email="mo@example.com",
        full_name="Mo Manager",
        department=care,
        site=west_site,
        manager=hank,
        is_executive=True,
    )


@pytest.fixture
def fay(finance, west_site):
    head = PersonFactory(
        email="fay@example.com",
        full_name="Fay Finance",
        department=finance,
        site=west_site,
        is_department_head=True,
    )
    finance.head = head
    finance.save(update_fields=["head"])
    return head


def file_report(
    pairing,
    *,
    by=None,
    title="The refund form asks for the same details twice",
    description="Name, address and account number on page one and again on page two.",
    department="CARE",
    severity=3,
    frequency="daily",
    category="process",
    anonymous=False,
    withheld_from=(),
):
    """A barrier report as debriefs files it (the executive's through a submitted debrief, the
    agent's directly), then filed into the backlog. Returns the report."""
    by = by or pairing.executive
    source = Source.EXECUTIVE if by.pk == pairing.executive_id else Source.AGENT
    debrief = None
    if source == Source.EXECUTIVE:
        debrief, _ = Debrief.objects.get_or_create(
            pairing=pairing,
            defaults={
                "status": DebriefStatus.SUBMITTED,
                "rating": 3,
                "overall": "Seen.",
                "submitted_at": timezone.now(),
            },
        )
    report = BarrierReport.objects.create(
        debrief=debrief,
        pairing=pairing,
        reporter=by,
        source=source,
        key=uuid.uuid4(),
        title=title,
        description=description,
        category=category,
        department=Department.objects.get(code=department),
        severity=severity,
        frequency=frequency,
        anonymous_to_management=anonymous,
        withheld_from=list(withheld_from),
    )
    backlog_file_reports(report_ids=[report.pk])
    return report


def item_of(report) -> BacklogItem:
    return BacklogItem.objects.get(links__report=report)


@pytest.fixture
def item(visit, hank):  # noqa: F811  (the debriefs fixture, imported above)
    """A new CARE item from eve's report, owned by hank."""
    return item_of(file_report(visit))


@pytest.fixture
def tomorrow():
    return clock.local_today() + dt.timedelta(days=1)


__all__ = ["file_report", "item_of", "local_today", "make_visit"]
