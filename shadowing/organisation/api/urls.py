from django.urls import path

from shadowing.organisation.api import company_days, views

# (prefix, viewset, basename): registered on the API's one router (shadowing/api_urls.py).
routes = [
    ("departments", views.DepartmentViewSet, "department"),
    ("sites", views.SiteViewSet, "site"),
    ("people", views.PersonViewSet, "person"),
    ("company-days", company_days.CompanyDayViewSet, "company-day"),
]

urlpatterns = [
    path("roster/import/", views.RosterImportView.as_view(), name="roster-import"),
]
