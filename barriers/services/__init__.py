"""Every write to the backlog. Pages, the API, the admin, tasks and the report signal call these.

What they guarantee:

- every item has an owner at every moment (a NOT NULL column): the head of its department, or
  when the department has no head, the arbitrating coordinator (BacklogSettings, else the first
  active coordinator);
- every state change is one compare-and-set UPDATE on the item's `version`
  (`filter(pk=..., version=seen).update(..., version=F("version") + 1)`): of two changes made
  from the same state exactly one lands, the other raises `Conflict` (HTTP 409). A claim also
  requires `claimed_at IS NULL`, so of twenty claims at once exactly one wins;
- the audit row (`ItemEvent`: who, what, when, before and after) is written in the same
  transaction as the change it records;
- a report is in exactly one item (a unique constraint); filing the same reports twice changes
  nothing the second time;
- an item transferred twice is not transferred a third time by a head: it goes to the
  coordinator to arbitrate, and keeps its department until then;
- reporters are told of a resolution or refusal by a background task queued on commit, once
  per reporter and resolution (`Notice` rows).

Where things are: common.py (the compare-and-set every state change is, its audit row,
`Conflict`, the checks every write makes), owners.py (who owns an item nobody has claimed),
filing.py (reports into items, and the items' summaries), claims.py (claim, reassign, start),
transfers.py (transfer, arbitration), resolution.py (resolve, won't fix, verify, reopen, and
telling the reporters), merges.py (merge, unmerge).
"""
