from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import DID_MAX, SAW_MAX


class StoryForm(forms.Form):
    saw = forms.CharField(
        label=_("What I saw"),
        max_length=SAW_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The moment, as you would tell it to a colleague. Leave the agent’s name out: we add "
            "it when they agree."
        ),
    )
    agent_did = forms.CharField(
        label=_("What the agent did for the customer"),
        max_length=DID_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name_agent = forms.BooleanField(
        label=_("Name the agent in the story"),
        required=False,
        help_text=_(
            "We ask the agent by e-mail first; without their yes the story says “an agent”."
        ),
    )


class DigestSettingsForm(forms.Form):
    digest_to = forms.CharField(
        label=_("Digest recipients"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E-mail addresses, one per line or comma-separated."),
    )

    def clean_digest_to(self):
        value = self.cleaned_data["digest_to"]
        for address in value.replace(",", "\n").replace(";", "\n").split():
            try:
                validate_email(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Not an e-mail address: %(address)s"), params={"address": address[:100]}
                ) from error
        return value
