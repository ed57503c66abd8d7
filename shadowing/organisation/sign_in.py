"""Sign-in by one-time link: creating, mailing, redeeming and pruning links.

What these functions guarantee:

- only the SHA-256 of a link's secret is stored, so a copy of the database signs nobody in;
- a link works once, and only until it expires; redeeming is one conditional UPDATE, so two
  concurrent redemptions of the same link cannot both win;
- asking for a link answers the same whether or not the address is in the roster, and mails
  only an active person;
- requests are limited per address and per client, across all web processes (the counts live
  in the database).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from shadowing.organisation.models import Person, SignInLink, SignInRequest

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)
# Links and requests are kept a little while after they stop mattering, to answer "did I get a
# link yesterday?" from the database, then pruned.
KEEP_AFTER_EXPIRY = timedelta(days=7)


class SignInRateLimited(Exception):
    """Too many links were asked for this address or from this client in the last hour."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Limit:
    field: str
    value: str
    per_hour: int


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The address a sign-in request came from, for the per-client limit.

    REMOTE_ADDR unless `TRUSTED_PROXY_COUNT` proxies stand in front of the app: then the
    address the outermost of them saw, read from the right of X-Forwarded-For. Entries further
    left are whatever the client chose to send and are never trusted.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            return hops[-trusted][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def sign_in_link_create(*, person: Person, next_url: str = "") -> str:
    """Create a link that signs `person` in once, within `SIGN_IN_LINK_MINUTES`; return its URL.

    `next_url` must already be known safe (a path on this site): it is carried in the link so
    that the person lands where they were going.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    SignInLink.objects.create(
        person=person,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
    )
    url = settings.BASE_URL + reverse("shadowing:sign-in-link", args=[token])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return url


def sign_in_link_person(*, token: str) -> Person | None:
    """The active person a still-usable link would sign in, without using it up.

    For the confirmation page a GET shows: mail scanners fetch links, and must not spend them.
    """
    link = (
        SignInLink.objects.select_related("person")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not link.person.is_active:
        return None
    return link.person


def sign_in_link_redeem(*, token: str) -> Person | None:
    """Spend the link and return its person, or None if the link is unknown, used, expired, or
    its person is no longer active. At most one caller ever gets the person for a link."""
    token_hash = _hash(token)
    now = timezone.now()
    won = SignInLink.objects.filter(
        token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won != 1:
        return None
    return Person.objects.filter(sign_in_links__token_hash=token_hash, is_active=True).first()


def _check_limits(limits: list[_Limit], now) -> None:
    since = now - RATE_WINDOW
    for limit in limits:
        recent = SignInRequest.objects.filter(
            **{limit.field: limit.value}, created_at__gt=since
        ).order_by("created_at")
        if recent.count() >= limit.per_hour:
            oldest = recent.values_list("created_at", flat=True).first()
            retry_after = int((oldest + RATE_WINDOW - now).total_seconds()) + 1
            raise SignInRateLimited(retry_after=max(retry_after, 1))


def sign_in_link_request(*, email: str, client: str, next_url: str = "") -> None:
    """Record a request for a sign-in link and, if `email` belongs to an active person, mail
    them one. Raises SignInRateLimited, mailing nothing, past `SIGN_IN_LIMIT_PER_ADDRESS` or
    `SIGN_IN_LIMIT_PER_CLIENT` requests in the last hour.

    Returns nothing either way, so a caller cannot tell a visitor who is in the roster.
    """
    email = normalise_email(email)
    now = timezone.now()
    limits = [
        _Limit("email", email, settings.SIGN_IN_LIMIT_PER_ADDRESS),
        _Limit("client", client, settings.SIGN_IN_LIMIT_PER_CLIENT),
    ]
    # Refused requests are not recorded: a flood then cannot grow the table, and the window
    # still closes an hour after the requests that were let through. Under concurrency the
    # check and the insert may let one or two extra through; a rate limit can live with that.
    with transaction.atomic():
        _check_limits(limits, now)
        SignInRequest.objects.create(email=email, client=client, created_at=now)
    person = Person.objects.filter(email=email, is_active=True).first()
    if person is None:
        return
    # Sent here, in the request, rather than by a django-q2 task: the person is waiting at the
    # screen, and a queue that is busy mailing a programme's invitations would keep them
    # waiting; a task would also have to carry the link's secret through the broker, which
    # stores task arguments. The price is that a slow mail server makes a known address answer
    # a little slower; the per-client limit bounds how much anyone can learn from that.
    url = sign_in_link_create(person=person, next_url=next_url)
    try:
        _mail_link(person=person, url=url)
    except Exception:
        # The visitor gets the same answer as for an unknown address; operators get the error.
        logger.exception("could not mail a sign-in link to person %s", person.pk)


def _mail_link(*, person: Person, url: str) -> None:
    with translation.override(person.preferred_language):
        context = {
            "person": person,
            "url": url,
            "minutes": settings.SIGN_IN_LINK_MINUTES,
            "BASE_URL": settings.BASE_URL,
        }
        subject = gettext("Your sign-in link for the shadowing programme")
        text = render_to_string("shadowing/email/sign_in_link.txt", context)
        html = render_to_string("shadowing/email/sign_in_link.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    message.send()


def sign_in_records_prune(*, now=None) -> tuple[int, int]:
    """Delete links that expired, and rate-limit records older than the window, more than
    KEEP_AFTER_EXPIRY ago. Returns (links deleted, requests deleted). Safe to run any time."""
    now = now or timezone.now()
    cutoff = now - KEEP_AFTER_EXPIRY
    links, _ = SignInLink.objects.filter(expires_at__lt=cutoff).delete()
    requests, _ = SignInRequest.objects.filter(created_at__lt=cutoff - RATE_WINDOW).delete()
    return links, requests
