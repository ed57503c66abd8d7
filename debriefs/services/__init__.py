"""Every write to debriefs and barrier reports. Pages, the API, the admin and tasks call these.

What they guarantee:

- one debrief per visit (a database constraint; creating twice answers with the first);
- only the visit's executive files it, only once the visit has started, never for a cancelled
  visit;
- a draft saves whatever is well-formed, complete or not; completeness is checked on submit;
- submitting is one conditional UPDATE (draft or reopened -> submitted) inside a transaction
  that also writes the barrier reports: a double tap or a retry submits once and creates no
  report twice, and returns the same debrief;
- once submitted, saves are refused (`DebriefLocked`, 409) until a coordinator reopens it;
  a save racing a submit loses;
- an agent's report, filed twice with the same key (a retried form), is stored once.

Where things are: drafts.py (who may file and when, creating a debrief, saving its draft),
submission.py (what a debrief lacks, submitting it, a coordinator's reopening), reports.py (what
a barrier needs, a debrief's barriers into reports, an agent's barrier, announcing them to the
backlog), nudges.py (a coordinator's reminder), common.py (the clock and the task queue).
"""
