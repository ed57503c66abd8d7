"""Who may do what with invitations, registered with `rules` once (from ShadowingConfig.ready).

Coordinators publish, cancel, change published visits and read the invitation log. The people
of a visit download its invitation (`shadowing.view_pairing`); they decline by the signed link
in their mail, which needs no rule (the link is the permission).
"""

import rules

from shadowing.organisation.permissions import is_coordinator

rules.add_perm("shadowing.publish_programme", is_coordinator)
rules.add_perm("shadowing.cancel_pairing", is_coordinator)
rules.add_perm("shadowing.reassign_pairing", is_coordinator)
rules.add_perm("shadowing.view_invitationlog", is_coordinator)
rules.add_perm("shadowing.view_decline", is_coordinator)
rules.add_perm("shadowing.repair_declines", is_coordinator)
