"""What a roster import did, or would do: counts, per-field changes, warnings and errors."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shadowing.organisation.roster.csvfile import Problem

KINDS = ("departments", "sites", "people")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field} '{self.old}' -> '{self.new}'"


@dataclass(frozen=True)
class Change:
    """One record the import creates or updates; `fields` lists the values that change (for a
    new record: every value it gets)."""

    kind: str  # one of KINDS
    action: str  # "create" or "update"
    key: str  # the code or the e-mail address
    file: str
    line: int
    fields: tuple[FieldChange, ...]

    def __str__(self) -> str:
        if self.action == "create":
            return _("{key}: new").format(key=self.key)
        return f"{self.key}: " + ", ".join(str(change) for change in self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "action": self.action,
            "key": self.key,
            "file": self.file,
            "line": self.line,
            "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in self.fields],
            "text": str(self),
        }


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RosterImportResult:
    dry_run: bool
    files: tuple[str, ...] = ()
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    changes: list[Change] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    # True once the changes are in the database (never for a dry run or a refused import).
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    @property
    def counts_imported(self) -> list[tuple[str, Counts]]:
        """(kind, counts) for each kind whose file was given."""
        return [(kind, c) for kind, c in self.counts.items() if f"{kind}.csv" in self.files]

    def summary_lines(self) -> list[str]:
        """'people: 3 created, 1 updated, 20 unchanged', one line per kind imported."""
        return [
            _("{kind}: {created} created, {updated} updated, {unchanged} unchanged").format(
                kind=kind, created=c.created, updated=c.updated, unchanged=c.unchanged
            )
            for kind, c in self.counts_imported
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "applied": self.applied,
            "files": list(self.files),
            "counts": {
                kind: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for kind, c in self.counts.items()
            },
            "changes": [change.as_dict() for change in self.changes],
            "warnings": [str(w) for w in self.warnings],
            "errors": [str(e) for e in self.errors],
        }
