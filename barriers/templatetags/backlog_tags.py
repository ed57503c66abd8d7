"""Words for the backlog's pages that a template cannot make alone."""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def seen_by(item) -> str:
    """Who saw the item's barrier, each count with its own plural and the verb agreeing with
    their total: "1 executive saw it", "2 executives and 1 agent saw it". A count of none is
    left out."""
    executives, agents = item.executive_count, item.agent_count
    parts = []
    if executives:
        parts.append(
            ngettext("%(n)s executive", "%(n)s executives", executives) % {"n": executives}
        )
    if agents:
        parts.append(ngettext("%(n)s agent", "%(n)s agents", agents) % {"n": agents})
    if not parts:
        return ""
    who = (
        gettext("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
        if len(parts) == 2
        else parts[0]
    )
    return ngettext("%(who)s saw it", "%(who)s saw it", executives + agents) % {"who": who}
