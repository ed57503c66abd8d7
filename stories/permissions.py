"""Who may do what with stories, registered once with `rules` (imported by StoriesConfig.ready).

The debrief's executive writes its stories (until curated); the sponsor and coordinators read
them all and curate; an agent reads only the consent state of stories about them; "you said,
we did" is for everyone signed in.
"""

import rules

from barriers.models import BacklogSettings
from shadowing.organisation.permissions import is_coordinator, is_signed_in


@rules.predicate
def is_sponsor(user) -> bool:
    return is_signed_in(user) and BacklogSettings.load().sponsor_id == user.pk


@rules.predicate
def is_story_executive(user, story=None) -> bool:
    if not is_signed_in(user):
        return False
    return story is None or story.debrief.pairing.executive_id == user.pk


@rules.predicate
def is_story_agent(user, story=None) -> bool:
    if not is_signed_in(user):
        return False
    return story is not None and story.debrief.pairing.agent_id == user.pk


@rules.predicate
def story_is_editable(user, story=None) -> bool:
    return story is None or story.is_editable


is_curator = is_coordinator | is_sponsor

rules.add_perm("stories", is_coordinator)  # the admin's app index
rules.add_perm("stories.view_story", is_curator | is_story_executive)
rules.add_perm("stories.change_story", is_story_executive & story_is_editable)
rules.add_perm("stories.delete_story", is_story_executive & story_is_editable)
rules.add_perm("stories.curate_story", is_curator)
rules.add_perm("stories.answer_consent", is_story_agent)
rules.add_perm("stories.view_digest", is_curator)
rules.add_perm("stories.send_digest", is_curator)
rules.add_perm("stories.view_you_said_we_did", is_signed_in)
# The admin: coordinators read and fix; the send goes through the service.
rules.add_perm("stories.add_story", rules.always_deny)
rules.add_perm("stories.view_storiessettings", is_coordinator)
rules.add_perm("stories.change_storiessettings", is_coordinator)
rules.add_perm("stories.view_consentnotice", is_coordinator)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"stories.{_verb}_consentnotice", rules.always_deny)
    rules.add_perm(f"stories.{_verb}_digest", rules.always_deny)
