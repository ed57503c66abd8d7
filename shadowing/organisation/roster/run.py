"""The state of one roster import run: the files given, the rows read from them, the
organisation as it was, and the result being built. Reading (`rows.py`), the cross-file checks
(`checks.py`) and planning (`plans.py`) all work on one `ImportRun`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shadowing.organisation.roster.columns import FILE_NAMES
from shadowing.organisation.roster.csvfile import Problem, Table
from shadowing.organisation.roster.result import RosterImportResult
from shadowing.organisation.roster.store import Organisation


@dataclass
class Record:
    """A valid row: its key, where it is, and the values it asks for (in the file's terms:
    codes and e-mail addresses, not ids)."""

    key: str
    line: int
    values: dict[str, Any]


class ImportRun:
    def __init__(self, files: Mapping[str, bytes], *, dry_run: bool):
        self.files = files
        self.result = RosterImportResult(
            dry_run=dry_run, files=tuple(name for name in FILE_NAMES if name in files)
        )
        self.tables: dict[str, Table] = {}
        # Files given but unreadable: references into them are not reported as unknown, the
        # file's own error already says what is wrong.
        self.broken: set[str] = set()
        self.departments: dict[str, Record] = {}
        self.sites: dict[str, Record] = {}
        self.people: dict[str, Record] = {}
        # Keys of rows that are in the file, valid or not: a row with a bad title still defines
        # its person, so rows that name them as manager are not reported too.
        self.department_keys: set[str] = set()
        self.site_keys: set[str] = set()
        self.person_keys: set[str] = set()
        # Rows with a usable e-mail but a bad cell: not imported, but their references are
        # still checked, so that one run lists every error of the row.
        self.invalid_people: list[Record] = []
        self.org = Organisation()

    # Reporting ----------------------------------------------------------------------------

    def error(self, file: str, line: int, message: str) -> None:
        self.result.errors.append(Problem(file, line, message))

    def warn(self, file: str, line: int, message: str) -> None:
        self.result.warnings.append(Problem(file, line, message))
