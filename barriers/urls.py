from django.urls import path

from . import views

app_name = "barriers"

urlpatterns = [
    path("backlog/", views.item_list, name="list"),
    path("backlog/triage/", views.triage, name="triage"),
    path("backlog/scoreboard/", views.scoreboard, name="scoreboard"),
    path("backlog/<int:pk>/", views.item_detail, name="item"),
    path("backlog/<int:pk>/<slug:action>/", views.item_action, name="action"),
]
