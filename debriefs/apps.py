from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebriefsConfig(AppConfig):
    name = "debriefs"
    verbose_name = _("Debriefs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shadowing import home_panels

        from . import permissions  # noqa: F401  (registers the rules)
        from .views.home import debrief_home_panel

        home_panels.register("debriefs", debrief_home_panel, order=10)
