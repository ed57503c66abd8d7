"""`values|zip_labels:choices`: each figure beside the label of its column, for tables whose
columns are a list (the barrier categories), so that a reflowed cell can name its figure."""

from django import template

register = template.Library()


@register.filter
def zip_labels(values, choices) -> list[tuple[object, str]]:
    """(value, label) pairs from a row's values and the (value, label) choices of its columns."""
    return [(value, str(label)) for value, (_key, label) in zip(values, choices, strict=False)]
