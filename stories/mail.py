"""The stories app's messages: the agent's consent request (in their language, once per story)
and the weekly digest to the company's list, with its PDF."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from shadowing import clock
from shadowing.invitations.french import for_language

from .consent import consent_url
from .models import ConsentNotice, Digest, StoriesSettings, Story
from .pdf import digest_pdf
from .selectors import story_agent_label

CLAIM_LEASE = dt.timedelta(minutes=10)


def consent_mail(story: Story) -> None:
    agent = story.debrief.pairing.agent
    language = agent.preferred_language
    with translation.override(language):
        subject = gettext("May we name you in a story from your visit?")
        body = render_to_string(
            "stories/email/consent.txt",
            {
                "person": agent,
                "story": story,
                "pairing": story.debrief.pairing,
                "give_url": consent_url(story, "give"),
                "refuse_url": consent_url(story, "refuse"),
            },
        )
    EmailMessage(
        subject=for_language(subject, language), body=for_language(body, language), to=[agent.email]
    ).send()


def consent_notice_send(story: Story) -> bool:
    """Mail the consent request once: claim the notice row, send, mark it sent."""
    notice, _created = ConsentNotice.objects.get_or_create(story=story)
    now = clock.now()
    claimed = (
        ConsentNotice.objects.filter(pk=notice.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    try:
        consent_mail(story)
    except Exception:
        ConsentNotice.objects.filter(pk=notice.pk).update(claimed_at=None)
        raise
    ConsentNotice.objects.filter(pk=notice.pk).update(sent_at=clock.now())
    return True


def digest_mail(digest: Digest, content) -> list[str]:
    """The digest to the company's list, in the programme's language (English, with the
    French below when the list is bilingual is left to the list's owner), PDF attached."""
    recipients = StoriesSettings.load().recipients
    if not recipients:
        return []
    stories = [(story, story_agent_label(story)) for story in content.stories]
    body = render_to_string(
        "stories/email/digest.txt",
        {
            "content": content,
            "stories": stories,
            "url": settings.BASE_URL + reverse("stories:you-said-we-did"),
        },
    )
    subject = gettext("Stories from the front line: week %(week)s") % {"week": content.week}
    message = EmailMessage(subject=subject, body=body, to=recipients)
    message.attach(f"digest-{content.week}.pdf", digest_pdf(content), "application/pdf")
    message.send()
    return recipients
