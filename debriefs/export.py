"""The debrief completion of a programme as CSV: one row per visit (cancelled ones left out),
who, their department, the visit's date, what was recorded of the day, and where the debrief
stands. For the coordinator's page and the API alike."""

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from shadowing.programmes.export import neutralise
from shadowing.programmes.pairing_models import Pairing

from .selectors import completion_state

COMPLETION_COLUMNS = (
    "executive_name",
    "executive_email",
    "department",
    "date",
    "agent_email",
    "attendance",
    "debrief_status",
    "submitted_at",
)


def completion_rows(visits: QuerySet[Pairing], *, now: dt.datetime) -> Iterator[list[str]]:
    """The header, then one row per visit of `visits` (annotated by `completion_visits`).
    `attendance` is empty until recorded; `debrief_status` is `submitted`, `draft`,
    `reopened`, `missing`, `upcoming` or `no_show`; `submitted_at` is ISO 8601 in UTC."""
    yield list(COMPLETION_COLUMNS)
    for visit in visits.iterator(chunk_size=2000):
        department = visit.executive.department
        submitted = visit.submitted_at if visit.debrief_status == "submitted" else None
        yield [
            neutralise(cell)
            for cell in (
                visit.executive.full_name,
                visit.executive.email,
                department.code if department else "",
                visit.date.isoformat(),
                visit.agent.email,
                visit.attendance,
                completion_state(visit, now=now),
                submitted.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
                if submitted
                else "",
            )
        ]


def completion_csv(visits: QuerySet[Pairing], *, now: dt.datetime) -> str:
    """The whole file, UTF-8 text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows = completion_rows(visits, now=now)
    try:
        writer.writerows(rows)
    finally:
        rows.close()  # frees the database cursor even when writing failed mid-way
    return out.getvalue()
