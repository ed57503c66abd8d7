from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COST_MAX, QUANTITY_MAX, Kind, Review

_QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": QUANTITY_MAX,
    "localize": True,
}


class ExpectedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    quantity = forms.DecimalField(label=_("Quantity a month"), **_QUANTITY)
    basis = forms.CharField(
        label=_("Basis (required for an amount)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RealisedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    quantity = forms.DecimalField(label=_("Quantity a month"), **_QUANTITY)
    evidence = forms.CharField(
        label=_("Evidence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_link = forms.URLField(
        label=_("Evidence link (optional)"), required=False, max_length=500
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Review.CONFIRMED, _("Confirm")), (Review.CHALLENGED, _("Challenge"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required for a challenge)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SettingsForm(forms.Form):
    cost_per_contact = forms.DecimalField(
        label=_("Cost per contact"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        max_value=COST_MAX,
        localize=True,
    )
    cost_per_minute = forms.DecimalField(
        label=_("Cost per minute of handle time"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        max_value=COST_MAX,
        localize=True,
    )
    value_per_fcr_point = forms.DecimalField(
        label=_("Value of a first-contact resolution point a month"), **_QUANTITY
    )
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
