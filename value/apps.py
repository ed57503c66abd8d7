from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueConfig(AppConfig):
    name = "value"
    verbose_name = _("Value")
    default_auto_field = "django.db.models.BigAutoField"
