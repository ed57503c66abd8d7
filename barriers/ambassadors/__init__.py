"""CX ambassadors in the backlog: a department's ambassadors work its queue (new and escalated
items), suggest merges that a coordinator accepts or dismisses, nudge the head (once per item
and day) and claim on the department's behalf (barriers.services.claims: the head is owner of
record). Who may: barriers/permissions.py. The scoreboard names each department's ambassadors
and their last action (selectors.py here)."""
