"""iCalendar for visits: iTIP invitations by e-mail (RFC 5545, 5546, 6047) and a private feed.

Pure: plain data in (frozen dataclasses), bytes out; nothing from Django, no clock, no database,
so that every rule below is tested without either (tests/invitations/test_ical.py).

The rules, each learnt from a scheduler that broke it:

- one UID for the life of a visit, given by the caller (regenerating it duplicated events);
- SEQUENCE given by the caller, who raises it with every change (a stuck SEQUENCE made
  updates that did not update);
- METHOD:CANCEL with STATUS:CANCELLED for a cancellation, never a REQUEST carrying
  STATUS:CANCELLED (which left the event in calendars); no VALARM in a cancellation;
- times in UTC (`...Z`): Outlook, Gmail and Apple Calendar read them alike, with no VTIMEZONE
  to get wrong (the site's local time goes in the message body, not here);
- ORGANIZER a bare `mailto:` with a CN, never `mailto:Name <address>`;
- `Calendar()`, not `Calendar.new()`, which adds a calendar-level UID.

Escaping (comma, semicolon, backslash, newline in text) and folding at 75 octets are
icalendar's; parameter values (names) cannot hold a line break, so one becomes a space.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

PRODID = "-//Shadowing programme//Visits 1.0//EN"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class Status(StrEnum):
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


class Role(StrEnum):
    CHAIR = "CHAIR"
    REQUIRED = "REQ-PARTICIPANT"
    OPTIONAL = "OPT-PARTICIPANT"


@dataclass(frozen=True)
class Organizer:
    name: str
    email: str


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    role: Role = Role.REQUIRED


@dataclass(frozen=True)
class VisitEvent:
    """One visit as a calendar event. `start` and `end` are aware datetimes (any zone; they are
    written in UTC)."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    organizer: Organizer
    attendees: tuple[Attendee, ...]
    location: str = ""
    description: str = ""
    status: Status = Status.CONFIRMED
    url: str = ""


@dataclass(frozen=True)
class InviteData:
    """An iTIP message: the method and the event, stamped `dtstamp` (when it is sent)."""

    method: Method
    event: VisitEvent
    dtstamp: dt.datetime


def build_invitation(data: InviteData) -> bytes:
    """The VCALENDAR of an iTIP REQUEST or CANCEL for one visit.

    Raises ValueError for what would make a calendar client misread it: a naive time, an end
    not after the start, a negative sequence, no UID, no organizer address or no attendee, a
    REQUEST whose status is CANCELLED. A CANCEL is always STATUS:CANCELLED, whatever the
    event's status says."""
    method = Method(data.method)
    event = data.event
    _check(event)
    if method is Method.REQUEST and event.status == Status.CANCELLED:
        raise ValueError("a cancelled visit is sent as METHOD:CANCEL, not as a REQUEST")
    if not event.attendees:
        raise ValueError("an invitation needs at least one attendee")
    status = Status.CANCELLED if method is Method.CANCEL else Status(event.status)

    calendar = _calendar()
    calendar.add("method", method.value)
    vevent = _vevent(event, status, data.dtstamp)
    vevent.add("organizer", _address(event.organizer.email, event.organizer.name), encode=0)
    for attendee in event.attendees:
        address = _address(attendee.email, attendee.name)
        address.params["ROLE"] = Role(attendee.role).value
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        vevent.add("attendee", address, encode=0)
    calendar.add_component(vevent)
    return calendar.to_ical()


def build_feed(
    events: Iterable[VisitEvent], *, name: str, dtstamp: dt.datetime, refresh_minutes: int = 60
) -> bytes:
    """A plain calendar (no METHOD: it is not an iTIP message) of a person's visits, for a
    subscription. Events keep their invitation UID and SEQUENCE, and carry no ORGANIZER or
    ATTENDEE: a subscribed calendar is read-only, and clients would otherwise offer replies."""
    calendar = _calendar()
    calendar.add("x-wr-calname", _one_line(name))
    refresh = dt.timedelta(minutes=refresh_minutes)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for event in events:
        _check(event)
        calendar.add_component(_vevent(event, Status(event.status), dtstamp))
    return calendar.to_ical()


# Helpers ------------------------------------------------------------------------------------


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _vevent(event: VisitEvent, status: Status, dtstamp: dt.datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(dtstamp, "dtstamp"))
    vevent.add("dtstart", _utc(event.start, "start"))
    vevent.add("dtend", _utc(event.end, "end"))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("status", status.value)
    vevent.add("transp", "OPAQUE")
    if event.url:
        vevent.add("url", event.url)
    return vevent


def _check(event: VisitEvent) -> None:
    if not event.uid or not event.uid.strip():
        raise ValueError("an event needs a UID")
    if event.sequence < 0:
        raise ValueError("SEQUENCE cannot be negative")
    if _utc(event.end, "end") <= _utc(event.start, "start"):
        raise ValueError("an event must end after it starts")
    if not event.organizer.email:
        raise ValueError("the organizer needs an e-mail address")


def _utc(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, not a naive one")
    return value.astimezone(dt.UTC)


_BREAKS = re.compile(r"[\r\n\t\v\f\x00-\x1f\x7f]+")


def _one_line(text: str) -> str:
    return _BREAKS.sub(" ", text).strip()


def _address(email: str, name: str) -> vCalAddress:
    """A calendar user address: a bare `mailto:` (no display name inside the URI), the name as
    CN. A name with a line break would end the line mid-parameter: it is made one line."""
    email = email.strip()
    if not email or any(c in email for c in " <>\r\n"):
        raise ValueError(f"not a bare e-mail address: {email!r}")
    address = vCalAddress(f"mailto:{email}")
    cn = _one_line(name)
    if cn:
        address.params["CN"] = vText(cn)
    return address
