"""What an availability import found, and (unless a dry run or refused) did: the changes to
shifts and availability, the pairings it flagged for repair, repaired or retimed."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shadowing.programmes.availability.columns import AVAILABILITY_FILE, SHIFTS_FILE
from shadowing.programmes.pairing_models import RepairReason


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
