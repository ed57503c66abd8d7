"""The loop, measured: for each wave of a series and each department, how the backlog items
raised in that wave fared. Pure: plain rows in, frozen dataclasses out, nothing from Django.

An item belongs to the wave (the programme) of its earliest report: the visit where the barrier
was first seen. `reports.backlog.loop_items` computes that in SQL, one subquery per query, never
per item. Merged items are left out: their reports count in the item they went into.

The measures, each a share with its numerator and denominator, counted only once its outcome is
known (a young item neither passes nor fails a deadline that has not come):

- claimed within 5 working days: the first claim came at most 5 working days after the item's
  creation, in the owning department's calendar (weekends and its closed days); out of items
  claimed, or unclaimed with the 5 working days gone by;
- resolved within 90 days: resolved at most 90 calendar days after creation; out of items
  resolved, or unresolved and older than 90 days;
- confirmed by a reporter: verified; out of the items resolved (or verified);
- reopened: ever reopened (an audit row of the reopen kind); out of every item.

Medians are in calendar days (to one decimal), from creation to the first claim and to the
resolution. A department that owns items in a wave but has claimed none of them is named in
`claimed_none`, which no department filter ever narrows.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

CLAIM_WORKING_DAYS = 5
RESOLVE_DAYS = 90
DAY = 86400


@dataclass(frozen=True)
class Share:
    numerator: int = 0
    denominator: int = 0

    @property
    def share(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.numerator / self.denominator) if self.denominator else None


@dataclass(frozen=True)
class ItemRow:
    """One backlog item as the measures need it; datetimes aware, dates local."""

    department_id: int
    wave_id: int
    created_at: dt.datetime
    created_on: dt.date
    first_claimed_at: dt.datetime | None
    first_claimed_on: dt.date | None
    resolved_at: dt.datetime | None
    verified: bool
    reopened: bool


@dataclass(frozen=True)
class Wave:
    id: int
    slug: str
    name: str
    start_date: dt.date


@dataclass(frozen=True)
class DepartmentLoop:
    code: str
    name: str
    items: int
    claimed: int  # ever claimed
    claimed_in_time: Share
    resolved_in_time: Share
    confirmed: Share
    reopened: Share
    days_to_claim: float | None
    days_to_resolve: float | None

    @property
    def claimed_none(self) -> bool:
        return self.items > 0 and self.claimed == 0


@dataclass(frozen=True)
class WaveLoop:
    wave: Wave
    departments: list[DepartmentLoop]
    total: DepartmentLoop
    # Never filtered: every department that owns items of the wave and has claimed none.
    claimed_none: list[DepartmentLoop] = field(default_factory=list)


@dataclass(frozen=True)
class Loop:
    waves: list[WaveLoop]
    current: str | None = None  # the wave a programme's view is about
    # Departments owning items in the series' waves and having claimed none of them, ever.
    claimed_none: list[DepartmentLoop] = field(default_factory=list)

    @property
    def wave(self) -> WaveLoop | None:
        """The current wave, else the last."""
        for line in self.waves:
            if line.wave.slug == self.current:
                return line
        return self.waves[-1] if self.waves else None

    def departments(self) -> list[tuple[str, str]]:
        """(code, name) of every department in any wave, by name."""
        seen = {d.code: d.name for line in self.waves for d in line.departments}
        return sorted(seen.items(), key=lambda pair: (pair[1].lower(), pair[0]))

    def only(self, codes: Iterable[str]) -> "Loop":
        """The same loop with the department lines narrowed to `codes`; the departments that
        claimed nothing stay, all of them."""
        codes = set(codes)
        if not codes:
            return self
        return replace(
            self,
            waves=[
                replace(line, departments=[d for d in line.departments if d.code in codes])
                for line in self.waves
            ],
        )


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _line(
    code: str,
    name: str,
    rows: Sequence[ItemRow],
    *,
    now: dt.datetime,
    today: dt.date,
    working_days: Callable[[dt.date, dt.date], int],
) -> DepartmentLoop:
    claim_in, claim_of = 0, 0
    resolve_in, resolve_of = 0, 0
    confirmed, resolved = 0, 0
    reopened = 0
    to_claim: list[float] = []
    to_resolve: list[float] = []
    for row in rows:
        if row.first_claimed_at is not None:
            claim_of += 1
            on = row.first_claimed_on or row.created_on
            if working_days(row.created_on, on) <= CLAIM_WORKING_DAYS:
                claim_in += 1
            to_claim.append((row.first_claimed_at - row.created_at).total_seconds() / DAY)
        elif working_days(row.created_on, today) > CLAIM_WORKING_DAYS:
            claim_of += 1
        if row.resolved_at is not None:
            resolve_of += 1
            seconds = (row.resolved_at - row.created_at).total_seconds()
            if seconds <= RESOLVE_DAYS * DAY:
                resolve_in += 1
            to_resolve.append(seconds / DAY)
        elif (now - row.created_at).total_seconds() > RESOLVE_DAYS * DAY:
            resolve_of += 1
        if row.resolved_at is not None or row.verified:
            resolved += 1
            confirmed += row.verified
        reopened += row.reopened
    return DepartmentLoop(
        code=code,
        name=name,
        items=len(rows),
        claimed=len(to_claim),
        claimed_in_time=Share(claim_in, claim_of),
        resolved_in_time=Share(resolve_in, resolve_of),
        confirmed=Share(confirmed, resolved),
        reopened=Share(reopened, len(rows)),
        days_to_claim=_median(to_claim),
        days_to_resolve=_median(to_resolve),
    )


def measure(
    rows: Iterable[ItemRow],
    *,
    waves: Sequence[Wave],
    departments: dict[int, tuple[str, str]],
    now: dt.datetime,
    today: dt.date,
    working_days: Callable[[int, dt.date, dt.date], int],
    current: str | None = None,
    all_label: str = "All departments",
) -> Loop:
    """The loop of `waves` (in their order) from the items' `rows`; `departments` maps an id
    to (code, name); `working_days(department_id, start, end)` counts the working days after
    `start` up to `end` in that department's calendar."""
    by_wave: dict[int, dict[int, list[ItemRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_wave[row.wave_id][row.department_id].append(row)

    def line(department_id: int, items: Sequence[ItemRow]) -> DepartmentLoop:
        code, name = departments[department_id]
        return _line(
            code,
            name,
            items,
            now=now,
            today=today,
            working_days=lambda start, end: working_days(department_id, start, end),
        )

    def order(d: DepartmentLoop):
        # Those that claimed nothing first, then by name.
        return (not d.claimed_none, d.name.lower(), d.code)

    lines = []
    ever: dict[int, list[ItemRow]] = defaultdict(list)
    for wave in waves:
        groups = by_wave.get(wave.id, {})
        per_department = sorted((line(pk, items) for pk, items in groups.items()), key=order)
        everything = [row for items in groups.values() for row in items]
        for pk, items in groups.items():
            ever[pk].extend(items)
        total = _line(
            "",
            all_label,
            everything,
            now=now,
            today=today,
            working_days=lambda start, end, rows=everything: 0,
        )
        # The total's on-time claims: the sum of the departments', each in its own calendar.
        total = replace(
            total,
            claimed_in_time=Share(
                sum(d.claimed_in_time.numerator for d in per_department),
                sum(d.claimed_in_time.denominator for d in per_department),
            ),
        )
        lines.append(
            WaveLoop(
                wave=wave,
                departments=per_department,
                total=total,
                claimed_none=[d for d in per_department if d.claimed_none],
            )
        )
    never = sorted(
        (d for d in (line(pk, items) for pk, items in ever.items()) if d.claimed_none),
        key=order,
    )
    return Loop(waves=lines, current=current, claimed_none=never)


MEASURES = ("claimed_in_time", "resolved_in_time", "confirmed", "reopened")


def trend(loop: Loop, measure_name: str, code: str | None = None) -> list[int | None]:
    """One measure's percentages across the waves, for one department (`code`) or all."""
    values = []
    for line in loop.waves:
        if code is None:
            share = getattr(line.total, measure_name)
        else:
            found = next((d for d in line.departments if d.code == code), None)
            share = getattr(found, measure_name) if found else Share()
        values.append(share.percent)
    return values
