from django.apps import AppConfig


class DebriefsConfig(AppConfig):
    name = "debriefs"
    default_auto_field = "django.db.models.BigAutoField"
