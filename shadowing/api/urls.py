from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import programmes, views

router = DefaultRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("sites", views.SiteViewSet, basename="site")
router.register("people", views.PersonViewSet, basename="person")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")
router.register("pairings", programmes.PairingViewSet, basename="pairing")
router.register("pairing-runs", programmes.PairingRunViewSet, basename="pairing-run")

urlpatterns = [
    path("roster/import/", views.RosterImportView.as_view(), name="roster-import"),
    path("", include(router.urls)),
]
