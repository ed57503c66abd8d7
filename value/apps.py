"""The value of a fix that finance accepts: an item's expected impact, its realised impact with
evidence once resolved, a finance reviewer's confirmation or challenge, and the roll-ups per
department, wave and series (confirmed apart from claimed)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueConfig(AppConfig):
    name = "value"
    verbose_name = _("Value")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shadowing import home_panels

        from . import permissions  # noqa: F401  (registers the rules)
        from .views import value_home_panel

        home_panels.register("value", value_home_panel, order=30)
