"""Debriefs (DESIGN.md): the executive's structured account of a visit, autosaved as a draft and
submitted once, and the barrier reports that executives and agents file.

    models        debriefs, barrier reports and the categories, frequencies and severities
    body          the debrief's body: one reading for the API, the autosave and the page's form
    services/     every write: drafts, submission, agents' reports, nudges
    selectors     reads, and what each person may see
    sensitive     the check for customer data typed into a debrief
    signals       barrier_reports_filed, which the backlog (barriers) answers
    mail, tasks   the nudges and requests, each once, in the recipient's language
    agent_links   the agent's signed link to their own barrier form
    views/, urls, forms, api/, admin, permissions   the web side and the API

Imports the shadowing app's features, never barriers or reports (docs/architecture.md).
"""
