"""The weekly digest: once per ISO week, a PDF with the stories' text, the command."""

import io
import subprocess

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from stories.mail import digest_mail
from stories.models import Digest, StoriesSettings, StoryStatus
from stories.pdf import digest_pdf
from stories.selectors import previous_week, week_bounds
from stories.services import digest_content, story_curate
from stories.tasks import digest_weekly


@pytest.fixture
def company_list(db):
    row = StoriesSettings.load()
    row.digest_to = "all@example.com, leaders@example.com"
    row.save()
    return row


def test_digest_is_sent_once_per_week_even_if_run_twice(story, cora, company_list):
    story_curate(story=story, by=cora, include=True)
    mail.outbox.clear()
    assert digest_weekly() is True
    assert digest_weekly() is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["all@example.com", "leaders@example.com"]
    assert message.attachments[0][2] == "application/pdf"
    assert Digest.objects.count() == 1
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED


def test_a_failed_send_releases_the_week(story, cora, company_list):
    from stories.services import digest_send

    def broken(digest, content):
        raise OSError("smtp down")

    with pytest.raises(OSError, match="smtp down"):
        digest_send(week=previous_week(), send=broken)
    assert digest_send(week=previous_week(), send=digest_mail) is True


def test_the_pdf_holds_the_stories_text(story, cora, adam, tmp_path):
    story_curate(story=story, by=cora, include=True)
    pdf = digest_pdf(digest_content(previous_week()))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "digest.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "double charge" in text
    assert "An agent at Vancouver" in text
    assert adam.full_name not in text


def test_the_pdf_page_and_api_are_for_curators(client, api_as, story, cora, eve, adam):
    week = previous_week()
    client.force_login(eve)
    assert client.get(f"/stories/digests/{week}.pdf").status_code == 404
    client.force_login(cora)
    response = client.get(f"/stories/digests/{week}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    digest_weekly()
    assert api_as(adam).get("/api/v1/digests/").status_code == 404
    rows = api_as(cora).get("/api/v1/digests/").json()["results"]
    assert [row["week"] for row in rows] == [week]
    pdf = api_as(cora).get(f"/api/v1/digests/{week}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_command_previews_and_sends_once(story, cora, company_list):
    story_curate(story=story, by=cora, include=True)
    out = io.StringIO()
    call_command("stories_digest", "--preview", stdout=out)
    assert "an agent at Vancouver" in out.getvalue()
    mail.outbox.clear()
    call_command("stories_digest", "--send", stdout=out)
    call_command("stories_digest", "--send", stdout=out)
    assert len(mail.outbox) == 1
    assert "already sent" in out.getvalue()
    with pytest.raises(CommandError, match="--week"):
        call_command("stories_digest", "--week", "2026-49")


def test_week_bounds_and_schedule(db):
    monday, next_monday = week_bounds("2026-W01")
    assert monday.isoformat() == "2025-12-29"
    assert (next_monday - monday).days == 7
    schedule = Schedule.objects.get(name="stories: weekly digest")
    assert schedule.func == "stories.tasks.digest_weekly"
    assert schedule.schedule_type == "W"
