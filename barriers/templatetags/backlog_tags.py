"""Words for the backlog's pages that a template cannot make alone."""

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
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


def median_days_text(value: float | None) -> str | None:
    """A median in days for people: one decimal only when it has one ("3", "2.5"; "2,5" in
    French), None when there was nothing to measure."""
    if value is None:
        return None
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return formats.number_format(int(rounded))
    return formats.number_format(rounded, decimal_pos=1)


@register.filter
def median_days(value: float | None) -> SafeString:
    """`median_days_text` for a page or a PDF; a dash that a screen reader reads as "no data"
    when there is nothing to measure."""
    text = median_days_text(value)
    if text is None:
        label = gettext("no data")
        return format_html(
            '<span title="{}"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">{}</span></span>',
            label,
            label,
        )
    return format_html("{}", text)
