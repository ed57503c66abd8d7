"""Report fixtures on top of the named cast (tests/conftest.py).

programme  "autumn", running, 20 days either side of today
visit      eve (FIN executive) beside adam (CARE agent) yesterday, published, ended
debrief    eve's submitted debrief of that visit, with two barriers routed to CARE
upcoming   eve beside ada next week, published
"""

import datetime as dt
import io

import pytest
from django.utils import timezone

from debriefs.services.drafts import debrief_create
from debriefs.services.submission import debrief_submit
from shadowing import clock
from shadowing.programmes.models import Programme
from tests.debriefs.conftest import barrier, local_today, make_visit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores its PDFs in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@pytest.fixture
def visit(programme, eve, adam):
    return make_visit(programme, eve, adam, local_today(adam.site) - dt.timedelta(days=1))


@pytest.fixture
def upcoming(programme, eve, ada):
    return make_visit(programme, eve, ada, local_today(ada.site) + dt.timedelta(days=7))


def submit_debrief(pairing, executive, barriers=None, **body):
    values = {
        "overall": "Long holds while the agent waited for a supervisor override.",
        "rating": 2,
        "commitment": "Give agents the override for refunds under $50.",
        "barriers": barriers
        if barriers is not None
        else [
            barrier(title="Two systems for one address change"),
            barrier(title="Refund override needs a supervisor", category="policy"),
        ],
    }
    values.update(body)
    debrief = debrief_create(pairing=pairing, by=executive)
    debrief, _submitted = debrief_submit(debrief=debrief, by=executive, body=values)
    return debrief


@pytest.fixture
def debrief(visit, eve, care):
    return submit_debrief(visit, eve)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() or "" for page in reader.pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def flat(text: str) -> str:
    """Text with every run of white space as one space: a PDF breaks lines where it likes."""
    return " ".join(text.split())


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def make_items(department, owner, n, *, title=None, first_step=None, start=0):
    """`n` backlog items of `department`, in turn new, claimed (by `owner`, with a due date and
    a first step) and resolved, straight into the table (the backlog's services would compute
    a sentence vector for each, which these reports do not need)."""
    from barriers.models import BacklogItem, Status

    now = timezone.now()
    items = []
    for k in range(start, start + n):
        state = k % 3
        values = {
            "title": title or f"Barrier number {k:04d} in the way of customers",
            "description": "",
            "category": "process",
            "department": department,
            "severity": 1 + k % 4,
            "frequency": "daily",
            "report_count": 1 + k % 5,
            "executive_count": 1,
            "priority": 1000 - k,
            "owner": owner,
            "status": Status.NEW,
            "created_at": now - dt.timedelta(days=5),
            "owned_since": now - dt.timedelta(days=5),
        }
        if state == 1:
            values.update(
                status=Status.CLAIMED,
                claimed_by=owner,
                claimed_at=now - dt.timedelta(days=2),
                first_claimed_at=now - dt.timedelta(days=2),
                due=clock.local_today() + dt.timedelta(days=10 + k % 20),
                first_step=first_step or f"Call the vendor about barrier {k:04d}",
            )
        elif state == 2:
            values.update(
                status=Status.RESOLVED,
                resolution="Done.",
                resolved_at=now - dt.timedelta(days=1),
            )
        items.append(BacklogItem(**values))
    return BacklogItem.objects.bulk_create(items)


@pytest.fixture
def backlog_items(care, hank):
    return make_items(care, hank, 6)


@pytest.fixture
def many_items(care, hank):
    return make_items(care, hank, 90)
