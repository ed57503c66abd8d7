"""The barrier backlog (DESIGN.md section 6): every barrier report becomes, or joins, a backlog
item routed to a department, owned at every moment, claimed with a commitment, transferred with
a reason, merged when duplicated, escalated when left alone, and reported back to the people who
raised it when resolved.

Where things are: models.py (items, their reports, vectors, audit events, merges, notices,
settings), kinds.py (the kinds of audit events and of notices), services/ (every write: see its
docstring for which module owns what), selectors.py (every read that crosses relations, the
vector index, the scoreboard), permissions.py (rules), similarity/ (pure: text to vector,
ranking), workdays.py and priority.py (pure), calendars.py (each department's working calendar:
its public holidays and the company's days off), due_dates.py (a due date on a day off),
tasks.py (filing and the hourly sweep), views.py and api/ (adapters only).

Dependency direction: shadowing <- debriefs <- barriers. This app listens to
debriefs.signals.barrier_reports_filed; neither other app imports it.

On many machines (PostgreSQL, Redis, N web and M qcluster processes): every state change is a
compare-and-set UPDATE, so correctness never depends on which process serves a request; filing
reports (the model run, ~10 ms a report) happens in workers; each web process keeps its own copy
of the vector index (10,000 items: 15 MB) and reloads it only when the table's count or latest
update changes; the hourly sweep may run anywhere, any number of times, because every message has
its unique Notice row.
"""
