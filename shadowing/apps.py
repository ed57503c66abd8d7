from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShadowingConfig(AppConfig):
    name = "shadowing"
    verbose_name = _("Shadowing programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, permissions  # noqa: F401  (registers the checks and rules)
        from .invitations import permissions as _invitations  # noqa: F401
