from django.urls import path

from . import views

app_name = "debriefs"

urlpatterns = [
    path("visits/<int:pairing_id>/debrief/", views.pairing_debrief, name="pairing-debrief"),
]
