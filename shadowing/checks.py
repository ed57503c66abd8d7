from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """A key made on first use under var/ is fine for one machine; several web and worker
    machines each make their own, and then sign-in links and sessions break between them."""
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Warning(
            "SECRET_KEY is not set: using the key made on first use in var/secret_key.",
            hint="Set SECRET_KEY in the environment, the same on every machine.",
            id="shadowing.W001",
        )
    ]
