"""Every write to an item's value: the expected impact, the realised impact, a finance review,
and the costs. Each runs in a transaction, is a compare-and-set on `Impact.version` (two writes
from the same state: one lands, the other raises `Conflict`, HTTP 409) and writes its audit row
(`ValueEvent`). Bad input raises ValidationError naming the field; nothing is half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from barriers.models import OPEN_STATUSES, BacklogItem, Status
from barriers.services.common import TEXT_MAX, Conflict
from shadowing import clock
from shadowing.organisation.models import Person

from .models import COST_MAX, QUANTITY_MAX, Impact, Kind, Review, ValueEvent, ValueSettings
from .money import money_a_month

RESOLVED_STATUSES = (Status.RESOLVED, Status.VERIFIED)
EXPECTED_STATUSES = (*OPEN_STATUSES, *RESOLVED_STATUSES)
AUDITED = (
    "expected_kind",
    "expected_quantity",
    "expected_basis",
    "expected_money",
    "realised_kind",
    "realised_quantity",
    "realised_money",
    "evidence",
    "evidence_link",
    "review",
    "review_reason",
)


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _snapshot(impact: Impact) -> dict:
    return {name: _plain(getattr(impact, name)) for name in AUDITED}


def _decimal(value, field: str, *, maximum: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationError(
            {field: [_("Enter a number from 0 to %(max)s.") % {"max": f"{maximum:,.0f}"}]}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("At most two decimal places.")]})
    return number.quantize(Decimal("0.01"))


def _kind(value, field: str) -> str:
    if value not in Kind.values:
        raise ValidationError({field: [_("Choose one of the kinds offered.")]})
    return value


def _text(value, field: str, *, required: str | None = None) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: [required]})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    return value


def _money(kind: str, quantity: Decimal) -> Decimal:
    costs = ValueSettings.load()
    return money_a_month(
        kind,
        quantity,
        cost_per_contact=costs.cost_per_contact,
        cost_per_minute=costs.cost_per_minute,
        value_per_fcr_point=costs.value_per_fcr_point,
    )


def impact_of(item: BacklogItem) -> Impact:
    """The item's impact row (made empty on first use)."""
    impact, _created = Impact.objects.get_or_create(item=item)
    return impact


def _write(impact: Impact, *, by, kind, changes: dict, note: str, now, version) -> Impact:
    before = _snapshot(impact)
    with transaction.atomic():
        seen = impact.version if version is None else version
        rows = Impact.objects.filter(pk=impact.pk, version=seen)
        if rows.update(**changes, version=F("version") + 1, updated_at=now) != 1:
            raise Conflict(_("The value changed meanwhile: reload it and try again."))
        for name, value in changes.items():
            setattr(impact, name, value)
        impact.version = seen + 1
        impact.updated_at = now
        after = _snapshot(impact)
        keys = [key for key in after if before[key] != after[key]]
        ValueEvent.objects.create(
            impact=impact,
            kind=kind,
            actor=by,
            at=now,
            before={key: before[key] for key in keys},
            after={key: after[key] for key in keys},
            note=note,
        )
    return impact


def impact_set_expected(
    *,
    item: BacklogItem,
    by: Person,
    kind: str,
    quantity,
    basis: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Impact:
    """Set the item's expected impact (owner, head or coordinator; the item open or resolved).
    A free amount needs its basis. Money a month is computed with today's costs."""
    if not by.has_perm("value.set_impact", item):
        raise PermissionDenied(_("You may not set this item's value."))
    if item.status not in EXPECTED_STATUSES:
        raise ValidationError(
            {"status": [_("An expected impact is set while the item is open or resolved.")]}
        )
    kind = _kind(kind, "kind")
    quantity = _decimal(quantity, "quantity", maximum=QUANTITY_MAX)
    basis = _text(
        basis,
        "basis",
        required=_("Say how the amount was worked out.") if kind == Kind.AMOUNT else None,
    )
    impact = impact_of(item)
    changes = {
        "expected_kind": kind,
        "expected_quantity": quantity,
        "expected_basis": basis,
        "expected_money": _money(kind, quantity),
        "expected_by": by,
    }
    return _write(
        impact,
        by=by,
        kind=ValueEvent.EventKind.EXPECTED,
        changes=changes,
        note=basis,
        now=now or clock.now(),
        version=version,
    )


def impact_set_realised(
    *,
    item: BacklogItem,
    by: Person,
    kind: str,
    quantity,
    evidence: str,
    evidence_link: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Impact:
    """Record what the fix realised, with its evidence, once the item is resolved. It goes (back)
    to finance for review: a new value after a challenge or a confirmation re-opens review."""
    if not by.has_perm("value.set_impact", item):
        raise PermissionDenied(_("You may not set this item's value."))
    if item.status not in RESOLVED_STATUSES:
        raise ValidationError(
            {"status": [_("A realised impact is recorded once the item is resolved.")]}
        )
    kind = _kind(kind, "kind")
    quantity = _decimal(quantity, "quantity", maximum=QUANTITY_MAX)
    evidence = _text(evidence, "evidence", required=_("Say what shows the impact was realised."))
    link = _text(evidence_link, "evidence_link")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError({"evidence_link": [_("Enter a web address.")]}) from None
        if len(link) > 500:
            raise ValidationError({"evidence_link": [_("At most 500 characters.")]})
    now = now or clock.now()
    impact = impact_of(item)
    changes = {
        "realised_kind": kind,
        "realised_quantity": quantity,
        "realised_money": _money(kind, quantity),
        "evidence": evidence,
        "evidence_link": link,
        "realised_by": by,
        "realised_at": now,
        "review": Review.PENDING,
        "reviewed_by": None,
        "reviewed_at": None,
        "review_reason": "",
    }
    return _write(
        impact,
        by=by,
        kind=ValueEvent.EventKind.REALISED,
        changes=changes,
        note=evidence,
        now=now,
        version=version,
    )


def impact_review(
    *,
    item: BacklogItem,
    by: Person,
    decision: str,
    reason: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Impact:
    """A finance reviewer confirms or challenges the realised value awaiting review (a challenge
    needs its reason). Of two reviews at once one lands; the other raises Conflict."""
    if not by.has_perm("value.review_impact", item):
        raise PermissionDenied(_("Only a finance reviewer confirms or challenges a value."))
    if decision not in (Review.CONFIRMED, Review.CHALLENGED):
        raise ValidationError({"decision": [_("Either confirmed or challenged.")]})
    reason = _text(
        reason,
        "reason",
        required=_("Say why the value is challenged.") if decision == Review.CHALLENGED else None,
    )
    impact = Impact.objects.filter(item=item).first()
    if impact is None or impact.review != Review.PENDING:
        if impact is not None and version is not None and impact.version != version:
            raise Conflict(_("The value changed meanwhile: reload it and try again."))
        raise ValidationError({"decision": [_("No realised value awaits review.")]})
    now = now or clock.now()
    changes = {
        "review": decision,
        "reviewed_by": by,
        "reviewed_at": now,
        "review_reason": reason,
    }
    kind = (
        ValueEvent.EventKind.CONFIRMED
        if decision == Review.CONFIRMED
        else ValueEvent.EventKind.CHALLENGED
    )
    return _write(impact, by=by, kind=kind, changes=changes, note=reason, now=now, version=version)


def value_settings_update(
    *, by: Person, cost_per_contact, cost_per_minute, value_per_fcr_point, currency: str
) -> ValueSettings:
    """Change the costs (coordinators). Values already written keep their money."""
    if not by.has_perm("value.change_valuesettings"):
        raise PermissionDenied(_("Only a coordinator changes the costs."))
    values = {
        "cost_per_contact": _decimal(cost_per_contact, "cost_per_contact", maximum=COST_MAX),
        "cost_per_minute": _decimal(cost_per_minute, "cost_per_minute", maximum=COST_MAX),
        "value_per_fcr_point": _decimal(
            value_per_fcr_point, "value_per_fcr_point", maximum=QUANTITY_MAX
        ),
    }
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise ValidationError({"currency": [_("A three-letter currency code, such as CAD.")]})
    with transaction.atomic():
        row = ValueSettings.objects.select_for_update().get(pk=ValueSettings.load().pk)
        before = {name: _plain(getattr(row, name)) for name in values} | {"currency": row.currency}
        for name, value in {**values, "currency": currency}.items():
            setattr(row, name, value)
        row.updated_at = clock.now()
        row.save()
        after = {name: _plain(getattr(row, name)) for name in values} | {"currency": currency}
        ValueEvent.objects.create(
            kind=ValueEvent.EventKind.SETTINGS,
            actor=by,
            at=row.updated_at,
            before=before,
            after=after,
        )
    return row
