from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShadowingConfig(AppConfig):
    name = "shadowing"
    verbose_name = _("Shadowing programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each feature registers its rules; the system checks; the invitations answer the
        # programmes' signals (docs/architecture.md).
        from shadowing import checks, home_panels  # noqa: F401
        from shadowing.invitations import permissions as _invitations  # noqa: F401
        from shadowing.invitations import receivers as _receivers  # noqa: F401
        from shadowing.invitations.home import executive_visits_panel
        from shadowing.organisation import permissions as _organisation  # noqa: F401
        from shadowing.programmes import permissions as _programmes  # noqa: F401

        # The executive's visit days come first of the panels, before the debriefs' (10).
        home_panels.register("visits", executive_visits_panel, order=5)
        # Each person's visits across waves (shadowing/programmes/views/history.py), last.
        from shadowing.programmes.views.history import history_home_panel

        home_panels.register("history", history_home_panel, order=90)
