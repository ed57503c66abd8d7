"""Stories fixtures on top of the named cast (tests/conftest.py) and the debriefs' visits.

visit   eve (executive) beside adam (agent) yesterday; `debrief` is eve's draft of it
spencer the programme sponsor (BacklogSettings), no other role
"""

import datetime as dt

import pytest
from django.utils import timezone

from barriers.models import BacklogItem, BacklogSettings, ItemReport
from debriefs.models import BarrierReport, Debrief, Source
from stories.models import Story
from stories.services import story_create
from tests.debriefs.conftest import programme, visit  # noqa: F401
from tests.factories import PersonFactory


@pytest.fixture
def debrief(visit):  # noqa: F811
    return Debrief.objects.create(pairing=visit, overall="Saw a lot.")


@pytest.fixture
def spencer(finance, west_site):
    sponsor = PersonFactory(
        email="spencer@example.com", full_name="Spencer Sponsor", department=finance, site=west_site
    )
    settings_row = BacklogSettings.load()
    settings_row.sponsor = sponsor
    settings_row.save()
    return sponsor


@pytest.fixture
def story(debrief, eve, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return story_create(
            debrief=debrief,
            by=eve,
            saw="A customer in tears over a double charge.",
            agent_did="Refunded it on the spot and called back the next day.",
            name_agent=True,
        )


@pytest.fixture
def plain_story(debrief, eve):
    return story_create(
        debrief=debrief, by=eve, saw="Quiet morning, good tools.", agent_did="", name_agent=False
    )


def resolved_item(*, reporter, pairing, department, owner, anonymous=True, title="Two systems"):
    report = BarrierReport.objects.create(
        pairing=pairing,
        reporter=reporter,
        source=Source.AGENT,
        title=title,
        category="technology",
        department=department,
        severity=3,
        frequency="daily",
        anonymous_to_management=anonymous,
    )
    now = timezone.now()
    item = BacklogItem.objects.create(
        title=title,
        category="technology",
        department=department,
        severity=3,
        frequency="daily",
        report_count=1,
        agent_count=1,
        owner=owner,
        status="resolved",
        resolution="One screen now updates both systems.",
        resolved_at=now - dt.timedelta(hours=1),
    )
    ItemReport.objects.create(item=item, report=report)
    return item


__all__ = ["Story", "resolved_item"]
