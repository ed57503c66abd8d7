from django.urls import path

from shadowing.invitations import views

app_name = "invitations"

urlpatterns = [
    path("programmes/<slug:slug>/publish/", views.programme_publish, name="publish"),
    path("programmes/<slug:slug>/invitations/", views.programme_invitations, name="programme"),
    path(
        "programmes/<slug:slug>/declines/repair/",
        views.declines_repair,
        name="declines-repair",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/invitations/",
        views.pairing_invitations,
        name="pairing",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/cancel/",
        views.pairing_cancel,
        name="pairing-cancel",
    ),
    path(
        "programmes/<slug:slug>/pairings/<int:pk>/change/",
        views.pairing_change,
        name="pairing-change",
    ),
    path("visits/decline/<str:token>/", views.decline, name="decline"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("profile/calendar/", views.calendar_feed_settings, name="feed-settings"),
]
