"""Merges: one item absorbing a duplicate (its reports and reporters move, both histories
record it), and undoing that merge."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person

from ..kinds import EventKind
from ..models import BacklogItem, ItemReport, Merge, Status
from .common import _check, _compare_and_set, _event, _now
from .filing import refresh_item_summary
from .resolution import barrier_reports_landed

# Merging --------------------------------------------------------------------------------------


def barrier_merge(*, source: BacklogItem, into: BacklogItem, by: Person, now=None) -> BacklogItem:
    """`into` absorbs `source`: its reports move (their reporters with them), `source` is
    marked merged and points at `into`, and both histories record it. Returns `into`. Undo
    with `barrier_unmerge`."""
    now = _now(now)
    _check(by, "barriers.merge_backlogitem", source)
    if into is None or into.pk == source.pk:
        raise ValidationError({"into": [_("Choose another item.")]})
    if source.status == Status.MERGED:
        raise ValidationError({"status": [_("This item is already merged.")]})
    if into.status == Status.MERGED:
        raise ValidationError(
            {"into": [_("That item is merged itself; choose the one it went into.")]}
        )
    with transaction.atomic():
        before_status = source.status
        source = _compare_and_set(
            source,
            by=by,
            kind=EventKind.MERGED,
            changes={"status": Status.MERGED, "merged_into": into, "needs_arbitration": False},
            now=now,
            require=~Q(status=Status.MERGED),
        )
        moved = list(ItemReport.objects.filter(item=source).values_list("report_id", flat=True))
        ItemReport.objects.filter(item=source).update(item=into)
        Merge.objects.create(
            source=source,
            into=into,
            report_ids=moved,
            source_status=before_status,
            merged_by=by,
            merged_at=now,
        )
        _event(
            into,
            EventKind.ABSORBED,
            by,
            after={"item": source.pk, "reports": moved},
            note=source.title,
            now=now,
        )
        refresh_item_summary(source)
        refresh_item_summary(into)
        # Reports landing on a resolved item say its barrier is back.
        into = barrier_reports_landed(barrier=into, report_ids=moved, now=now)
    into.refresh_from_db()
    return into


def barrier_unmerge(*, source: BacklogItem, by: Person, now=None) -> BacklogItem:
    """Undo the live merge of `source`: the reports that moved come back (from wherever they
    are now), and `source` returns to the status it had. Returns `source`."""
    now = _now(now)
    _check(by, "barriers.merge_backlogitem", source)
    merge = Merge.objects.filter(source=source, undone_at__isnull=True).first()
    if merge is None or source.status != Status.MERGED:
        raise ValidationError({"status": [_("This item is not merged.")]})
    with transaction.atomic():
        holders = set(
            ItemReport.objects.filter(report_id__in=merge.report_ids).values_list(
                "item_id", flat=True
            )
        )
        source = _compare_and_set(
            source,
            by=by,
            kind=EventKind.UNMERGED,
            changes={"status": merge.source_status, "merged_into": None},
            now=now,
            require=Q(status=Status.MERGED),
        )
        ItemReport.objects.filter(report_id__in=merge.report_ids).update(item=source)
        Merge.objects.filter(pk=merge.pk).update(undone_at=now, undone_by=by)
        for holder in BacklogItem.objects.filter(pk__in=holders - {source.pk}):
            _event(
                holder,
                EventKind.UNMERGED,
                by,
                before={"reports": merge.report_ids},
                after={"item": source.pk},
                now=now,
            )
            refresh_item_summary(holder)
        refresh_item_summary(source)
    return source


__all__ = ["barrier_merge", "barrier_unmerge"]
