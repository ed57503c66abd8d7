from django.urls import path

from . import views
from .ambassadors import views as ambassadors

app_name = "barriers"

urlpatterns = [
    path("backlog/", views.item_list, name="list"),
    path("backlog/triage/", views.triage, name="triage"),
    path("backlog/scoreboard/", views.scoreboard, name="scoreboard"),
    path("backlog/ambassador/", ambassadors.queue, name="ambassador"),
    path(
        "backlog/ambassador/<int:pk>/<slug:action>/",
        ambassadors.queue_action,
        name="ambassador-action",
    ),
    path(
        "backlog/suggestions/<int:pk>/<slug:decision>/",
        ambassadors.suggestion_decide,
        name="suggestion",
    ),
    path("backlog/<int:pk>/", views.item_detail, name="item"),
    path("backlog/<int:pk>/<slug:action>/", views.item_action, name="action"),
]
