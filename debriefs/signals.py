"""Signals other apps listen to. The backlog (the barriers app, which depends on this one)
connects to `barrier_reports_filed` to turn reports into backlog items; this app never imports
it.

`barrier_reports_filed`: sent with `report_ids` (a list of BarrierReport ids created or changed)
after the transaction that filed them commits; a resubmitted debrief sends the ids it kept or
changed, and withdrawn reports carry `withdrawn_at`.
"""

from django.dispatch import Signal

barrier_reports_filed = Signal()
