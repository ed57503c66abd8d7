# Replaced by the roster import work: a placeholder so that the URL map imports.
from django.http import HttpResponse


def roster_import(request):
    return HttpResponse("roster")
