from django.urls import path

from shadowing.organisation.views import auth, company_days, roster

# In the `shadowing` namespace (shadowing/urls.py).
urlpatterns = [
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", auth.sign_in_with_link, name="sign-in-link"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("profile/", auth.profile, name="profile"),
    path("profile/language/", auth.profile_language, name="profile-language"),
    path("roster/import/", roster.roster_import, name="roster-import"),
    path("company-days/", company_days.company_days, name="company-days"),
    path(
        "company-days/<str:day>/remove/",
        company_days.company_day_remove_view,
        name="company-day-remove",
    ),
]
