"""The agent's one-click consent links: signed, expiring, single-purpose.

A link carries the story, the agent and the answer (give or refuse) under this app's own salt,
so it cannot file barriers or answer for another story or another person. Opening it (GET) only
shows a page with a button; the answer is a POST, so that a mail scanner fetching the link does
not consent. Nothing secret is stored: the signature is the proof.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Story

SALT = "stories.agent-consent"
ANSWERS = ("give", "refuse")


def _days() -> int:
    return getattr(settings, "STORY_CONSENT_DAYS", 14)


def consent_token(story: Story, answer: str) -> str:
    if answer not in ANSWERS:
        raise ValueError(answer)
    agent_id = story.debrief.pairing.agent_id
    return signing.TimestampSigner(salt=SALT).sign(f"{story.pk}.{agent_id}.{answer}")


def consent_url(story: Story, answer: str) -> str:
    return settings.BASE_URL + reverse("stories:consent", args=[consent_token(story, answer)])


def consent_story(token: str) -> tuple[Story, str] | None:
    """The story and answer of a still-valid link; None for one that is forged, expired, or
    whose story no longer names that agent."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=_days() * 24 * 3600)
        story_id, agent_id, answer = value.split(".")
        story_id, agent_id = int(story_id), int(agent_id)
    except (signing.BadSignature, ValueError):
        return None
    if answer not in ANSWERS:
        return None
    story = (
        Story.objects.select_related("debrief__pairing__agent", "debrief__pairing__site")
        .filter(
            pk=story_id,
            name_agent=True,
            debrief__pairing__agent_id=agent_id,
            debrief__pairing__agent__is_active=True,
        )
        .first()
    )
    return (story, answer) if story is not None else None
