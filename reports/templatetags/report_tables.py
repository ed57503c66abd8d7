"""`values|zip_labels:choices`: each figure beside the label of its column, for tables whose
columns are a list (the barrier categories), so that a reflowed cell can name its figure."""

from django import template

register = template.Library()


@register.filter
def zip_labels(values, choices) -> list[tuple[object, str]]:
    """(value, label) pairs from a row's values and the (value, label) choices of its columns."""
    return [(value, str(label)) for value, (_key, label) in zip(values, choices, strict=False)]


@register.filter
def attr(obj, name: str):
    """`line|attr:"claimed_in_time"`: a field named by a variable (the loop's measures)."""
    return getattr(obj, name, None)


@register.filter
def share(value) -> str:
    """A loop share as `80 % (4/5)`, in the page's language; a dash when nothing counts yet."""
    from django.utils import formats
    from django.utils.translation import gettext as _

    if value is None or not value.denominator:
        return "—"
    return _("%(percent)s\u00a0%% (%(numerator)s/%(denominator)s)") % {
        "percent": formats.number_format(value.percent),
        "numerator": formats.number_format(value.numerator, force_grouping=True),
        "denominator": formats.number_format(value.denominator, force_grouping=True),
    }
