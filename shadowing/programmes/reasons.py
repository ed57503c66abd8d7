"""The pairing engine's codes in words, for people: why a visit was chosen (short labels), why an
executive is unpaired (a sentence), and which hard rule refuses a hand-made visit.

The engine (`shadowing.pairing`) speaks in stable codes and English; everything a coordinator
reads goes through here, translated.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils.formats import date_format
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Person
from shadowing.programmes.calendar import closed_reason
from shadowing.programmes.models import Programme

# Visit reasons ------------------------------------------------------------------------------

VISIT_REASONS = {
    "locked": _("Locked"),
    "kept": _("Kept from the last run"),
    "moved": _("Moved"),
    "by_hand": _("Chosen by hand"),
    "home_site": _("At home site"),
    "travel_same_region": _("Travels within region"),
    "travel_cross_region": _("Travels to another region"),
    "repeat_pair": _("Paired before"),
}


def language_name(code: str) -> str:
    """`fr` -> "French" in the reader's language; an unknown code as it is."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def languages_text(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes if code) or gettext("none")


def visit_reason_label(code: str) -> str:
    """One short label for a reason code of `shadowing.pairing.reasons` (`shared_language:fr`
    -> "Shares French"); an unknown code is shown as it is rather than hidden."""
    name, _sep, value = code.partition(":")
    if name == "shared_language":
        return gettext("Shares %(language)s") % {"language": language_name(value)}
    if name == "department_together":
        n = _int(value)
        return ngettext(
            "With %(n)d of own department",
            "With %(n)d of own department",
            n,
        ) % {"n": n}
    if name == "new_channel":
        return gettext("New to %(channel)s") % {"channel": channel_name(value)}
    if name == "agent_hosted_before":
        n = _int(value)
        return ngettext(
            "Agent hosted %(n)d before",
            "Agent hosted %(n)d before",
            n,
        ) % {"n": n}
    label = VISIT_REASONS.get(code)
    return str(label) if label is not None else code


def channel_name(code: str) -> str:
    """`retail` -> "retail" in words ("contact centre", "store"...), lower case to follow
    "New to"; an unknown code as it is."""
    return str(CHANNEL_WORDS.get(code, code))


CHANNEL_WORDS = {
    "call_centre": _("contact centres"),
    "retail": _("stores"),
    "field": _("field technicians"),
    "digital": _("digital channels"),
}


def visit_reason_labels(codes: Iterable[str]) -> list[str]:
    return [visit_reason_label(code) for code in codes or ()]


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


# Unpaired executives --------------------------------------------------------------------------

# Mirrors `shadowing.pairing.model.UNPAIRED` (English there, for logs and the engine's tests).
UNPAIRED = {
    "no_home_site": _("No home site in the roster, so no region to visit."),
    "no_availability_in_window": _(
        "No available date left in the programme (%(available_dates)s available): add availability."
    ),
    "no_agents_in_region": _(
        "No agent has a shift in region %(region)s: add shifts there, or allow cross-region visits."
    ),
    "no_shared_language_in_region": _(
        "No agent with a shift in region %(region)s speaks %(languages)s."
    ),
    "only_own_reports_available": _(
        "Every agent in region %(region)s who speaks %(languages)s reports to this executive "
        "(within the reporting depth)."
    ),
    "no_date_in_common": _("No eligible agent has a shift on a date this executive is available."),
    "all_eligible_agents_full": _(
        "All %(candidates)s eligible agent-days went to other executives, or those agents "
        "reached their day limit."
    ),
    "sites_full": _(
        "Eligible agents were free, but their sites reached the daily visitor limit "
        "(%(site_days)s site-days)."
    ),
    "paired_in_series": _(
        "Every eligible agent (%(agents)s) already hosted this executive in another wave of "
        "the series, and an executive never shadows the same agent twice in a series."
    ),
    "fewer_days_than_requested": _("Got %(got)s of %(requested)s days. %(cause_text)s"),
    # Not the engine's: the store names it (store/problem.py DAYS_CLOSED).
    "available_days_closed": _(
        "Every date this executive is available (%(closed_dates)s) is closed: a public holiday "
        "at their home site or a blackout date of the programme. Add availability on open days."
    ),
}

UNPAIRED_SHORT = {
    "no_home_site": _("No home site"),
    "no_availability_in_window": _("No available date"),
    "no_agents_in_region": _("No agent in region"),
    "no_shared_language_in_region": _("No shared language in region"),
    "only_own_reports_available": _("Only own reports"),
    "no_date_in_common": _("No date in common"),
    "all_eligible_agents_full": _("Eligible agents full"),
    "sites_full": _("Sites full"),
    "paired_in_series": _("Paired before in the series"),
    "fewer_days_than_requested": _("Fewer days than requested"),
    "available_days_closed": _("Available days closed"),
}


def unpaired_label(reason: str) -> str:
    label = UNPAIRED_SHORT.get(reason)
    return str(label) if label is not None else reason


def unpaired_message(reason: str, params: Mapping[str, object] | None) -> str:
    """Why an executive is not (fully) paired, as a translated sentence, from the code and
    params an `UnpairedExecutive` row stores. Missing params leave a readable sentence."""
    values = {str(k): str(v) for k, v in (params or {}).items()}
    if "languages" in values:
        values["languages"] = languages_text(values["languages"].split(";"))
    if values.get("region") == "any":
        values["region"] = gettext("any")
    if reason == "fewer_days_than_requested":
        cause = values.get("cause", "")
        values["cause_text"] = unpaired_message(cause, params) if cause in UNPAIRED else ""
    template = UNPAIRED.get(reason)
    if template is None:
        return reason
    try:
        return str(template) % values
    except (KeyError, ValueError):
        return unpaired_label(reason)


# Hard rules: why a hand-made visit is refused ------------------------------------------------

# The rules a coordinator may waive (`store.checks.WAIVABLE`), named for the waiver's boxes.
WAIVABLE_LABELS = {
    "availability": _("Rule 1: the executive's availability"),
    "agent_max_days": _("Rule 4: most days per agent"),
    "site_limit": _("Rule 7: the site's daily visitor limit"),
    "region": _("Rule 6: the region"),
}


def day_text(date: dt.date) -> str:
    """A date as coordinators read it on these pages: "Mon, Mar 8, 2027", « lun. 8 mars 2027 »."""
    return date_format(date, "SHORT_DAY_FORMAT")


def closed_message(date: dt.date, why: str) -> str:
    return gettext("%(date)s is closed: %(why)s.") % {"date": day_text(date), "why": why}


def rule_message(
    code: str,
    *,
    programme: Programme,
    executive: Person,
    agent: Person,
    date: dt.date,
) -> str:
    """The refusal for one rule code of `shadowing.pairing.rules`, naming the rule's number as
    CONTRACT.md does and the people, site and date concerned. `executive` and `agent` should
    come with their site (select_related) when the code is about places."""
    names = {
        "executive": executive.full_name or executive.email,
        "agent": agent.full_name or agent.email,
        "date": day_text(date),
    }
    site = agent.site
    home = executive.site
    if code == "outside_window":
        return gettext("Rule 1: %(date)s is outside the programme (%(start)s to %(end)s).") % {
            **names,
            "start": day_text(programme.start_date),
            "end": day_text(programme.end_date),
        }
    if code == "availability":
        return gettext("Rule 1: %(executive)s is not available on %(date)s.") % names
    if code == "shift":
        return gettext("Rule 1: %(agent)s has no shift on %(date)s.") % names
    if code == "language":
        return gettext(
            "Rule 2: %(executive)s (%(executive_languages)s) and %(agent)s "
            "(%(agent_languages)s) share no language."
        ) % {
            **names,
            "executive_languages": languages_text(executive.languages or ()),
            "agent_languages": languages_text(agent.languages or ()),
        }
    if code == "reporting_line":
        if executive.pk == agent.pk:
            return gettext("Rule 3: %(executive)s cannot shadow themselves.") % names
        return gettext("Rule 3: %(executive)s manages %(agent)s (reporting line).") % names
    if code == "series_repeat":
        return (
            gettext(
                "%(executive)s already shadowed %(agent)s in another wave of this series, and "
                "never shadows the same agent twice in a series."
            )
            % names
        )
    if code == "agent_one_per_day":
        return gettext("Rule 4: %(agent)s already hosts an executive on %(date)s.") % names
    if code == "agent_max_days":
        n = programme.max_days_per_agent
        return ngettext(
            "Rule 4: %(agent)s already hosts on %(n)d day, the most this programme allows.",
            "Rule 4: %(agent)s already hosts on %(n)d days, the most this programme allows.",
            n,
        ) % {**names, "n": n}
    if code == "executive_max_days":
        n = programme.days_per_executive
        return ngettext(
            "Rule 5: %(executive)s already has %(n)d visit, the most this programme allows.",
            "Rule 5: %(executive)s already has %(n)d visits, the most this programme allows.",
            n,
        ) % {**names, "n": n}
    if code == "executive_same_date":
        return gettext("Rule 5: %(executive)s already has a visit on %(date)s.") % names
    if code == "executive_same_agent":
        return gettext("Rule 5: %(executive)s already visits %(agent)s on another day.") % names
    if code == "region":
        return gettext(
            "Rule 6: %(site)s is in region %(region)s, outside %(executive)s's home region "
            "%(home_region)s, and this programme does not allow cross-region visits."
        ) % {
            **names,
            "site": site.name if site else "?",
            "region": site.region if site else "?",
            "home_region": home.region if home else "?",
        }
    if code == "site_limit":
        limit = site.daily_visitor_limit if site else 0
        return ngettext(
            "Rule 7: %(site)s already receives %(limit)d executive on %(date)s, its daily limit.",
            "Rule 7: %(site)s already receives %(limit)d executives on %(date)s, its daily limit.",
            limit or 0,
        ) % {**names, "site": site.name if site else "?", "limit": limit or 0}
    if code == "declined":
        return gettext("%(executive)s or %(agent)s said they cannot make %(date)s.") % names
    if code == "closed_day":
        why = (site and closed_reason(programme, site, date)) or (
            home and closed_reason(programme, home, date)
        )
        return closed_message(date, why or "?")
    if code == "unknown_executive":
        return gettext("%(executive)s is not an active executive with a home site.") % names
    if code == "unknown_agent":
        return (
            gettext(
                "%(agent)s cannot host: not an active agent with a site, or opted out of hosting."
            )
            % names
        )
    return code
