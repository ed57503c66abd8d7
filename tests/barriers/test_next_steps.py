"""A new report on a resolved item reopens it and tells its owner once; only managers own
items; counts and medians read well in English and French."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from barriers.kinds import EventKind, NoticeKind
from barriers.models import ItemEvent, Notice, Status
from barriers.services.merges import barrier_merge
from barriers.services.resolution import barrier_resolve
from barriers.tasks import reopened_notify
from barriers.templatetags.backlog_tags import median_days_text
from tests.barriers.conftest import file_report, item_of

pytestmark = pytest.mark.django_db


def resolved_item(visit, hank):
    item = item_of(file_report(visit, title="Refund form asks twice"))
    return barrier_resolve(barrier=item, by=hank, resolution="One form now.")


def test_a_new_report_merged_onto_a_resolved_item_reopens_it_and_tells_its_owner_once(
    visit, hank, cora, adam, django_capture_on_commit_callbacks
):
    resolved = resolved_item(visit, hank)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        report = file_report(visit, by=adam, title="Same form twice again")
        newer = item_of(report)
        with django_capture_on_commit_callbacks(execute=True):
            into = barrier_merge(source=newer, into=resolved, by=cora)
    assert (into.status, into.resolution, into.resolved_at) == (Status.REOPENED, "", None)
    event = ItemEvent.objects.filter(item=into, kind=EventKind.REOPENED).get()
    assert event.actor is None
    assert event.after["by_reports"] == [report.pk]
    notice = Notice.objects.get(item=into, kind=NoticeKind.REOPENED)
    assert notice.recipient == hank
    assert reopened_notify(notice.pk) == 0  # a retry of the task queued on commit
    assert [m.to for m in mail.outbox] == [["hank@example.com"]]
    assert "Refund form asks twice" in mail.outbox[0].body


def test_a_reopening_whose_task_never_ran_is_mailed_by_the_sweep_once(visit, hank, cora, adam):
    from barriers.tasks import REOPENED_GRACE, backlog_sweep

    resolved = resolved_item(visit, hank)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        newer = item_of(file_report(visit, by=adam, title="Same form twice again"))
        barrier_merge(source=newer, into=resolved, by=cora)  # its on-commit task is lost
    later = timezone.now() + dt.timedelta(hours=1) + REOPENED_GRACE
    assert backlog_sweep(now=later)["reopened"] == 1
    assert backlog_sweep(now=later)["reopened"] == 0
    assert [m.to for m in mail.outbox] == [["hank@example.com"]]


def test_the_reopening_mail_is_in_the_owners_language(visit, hank, cora, adam):
    hank.ui_language = "fr-ca"
    hank.save(update_fields=["ui_language"])
    resolved = resolved_item(visit, hank)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        barrier_merge(
            source=item_of(file_report(visit, by=adam, title="B")), into=resolved, by=cora
        )
    reopened_notify(Notice.objects.get(kind=NoticeKind.REOPENED).pk)
    assert mail.outbox[0].subject == (
        "Un nouveau signalement a rouvert un obstacle dont vous êtes responsable"
    )
    assert "«\u00a0Refund form asks twice\u00a0»" in mail.outbox[0].body


def test_an_older_report_merged_onto_a_resolved_item_leaves_it_resolved(visit, hank, cora):
    older = item_of(file_report(visit, title="Filed before the fix"))
    resolved = resolved_item(visit, hank)
    into = barrier_merge(source=older, into=resolved, by=cora)
    assert into.status == Status.RESOLVED
    assert not Notice.objects.filter(kind=NoticeKind.REOPENED).exists()


def test_a_reopened_item_can_no_longer_be_verified_on_its_page(client, visit, hank, cora, eve):
    resolved = resolved_item(visit, hank)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        barrier_merge(source=item_of(file_report(visit, title="Back")), into=resolved, by=cora)
    client.force_login(eve)
    page = client.get(f"/backlog/{resolved.pk}/").content.decode()
    assert "Yes, verified" not in page
    assert "Reopened by a new report" in page


# Owners ---------------------------------------------------------------------------------------


def test_the_claim_form_lists_only_who_may_own_the_item(client, hank, mo, adam, visit):
    item = item_of(file_report(visit))
    client.force_login(hank)
    page = client.get(f"/backlog/{item.pk}/").content.decode()
    form = page.split('id="id_owner"')[1].split("</select>")[0]
    assert "Hank Head" in form
    assert "Mo Manager" in form
    assert "Adam Agent" not in form


def test_naming_an_agent_owner_is_refused_on_the_page(client, hank, adam, visit, tomorrow):
    item = item_of(file_report(visit))
    client.force_login(hank)
    data = {"owner": adam.pk, "due": tomorrow.isoformat(), "first_step": "x"}
    response = client.post(f"/backlog/{item.pk}/claim/", data)
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == Status.NEW


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_the_api_refuses_an_agent_as_owner_and_says_why(api_as, hank, adam, visit, language):
    item = item_of(file_report(visit))
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = api_as(hank).post(
        f"/api/v1/barriers/{item.pk}/claim/",
        {"due": due, "first_step": "x", "owner": "adam@example.com"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    message = response.json()["owner"][0]
    assert "adam@example.com" in message
    assert ("agent cannot" if language == "en" else "un agent ne le peut pas") in message


# Counted words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            "en",
            "Escalation: barriers unclaimed for 10 working days",
            "waited 10 working days without a claim",
        ),
        (
            "fr-ca",
            "Remontée\u00a0: obstacles sans prise en charge depuis 10 jours ouvrables",
            "depuis 10 jours ouvrables sans prise en charge",
        ),
    ],
)
def test_escalation_counts_its_days_in_the_readers_language(language, subject, body, cora):
    from barriers import mail as backlog_mail
    from barriers.tasks import DAYS, SUBJECTS

    cora.ui_language = language
    backlog_mail.send(
        to=cora,
        subject=SUBJECTS[NoticeKind.ESCALATION],
        subject_vars={"n": DAYS[NoticeKind.ESCALATION]},
        template="barriers/email/escalation.txt",
        context={"rows": [], "kind": NoticeKind.ESCALATION, "days": 10},
    )
    assert mail.outbox[-1].subject == subject
    assert body in mail.outbox[-1].body


def test_the_one_day_forms_are_singular():
    template = Template(
        "{% load i18n %}{% blocktranslate count n=days %}These barriers have waited {{ n }} "
        "working day without a claim:{% plural %}These barriers have waited {{ n }} working days "
        "without a claim:{% endblocktranslate %}"
    )
    with translation.override("fr-ca"):
        assert "1 jour ouvrable " in template.render(Context({"days": 1}))
    with translation.override("en"):
        assert "1 working day " in template.render(Context({"days": 1}))


# Medians --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (2.0, "2", "2"),
        (0.0, "0", "0"),
        (2.46, "2.5", "2,5"),
        (12.04, "12", "12"),
        (None, None, None),
    ],
)
def test_a_median_shows_a_decimal_only_when_it_has_one(value, english, french):
    with translation.override("en"):
        assert median_days_text(value) == english
    with translation.override("fr-ca"):
        assert median_days_text(value) == french


def test_no_median_is_a_dash_read_as_no_data():
    html = Template("{% load backlog_tags %}{{ value|median_days }}")
    with translation.override("fr-ca"):
        rendered = html.render(Context({"value": None}))
    assert '<span aria-hidden="true">—</span>' in rendered
    assert '<span class="visually-hidden">aucune donnée</span>' in rendered
    assert html.render(Context({"value": 3.0})) == "3"
