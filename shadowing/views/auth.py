# Replaced by the sign-in work: placeholders so that the URL map imports.
from django.http import HttpResponse


def sign_in(request):
    return HttpResponse("sign in")


def sign_in_with_link(request, token):
    return HttpResponse("sign in")


def sign_out(request):
    return HttpResponse("sign out")


def profile(request):
    return HttpResponse("profile")
