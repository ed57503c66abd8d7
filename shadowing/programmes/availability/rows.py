"""Reading and checking the rows of shifts.csv and availability.csv: each cell against the
roster and the programme, every problem as `FILE:LINE: message`, the valid rows as the shifts
and the available days the programme is to hold."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from shadowing.organisation.models import Person
from shadowing.organisation.roster.csvfile import Problem, Row, TableRead
from shadowing.programmes.availability.columns import AVAILABILITY_FILE, SHIFTS_FILE
from shadowing.programmes.batches import chunks
from shadowing.programmes.models import Programme, local_instant

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

type ShiftKey = tuple[int, dt.date]  # (agent id, date)
type AvailabilityKey = tuple[int, dt.date]  # (executive id, date)


@dataclass(frozen=True)
class ShiftRow:
    agent_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    starts_at: dt.datetime
    ends_at: dt.datetime


def _rows(read: TableRead) -> list[Row]:
    return read.table.rows if read.table is not None else []


def _shown(value: str, limit: int = 60) -> str:
    """A cell quoted for a one-line message: no control character may start a new line."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def people_named_in(reads: Iterable[TableRead]) -> dict[str, Person]:
    emails = {
        row.cells[column].lower()
        for read in reads
        for row in _rows(read)
        for column in ("agent_email", "executive_email")
        # A NUL byte is refused by PostgreSQL in a query; such a cell names no one anyway.
        if row.cells.get(column) and "\x00" not in row.cells[column]
    }
    people: dict[str, Person] = {}
    for chunk in chunks(sorted(emails)):
        for person in Person.objects.filter(email__in=chunk).select_related("site"):
            people[person.email] = person
    return people


@dataclass
class _Checker:
    """Checks the values of one file's rows, collecting `FILE:LINE: message` problems."""

    file: str
    programme: Programme
    people: dict[str, Person]
    problems: list[Problem]

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def person(self, line: int, email: str, column: str, role: str) -> Person | None:
        if not email:
            self.error(line, _("%(column)s is empty") % {"column": column})
            return None
        person = self.people.get(email.lower())
        if person is None:
            self.error(
                line,
                _("no one in the roster has the e-mail %(email)s") % {"email": _shown(email)},
            )
            return None
        if not person.is_active:
            self.error(line, _("%(email)s is no longer active") % {"email": person.email})
            return None
        if not getattr(person, f"is_{role}"):
            message = (
                _("%(email)s is not an agent (roles: %(roles)s)")
                if role == "agent"
                else _("%(email)s is not an executive (roles: %(roles)s)")
            )
            roles = ", ".join(person.roles) or _("none")
            self.error(line, message % {"email": person.email, "roles": roles})
            return None
        return person

    def date(self, line: int, value: str) -> dt.date | None:
        day = None
        if _DATE.fullmatch(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
        if day is None:
            self.error(
                line,
                _("date %(value)s is not a date in the form YYYY-MM-DD") % {"value": _shown(value)},
            )
            return None
        if not self.programme.includes(day):
            self.error(
                line,
                _("date %(day)s is outside the programme (%(start)s to %(end)s)")
                % {"day": day, "start": self.programme.start_date, "end": self.programme.end_date},
            )
            return None
        return day

    def time(self, line: int, column: str, value: str) -> dt.time | None:
        match = _TIME.fullmatch(value)
        if match:
            hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
            try:
                return dt.time(hours, minutes, seconds)
            except ValueError:
                pass
        self.error(
            line,
            _("%(column)s %(value)s is not a time in the form HH:MM")
            % {"column": column, "value": _shown(value)},
        )
        return None


def check_shifts(
    read: TableRead, programme: Programme, people: dict[str, Person], problems: list[Problem]
) -> dict[ShiftKey, ShiftRow]:
    check = _Checker(SHIFTS_FILE, programme, people, problems)
    shifts: dict[ShiftKey, ShiftRow] = {}
    first_line: dict[ShiftKey, int] = {}
    for row in _rows(read):
        line, cells = row.line, row.cells
        agent = check.person(line, cells["agent_email"], "agent_email", "agent")
        if agent is not None and agent.site is None:
            check.error(
                line,
                _("%(email)s has no site, so the local times of their shift mean nothing")
                % {"email": agent.email},
            )
            agent = None
        day = check.date(line, cells["date"])
        start = check.time(line, "start", cells["start"])
        end = check.time(line, "end", cells["end"])
        if start is not None and end is not None and end <= start:
            check.error(
                line,
                _(
                    "end %(end)s is before start %(start)s: overnight shifts are not supported "
                    "(a visit is one calendar day)"
                )
                % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}
                if end < start
                else _("end %(end)s is the same as start: the shift has no length")
                % {"end": f"{end:%H:%M}"},
            )
            start = end = None
        if agent is None or day is None:
            continue
        key = (agent.pk, day)
        if key in first_line:
            check.error(
                line,
                _("%(email)s already has a shift on %(day)s (line %(first)d)")
                % {"email": agent.email, "day": day, "first": first_line[key]},
            )
            continue
        first_line[key] = line
        if start is None or end is None:
            continue
        zone = agent.site.zone
        starts_at, ends_at = local_instant(day, start, zone), local_instant(day, end, zone)
        shifts[key] = ShiftRow(agent.pk, day, start, end, starts_at, ends_at)
    return shifts


def check_availability(
    read: TableRead, programme: Programme, people: dict[str, Person], problems: list[Problem]
) -> set[AvailabilityKey]:
    check = _Checker(AVAILABILITY_FILE, programme, people, problems)
    available: set[AvailabilityKey] = set()
    first_line: dict[AvailabilityKey, int] = {}
    for row in _rows(read):
        line, cells = row.line, row.cells
        executive = check.person(line, cells["executive_email"], "executive_email", "executive")
        day = check.date(line, cells["date"])
        if executive is None or day is None:
            continue
        key = (executive.pk, day)
        if key in first_line:
            check.error(
                line,
                _("%(email)s is already available on %(day)s (line %(first)d)")
                % {"email": executive.email, "day": day, "first": first_line[key]},
            )
            continue
        first_line[key] = line
        available.add(key)
    return available
