"""Who may do what with programmes and pairings (the predicates are the organisation's)."""

import rules

from shadowing.organisation.permissions import (
    is_coordinator,
    is_department_head,
    is_executive,
    is_self,
    is_signed_in,
)


# Programmes: coordinators run them; the people taking part see them and their own pairings.
@rules.predicate
def takes_part_in_programme(user, programme=None) -> bool:
    """Department heads and executives take part in every programme (an executive without
    availability rows may be paired on any of its dates); an agent in those they have a shift
    or a pairing in. Without a programme (a list): everyone signed in, the list being filtered
    by `programmes_visible_to`."""
    if not is_signed_in(user):
        return False
    if programme is None:
        return True  # anyone may ask for the list; it holds what they take part in
    if user.is_department_head or user.is_executive:
        return True
    if not user.is_agent:
        return False
    return (
        programme.shifts.filter(agent=user).exists()
        or programme.pairings.filter(agent=user).exists()
    )


@rules.predicate
def is_party_to_pairing(user, pairing=None) -> bool:
    """The executive or the agent of the pairing. Without a pairing (a list): everyone signed
    in, the list being filtered by `pairings_visible_to`."""
    if not is_signed_in(user):
        return False
    return pairing is None or user.pk in (pairing.executive_id, pairing.agent_id)


rules.add_perm("shadowing.view_programme", is_coordinator | takes_part_in_programme)
for action in ("add", "change", "delete"):
    rules.add_perm(f"shadowing.{action}_programme", is_coordinator)
rules.add_perm("shadowing.transition_programme", is_coordinator)
# A series and its waves: those who take part in every programme see it, coordinators run it.
rules.add_perm("shadowing.view_series", is_coordinator | is_department_head | is_executive)
for action in ("add", "change", "delete"):
    rules.add_perm(f"shadowing.{action}_series", is_coordinator)
# A person's visits across waves: their own, or anyone's for a coordinator.
rules.add_perm("shadowing.view_person_history", is_coordinator | is_self)
rules.add_perm("shadowing.import_availability", is_coordinator)
rules.add_perm("shadowing.pair_programme", is_coordinator)
rules.add_perm("shadowing.export_pairings", is_coordinator)
# A programme's blackout dates (shadowing/programmes/blackouts.py; the admin's inline asks these).
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"shadowing.{action}_blackoutdate", is_coordinator)
rules.add_perm("shadowing.view_pairing", is_coordinator | is_party_to_pairing)
rules.add_perm("shadowing.change_pairing", is_coordinator)
# The coordinator's review of a programme's pairings: the table, hand changes, run progress.
rules.add_perm("shadowing.review_pairings", is_coordinator)
rules.add_perm("shadowing.view_pairingrun", is_coordinator)


@rules.predicate
def hosts_pairing(user, pairing=None) -> bool:
    """The agent of the visit. Without a visit (a list): every signed-in agent."""
    if not is_signed_in(user) or not user.is_agent:
        return False
    return pairing is None or pairing.agent_id == user.pk


# What happened on the visit's day (shadowing/programmes/attendance.py).
rules.add_perm("shadowing.record_attendance", is_coordinator | hosts_pairing)
