"""The pairings export of CONTRACT.md (`export_pairings`), one CSV row per visit."""

import csv
from collections.abc import Iterator
from typing import TextIO

from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing

EXPORT_COLUMNS = ("executive_email", "agent_email", "date", "start", "end", "site_code", "status")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def pairings_export_rows(programme: Programme) -> Iterator[list[str]]:
    """The header, then one row per pairing that is not cancelled, by date and executive.

    Times are the wall-clock times of the visit's site, as the shifts file gave them."""
    yield list(EXPORT_COLUMNS)
    pairings = (
        Pairing.objects.active()
        .filter(programme=programme)
        .select_related("executive", "agent", "site")
        .order_by("date", "executive__email", "id")
    )
    for pairing in pairings.iterator(chunk_size=2000):
        yield [
            neutralise(cell)
            for cell in (
                pairing.executive.email,
                pairing.agent.email,
                pairing.date.isoformat(),
                f"{pairing.local_start:%H:%M}",
                f"{pairing.local_end:%H:%M}",
                pairing.site.code,
                pairing.status,
            )
        ]


def pairings_export(*, programme: Programme, out: TextIO) -> int:
    """Write the export to `out`; returns the number of pairings written."""
    writer = csv.writer(out, lineterminator="\n")
    rows = pairings_export_rows(programme)
    count = -1  # the header is not a pairing
    try:
        for count, row in enumerate(rows):  # noqa: B007 (count is the result)
            writer.writerow(row)
    finally:
        rows.close()  # frees the database cursor even when the reader went away mid-way
    return count
