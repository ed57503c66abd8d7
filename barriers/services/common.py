"""What every write to the backlog shares: the compare-and-set UPDATE that each state change
is, with its audit row (`ItemEvent`) written in the same transaction and `Conflict` raised when
it loses; the snapshot of an item's audited fields; the checks every write makes (permission,
required text); and what a claim's end clears (`_UNCLAIM`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shadowing.organisation.models import Department, Person

from ..models import BacklogItem, ItemEvent

TEXT_MAX = 2000


class Conflict(Exception):
    """The item changed since it was read (another claim won, a transfer landed): HTTP 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _now(now):
    return now or timezone.now()


# Audit ----------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "status",
    "department",
    "owner",
    "claimed_by",
    "claimed_at",
    "due",
    "first_step",
    "resolution",
    "merged_into",
    "needs_arbitration",
    "transfer_count",
)


def _plain(value):
    if isinstance(value, Person):
        return value.email
    if isinstance(value, Department):
        return value.code
    if isinstance(value, BacklogItem):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(item: BacklogItem, fields: Iterable[str] = SNAPSHOT_FIELDS) -> dict:
    """The audited fields of `item` as JSON-ready values (people by e-mail, departments by
    code). Reads related objects only when they are loaded or cheap (the caller's item)."""
    out = {}
    for name in fields:
        field = BacklogItem._meta.get_field(name)
        if field.is_relation:
            related_id = getattr(item, field.attname)
            if related_id is None:
                out[name] = None
            elif name == "merged_into":
                out[name] = related_id
            else:
                out[name] = _plain(getattr(item, name))
        else:
            out[name] = _plain(getattr(item, name))
    return out


def _event(item, kind, by, *, before=None, after=None, note="", now=None) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=by,
        at=_now(now),
        before=before or {},
        after=after or {},
        note=note,
    )


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _compare_and_set(
    item: BacklogItem,
    *,
    by: Person | None,
    kind: str,
    changes: dict,
    note: str = "",
    now: dt.datetime,
    require: Q | None = None,
    conflict: str | None = None,
    record: dict | None = None,
) -> BacklogItem:
    """Apply `changes` to `item` if it is still at the version read (and matches `require`),
    record the event (with `record` added to its `after`: what caused it), and return the item
    as it now is. Raises Conflict otherwise. Runs inside the caller's transaction when there is
    one."""
    before = snapshot(item)
    rows = BacklogItem.objects.filter(pk=item.pk, version=item.version)
    if require is not None:
        rows = rows.filter(require)
    with transaction.atomic():
        updated = rows.update(**changes, version=F("version") + 1, updated_at=now)
        if updated != 1:
            raise Conflict(conflict or _("The item changed meanwhile: reload it and try again."))
        for name, value in changes.items():
            setattr(item, name, value)
        item.version += 1
        item.updated_at = now
        old, new = _changed(before, snapshot(item))
        _event(item, kind, by, before=old, after={**new, **(record or {})}, note=note, now=now)
    return item


def _check(by: Person, perm: str, item: BacklogItem) -> None:
    if not by.has_perm(perm, item):
        raise PermissionDenied(_("You may not do this to this item."))


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > TEXT_MAX:
        raise ValidationError(
            {
                field: [
                    ngettext("At most %(n)d character.", "At most %(n)d characters.", TEXT_MAX)
                    % {"n": TEXT_MAX}
                ]
            }
        )
    return value


_UNCLAIM = {"claimed_by": None, "claimed_at": None, "due": None, "first_step": ""}


__all__ = ["Conflict", "snapshot"]
