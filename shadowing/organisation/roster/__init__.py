"""The roster: departments, sites and people, imported from HR files or edited one by one.

    csvfile.py    reading one CSV file safely (no database)
    fields.py     the rules every roster value follows, shared by every entry point
    columns.py    the three roster files: names, upload fields, columns
    run.py        the state of one import run, carried through the steps below
    rows.py       reading and checking each file's rows
    checks.py     the checks across the files: references, manager cycles, heads
    plans.py      what a checked import changes, field by field
    importer.py   roster_import: the all-or-nothing CSV import, step by step
    result.py     what an import did or would do
    store.py      the import's database side: read once, written in bulk
    services.py   writing one department, site or person (API, admin)
    selectors.py  reading them
    forms.py      the upload form of the import page

Import direction: csvfile, fields, columns, store, result <- run <- rows, checks, plans
<- importer, services <- views, api, admin, commands.
"""
