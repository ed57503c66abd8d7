from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def pairing_debrief(request, pairing_id: int):
    """Placeholder until the debrief form lands: the reminder mails already link here."""
    return render(request, "debriefs/placeholder.html", {"pairing_id": pairing_id})
