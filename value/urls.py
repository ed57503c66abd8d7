from django.urls import path

from . import views

app_name = "value"

urlpatterns = [
    path("backlog/<int:pk>/value/", views.item_value, name="item"),
    path("value/", views.departments_value, name="departments"),
    path("value/review/", views.review_queue, name="review"),
    path("value/settings/", views.settings_page, name="settings"),
    path("value/series/<slug:slug>/", views.series_value, name="series"),
]
