"""The agent's consent: asked by mail once, one click that a GET never answers, bound to one
story and one agent, expiring; no name anywhere without it."""

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse

from stories.consent import consent_token
from stories.mail import digest_mail
from stories.models import Consent, ConsentNotice, StoryStatus
from stories.selectors import previous_week, story_agent_label
from stories.services import digest_content, digest_send, story_curate
from stories.tasks import consent_mail_send


def _path(story, answer):
    return reverse("stories:consent", args=[consent_token(story, answer)])


def test_asking_to_name_mails_the_agent_once_with_two_links(story, adam):
    assert story.consent == Consent.ASKED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [adam.email]
    assert "/stories/consent/" in message.body
    assert message.body.count("/stories/consent/") == 2


def test_a_retried_task_does_not_mail_twice(story):
    assert consent_mail_send(story.pk) is False
    assert consent_mail_send(story.pk) is False
    assert len(mail.outbox) == 1
    assert ConsentNotice.objects.get(story=story).sent_at is not None


def test_a_french_agent_gets_the_consent_mail_once(debrief, eve, adam):
    from stories.services import story_create

    adam.ui_language = "fr-ca"
    adam.save()
    story = story_create(debrief=debrief, by=eve, saw="Vu.", agent_did="", name_agent=True)
    consent_mail_send(story.pk)
    assert consent_mail_send(story.pk) is False  # the retry
    assert [message.to for message in mail.outbox] == [[adam.email]]


def test_a_story_without_naming_asks_nothing(plain_story):
    assert plain_story.consent == Consent.NOT_ASKED
    assert mail.outbox == []


def test_no_name_before_consent(story, adam):
    assert adam.full_name not in story_agent_label(story)
    assert "Vancouver" in story_agent_label(story)


def test_get_shows_a_button_and_does_not_consent(client, story):
    response = client.get(_path(story, "give"))
    assert response.status_code == 200
    assert b"<form" in response.content
    story.refresh_from_db()
    assert story.consent == Consent.ASKED


def test_post_gives_consent_and_names_the_agent(client, story, adam):
    response = client.post(_path(story, "give"))
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.consent == Consent.GIVEN
    assert story.consent_at is not None
    assert story_agent_label(story) == adam.full_name


def test_refusing_keeps_the_name_out(client, story, adam):
    client.post(_path(story, "refuse"))
    story.refresh_from_db()
    assert story.consent == Consent.REFUSED
    assert adam.full_name not in story_agent_label(story)


def test_the_agent_may_change_their_mind_until_the_digest_is_sent(client, story, cora):
    client.post(_path(story, "give"))
    client.post(_path(story, "refuse"))
    story.refresh_from_db()
    assert story.consent == Consent.REFUSED
    story_curate(story=story, by=cora, include=True)
    digest_send(week=previous_week(), send=lambda digest, content: [])
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    response = client.post(_path(story, "give"))
    assert response.status_code == 409
    story.refresh_from_db()
    assert story.consent == Consent.REFUSED


def test_someone_else_signed_in_cannot_use_the_agents_link(client, story, ada):
    client.force_login(ada)
    response = client.post(_path(story, "give"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.consent == Consent.ASKED


def test_a_link_for_another_story_or_tampered_does_not_work(client, story, plain_story):
    token = consent_token(story, "give")
    forged = token.replace(f"{story.pk}.", f"{plain_story.pk}.", 1)
    assert client.post(reverse("stories:consent", args=[forged])).status_code == 404
    assert client.post(reverse("stories:consent", args=[token + "x"])).status_code == 404
    story.refresh_from_db()
    assert story.consent == Consent.ASKED


def test_the_debrief_agent_link_does_not_answer_consent(client, story):
    from debriefs.agent_links import agent_link_token

    token = agent_link_token(story.debrief.pairing)
    assert client.post(reverse("stories:consent", args=[token])).status_code == 404


def test_the_link_expires(client, story, settings):
    settings.STORY_CONSENT_DAYS = 14
    path = _path(story, "give")
    with time_machine.travel(dt.timedelta(days=15)):
        response = client.post(path)
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.consent == Consent.ASKED


def test_the_digest_names_only_consenting_agents(client, story, plain_story, cora, adam, settings):
    from stories.models import StoriesSettings

    row = StoriesSettings.load()
    row.digest_to = "all@example.com"
    row.save()
    story_curate(story=story, by=cora, include=True)
    story_curate(story=plain_story, by=cora, include=True)
    content = digest_content(previous_week())
    labels = [story_agent_label(s) for s in content.stories]
    assert adam.full_name not in labels
    client.post(_path(story, "give"))
    mail.outbox.clear()
    assert digest_send(week=previous_week(), send=digest_mail) is True
    body = mail.outbox[0].body
    assert body.count(adam.full_name) == 1  # the consenting story only; the other says "an agent"
    assert "An agent at Vancouver" in body
