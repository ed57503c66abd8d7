"""The shadowing app's part of /api/v1/: one router (and so one API root listing) for the
features' viewsets, and their other routes. The invitations' routes come in first, from
config/urls.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shadowing.organisation.api import urls as organisation
from shadowing.programmes.api import urls as programmes

router = DefaultRouter()
for prefix, viewset, basename in [*organisation.routes, *programmes.routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *organisation.urlpatterns,
    path("", include(router.urls)),
]
