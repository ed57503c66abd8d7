"""Filing barrier reports into the backlog (from the report signal's task and the hourly sweep):
a new report opens an item, a changed or withdrawn one updates its item; and the items'
summaries (severity, frequency, counts, priority, vector) recomputed from their reports."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from debriefs.models import BarrierReport, Source

from .. import priority as priority_rules
from .. import similarity
from ..kinds import EventKind
from ..models import BacklogItem, ItemReport, ItemVector, Status
from .common import _event, _now, snapshot
from .owners import NoOwner, department_owner

log = logging.getLogger(__name__)


# Filing reports ---------------------------------------------------------------------------------


def _report_vectors(reports: list[BarrierReport]) -> dict[int, bytes | None]:
    """Each report's vector as bytes, or None for all when the model cannot run (the items
    are still filed; suggestions skip them)."""
    if not reports:
        return {}
    try:
        from ..similarity import encoder

        texts = [similarity.barrier_text(r.title, r.description) for r in reports]
        vectors = encoder.encode(texts)
    except Exception:  # the backlog must take reports even if the model cannot run
        log.exception("barrier similarity: could not compute vectors; items filed without")
        return {report.pk: None for report in reports}
    return {
        report.pk: similarity.to_bytes(vector)
        for report, vector in zip(reports, vectors, strict=True)
    }


def backlog_file_reports(*, report_ids: Iterable[int], now=None) -> list[BacklogItem]:
    """File barrier reports into the backlog: a report not yet in the backlog opens a new item
    (owner: its department's head); one already there (changed or withdrawn by a resubmitted
    debrief) updates its item. Idempotent: filing the same ids again changes nothing new.
    Returns the items created or touched."""
    now = _now(now)
    reports = list(
        BarrierReport.objects.select_related("department__head", "backlog_link")
        .filter(pk__in=set(report_ids))
        .order_by("pk")
    )
    existing = [r for r in reports if hasattr(r, "backlog_link")]
    fresh = [r for r in reports if not hasattr(r, "backlog_link") and r.withdrawn_at is None]
    vectors = _report_vectors(existing + fresh)
    touched: dict[int, BacklogItem] = {}
    for report in existing:
        link = report.backlog_link
        if vectors.get(report.pk) is not None:
            ItemReport.objects.filter(pk=link.pk).update(vector=vectors[report.pk])
        item = BacklogItem.objects.get(pk=link.item_id)
        if report.withdrawn_at is not None:
            _event(
                item,
                EventKind.REPORT_WITHDRAWN,
                None,
                after={"report": report.pk},
                now=now,
            )
        refresh_item_summary(item)
        touched[item.pk] = item
    for report in fresh:
        item = _open_item(report, vectors.get(report.pk), now=now)
        if item is not None:
            touched[item.pk] = item
    return list(touched.values())


def _open_item(report: BarrierReport, vector: bytes | None, *, now) -> BacklogItem | None:
    try:
        owner = department_owner(report.department)
    except NoOwner:
        log.error("barrier report %s not filed: nobody can own it", report.pk)
        return None
    try:
        with transaction.atomic():
            item = BacklogItem.objects.create(
                title=report.title,
                description=report.description,
                category=report.category,
                department=report.department,
                severity=report.severity,
                frequency=report.frequency,
                owner=owner,
                owned_since=now,
                created_at=now,
                updated_at=now,
            )
            ItemReport.objects.create(item=item, report=report, vector=vector, added_at=now)
            # The reporter is not named: an agent may have asked for anonymity.
            _event(
                item,
                EventKind.CREATED,
                None,
                after={**snapshot(item, ("status", "department", "owner")), "report": report.pk},
                now=now,
            )
            refresh_item_summary(item)
    except IntegrityError:  # another worker filed this report first
        return None
    return item


def refresh_item_summary(item: BacklogItem) -> BacklogItem:
    """Recompute the item's severity, frequency, counts, priority and vector from its reports
    that are not withdrawn. Not a state change: the version stays."""
    rows = list(
        ItemReport.objects.filter(item=item, report__withdrawn_at__isnull=True).values_list(
            "report__severity",
            "report__frequency",
            "report__source",
            "report__reporter_id",
            "vector",
        )
    )
    executives = {reporter for _s, _f, source, reporter, _v in rows if source == Source.EXECUTIVE}
    agents = {reporter for _s, _f, source, reporter, _v in rows if source == Source.AGENT}
    changes = {
        "report_count": len(rows),
        "executive_count": len(executives),
        "agent_count": len(agents - executives),
    }
    if rows:
        changes["severity"] = max(severity for severity, *_rest in rows)
        changes["frequency"] = priority_rules.most_frequent(row[1] for row in rows)
    changes["priority"] = priority_rules.priority(
        severity=changes.get("severity", item.severity),
        frequency=changes.get("frequency", item.frequency),
        executives=changes["executive_count"],
        agents=changes["agent_count"],
    )
    BacklogItem.objects.filter(pk=item.pk).update(**changes)
    for name, value in changes.items():
        setattr(item, name, value)
    vectors = [similarity.from_bytes(row[4]) for row in rows]
    vectors = [vector for vector in vectors if vector is not None]
    active = item.status != Status.MERGED
    if vectors:
        ItemVector.objects.update_or_create(
            item=item,
            defaults={
                "vector": similarity.to_bytes(similarity.combine(vectors)),
                "active": active,
                "updated_at": timezone.now(),
            },
        )
    else:
        ItemVector.objects.filter(item=item).delete()
    return item


__all__ = ["backlog_file_reports", "refresh_item_summary"]
