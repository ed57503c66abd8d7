"""Calendar invitations, reminders and feeds for published visits.

Imports the organisation and the programmes, never the reverse: it answers the programmes'
signals (`receivers`). Modules, in the direction they import (never back):

    ical        pure iCalendar building, nothing from Django
    models      the invitation log, cancellations and calendar feeds
    links       the signed "can't make it" links, the calendar feeds' secret hash
    compose     one message in the person's language (templates, MIME, the iCalendar part)
    planning    which messages a change owes: queued log rows in the change's transaction
    sending     claim, send, mark: each message once
    reminders   which reminders and debrief requests are due
    selectors   reads (invite health, declines, feeds)
    services    every write (publish, cancel, change, decline, feeds)
    receivers   publishing and retimed visits, as the programmes signal them
    tasks       django-q2 entry points
    views, urls, forms, admin, permissions, api   the web side and the API
"""
