"""What one message says, in the person's language: subject, plain text, HTML and, for an
invitation or a cancellation, the iCalendar part.

The MIME shape is the one Outlook itself sends and Gmail and Apple Calendar read as an
invitation: a multipart/alternative of text/plain, text/html and, last, text/calendar with a
`method` parameter equal to the METHOD inside. There is no separate .ics attachment: a second
copy is what makes Office 365 show an "ATT00001.ics" and some clients import the visit twice;
anyone who wants a file downloads it from the API or subscribes to their feed.
"""

import datetime as dt
import email.policy
from dataclasses import dataclass
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shadowing.invitations import ical
from shadowing.invitations.french import for_language
from shadowing.invitations.links import decline_url
from shadowing.invitations.models import ITIP_METHODS, MessageKind
from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

# What a message is for a person, by how they relate to the visit now.
EXECUTIVE, AGENT, FORMER = "executive", "agent", "former"

# Reminders go this long before the visit starts (the sweeper's windows, reminders.py).
REMINDER_LEAD = {EXECUTIVE: dt.timedelta(days=3), AGENT: dt.timedelta(days=1)}

DATE_FORMAT = "DAY_FORMAT"  # config/formats: "Monday, December 14, 2026"


class CalendarEmail(EmailMultiAlternatives):
    """An e-mail of alternatives whose text/calendar part carries `method=` (Outlook ignores an
    invitation without it; Django's `attach_alternative` takes a bare MIME type).

    The MIME is built with the email package's classic classes rather than Django's builder
    (the modern API): the same tree, multipart/alternative of text/plain, text/html and
    text/calendar, each UTF-8 in base64, in a fifth of the time (about 2 ms instead of 10 ms
    a message, measured), which is most of a worker's time when a programme is published.
    Sent by any Django mailer like any other message."""

    def __init__(self, *args, method: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method

    def message(self, *, policy=email.policy.default):
        # The classic classes with the line ending asked for (CRLF for SMTP: smtplib sends
        # bytes as they are, and a server takes a bare-LF message for one overlong line).
        msg = MIMEMultipart(
            "alternative", policy=email.policy.compat32.clone(linesep=policy.linesep)
        )
        msg["Subject"] = Header(_one_line(str(self.subject)), "utf-8")
        msg["From"] = _address_header(str(self.from_email))
        msg["To"] = ", ".join(_address_header(address) for address in self.to)
        msg["Date"] = formatdate(usegmt=True)
        for name, value in self.extra_headers.items():
            msg[name] = _one_line(str(value))
        msg.attach(MIMEText(self.body, "plain", "utf-8"))
        for content, mimetype in self.alternatives:
            subtype = mimetype.partition("/")[2]
            part = MIMEText(content, subtype, "utf-8")
            if subtype == "calendar" and self.method:
                part.set_param("method", self.method)
            msg.attach(part)
        return msg


def _one_line(text: str) -> str:
    """A header value on one line: a name or subject with a line break cannot add a header."""
    return " ".join(text.splitlines())


def _address_header(address: str) -> str:
    name, addr = parseaddr(address)
    return formataddr((_one_line(name), addr), charset="utf-8")


@dataclass(frozen=True)
class Letter:
    """A message ready to become an e-mail, and the visit times it gives."""

    subject: str
    text: str
    html: str
    language: str
    calendar: bytes = b""
    method: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    def email(self, *, to: Person, message_id: str) -> CalendarEmail:
        message = CalendarEmail(
            subject=self.subject,
            body=self.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[formataddr((to.full_name, to.email))],
            headers={"Message-ID": message_id, "Content-Language": _content_language(self)},
            method=self.method,
        )
        message.attach_alternative(self.html, "text/html")
        if self.calendar:
            # Last: a client shows the last alternative it understands.
            message.attach_alternative(self.calendar.decode("utf-8"), "text/calendar")
        return message


def _content_language(letter: Letter) -> str:
    language, _sep, region = letter.language.partition("-")
    return f"{language}-{region.upper()}" if region else language


def organizer() -> ical.Organizer:
    """The ORGANIZER: the sender's address, bare, with the sender's display name (or the
    product's name in the current language)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return ical.Organizer(name=name or _("Shadowing programme"), email=address)


def role_of(pairing: Pairing, person: Person) -> str:
    if person.pk == pairing.executive_id:
        return EXECUTIVE
    if person.pk == pairing.agent_id:
        return AGENT
    return FORMER


def compose(
    *,
    kind: str,
    sequence: int,
    pairing: Pairing,
    person: Person,
    now: dt.datetime,
    is_update: bool = False,
    reason: str = "",
    held: tuple[dt.datetime, dt.datetime] | None = None,
) -> Letter:
    """The message of `kind` about `pairing` for `person`, in their language, with times in the
    visit site's zone. `held` is the visit time a person taken off the visit was last sent
    (what their calendar holds), for their cancellation."""
    role = role_of(pairing, person)
    language = person.preferred_language
    zone = pairing.site.zone
    if role == FORMER and person.site is not None:
        zone = person.site.zone
    starts_at, ends_at = held if role == FORMER and held else (pairing.starts_at, pairing.ends_at)
    with translation.override(language), timezone.override(zone):
        context = visit_context(
            pairing, person, role=role, starts_at=starts_at, ends_at=ends_at, zone=zone
        )
        context.update(kind=kind, is_update=is_update, reason=reason)
        if kind in (MessageKind.REQUEST, MessageKind.REMINDER) and role != FORMER:
            context["decline_url"] = decline_url(pairing_uid=str(pairing.uid), person_id=person.pk)
        if kind == MessageKind.DEBRIEF:
            context["debrief_url"] = settings.BASE_URL + reverse(
                "debriefs:pairing-debrief", kwargs={"pairing_id": pairing.pk}
            )
        subject = for_language(_subject(kind, role, context), language)
        template = TEMPLATES[kind]
        text = for_language(render_to_string(f"{template}.txt", context), language)
        html = for_language(render_to_string(f"{template}.html", context), language)
        method = ITIP_METHODS.get(kind, "")
        calendar = b""
        if method:
            event = visit_event(pairing, sequence=sequence, context=context)
            calendar = ical.build_invitation(
                ical.InviteData(method=ical.Method(method), event=event, dtstamp=now)
            )
    return Letter(
        subject=subject,
        text=text,
        html=html,
        language=language,
        calendar=calendar,
        method=method,
        starts_at=starts_at,
        ends_at=ends_at,
    )


TEMPLATES = {
    MessageKind.REQUEST: "shadowing/email/visit_invitation",
    MessageKind.CANCEL: "shadowing/email/visit_cancelled",
    MessageKind.REMINDER: "shadowing/email/visit_reminder",
    MessageKind.DEBRIEF: "shadowing/email/debrief_request",
}


def visit_context(
    pairing: Pairing,
    person: Person | None,
    *,
    role: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    zone=None,
) -> dict:
    """What the texts say about a visit, for `person` in `role`; call it inside the language
    the texts are for."""
    zone = zone or pairing.site.zone
    start = (starts_at or pairing.starts_at).astimezone(zone)
    end = (ends_at or pairing.ends_at).astimezone(zone)
    return {
        "role": role,
        "person": person,
        "executive": pairing.executive,
        "agent": pairing.agent,
        "other": pairing.agent if role == EXECUTIVE else pairing.executive,
        "programme": pairing.programme,
        "site": pairing.site,
        "start": start,
        "end": end,
        "day": date_format(start, DATE_FORMAT),
        "zone_name": zone_name(zone, start),
        "BASE_URL": settings.BASE_URL,
    }


def visit_event(pairing: Pairing, *, sequence: int, context: dict) -> ical.VisitEvent:
    """The calendar event of a visit as `context["role"]` sees it, in the active language. A
    person taken off the visit (FORMER) is its only attendee (RFC 5546, 3.2.5: the CANCEL to
    a removed attendee)."""
    role, site = context["role"], pairing.site
    with timezone.override(context["start"].tzinfo):
        description = render_to_string("shadowing/email/visit_description.txt", context).strip()
    names = {
        "executive": pairing.executive.full_name,
        "agent": pairing.agent.full_name,
        "site": site.name,
    }
    if role == FORMER:
        person = context["person"]
        attendees = (ical.Attendee(person.full_name, person.email),)
        summary = _("Shadowing visit (%(site)s)") % names
    else:
        attendees = (
            ical.Attendee(pairing.executive.full_name, pairing.executive.email),
            ical.Attendee(pairing.agent.full_name, pairing.agent.email),
        )
        summary = {
            EXECUTIVE: _("Shadowing: a day beside %(agent)s (%(site)s)"),
            AGENT: _("Shadowing: %(executive)s beside you (%(site)s)"),
        }.get(role, _("Shadowing: %(executive)s beside %(agent)s (%(site)s)")) % names
    status = {
        PairingStatus.PUBLISHED: ical.Status.CONFIRMED,
        PairingStatus.CANCELLED: ical.Status.CANCELLED,
    }.get(pairing.status, ical.Status.TENTATIVE)
    language = translation.get_language()
    return ical.VisitEvent(
        uid=str(pairing.uid),
        sequence=sequence,
        start=context["start"],
        end=context["end"],
        summary=for_language(summary, language),
        organizer=organizer(),
        attendees=attendees,
        location=", ".join(part for part in (site.name, site.address) if part),
        description=for_language(description, language),
        status=status,
    )


def pairing_ics(pairing: Pairing, *, viewer: Person, now: dt.datetime) -> bytes:
    """The visit's current invitation as `viewer` would read it (a coordinator gets the neutral
    wording), in their language: METHOD:CANCEL once cancelled, else REQUEST."""
    role = role_of(pairing, viewer)
    role = role if role != FORMER else "coordinator"
    method = (
        ical.Method.CANCEL if pairing.status == PairingStatus.CANCELLED else ical.Method.REQUEST
    )
    with translation.override(viewer.preferred_language):
        context = visit_context(pairing, viewer, role=role)
        event = visit_event(pairing, sequence=pairing.sequence, context=context)
        return ical.build_invitation(ical.InviteData(method=method, event=event, dtstamp=now))


def feed_ics(pairings, *, person: Person, now: dt.datetime) -> bytes:
    """A person's calendar feed: their visits, each as they would read it, in their language."""
    with translation.override(person.preferred_language):
        events = [
            visit_event(
                pairing,
                sequence=pairing.sequence,
                context=visit_context(pairing, person, role=role_of(pairing, person)),
            )
            for pairing in pairings
        ]
        name = _("Shadowing visits: %(name)s") % {"name": person.full_name}
    return ical.build_feed(events, name=name, dtstamp=now)


def _subject(kind: str, role: str, context: dict) -> str:
    names = {
        "day": context["day"],
        "executive": context["executive"].full_name,
        "agent": context["agent"].full_name,
    }
    if kind == MessageKind.CANCEL:
        return _("Cancelled: shadowing visit on %(day)s") % names
    if kind == MessageKind.REMINDER:
        if role == EXECUTIVE:
            return _("Reminder: you shadow %(agent)s on %(day)s") % names
        return _("Reminder: %(executive)s shadows your shift on %(day)s") % names
    if kind == MessageKind.DEBRIEF:
        return _("Your debrief: what got in the way on %(day)s?") % names
    if context["is_update"]:
        return _("Updated: shadowing visit on %(day)s") % names
    if role == EXECUTIVE:
        return _("Invitation: a day beside %(agent)s on %(day)s") % names
    return _("Invitation: %(executive)s shadows your shift on %(day)s") % names


def zone_name(zone, moment: dt.datetime) -> str:
    """The zone as people read it, e.g. "America/Vancouver, PDT": the IANA name they can look
    up, and the abbreviation of the day (which says whether summer time is on)."""
    abbreviation = moment.astimezone(zone).tzname() or ""
    key = getattr(zone, "key", str(zone))
    return f"{key}, {abbreviation}" if abbreviation and abbreviation[0] not in "+-" else key
