from django.apps import AppConfig


class BarriersConfig(AppConfig):
    name = "barriers"
    default_auto_field = "django.db.models.BigAutoField"
