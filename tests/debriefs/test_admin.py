"""The admin: coordinators read debriefs, reports and notices there, and reopen a debrief
through the same service as the page; the names of anonymous reporters are withheld."""

import uuid

import pytest
from django.urls import reverse

from debriefs.models import BarrierReport, Debrief, DebriefStatus
from debriefs.services.drafts import debrief_create
from debriefs.services.reports import barrier_report_file_by_agent
from debriefs.services.submission import debrief_submit
from tests.debriefs.conftest import barrier

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(eve, visit):
    debrief = debrief_create(
        pairing=visit, by=eve, body={"overall": "Seen.", "rating": 3, "barriers": [barrier()]}
    )
    return debrief_submit(debrief=debrief, by=eve)[0]


@pytest.mark.parametrize("model", ["debrief", "barrierreport", "debriefnotice"])
def test_coordinators_read_every_list(client, cora, submitted, model):
    client.force_login(cora)
    assert client.get(reverse(f"admin:debriefs_{model}_changelist")).status_code == 200


def test_others_are_kept_out(client, eve, submitted):
    client.force_login(eve)
    response = client.get(reverse("admin:debriefs_debrief_changelist"))
    assert response.status_code in (302, 403)


def test_reopen_action(client, cora, submitted):
    client.force_login(cora)
    client.post(
        reverse("admin:debriefs_debrief_changelist"),
        {"action": "reopen", "_selected_action": [submitted.pk]},
    )
    assert Debrief.objects.get().status == DebriefStatus.REOPENED


def test_anonymous_reporter_is_withheld(client, cora, adam, visit):
    barrier_report_file_by_agent(
        pairing=visit, agent=adam, barrier=barrier(), anonymous=True, key=str(uuid.uuid4())
    )
    client.force_login(cora)
    html = client.get(reverse("admin:debriefs_barrierreport_changelist")).content.decode()
    assert "Adam Agent" not in html
    report = BarrierReport.objects.get()
    detail = client.get(reverse("admin:debriefs_barrierreport_change", args=[report.pk]))
    assert "Adam Agent" not in detail.content.decode()
