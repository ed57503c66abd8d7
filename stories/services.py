"""Every write of the stories app: a story's life, the agent's consent, curation and the digest.

Each runs in a transaction; mail goes out through a queued task on commit, once per story (a
ConsentNotice row) or per week (a Digest row, unique per ISO week).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from debriefs.models import Debrief
from shadowing import clock
from shadowing.organisation.models import Person

from .models import DID_MAX, SAW_MAX, Consent, ConsentNotice, Digest, Story, StoryStatus
from .selectors import items_of_week, week_bounds


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def _clean_text(*, saw: str, agent_did: str) -> tuple[str, str]:
    saw, agent_did = (saw or "").strip(), (agent_did or "").strip()
    errors = {}
    if not saw:
        errors["saw"] = [_("Say what you saw.")]
    elif len(saw) > SAW_MAX:
        errors["saw"] = [_("At most %(max)d characters.") % {"max": SAW_MAX}]
    if len(agent_did) > DID_MAX:
        errors["agent_did"] = [_("At most %(max)d characters.") % {"max": DID_MAX}]
    for name, value in (("saw", saw), ("agent_did", agent_did)):
        if "\x00" in value:
            errors[name] = [_("Null characters are not allowed.")]
    if errors:
        raise ValidationError(errors)
    return saw, agent_did


def _ask_consent_if_needed(story: Story, now: dt.datetime) -> None:
    if not story.name_agent or story.consent != Consent.NOT_ASKED:
        return
    story.consent = Consent.ASKED
    story.consent_asked_at = now
    story.save(update_fields=["consent", "consent_asked_at"])
    notice, created = ConsentNotice.objects.get_or_create(story=story)
    if created or notice.sent_at is None:
        transaction.on_commit(lambda: _queue("stories.tasks.consent_mail_send", story.pk))


def story_create(
    *, debrief: Debrief, by: Person, saw: str, agent_did: str, name_agent: bool
) -> Story:
    """A story of `debrief` by its executive (draft or submitted debrief). Asking to name the
    agent mails them the consent request, once."""
    if debrief.pairing.executive_id != by.pk:
        raise PermissionDenied
    saw, agent_did = _clean_text(saw=saw, agent_did=agent_did)
    now = clock.now()
    with transaction.atomic():
        story = Story.objects.create(
            debrief=debrief,
            saw=saw,
            agent_did=agent_did,
            name_agent=bool(name_agent),
            created_at=now,
            updated_at=now,
        )
        _ask_consent_if_needed(story, now)
    return story


def story_update(*, story: Story, by: Person, saw: str, agent_did: str, name_agent: bool) -> Story:
    """Change a story not yet curated. Turning naming off forgets the consent; turning it on
    asks (the request mails once per story)."""
    if story.debrief.pairing.executive_id != by.pk or not story.is_editable:
        raise PermissionDenied
    saw, agent_did = _clean_text(saw=saw, agent_did=agent_did)
    now = clock.now()
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.is_editable:
            raise PermissionDenied
        locked.saw, locked.agent_did, locked.updated_at = saw, agent_did, now
        if not name_agent:
            locked.name_agent, locked.consent, locked.consent_at = False, Consent.NOT_ASKED, None
        elif not locked.name_agent:
            locked.name_agent = True
        locked.save()
        _ask_consent_if_needed(locked, now)
    story.refresh_from_db()
    return story


def story_delete(*, story: Story, by: Person) -> None:
    if story.debrief.pairing.executive_id != by.pk or not story.is_editable:
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = Story.objects.filter(pk=story.pk, status__in=[StoryStatus.DRAFT]).delete()
        if not deleted:
            raise PermissionDenied


class ConsentClosed(Exception):
    """The story went out in a digest: the answer can no longer change what was sent."""


def story_consent_answer(*, story: Story, give: bool) -> Story:
    """The agent gives or refuses consent; they may change their mind until the digest that
    carries the story is sent."""
    now = clock.now()
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.name_agent:
            raise ConsentClosed
        if locked.status == StoryStatus.PUBLISHED:
            raise ConsentClosed
        locked.consent = Consent.GIVEN if give else Consent.REFUSED
        locked.consent_at = now
        locked.save(update_fields=["consent", "consent_at"])
    return locked


def story_curate(*, story: Story, by: Person, include: bool) -> Story:
    """The sponsor or a coordinator chooses (or sets aside) a story for the next digest. A
    story already sent stays as it is."""
    now = clock.now()
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status == StoryStatus.PUBLISHED:
            raise ConsentClosed
        locked.status = StoryStatus.CURATED if include else StoryStatus.SET_ASIDE
        locked.curated_by, locked.curated_at = by, now
        locked.save(update_fields=["status", "curated_by", "curated_at"])
    return locked


def story_uncurate(*, story: Story, by: Person) -> Story:
    with transaction.atomic():
        updated = Story.objects.filter(
            pk=story.pk, status__in=[StoryStatus.CURATED, StoryStatus.SET_ASIDE]
        ).update(status=StoryStatus.DRAFT, curated_by=None, curated_at=None)
        if not updated:
            raise ConsentClosed
    story.refresh_from_db()
    return story


@dataclass(frozen=True)
class DigestContent:
    week: str
    week_start: dt.date
    stories: list
    items: list


def digest_content(week: str, digest: Digest | None = None) -> DigestContent:
    """What the digest of `week` holds: a sent digest its own stories, else the curated ones;
    the items resolved that week."""
    start, _end = week_bounds(week)
    from .selectors import _stories

    if digest is not None and digest.sent_at is not None:
        stories = list(_stories().filter(digest=digest).order_by("curated_at", "pk"))
        items = list(items_of_week(week).filter(pk__in=digest.item_ids))
    else:
        stories = list(_stories().filter(status=StoryStatus.CURATED).order_by("curated_at", "pk"))
        items = list(items_of_week(week)[:50])
    return DigestContent(week=week, week_start=start, stories=stories, items=items)


def digest_get_or_create(*, week: str) -> Digest:
    """The one Digest row of `week` (ValueError for a malformed week)."""
    start, _end = week_bounds(week)
    try:
        with transaction.atomic():
            return Digest.objects.get_or_create(week=week, defaults={"week_start": start})[0]
    except IntegrityError:
        return Digest.objects.get(week=week)


def digest_send(*, week: str, send) -> bool:
    """Send the digest of `week` once: claim its row (one conditional UPDATE), call `send(digest,
    content)`, then mark the curated stories published. Returns False when it was sent already
    (or another worker is sending it). A failed send releases the claim."""
    digest = digest_get_or_create(week=week)
    now = clock.now()
    claimed = Digest.objects.filter(
        pk=digest.pk, sent_at__isnull=True, claimed_at__isnull=True
    ).update(claimed_at=now)
    if not claimed:
        return False
    digest.refresh_from_db()
    content = digest_content(week)
    try:
        recipients = send(digest, content)
    except Exception:
        Digest.objects.filter(pk=digest.pk).update(claimed_at=None)
        raise
    with transaction.atomic():
        Story.objects.filter(pk__in=[story.pk for story in content.stories]).update(
            status=StoryStatus.PUBLISHED, digest=digest
        )
        Digest.objects.filter(pk=digest.pk).update(
            sent_at=clock.now(),
            sent_to="\n".join(recipients or []),
            item_ids=[item.pk for item in content.items],
        )
    return True
