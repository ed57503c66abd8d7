"""The backlog's messages, each in its recipient's language, sent once (`Notice` rows).

Escalations are digests: one message per recipient per sweep, listing every item newly due for
them, so that a quiet department's backlog does not become a hundred e-mails.
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from shadowing.invitations.french import for_language
from shadowing.organisation.models import Person

from .models import Notice

# A claim older than this (longer than a task may run) is taken over by a retry.
CLAIM_LEASE = dt.timedelta(minutes=10)


def item_url(item_id: int) -> str:
    return settings.BASE_URL + reverse("barriers:item", args=[item_id])


def send(
    *, to: Person, subject, template: str, context: dict, subject_vars: dict | None = None
) -> None:
    """Mail `to` in their language. `subject`: a message id (marked with gettext_noop) or a
    lazy translation, filled with `subject_vars` (a plural's count is one of them)."""
    with translation.override(to.preferred_language):
        subject_text = gettext(subject) if isinstance(subject, str) else subject
        subject_text = str(subject_text % subject_vars if subject_vars else subject_text)
        body = render_to_string(template, {**context, "person": to, "BASE_URL": settings.BASE_URL})
    language = to.preferred_language
    subject_text, body = for_language(subject_text, language), for_language(body, language)
    EmailMessage(subject=subject_text, body=body, to=[to.email]).send()


def notices_send(*, notice_ids: list[int], send_them: Callable[[list[Notice]], None], now=None):
    """Send the notices among `notice_ids` not yet sent, at most once: claim them with a token
    of this call's own (one conditional UPDATE), send what was claimed, mark it sent. If sending
    fails the claim is released, so a retry sends them. Returns how many were sent."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    Notice.objects.filter(pk__in=notice_ids, sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    ).update(claimed_at=now, claim_token=token)
    claimed = list(
        Notice.objects.select_related("item").filter(
            pk__in=notice_ids, claim_token=token, sent_at__isnull=True
        )
    )
    if not claimed:
        return 0
    try:
        send_them(claimed)
    except Exception:
        Notice.objects.filter(pk__in=[n.pk for n in claimed]).update(claimed_at=None)
        raise
    Notice.objects.filter(pk__in=[n.pk for n in claimed]).update(sent_at=timezone.now())
    return len(claimed)
