"""Who sees and changes what, on pages and in the API; "you said, we did" never names a
reporter."""

import pytest
from django.urls import reverse

from stories.models import Consent, Story, StoryStatus
from stories.services import story_curate
from tests.factories import PersonFactory
from tests.stories.conftest import resolved_item


@pytest.fixture
def item(visit, adam, hank, care):
    secret = PersonFactory(
        email="sam@example.com", full_name="Secret Sam", department=care, is_agent=True
    )
    return resolved_item(reporter=secret, pairing=visit, department=care, owner=hank)


# "You said, we did" --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["adam", "eve", "cora", "nina", "hank"])
def test_you_said_we_did_is_for_everyone_signed_in_and_names_nobody(client, item, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("stories:you-said-we-did"))
    assert response.status_code == 200
    assert b"One screen now updates both systems." in response.content
    assert b"Secret Sam" not in response.content
    assert b"sam@example.com" not in response.content


def test_you_said_we_did_needs_sign_in(client, item):
    response = client.get(reverse("stories:you-said-we-did"))
    assert response.status_code == 302


def test_you_said_we_did_in_french_answers(client, item, adam):
    adam.ui_language = "fr-ca"
    adam.save()
    client.force_login(adam)
    response = client.get(reverse("stories:you-said-we-did"), HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert response.status_code == 200
    assert b"Secret Sam" not in response.content


def test_you_said_we_did_api_names_nobody(api_as, item, adam):
    response = api_as(adam).get("/api/v1/you-said-we-did/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["resolution"] == "One screen now updates both systems."
    assert "Secret Sam" not in response.content.decode()
    assert "reporter" not in row


def test_an_open_item_is_not_listed(client, item, adam):
    item.status, item.resolution, item.resolved_at = "new", "", None
    item.save()
    client.force_login(adam)
    assert b"Two systems" not in client.get(reverse("stories:you-said-we-did")).content


def test_you_said_we_did_query_count_is_flat(
    client, visit, hank, care, adam, django_assert_max_num_queries
):
    client.force_login(adam)
    resolved_item(reporter=adam, pairing=visit, department=care, owner=hank)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("stories:you-said-we-did"))
    for number in range(15):
        resolved_item(reporter=adam, pairing=visit, department=care, owner=hank, title=f"t{number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("stories:you-said-we-did"))


# Stories in the API --------------------------------------------------------------------------


def test_agents_cannot_read_stories_through_the_api(api_as, story, adam, ada):
    for agent in (adam, ada):
        client = api_as(agent)
        assert client.get("/api/v1/stories/").json()["results"] == []
        assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 404


def test_the_agent_sees_only_their_consent_state(api_as, story, adam, ada):
    rows = api_as(adam).get("/api/v1/story-consents/").json()["results"]
    assert [row["id"] for row in rows] == [story.pk]
    assert rows[0]["consent"] == Consent.ASKED
    assert api_as(ada).get("/api/v1/story-consents/").json()["results"] == []
    response = api_as(ada).post(
        f"/api/v1/story-consents/{story.pk}/answer/", {"consent": "given"}, format="json"
    )
    assert response.status_code == 404


def test_the_agent_answers_through_the_api(api_as, story, adam):
    response = api_as(adam).post(
        f"/api/v1/story-consents/{story.pk}/answer/", {"consent": "given"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["consent"] == "given"
    bad = api_as(adam).post(
        f"/api/v1/story-consents/{story.pk}/answer/", {"consent": "maybe"}, format="json"
    )
    assert bad.status_code == 400
    assert "consent" in bad.json() or "consent" in str(bad.json())


def test_the_api_names_the_agent_only_with_consent(api_as, story, eve, adam):
    data = api_as(eve).get(f"/api/v1/stories/{story.pk}/").json()
    assert data["agent"] == "an agent at Vancouver"
    assert adam.full_name not in str(data)
    Story.objects.filter(pk=story.pk).update(consent=Consent.GIVEN)
    assert api_as(eve).get(f"/api/v1/stories/{story.pk}/").json()["agent"] == adam.full_name


def test_the_executive_creates_through_the_api_and_errors_name_fields(api_as, debrief, eve):
    client = api_as(eve)
    response = client.post("/api/v1/stories/", {"debrief": debrief.pk, "saw": ""}, format="json")
    assert response.status_code == 400
    assert "saw" in str(response.json())
    response = client.post("/api/v1/stories/", {"saw": "x"}, format="json")
    assert response.status_code == 400
    assert "debrief" in str(response.json())
    response = client.post(
        "/api/v1/stories/", {"debrief": debrief.pk, "saw": "A" * 2001}, format="json"
    )
    assert response.status_code == 400
    assert "saw" in str(response.json())
    response = client.post(
        "/api/v1/stories/", {"debrief": debrief.pk, "saw": "Good call."}, format="json"
    )
    assert response.status_code == 201
    assert Story.objects.filter(debrief=debrief, saw="Good call.").exists()


def test_another_executive_cannot_write_stories_of_eves_debrief(api_as, debrief, story, ed):
    client = api_as(ed)
    response = client.post("/api/v1/stories/", {"debrief": debrief.pk, "saw": "x"}, format="json")
    assert response.status_code == 400
    assert (
        client.patch(f"/api/v1/stories/{story.pk}/", {"saw": "y"}, format="json").status_code == 404
    )
    assert client.delete(f"/api/v1/stories/{story.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "sees_all", "curates"),
    [
        ("cora", True, True),
        ("spencer", True, True),
        ("eve", True, False),  # her own
        ("ed", False, False),
        ("adam", False, False),
        ("nina", False, False),
    ],
)
def test_story_permissions_by_role(api_as, story, spencer, who, sees_all, curates, request):
    client = api_as(request.getfixturevalue(who))
    ids = [row["id"] for row in client.get("/api/v1/stories/").json()["results"]]
    assert (story.pk in ids) is sees_all
    response = client.post(f"/api/v1/stories/{story.pk}/curate/", {"include": True}, format="json")
    if curates:
        assert response.status_code == 200
        assert response.json()["status"] == StoryStatus.CURATED
    else:
        assert response.status_code in (403, 404)
        story.refresh_from_db()
        assert story.status == StoryStatus.DRAFT


def test_a_curated_story_can_no_longer_change(api_as, client, story, eve, cora):
    story_curate(story=story, by=cora, include=True)
    response = api_as(eve).patch(f"/api/v1/stories/{story.pk}/", {"saw": "new"}, format="json")
    assert response.status_code == 403
    client.force_login(eve)
    assert client.get(reverse("stories:story-edit", args=[story.pk])).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("cora", 200), ("spencer", 200), ("eve", 404), ("adam", 404)]
)
def test_curation_page_by_role(client, story, spencer, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("stories:curation")).status_code == status


def test_curation_page_query_count_is_flat(
    client, cora, debrief, eve, django_assert_max_num_queries
):
    from stories.services import story_create

    client.force_login(cora)
    story_create(debrief=debrief, by=eve, saw="one", agent_did="", name_agent=False)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("stories:curation"))
    for number in range(10):
        story_create(debrief=debrief, by=eve, saw=f"s{number}", agent_did="", name_agent=False)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("stories:curation"))


def test_curation_page_curates_and_saves_recipients(client, story, cora):
    client.force_login(cora)
    response = client.post(reverse("stories:curation"), {"action": f"include:{story.pk}"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.CURATED
    bad = client.post(reverse("stories:curation"), {"action": "settings", "digest_to": "not-mail"})
    assert bad.status_code == 400
    assert b"not-mail" in bad.content
    client.post(reverse("stories:curation"), {"action": "settings", "digest_to": "all@example.com"})
    from stories.models import StoriesSettings

    assert StoriesSettings.load().recipients == ["all@example.com"]
    assert client.post(reverse("stories:curation"), {"action": "include:abc"}).status_code == 404
