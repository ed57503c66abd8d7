"""Every write to a series (a company's programme across its waves), whatever the entry point.

Each function validates fully and raises ValidationError keyed by field; a series that still
has waves is never deleted (its waves' history would lose its thread).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shadowing.programmes.models import Series


def series_create(*, slug: str, name: str) -> Series:
    """A new series. Refused (on ``slug``) when the slug is taken or not a slug."""
    series = Series(slug=slug, name=name)
    series.full_clean()
    try:
        with transaction.atomic():
            series.save()
    except IntegrityError as exc:  # two coordinators chose the slug at the same moment
        raise ValidationError(
            {"slug": _("A series with the slug %(slug)s already exists.") % {"slug": slug}}
        ) from exc
    return series


def series_update(*, series: Series, name: str) -> Series:
    """Rename a series (its slug never changes: integrations name it by slug)."""
    series.name = name
    series.full_clean()
    series.save(update_fields=["name"])
    return series


def series_delete(*, series: Series) -> None:
    """Delete a series without waves; one with waves is refused."""
    with transaction.atomic():
        if series.waves.exists():
            raise ValidationError(
                _("This series has waves; move them to another series or none first.")
            )
        series.delete()
