"""Programmes: their lifecycle, shifts and availability (the import), the pairing runs and their
storage, hand changes, the coordinator's review pages and the pairings export.

Imports the organisation and the pure pairing engine (`shadowing.pairing`), never the invitations:
what the invitations must hear (a programme published, a published visit retimed) goes by
`signals`. Views, the API, commands and tasks -> `services` (writes), `pairings` (hand changes)
and `selectors` (reads) -> `models` and `pairing_models`.

    models, pairing_models   programmes, shifts, availability; pairings, runs, unpaired, declines
    availability/            the shifts and availability import (read, plan, apply)
    store/                   the engine's bridge: load a Problem, check visits, store a Plan, runs
    services, pairings       the lifecycle and hand changes (assign, swap, lock)
    candidates, waivers      who could host an executive on a day (the picker); waived rules
    selectors, reasons       reads, and the words for the engine's rule and reason codes
    signals                  what the invitations answer
    export, tasks            the pairings CSV, the worker's entry point
    views/, urls, api/, forms, permissions   the web side and the API
"""
