"""The ambassadors' writes: nudging the head (a mail, once per item and day), suggesting a
merge, and a coordinator's or head's answer to a suggestion (accepting it is `barrier_merge`).
Claiming on the department's behalf is `barrier_claim` (services/claims.py)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shadowing import clock
from shadowing.organisation.models import Person

from ..kinds import EventKind, NoticeKind
from ..models import OPEN_STATUSES, BacklogItem, ItemEvent, Notice, Status
from ..services.common import Conflict, _check, _event
from ..services.merges import barrier_merge
from ..suggestions import MergeSuggestion, SuggestionStatus


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def barrier_nudge(*, barrier: BacklogItem, by: Person, now=None) -> tuple[Notice, bool]:
    """Ask the head of the item's department, by mail, to claim it. Once per item and day (the
    programme's home calendar): a second nudge that day changes nothing and returns
    `(notice, False)`. The mail goes out from a task queued on commit, sent once whatever the
    retries (`Notice` row); the audit row names the ambassador."""
    now = now or clock.now()
    _check(by, "barriers.nudge_backlogitem", barrier)
    if barrier.status not in OPEN_STATUSES:
        raise ValidationError({"status": [_("Only an open item can be nudged.")]})
    head = barrier.department.head
    if head is None or not head.is_active:
        raise ValidationError(
            {"department": [_("This department has no head to nudge: ask the coordinator.")]}
        )
    stage = clock.local_date(now).isoformat()
    try:
        with transaction.atomic():
            notice, created = Notice.objects.get_or_create(
                item=barrier,
                kind=NoticeKind.NUDGE,
                recipient=head,
                stage=stage,
                defaults={"created_at": now},
            )
            if created:
                _event(barrier, EventKind.NUDGED, by, after={"to": [head.email]}, now=now)
                transaction.on_commit(
                    partial(_queue, "barriers.ambassadors.tasks.nudge_notify", notice.pk)
                )
    except IntegrityError:  # another nudge of the same day landed first
        notice = Notice.objects.get(
            item=barrier, kind=NoticeKind.NUDGE, recipient=head, stage=stage
        )
        created = False
    return notice, created


def barrier_suggest_merge(
    *, source: BacklogItem, into: BacklogItem, by: Person, now=None
) -> MergeSuggestion:
    """Suggest that `into` absorb `source`; a coordinator decides. One pending suggestion per
    pair: suggesting it again returns the pending one."""
    now = now or clock.now()
    _check(by, "barriers.suggest_merge_backlogitem", source)
    if into is None or into.pk == source.pk:
        raise ValidationError({"into": [_("Choose another item.")]})
    if source.status == Status.MERGED:
        raise ValidationError({"status": [_("This item is already merged.")]})
    if into.status == Status.MERGED:
        raise ValidationError(
            {"into": [_("That item is merged itself; choose the one it went into.")]}
        )
    pending = MergeSuggestion.objects.filter(
        source=source, into=into, status=SuggestionStatus.PENDING
    )
    try:
        with transaction.atomic():
            if (existing := pending.first()) is not None:
                return existing
            suggestion = MergeSuggestion.objects.create(
                source=source, into=into, suggested_by=by, suggested_at=now
            )
            _event(source, EventKind.MERGE_SUGGESTED, by, after={"item": into.pk}, now=now)
    except IntegrityError:  # the same suggestion at the same moment
        return pending.get()
    return suggestion


def _decide(suggestion: MergeSuggestion, *, by: Person, status: str, now) -> None:
    updated = MergeSuggestion.objects.filter(
        pk=suggestion.pk, status=SuggestionStatus.PENDING
    ).update(status=status, decided_by=by, decided_at=now)
    if updated != 1:
        raise Conflict(_("This suggestion was already decided: reload the item."))
    suggestion.status, suggestion.decided_by, suggestion.decided_at = status, by, now


def suggestion_accept(*, suggestion: MergeSuggestion, by: Person, now=None) -> BacklogItem:
    """Merge as suggested (only whoever may merge: a coordinator); returns the item that
    absorbed the other. The suggestion and the merge land together or not at all."""
    now = now or clock.now()
    _check(by, "barriers.merge_backlogitem", suggestion.source)
    with transaction.atomic():
        _decide(suggestion, by=by, status=SuggestionStatus.ACCEPTED, now=now)
        return barrier_merge(source=suggestion.source, into=suggestion.into, by=by, now=now)


def suggestion_dismiss(*, suggestion: MergeSuggestion, by: Person, now=None) -> BacklogItem:
    """Turn the suggestion down (a coordinator, or the head of the suggested item's
    department); returns that item."""
    now = now or clock.now()
    source = suggestion.source
    _check(by, "barriers.dismiss_suggestion_backlogitem", source)
    with transaction.atomic():
        _decide(suggestion, by=by, status=SuggestionStatus.DISMISSED, now=now)
        ItemEvent.objects.create(
            item=source,
            kind=EventKind.SUGGESTION_DISMISSED,
            actor=by,
            at=now,
            after={"item": suggestion.into_id},
        )
    return source


__all__ = ["barrier_nudge", "barrier_suggest_merge", "suggestion_accept", "suggestion_dismiss"]
