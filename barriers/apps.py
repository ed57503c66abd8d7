from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarriersConfig(AppConfig):
    name = "barriers"
    verbose_name = _("Barrier backlog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shadowing import home_panels

        from . import permissions, signals  # noqa: F401  (registers the rules and receivers)
        from .views import backlog_home_panel

        home_panels.register("barriers", backlog_home_panel, order=20)
