"""The roster: departments, sites and people, imported from HR files or edited one by one.

    csvfile.py    reading one CSV file safely (no database)
    fields.py     the rules every roster value follows, shared by every entry point
    importer.py   roster_import: the all-or-nothing CSV import (files and rules)
    result.py     what an import did or would do
    store.py      the import's database side: read once, written in bulk
    services.py   writing one department, site or person (API, admin)
    selectors.py  reading them
    forms.py      the upload form of the import page

Import direction: csvfile, fields, store <- importer, services <- views, api, admin, commands.
"""

from shadowing.organisation.roster.importer import FILE_NAMES, roster_import
from shadowing.organisation.roster.result import RosterImportResult

__all__ = ["FILE_NAMES", "RosterImportResult", "roster_import"]
