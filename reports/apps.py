from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shadowing import home_panels

        from . import permissions  # noqa: F401  (registers the rules)
        from .views import reports_home_panel

        home_panels.register("reports", reports_home_panel, order=50)
