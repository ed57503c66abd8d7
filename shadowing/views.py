from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shadowing.home_panels import render_panels


@login_required
def home(request):
    """Each person's starting page: what they can do, by role, and the panels other apps add
    (their visits' debriefs, for example)."""
    return render(
        request,
        "shadowing/home.html",
        {"mail_folder": settings.MAIL_FOLDER, "panels": render_panels(request)},
    )
