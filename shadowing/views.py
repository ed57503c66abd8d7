from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shadowing.home_panels import render_panels
from shadowing.next_step import next_steps


@login_required
def home(request):
    """Each person's starting page: their next step first, then what they can do, by role, and
    the panels other apps add (their visits, their debriefs, for example)."""
    context = {
        "mail_folder": settings.MAIL_FOLDER,
        "next_steps": next_steps(request.user),
        "panels": render_panels(request),
    }
    return render(request, "shadowing/home.html", context)
