"""Roll-ups of value per department, per wave (programme) and per series: expected money a
month, realised money awaiting review ("claimed"), realised money confirmed by finance and
realised money challenged. The three realised sums never overlap: confirmed is always shown
apart from what is only claimed.

An item's wave is the programme of its earliest report. Each roll-up is one aggregate query
plus one for the labels, whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Q, Sum, When
from django.db.models.functions import Coalesce

from barriers.models import Status
from barriers.selectors import item_wave
from shadowing.organisation.models import Department
from shadowing.programmes.models import Programme, Series

from .models import Impact, Review, ValueSettings

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class RollupRow:
    key: str
    label: str
    items: int = 0
    expected: Decimal = ZERO
    claimed: Decimal = ZERO  # realised, awaiting review
    confirmed: Decimal = ZERO
    challenged: Decimal = ZERO

    @property
    def realised(self) -> Decimal:
        return self.claimed + self.confirmed + self.challenged


@dataclass(frozen=True)
class Rollup:
    title: str
    currency: str
    rows: list[RollupRow] = field(default_factory=list)  # per department
    waves: list[RollupRow] = field(default_factory=list)  # per wave (a series' roll-up)
    total: RollupRow = field(default_factory=lambda: RollupRow("", ""))


def _sum(condition):
    return Coalesce(
        Sum(Case(When(condition, then="realised_money"), output_field=MONEY)),
        ZERO,
        output_field=MONEY,
    )


SUMS = {
    "items": Count("pk"),
    "expected": Coalesce(Sum("expected_money"), ZERO, output_field=MONEY),
    "claimed": _sum(Q(review=Review.PENDING)),
    "confirmed": _sum(Q(review=Review.CONFIRMED)),
    "challenged": _sum(Q(review=Review.CHALLENGED)),
}


def _impacts():
    return (
        Impact.objects.exclude(item__status=Status.MERGED)
        .filter(Q(expected_money__isnull=False) | Q(realised_money__isnull=False))
        .annotate(wave_id=item_wave("item_id"))
    )


def _rows(impacts, group: str, labels: dict) -> list[RollupRow]:
    out = []
    for row in impacts.order_by().values(group).annotate(**SUMS):
        key = row.pop(group)
        out.append(RollupRow(key=str(key), label=labels.get(key, "—"), **row))
    return sorted(out, key=lambda r: r.label)


def _total(rows: list[RollupRow]) -> RollupRow:
    return RollupRow(
        key="total",
        label="",
        items=sum(r.items for r in rows),
        expected=sum((r.expected for r in rows), ZERO),
        claimed=sum((r.claimed for r in rows), ZERO),
        confirmed=sum((r.confirmed for r in rows), ZERO),
        challenged=sum((r.challenged for r in rows), ZERO),
    )


def _department_labels() -> dict:
    return {pk: name for pk, name in _departments()}


def _departments():
    for department in Department.objects.only("pk", "name", "name_fr", "code"):
        yield department.pk, f"{department.display_name} ({department.code})"


def department_rollup(impacts=None, *, title: str = "") -> Rollup:
    """Every department's value (or that of `impacts`), one row each."""
    impacts = _impacts() if impacts is None else impacts
    rows = _rows(impacts, "item__department_id", _department_labels())
    return Rollup(
        title=title, currency=ValueSettings.load().currency, rows=rows, total=_total(rows)
    )


def programme_rollup(programme: Programme) -> Rollup:
    """The value of the items first reported in `programme` (a wave), per department."""
    return department_rollup(_impacts().filter(wave_id=programme.pk), title=programme.name)


def series_rollup(series: Series) -> Rollup:
    """The value of the items first reported in any wave of `series`, per department and per
    wave."""
    waves = dict(
        Programme.objects.filter(series=series).order_by("start_date").values_list("pk", "name")
    )
    order = list(waves)
    impacts = _impacts().filter(wave_id__in=list(waves))
    base = department_rollup(impacts, title=series.name)
    return Rollup(
        title=base.title,
        currency=base.currency,
        rows=base.rows,
        waves=sorted(_rows(impacts, "wave_id", waves), key=lambda r: order.index(int(r.key))),
        total=base.total,
    )
