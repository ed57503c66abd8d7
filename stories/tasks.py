"""Background tasks (django-q2). Thin and idempotent: the consent request mails once per story
(ConsentNotice), the digest once per ISO week (Digest).

`digest_weekly` runs every Monday morning programme time (schedule made by migration 0002) and
sends the digest of the week that just ended.
"""

from .mail import consent_notice_send, digest_mail
from .models import Story
from .selectors import previous_week
from .services import digest_send


def consent_mail_send(story_id: int) -> bool:
    story = (
        Story.objects.select_related("debrief__pairing__agent", "debrief__pairing__site")
        .filter(pk=story_id, name_agent=True)
        .first()
    )
    if story is None:
        return False
    return consent_notice_send(story)


def digest_weekly(week: str | None = None) -> bool:
    return digest_send(week=week or previous_week(), send=digest_mail)
