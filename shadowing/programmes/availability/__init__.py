"""Importing a programme's shifts and executives' availability (CONTRACT.md, `import_availability`).

Replace semantics: after an import the programme holds exactly the rows of the files given.
Each kind is replaced only if its file is given: `shifts.csv` alone leaves availability as it
was, and the other way round. An existing shift with the same agent and date is kept (and
updated if its times changed), so the pairings that point at it keep pointing at it.

A pairing whose shift or executive's date vanished is not deleted: it is flagged
(`needs_repair` with the reason), the next pairing run moves it unless it is published, and a
later import that brings the shift or date back clears the flag.

    columns.py    the two files: names and columns
    batches.py    the agents' shifts, read in batches (`shadowing.programmes.batches`)
    result.py     what an import found, and did
    rows.py       reading and checking each file's rows
    plan.py       what the import changes: shifts, availability, each pairing's verdict
    apply.py      writing those changes (and telling the invitations about retimed visits)
    importer.py   availability_import: the all-or-nothing import, step by step

Import direction: columns, batches (and `shadowing.programmes.batches`) <- result, rows <- plan
<- apply <- importer.
"""
