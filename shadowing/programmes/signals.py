"""What the programmes feature announces to the features built on it.

The invitations feature sits above programmes: it imports them, never the reverse
(docs/architecture.md). Yet moving a programme to published is publishing, which sends its
invitations, and an availability import that retimes a published visit must send that visit's
update. Programmes send these signals; `shadowing.invitations.receivers` answers them. Both are
sent inside the caller's transaction, and a receiver's refusal (a ValidationError) reaches the
caller unchanged.
"""

from django.dispatch import Signal

publish_requested = Signal()
"""Sent with `programme` and `by` when a programme is asked to move to published. The receiver
publishes it (its checks, the status and the queued invitations) or raises ValidationError."""

published_pairings_retimed = Signal()
"""Sent with `pairing_ids`: published pairings whose times just changed and whose SEQUENCE was
raised, in the same transaction, so that their updated invitations are queued with it."""
