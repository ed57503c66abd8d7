"""The demo's stories from the front line: after the waves have run, a few executives of
finished visits mark a story in their debrief, most asking to name their agent; two agents say
yes, one says no, one has not answered; the sponsor (or, if the demo has none, its first
coordinator) curates, and last week's digest is built and sent once through Django's mail.

Called by shadowing/demo/lived.py: `live_stories(now)`."""

from __future__ import annotations

STORIES = [
    (
        "A customer called about a bill twice the usual amount; she was close to tears.",
        "Found the duplicate charge, credited it during the call and called her back the next "
        "day to confirm it showed.",
    ),
    (
        "An elderly customer could not follow the steps to reset his modem.",
        "Stayed on the line and walked him through it one light at a time, without rushing.",
    ),
    (
        "A small-business owner was about to cancel after three transfers.",
        "Took ownership, booked the technician himself and gave her his direct extension.",
    ),
    (
        "A customer moving house had two appointments booked for the same morning.",
        "Spotted the clash before the customer did and merged them into one visit.",
    ),
    (
        "A new immigrant was unsure which plan he needed.",
        "Explained the options in plain words and chose the cheaper one that fit his use.",
    ),
]
DIGEST_LIST = "everyone@mapletel.example"


def _curator():
    from barriers.models import BacklogSettings
    from shadowing.organisation.models import Person

    sponsor = BacklogSettings.load().sponsor
    if sponsor is not None and sponsor.is_active:
        return sponsor
    return Person.objects.filter(is_active=True, is_coordinator=True).order_by("email").first()


def live_stories(now=None) -> dict[str, int]:
    """Write the demo's stories and send one digest. Safe to call twice: it does nothing when
    stories exist already. Returns counts for the demo's summary."""
    import time_machine

    from debriefs.models import Debrief, DebriefStatus
    from stories.mail import digest_mail
    from stories.models import StoriesSettings, Story
    from stories.selectors import previous_week
    from stories.services import (
        digest_send,
        story_consent_answer,
        story_create,
        story_curate,
    )
    from stories.tasks import consent_mail_send

    if Story.objects.exists():
        return {"stories": Story.objects.count(), "digests": 0}
    curator = _curator()
    debriefs = list(
        Debrief.objects.filter(status=DebriefStatus.SUBMITTED)
        .select_related("pairing__executive", "pairing__agent", "pairing__site")
        .order_by("-submitted_at", "pk")[: len(STORIES)]
    )
    stories = []
    travel = time_machine.travel(now, tick=False) if now is not None else None
    if travel:
        travel.start()
    try:
        for index, (debrief, (saw, did)) in enumerate(zip(debriefs, STORIES, strict=False)):
            story = story_create(
                debrief=debrief,
                by=debrief.pairing.executive,
                saw=saw,
                agent_did=did,
                name_agent=index != 4,  # the last executive keeps the agent unnamed
            )
            consent_mail_send(story.pk)  # idempotent: mails once even if the queue ran it
            stories.append(story)
        # Two agents say yes, one says no, the fourth has not answered yet.
        for story, give in zip(stories[:3], (True, False, True), strict=False):
            story_consent_answer(story=story, give=give)
        if curator is not None:
            for story in stories[:4]:
                story_curate(story=story, by=curator, include=True)
            if len(stories) > 4:
                story_curate(story=stories[4], by=curator, include=False)
        row = StoriesSettings.load()
        if not row.digest_to:
            row.digest_to = DIGEST_LIST
            row.save(update_fields=["digest_to"])
        sent = digest_send(week=previous_week(), send=digest_mail) if curator else False
    finally:
        if travel:
            travel.stop()
    return {"stories": len(stories), "digests": int(sent)}
