from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Each person's starting page: what they can do, by role."""
    context = {
        "mail_folder": settings.EMAIL_FILE_PATH
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
        else ""
    }
    return render(request, "shadowing/home.html", context)
