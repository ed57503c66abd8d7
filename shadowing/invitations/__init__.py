"""Calendar invitations, reminders and feeds for published visits.

Modules, in the direction they import (never back):

    ical        pure iCalendar building, nothing from Django
    links       the signed "can't make it" links
    compose     one message in the person's language (templates, MIME, the iCalendar part)
    planning    which messages a change owes: queued log rows in the change's transaction
    sending     claim, send, mark: each message once
    reminders   which reminders and debrief requests are due
    services    every write (publish, cancel, change, decline, feeds)
    selectors   reads (invite health, declines, feeds)
    tasks       django-q2 entry points
    views, urls, forms, admin, permissions   the web side; the API is in shadowing.api
"""
