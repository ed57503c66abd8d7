from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Each person's starting page: what they can do, by role."""
    return render(request, "shadowing/home.html", {"mail_folder": settings.MAIL_FOLDER})
