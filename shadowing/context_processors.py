from django.conf import settings


def product(request):
    return {"BASE_URL": settings.BASE_URL, "DEBUG": settings.DEBUG}
