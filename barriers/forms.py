"""The backlog's page forms. They only read input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Department, Person

from .due_dates import due_date_refusal


class DateInput(forms.DateInput):
    input_type = "date"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} ({person.email})"


class ClaimForm(forms.Form):
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        help_text=_("You, or another manager of the department: agents do not own items."),
    )
    due = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        help_text=_(
            "A working day: a public holiday or company day off of the department is refused, "
            "and the next working day suggested."
        ),
    )
    first_step = forms.CharField(
        label=_("First step"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people if people is not None else Person.objects.none()

    def clean(self):
        # Checked here as well as by the service, so that the page keeps what was typed.
        data = super().clean()
        owner, due = data.get("owner"), data.get("due")
        if owner is not None and due is not None and owner.department_id:
            refusal = due_date_refusal(owner.department, due)
            if refusal:
                self.add_error("due", refusal)
        return data


class ReassignForm(ClaimForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].required = False
        self.fields["first_step"].required = False
        self.fields["due"].help_text = _("Empty: keep the date.")
        self.fields["first_step"].help_text = _("Empty: keep the first step.")


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("To department"), queryset=Department.objects.order_by("code")
    )
    reason = forms.CharField(
        label=_("Why it belongs there"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into item number"), min_value=1)
