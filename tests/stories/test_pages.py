"""The executive's story form and its rules."""

import pytest
from django.urls import reverse

from stories.models import Consent, Story


def test_the_debrief_page_links_to_stories(client, debrief, eve):
    client.force_login(eve)
    response = client.get(reverse("debriefs:pairing-debrief", args=[debrief.pairing_id]))
    assert reverse("stories:story-new", args=[debrief.pairing_id]).encode() in response.content


def test_the_executive_adds_a_story_from_a_draft_debrief(client, debrief, eve, adam):
    client.force_login(eve)
    url = reverse("stories:story-new", args=[debrief.pairing_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"saw": "A calm fix.", "agent_did": "Adam stayed late.", "name_agent": "on"}
    )
    assert response.status_code == 302
    story = Story.objects.get(debrief=debrief)
    assert story.name_agent
    assert story.consent == Consent.ASKED


def test_empty_or_too_long_text_names_the_field(client, debrief, eve):
    client.force_login(eve)
    url = reverse("stories:story-new", args=[debrief.pairing_id])
    response = client.post(url, {"saw": "", "agent_did": ""})
    assert response.status_code == 400
    assert b'href="#id_saw"' in response.content
    response = client.post(url, {"saw": "x" * 2001})
    assert response.status_code == 400
    assert not Story.objects.exists()


@pytest.mark.parametrize("who", ["adam", "ed", "cora"])
def test_only_the_visits_executive_writes_stories(client, debrief, who, request):
    client.force_login(request.getfixturevalue(who))
    url = reverse("stories:story-new", args=[debrief.pairing_id])
    assert client.post(url, {"saw": "x"}).status_code == 404
    assert not Story.objects.exists()


def test_edit_and_delete_own_story(client, plain_story, eve):
    client.force_login(eve)
    url = reverse("stories:story-edit", args=[plain_story.pk])
    assert client.post(url, {"saw": "Changed."}).status_code == 302
    plain_story.refresh_from_db()
    assert plain_story.saw == "Changed."
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not Story.objects.filter(pk=plain_story.pk).exists()


def test_turning_naming_off_forgets_the_consent(client, story, eve):
    client.force_login(eve)
    url = reverse("stories:story-edit", args=[story.pk])
    client.post(url, {"saw": story.saw, "agent_did": story.agent_did})
    story.refresh_from_db()
    assert not story.name_agent
    assert story.consent == Consent.NOT_ASKED


def test_french_story_form_answers(client, debrief, eve):
    eve.ui_language = "fr-ca"
    eve.save()
    client.force_login(eve)
    url = reverse("stories:story-new", args=[debrief.pairing_id])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert response.status_code == 200
    assert b'name="saw"' in response.content
