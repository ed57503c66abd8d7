"""A recorded override: the rules a coordinator waives for one hand-made visit, when the
executive agreed to it (say by phone), and why. Only the rules of `store.checks.WAIVABLE` may
be waived: the executive's availability, the agent's most days, the site's daily limit and the
region. The reporting line, one person twice on a day, a missing shift or shared language and a
declined day never are.
"""

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme
from shadowing.programmes.reasons import rule_message
from shadowing.programmes.store.checks import WAIVABLE

MAX_REASON = 500  # Pairing.waiver_reason


def waiver_check(
    *,
    broken: Collection[str],
    waive: Collection[str],
    reason: str,
    programme: Programme,
    executive: Person,
    agent: Person,
    date: dt.date,
) -> tuple[str, ...]:
    """The rules of `broken` that `waive` waives, sorted; or a ValidationError, writing nothing:
    under `waive` for a rule that may not be waived, under `waiver_reason` when rules are waived
    without a reason, and otherwise one message per rule broken and not waived, in words."""
    waive = set(waive or ())
    refused = sorted(waive - set(WAIVABLE))
    if refused:
        raise ValidationError(
            {
                "waive": [
                    _("%(rule)s cannot be waived; only %(waivable)s can.")
                    % {"rule": code, "waivable": ", ".join(WAIVABLE)}
                    for code in refused
                ]
            }
        )
    reason = (reason or "").strip()
    if waive and not reason:
        raise ValidationError(
            {
                "waiver_reason": _(
                    "Say why the rules are waived, for example that the executive agreed by phone."
                )
            }
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"waiver_reason": _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}}
        )
    problems = [
        rule_message(code, programme=programme, executive=executive, agent=agent, date=date)
        for code in broken
        if code not in waive
    ]
    if problems:
        raise ValidationError(problems)
    return tuple(sorted(set(broken) & waive))
