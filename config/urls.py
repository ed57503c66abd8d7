from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shadowing.organisation.views import auth as auth_views

admin.site.site_header = "Shadowing programme"
admin.site.site_title = "Shadowing programme"
# People have no passwords: the admin's login page sends them to the sign-in-by-link page.
admin.site.login = auth_views.admin_login

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before the routers below: their programmes/{slug}/ and debriefs/{id}/ routes come first.
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("shadowing.invitations.api")),
    path("api/v1/", include("shadowing.api_urls")),
    path("api/v1/", include("debriefs.api.urls")),
    path("api/v1/", include("barriers.api.urls")),
    path("api/v1/", include("value.api.urls")),
    path("api/v1/", include("stories.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("shadowing.invitations.urls")),
    path("", include("reports.urls")),
    path("", include("debriefs.urls")),
    # Before the backlog's: its backlog/<id>/<action>/ would take backlog/<id>/value/.
    path("", include("value.urls")),
    path("", include("barriers.urls")),
    path("", include("stories.urls")),
    path("", include("shadowing.urls")),
]
