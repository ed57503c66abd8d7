from django import forms
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Person


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Told to both people in the cancellation."),
    )


class ChangeForm(forms.Form):
    """Move a published visit and/or give it another agent; an empty field keeps it as is."""

    agent = forms.EmailField(
        label=_("Agent's e-mail"),
        required=False,
        help_text=_("Empty: the same agent."),
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the same date."),
    )

    def clean_agent(self) -> Person | None:
        email = (self.cleaned_data.get("agent") or "").strip().lower()
        if not email:
            return None
        person = Person.objects.select_related("site").filter(email=email, is_agent=True).first()
        if person is None:
            raise forms.ValidationError(_("No agent in the roster has this e-mail."))
        return person

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("agent") and not cleaned.get("date"):
            raise forms.ValidationError(_("Give another agent, another date, or both."))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything the coordinator should know? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
