from django.urls import path

from . import views

urlpatterns = [
    path("barriers/<int:pk>/value/", views.ItemValueView.as_view(), name="value-item"),
    path(
        "barriers/<int:pk>/value/expected/",
        views.ExpectedView.as_view(),
        name="value-expected",
    ),
    path(
        "barriers/<int:pk>/value/realised/",
        views.RealisedView.as_view(),
        name="value-realised",
    ),
    path("barriers/<int:pk>/value/reviews/", views.ReviewView.as_view(), name="value-reviews"),
    path("value/settings/", views.SettingsView.as_view(), name="value-settings"),
    path("value/rollup/", views.RollupView.as_view(), name="value-rollup"),
]
