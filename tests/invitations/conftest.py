"""Invitation fixtures on top of the named cast (tests/conftest.py).

soon        a programme being paired, its dates from 20 to 40 days ahead (so "not over yet"
            holds whenever the tests run)
halifax     a site in America/Halifax (Vancouver is the cast's own site)
francine    a French-speaking agent at Halifax, whose name has accents
(ada and ed, a second agent and a second executive, are in the shared cast)

`outbox_messages(mailoutbox)` turns the sent mail into parsed messages (the email package for
MIME, vobject for the calendar part: neither is what built them).
"""

import datetime as dt
import email
import email.policy
from dataclasses import dataclass

import pytest
import vobject

from shadowing import clock
from shadowing.programmes.models import Programme, ProgrammeStatus
from tests.factories import PersonFactory, SiteFactory
from tests.programmes.conftest import make_pairing, make_shift

__all__ = ["make_pairing", "make_shift"]


def days_ahead(n: int) -> dt.date:
    return clock.local_today() + dt.timedelta(days=n)


@pytest.fixture
def soon(db):
    return Programme.objects.create(
        slug="soon",
        name="Shadowing, spring",
        start_date=days_ahead(20),
        end_date=days_ahead(40),
        status=ProgrammeStatus.PAIRING,
    )


@pytest.fixture
def halifax(db):
    return SiteFactory(
        code="HFX",
        name="Halifax, Barrington St",
        region="West",
        timezone="America/Halifax",
        address="1505 Barrington St, Halifax NS",
    )


@pytest.fixture
def francine(care, halifax, hank):
    return PersonFactory(
        email="francine@example.com",
        full_name="Francine Côté-Bérubé",
        department=care,
        site=halifax,
        manager=hank,
        is_agent=True,
        languages=["fr", "en"],
    )


@dataclass
class Parsed:
    """One sent message, read back."""

    raw: bytes
    mime: email.message.EmailMessage
    to: str
    subject: str
    text: str
    html: str
    calendar_part: email.message.EmailMessage | None
    calendar: object | None  # vobject's VCALENDAR

    @property
    def method(self) -> str:
        return self.calendar.method.value if self.calendar is not None else ""

    @property
    def sequence(self) -> int:
        return int(self.calendar.vevent.sequence.value)

    @property
    def uid(self) -> str:
        return self.calendar.vevent.uid.value


def parse_message(message) -> Parsed:
    raw = message.message().as_bytes()
    mime = email.message_from_bytes(raw, policy=email.policy.default)
    text = html = ""
    calendar_part = calendar = None
    for part in mime.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            text = part.get_content()
        elif kind == "text/html":
            html = part.get_content()
        elif kind == "text/calendar":
            calendar_part = part
            calendar = vobject.readOne(part.get_content())
    return Parsed(
        raw=raw,
        mime=mime,
        to=str(mime["To"]),
        subject=str(mime["Subject"]),
        text=text,
        html=html,
        calendar_part=calendar_part,
        calendar=calendar,
    )


@pytest.fixture
def sent(mailoutbox):
    """`sent()`: every message sent so far, parsed; `sent.to("eve@example.com")` only theirs."""

    class Sent:
        def __call__(self) -> list[Parsed]:
            return [parse_message(m) for m in mailoutbox]

        def to(self, address: str) -> list[Parsed]:
            return [p for p in self() if address in p.to]

    return Sent()
