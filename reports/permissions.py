"""Who may read which report, registered once with `rules` (imported by ReportsConfig.ready).

- The programme report and dashboard: coordinators and department heads. There is no sponsor
  role; heads see every department's figures, the point being that no department is let off
  the hook. The report names no reporter of a barrier, only owners.
- A department's backlog: coordinators and that department's head (a person with the
  department_head role in that department, or the department's named head). Others get 403:
  departments are public to everyone signed in, their backlog PDF is not.
- A debrief's report: its executive and coordinators, like the debrief itself (404 for others).
- A visit's day sheet: its executive and its agent once the visit is published (before, the
  pairing may still change, and a printout would name the wrong person), and coordinators
  (404 for others, like the visit).
"""

import rules

from shadowing.organisation.permissions import is_coordinator, is_department_head, is_signed_in
from shadowing.programmes.pairing_models import PairingStatus


@rules.predicate
def heads_department(user, department=None) -> bool:
    """The head of `department`. Without a department: any department head."""
    if not is_department_head(user):
        return False
    if department is None:
        return True
    return user.department_id == department.pk or department.head_id == user.pk


@rules.predicate
def is_visit_party(user, pairing=None) -> bool:
    if not is_signed_in(user):
        return False
    return pairing is None or user.pk in (pairing.executive_id, pairing.agent_id)


@rules.predicate
def is_debrief_executive(user, debrief=None) -> bool:
    if not is_signed_in(user):
        return False
    return debrief is None or debrief.pairing.executive_id == user.pk


rules.add_perm("reports.view_programme_report", is_coordinator | is_department_head)
rules.add_perm("reports.view_department_backlog", is_coordinator | heads_department)
rules.add_perm("reports.view_debrief_report", is_coordinator | is_debrief_executive)


@rules.predicate
def is_published_visit_party(user, pairing=None) -> bool:
    return is_visit_party(user, pairing) and (
        pairing is None or pairing.status == PairingStatus.PUBLISHED
    )


rules.add_perm("reports.view_day_sheet", is_coordinator | is_published_visit_party)
# The admin's app index and the stored reports' list.
rules.add_perm("reports", is_coordinator)
rules.add_perm("reports.view_renderedreport", is_coordinator)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"reports.{_verb}_renderedreport", rules.always_deny)
