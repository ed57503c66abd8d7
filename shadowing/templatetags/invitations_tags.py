"""`{% invitations_card programme %}`: the programme page's invitations panel (publish, invite
health, declines) for coordinators, without the programme view knowing about invitations."""

from django import template

from shadowing.invitations.selectors import programme_invite_health
from shadowing.invitations.services import programme_publish_preview
from shadowing.programmes.models import ProgrammeStatus

register = template.Library()

PUBLISHABLE = (ProgrammeStatus.PAIRING, ProgrammeStatus.PUBLISHED, ProgrammeStatus.RUNNING)


@register.inclusion_tag("shadowing/invitations/_programme_card.html", takes_context=True)
def invitations_card(context, programme):
    user = context["request"].user
    if not user.has_perm("shadowing.view_invitationlog", programme):
        return {"invitations": None}
    can_publish = user.has_perm("shadowing.publish_programme", programme) and (
        programme.status in PUBLISHABLE
    )
    return {
        "programme": programme,
        "invitations": {
            "health": programme_invite_health(programme),
            "preview": programme_publish_preview(programme=programme) if can_publish else None,
            "can_publish": can_publish,
        },
    }
