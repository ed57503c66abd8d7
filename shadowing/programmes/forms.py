from django import forms
from django.utils.translation import gettext_lazy as _

from shadowing.models import Programme
from shadowing.roster.csvfile import MAX_FILE_BYTES


class ProgrammeForm(forms.ModelForm):
    """Create (with a slug) or edit (without: a slug is in URLs and files) a programme. The
    service behind the view decides; this form only collects and labels."""

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "start_date",
            "end_date",
            "days_per_executive",
            "max_days_per_agent",
            "reporting_depth",
            "allow_cross_region",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "days_per_executive": forms.Select(choices=[(1, "1"), (2, "2")]),
        }
        help_texts = {"slug": _("Letters, digits and hyphens, e.g. spring-2027; cannot change.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]


class AvailabilityUploadForm(forms.Form):
    shifts = forms.FileField(
        label=_("Shifts (shifts.csv)"),
        required=False,
        help_text=_("Columns agent_email, date, start, end; times local to the agent's site."),
    )
    availability = forms.FileField(
        label=_("Executives' availability (availability.csv)"),
        required=False,
        help_text=_("Columns executive_email, date."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("shifts") and not cleaned.get("availability"):
            raise forms.ValidationError(_("Choose shifts.csv, availability.csv or both."))
        for name in ("shifts", "availability"):
            upload = cleaned.get(name)
            if upload and upload.size > MAX_FILE_BYTES:
                self.add_error(
                    name,
                    _("This file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // 2**20},
                )
        return cleaned

    def files_by_name(self) -> dict[str, bytes]:
        """The uploads under the names the import knows them by."""
        names = {"shifts": "shifts.csv", "availability": "availability.csv"}
        return {
            names[field]: self.cleaned_data[field].read()
            for field in names
            if self.cleaned_data.get(field)
        }
