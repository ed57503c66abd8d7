"""The messages this app sends, each in its recipient's language, and the once-only rule.

The debrief request at the end of a visit is the invitations' (shadowing); these are the
agent's barrier link, the reminder two days later, the coordinators' overdue list after five,
a coordinator's nudge and the notice of a reopening.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from shadowing.invitations.french import for_language
from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing

from .agent_links import agent_link_url
from .models import DebriefNotice

# A claim older than this (longer than a task may run) is taken over by a retry.
CLAIM_LEASE = dt.timedelta(minutes=10)


def debrief_url(pairing: Pairing) -> str:
    return settings.BASE_URL + reverse("debriefs:pairing-debrief", args=[pairing.pk])


def _send(*, to: Person, subject: str, template: str, context: dict) -> None:
    with translation.override(to.preferred_language):
        subject_text = gettext(subject)
        body = render_to_string(template, {**context, "person": to, "BASE_URL": settings.BASE_URL})
    language = to.preferred_language
    subject_text, body = for_language(subject_text, language), for_language(body, language)
    EmailMessage(subject=subject_text, body=body, to=[to.email]).send()


def notice_send(*, notice: DebriefNotice, send: Callable[[], None], now=None) -> bool:
    """Send `notice` once: claim it (one conditional UPDATE), send, mark it sent. Returns False
    when it was sent already or another worker holds a fresh claim. If sending fails the claim
    is released, so a retry sends it."""
    now = now or timezone.now()
    claimed = (
        DebriefNotice.objects.filter(pk=notice.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    try:
        send()
    except Exception:
        DebriefNotice.objects.filter(pk=notice.pk).update(claimed_at=None)
        raise
    DebriefNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


def _visit_context(pairing: Pairing) -> dict:
    return {
        "pairing": pairing,
        "date": pairing.date,
        "site": pairing.site,
        "start": pairing.local_start,
        "end": pairing.local_end,
    }


def agent_link_mail(pairing: Pairing) -> None:
    _send(
        to=pairing.agent,
        subject=gettext_noop("What gets in the way of serving customers?"),
        template="debriefs/email/agent_link.txt",
        context={**_visit_context(pairing), "url": agent_link_url(pairing)},
    )


def reminder_mail(pairing: Pairing, *, nudged_by: Person | None = None) -> None:
    _send(
        to=pairing.executive,
        subject=gettext_noop("Reminder: your debrief of the visit"),
        template="debriefs/email/reminder.txt",
        context={**_visit_context(pairing), "url": debrief_url(pairing), "nudged_by": nudged_by},
    )


def reopened_mail(pairing: Pairing, *, reopened_by: Person | None) -> None:
    _send(
        to=pairing.executive,
        subject=gettext_noop("Your debrief is open again"),
        template="debriefs/email/reopened.txt",
        context={**_visit_context(pairing), "url": debrief_url(pairing), "by": reopened_by},
    )


def overdue_mail(coordinator: Person, pairings: list[Pairing], completion_urls: list[str]) -> None:
    _send(
        to=coordinator,
        subject=gettext_noop("Debriefs overdue"),
        template="debriefs/email/overdue.txt",
        context={"pairings": pairings, "completion_urls": completion_urls},
    )
