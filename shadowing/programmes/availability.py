"""Importing a programme's shifts and executives' availability (CONTRACT.md, `import_availability`).

Replace semantics: after an import the programme holds exactly the rows of the files given.
Each kind is replaced only if its file is given: `shifts.csv` alone leaves availability as it
was, and the other way round. An existing shift with the same agent and date is kept (and
updated if its times changed), so the pairings that point at it keep pointing at it.

A pairing whose shift or executive's date vanished is not deleted: it is flagged
(`needs_repair` with the reason), the next pairing run moves it unless it is published, and a
later import that brings the shift or date back clears the flag.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person
from shadowing.organisation.roster.csvfile import Problem, Row, TableRead, read_table
from shadowing.programmes.models import (
    Availability,
    Programme,
    ProgrammeStatus,
    Shift,
    local_instant,
)
from shadowing.programmes.pairing_models import Pairing, PairingStatus, RepairReason
from shadowing.programmes.signals import published_pairings_retimed

SHIFTS_FILE = "shifts.csv"
AVAILABILITY_FILE = "availability.csv"
FILE_NAMES = (SHIFTS_FILE, AVAILABILITY_FILE)
SHIFT_COLUMNS = ("agent_email", "date", "start", "end")
AVAILABILITY_COLUMNS = ("executive_email", "date")

# Keeps every `IN (...)` below SQLite's limit on query parameters.
CHUNK = 500

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

type ShiftKey = tuple[int, dt.date]  # (agent id, date)
type AvailabilityKey = tuple[int, dt.date]  # (executive id, date)


@dataclass(frozen=True)
class KindChanges:
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class BrokenPairing:
    id: int
    executive: str
    agent: str
    date: dt.date
    status: str
    reason: str

    @property
    def reason_text(self) -> str:
        return str(RepairReason(self.reason).label)


@dataclass
class AvailabilityImport:
    """What an import found, and (unless `dry_run` or `errors`) did."""

    dry_run: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shifts: KindChanges | None = None  # None: no shifts.csv, shifts left as they were
    availability: KindChanges | None = None
    broken: list[BrokenPairing] = field(default_factory=list)
    repaired: int = 0  # flagged pairings whose shift and date are back
    retimed: int = 0  # pairings whose shift kept its day but changed its times

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary_lines(self) -> list[str]:
        lines = []
        for name, changes in ((SHIFTS_FILE, self.shifts), (AVAILABILITY_FILE, self.availability)):
            if changes is not None:
                lines.append(
                    _(
                        "%(name)s: %(added)d added, %(removed)d removed, %(changed)d changed, "
                        "%(unchanged)d unchanged"
                    )
                    % {"name": name, **changes.__dict__}
                )
        lines.append(
            _("pairings: %(broken)d flagged for repair, %(repaired)d repaired, %(retimed)d retimed")
            % {"broken": len(self.broken), "repaired": self.repaired, "retimed": self.retimed}
        )
        return lines


@dataclass(frozen=True)
class _ShiftRow:
    agent_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    starts_at: dt.datetime
    ends_at: dt.datetime


def availability_import(
    *, programme: Programme, files: Mapping[str, bytes], dry_run: bool
) -> AvailabilityImport:
    """Replace the programme's shifts and/or availability with the given files' contents.

    `files` maps `shifts.csv` and/or `availability.csv` to their bytes. All-or-nothing: if any
    row of any file is wrong, `errors` lists every problem as `FILE:LINE: message` and nothing
    is written. Re-importing the same files changes nothing. Raises ValidationError for a
    request that cannot be an import at all (no file, unknown file, a closed programme).
    """
    unknown = sorted(set(files) - set(FILE_NAMES))
    if unknown:
        raise ValidationError(
            _("Only shifts.csv and availability.csv can be imported, not %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    if not files:
        raise ValidationError(_("Give shifts.csv, availability.csv or both."))
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed: its shifts can no longer change."))

    result = AvailabilityImport(dry_run=dry_run)
    reads = {
        name: read_table(
            name,
            files[name],
            required=SHIFT_COLUMNS if name == SHIFTS_FILE else AVAILABILITY_COLUMNS,
        )
        for name in FILE_NAMES
        if name in files
    }
    people = _people_named_in(reads.values())
    problems: list[Problem] = []
    new_shifts = new_availability = None
    if SHIFTS_FILE in reads:
        new_shifts = _check_shifts(reads[SHIFTS_FILE], programme, people, problems)
    if AVAILABILITY_FILE in reads:
        new_availability = _check_availability(
            reads[AVAILABILITY_FILE], programme, people, problems
        )
    for read in reads.values():
        problems += read.errors
        result.warnings += [str(warning) for warning in read.warnings]
    # By file and line; a row's own problems stay in the order of its columns.
    result.errors = [str(p) for p in sorted(problems, key=lambda p: (p.file, p.line))]
    if result.errors:
        return result

    with transaction.atomic():
        # Serialises imports and pairing runs of one programme (a no-op on SQLite, which
        # serialises every writer anyway).
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        _replace(programme, new_shifts, new_availability, result, write=not dry_run)
    return result


# Reading and checking -----------------------------------------------------------------------


def _rows(read: TableRead) -> list[Row]:
    return read.table.rows if read.table is not None else []


def _shown(value: str, limit: int = 60) -> str:
    """A cell quoted for a one-line message: no control character may start a new line."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _people_named_in(reads: Iterable[TableRead]) -> dict[str, Person]:
    emails = {
        row.cells[column].lower()
        for read in reads
        for row in _rows(read)
        for column in ("agent_email", "executive_email")
        # A NUL byte is refused by PostgreSQL in a query; such a cell names no one anyway.
        if row.cells.get(column) and "\x00" not in row.cells[column]
    }
    people: dict[str, Person] = {}
    for chunk in _chunks(sorted(emails)):
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


def _check_shifts(
    read: TableRead, programme: Programme, people: dict[str, Person], problems: list[Problem]
) -> dict[ShiftKey, _ShiftRow]:
    check = _Checker(SHIFTS_FILE, programme, people, problems)
    shifts: dict[ShiftKey, _ShiftRow] = {}
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
        shifts[key] = _ShiftRow(agent.pk, day, start, end, starts_at, ends_at)
    return shifts


def _check_availability(
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


# Replacing ----------------------------------------------------------------------------------


def _replace(
    programme: Programme,
    new_shifts: dict[ShiftKey, _ShiftRow] | None,
    new_availability: set[AvailabilityKey] | None,
    result: AvailabilityImport,
    *,
    write: bool,
) -> None:
    pairings = list(
        Pairing.objects.active()
        .filter(programme=programme)
        .values(
            "id",
            "executive_id",
            "agent_id",
            "date",
            "shift_id",
            "status",
            "needs_repair",
            "repair_reason",
            "starts_at",
            "ends_at",
            "sequence",
            executive_email=F("executive__email"),
            agent_email=F("agent__email"),
        )
    )

    # Shifts: what there is, what there will be.
    if new_shifts is not None:
        old_shifts = {
            (s["agent_id"], s["date"]): s
            for s in Shift.objects.filter(programme=programme).values(
                "id", "agent_id", "date", "start_time", "end_time", "starts_at", "ends_at"
            )
        }
        removed_ids = [s["id"] for key, s in old_shifts.items() if key not in new_shifts]
        added = [row for key, row in new_shifts.items() if key not in old_shifts]
        changed = [
            Shift(
                id=old_shifts[key]["id"],
                start_time=row.start,
                end_time=row.end,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
            )
            for key, row in new_shifts.items()
            if key in old_shifts and _differs(old_shifts[key], row)
        ]
        result.shifts = KindChanges(
            added=len(added),
            removed=len(removed_ids),
            changed=len(changed),
            unchanged=len(new_shifts) - len(added) - len(changed),
        )
        shift_after = {key: (row.starts_at, row.ends_at) for key, row in new_shifts.items()}
    else:
        shift_after = {
            (s["agent_id"], s["date"]): (s["starts_at"], s["ends_at"])
            for s in _shifts_of_agents(programme, {p["agent_id"] for p in pairings})
        }

    # Availability.
    if new_availability is not None:
        old_availability = {
            (a["executive_id"], a["date"]): a["id"]
            for a in Availability.objects.filter(programme=programme).values(
                "id", "executive_id", "date"
            )
        }
        removed_availability = [i for k, i in old_availability.items() if k not in new_availability]
        added_availability = new_availability - old_availability.keys()
        result.availability = KindChanges(
            added=len(added_availability),
            removed=len(removed_availability),
            unchanged=len(new_availability) - len(added_availability),
        )
        available_after = new_availability
    else:
        available_after = set()
        for chunk in _chunks(sorted({p["executive_id"] for p in pairings})):
            available_after.update(
                Availability.objects.filter(
                    programme=programme, executive_id__in=chunk
                ).values_list("executive_id", "date")
            )
    restricted = {executive_id for executive_id, _day in available_after}

    # Pairings: which break, which come back, which change times.
    verdicts = {}
    for pairing in pairings:
        key = (pairing["agent_id"], pairing["date"])
        if key not in shift_after:
            reason = RepairReason.SHIFT_REMOVED
        elif (
            pairing["executive_id"] in restricted
            and (pairing["executive_id"], pairing["date"]) not in available_after
        ):
            reason = RepairReason.EXECUTIVE_UNAVAILABLE
        elif pairing["repair_reason"] == RepairReason.DECLINED:
            reason = RepairReason.DECLINED  # said by a person, not found in the files
        else:
            reason = ""
        instants = shift_after.get(key)
        retimed = instants is not None and instants != (pairing["starts_at"], pairing["ends_at"])
        verdicts[pairing["id"]] = (reason, instants if retimed else None)
        if reason and not pairing["needs_repair"]:
            result.broken.append(
                BrokenPairing(
                    id=pairing["id"],
                    executive=pairing["executive_email"],
                    agent=pairing["agent_email"],
                    date=pairing["date"],
                    status=pairing["status"],
                    reason=reason,
                )
            )
        elif not reason and pairing["needs_repair"]:
            result.repaired += 1
        if retimed:
            result.retimed += 1

    if not write:
        return
    if new_shifts is not None:
        for chunk in _chunks(removed_ids):
            Shift.objects.filter(id__in=chunk).delete()
        Shift.objects.bulk_update(
            changed, ["start_time", "end_time", "starts_at", "ends_at"], batch_size=CHUNK
        )
        Shift.objects.bulk_create(
            [
                Shift(
                    programme=programme,
                    agent_id=row.agent_id,
                    date=row.date,
                    start_time=row.start,
                    end_time=row.end,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                )
                for row in added
            ],
            batch_size=CHUNK,
        )
    if new_availability is not None:
        for chunk in _chunks(removed_availability):
            Availability.objects.filter(id__in=chunk).delete()
        Availability.objects.bulk_create(
            [
                Availability(programme=programme, executive_id=executive_id, date=day)
                for executive_id, day in sorted(added_availability)
            ],
            batch_size=CHUNK,
        )
    _store_verdicts(programme, pairings, verdicts)


def _store_verdicts(programme: Programme, pairings: list[dict], verdicts: dict) -> None:
    shift_ids = {
        (s["agent_id"], s["date"]): s["id"]
        for s in _shifts_of_agents(programme, {p["agent_id"] for p in pairings})
    }
    changed = []
    retimed_published = []
    now = timezone.now()
    for pairing in pairings:
        reason, instants = verdicts[pairing["id"]]
        shift_id = shift_ids.get((pairing["agent_id"], pairing["date"]))
        update = Pairing(
            id=pairing["id"],
            shift_id=shift_id,
            needs_repair=bool(reason),
            repair_reason=reason,
            starts_at=pairing["starts_at"],
            ends_at=pairing["ends_at"],
            sequence=pairing["sequence"],
            updated_at=now,
        )
        if instants is not None:
            update.starts_at, update.ends_at = instants
            # The people already hold an invitation: a changed visit needs a higher SEQUENCE.
            if pairing["status"] == PairingStatus.PUBLISHED:
                update.sequence += 1
                retimed_published.append(pairing["id"])
        if (
            update.shift_id != pairing["shift_id"]
            or update.needs_repair != pairing["needs_repair"]
            or update.repair_reason != pairing["repair_reason"]
            or instants is not None
        ):
            changed.append(update)
    Pairing.objects.bulk_update(
        changed,
        [
            "shift_id",
            "needs_repair",
            "repair_reason",
            "starts_at",
            "ends_at",
            "sequence",
            "updated_at",
        ],
        batch_size=CHUNK,
    )
    if retimed_published:
        # Same transaction as the raised SEQUENCE: the updated invitations are queued with it.
        published_pairings_retimed.send(sender=Pairing, pairing_ids=retimed_published)


def _differs(old: dict, row: _ShiftRow) -> bool:
    return (old["start_time"], old["end_time"], old["starts_at"], old["ends_at"]) != (
        row.start,
        row.end,
        row.starts_at,
        row.ends_at,
    )


def _shifts_of_agents(programme: Programme, agent_ids: set[int]) -> Iterator[dict]:
    for chunk in _chunks(sorted(agent_ids)):
        yield from Shift.objects.filter(programme=programme, agent_id__in=chunk).values(
            "id", "agent_id", "date", "starts_at", "ends_at"
        )


def _chunks[T](items: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
