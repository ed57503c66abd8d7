"""The value of a fix that finance accepts: an item's expected impact, its realised impact with
evidence once resolved, a finance reviewer's confirmation or challenge, and the roll-ups per
department, wave and series (confirmed apart from claimed)."""
