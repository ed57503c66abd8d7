"""The organisation: departments, sites and people, the roster import, sign-in, profiles and API
tokens. Everything else in the product is built on it; it imports no other feature.

    models        Department, Site, Person (the sign-in account), sign-in links, stashed uploads
    permissions   the role predicates every feature's rules use, and the organisation's rules
    roster/       the CSV roster import (files, rows, plans, store) and the writes it shares with
                  the admin and the API (`roster.services`), the reads (`roster.selectors`)
    sign_in       one-time sign-in links and their throttling
    profile       a person's own settings (language)
    middleware    session time-outs and each person's language
    upload_stash  an uploaded file kept between its preview and its confirmation
    company_days  the company's days off: add, remove, list, import (page, API, admin, command)
    views/, urls, admin, api/   the web side and the API (departments, sites, people, import)
"""
