"""Who may do what with debriefs and barrier reports, registered once with `rules` (imported by
DebriefsConfig.ready). Pages, the API, the admin and templates all ask `user.has_perm`.

Privacy (issue 5): a debrief is seen by its executive and by coordinators, nobody else; not the
agent, not a department head (who sees the barriers, never the debrief). Whoever may not see an
object gets a 404 from pages and API alike.
"""

import rules

from shadowing.organisation.permissions import (
    is_agent,
    is_coordinator,
    is_department_head,
    is_executive,
    is_signed_in,
)


@rules.predicate
def is_debrief_executive(user, debrief=None) -> bool:
    """The executive of the debrief's visit. Without a debrief (a list): every signed-in
    person, the list being filtered by `debriefs_visible_to`."""
    if not is_signed_in(user):
        return False
    return debrief is None or debrief.pairing.executive_id == user.pk


@rules.predicate
def is_reporter(user, report=None) -> bool:
    if not is_signed_in(user):
        return False
    return report is None or report.reporter_id == user.pk


@rules.predicate
def heads_report_department(user, report=None) -> bool:
    """A department head sees the reports routed to their own department."""
    if not is_department_head(user):
        return False
    return report is None or report.department_id == user.department_id


rules.add_perm("debriefs", is_coordinator)  # the admin's app index
rules.add_perm("debriefs.view_debrief", is_coordinator | is_debrief_executive)
rules.add_perm("debriefs.view_any_debrief", is_coordinator)
rules.add_perm("debriefs.add_debrief", is_executive)
rules.add_perm("debriefs.change_debrief", is_debrief_executive)
rules.add_perm("debriefs.submit_debrief", is_debrief_executive)
rules.add_perm("debriefs.reopen_debrief", is_coordinator)
rules.add_perm("debriefs.delete_debrief", rules.always_deny)
rules.add_perm("debriefs.view_debrief_completion", is_coordinator)
rules.add_perm("debriefs.nudge_debrief", is_coordinator)

rules.add_perm(
    "debriefs.view_barrierreport", is_coordinator | is_reporter | heads_report_department
)
# Agents file their own reports (the signed link, or the API when signed in); executives file
# theirs through a debrief.
rules.add_perm("debriefs.add_barrierreport", is_agent)
rules.add_perm("debriefs.change_barrierreport", rules.always_deny)
rules.add_perm("debriefs.delete_barrierreport", rules.always_deny)

rules.add_perm("debriefs.view_debriefnotice", is_coordinator)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"debriefs.{_verb}_debriefnotice", rules.always_deny)
