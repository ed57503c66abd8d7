"""The `shadowing` namespace of page URLs: the home page and the organisation's and the
programmes' pages (the invitations have a namespace of their own)."""

from django.urls import path

from shadowing import views
from shadowing.organisation import urls as organisation
from shadowing.programmes import urls as programmes

app_name = "shadowing"

urlpatterns = [
    path("", views.home, name="home"),
    *organisation.urlpatterns,
    *programmes.urlpatterns,
]
