import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import PairingStatus
from shadowing.programmes.reasons import WAIVABLE_LABELS
from shadowing.programmes.selectors import PairingFilters


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
            "visit_briefing",
            "series",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "days_per_executive": forms.Select(choices=[(1, "1"), (2, "2")]),
            "visit_briefing": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"slug": _("Letters, digits and hyphens, e.g. spring-2027; cannot change.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]


class BlackoutDateForm(forms.Form):
    """A day of the programme closed to every visit; the service checks the date."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: company town hall, month-end close."),
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:  # the browser's date picker offers only the programme's days
            attrs = self.fields["date"].widget.attrs
            attrs["min"] = programme.start_date.isoformat()
            attrs["max"] = programme.end_date.isoformat()


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


class PairingFilterForm(forms.Form):
    """The review table's filters (GET). An invalid value is reported and then ignored, so a
    stale bookmark still shows the table."""

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200, strip=True)
    department = forms.ChoiceField(label=_("Executive's department"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All but cancelled")), *PairingStatus.choices],
    )
    needs_repair = forms.ChoiceField(
        label=_("Repair"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Needs repair")), ("no", _("Sound"))],
    )
    first_time = forms.BooleanField(label=_("First time on the front line"), required=False)

    def __init__(self, *args, departments=(), sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Any")), *departments]
        self.fields["site"].choices = [("", _("Any")), *sites]

    def filters(self) -> PairingFilters:
        self.is_valid()
        data = self.cleaned_data  # only the fields that were valid
        repair = data.get("needs_repair") or ""
        return PairingFilters(
            department=data.get("department") or "",
            site=data.get("site") or "",
            date=data.get("date"),
            status=data.get("status") or "",
            needs_repair={"yes": True, "no": False}.get(repair),
            search=data.get("q") or "",
            first_time=True if data.get("first_time") else None,
        )


# The largest primary key any database here stores (a 64-bit integer): a bigger number in a
# form is refused as invalid rather than reaching SQLite, whose driver raises on it.
MAX_ID = 2**63 - 1


class PairingAssignForm(forms.Form):
    """Assign an executive to an agent's shift by hand; the service checks every rule."""

    executive = forms.EmailField(label=_("Executive's e-mail"))
    agent = forms.EmailField(label=_("Agent's e-mail"))
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    replaces = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )


class PickDayForm(forms.Form):
    """The picker's GET filters: which programme day, and part of an agent's name. A bad value
    is reported and the default day shown."""

    date = forms.ChoiceField(label=_("Day"), required=False)
    q = forms.CharField(label=_("Agent's name"), required=False, max_length=200, strip=True)

    def __init__(self, *args, days=(), initial_day="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = list(days)
        self.initial_day = initial_day
        self.is_valid()

    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data.get("date") or self.initial_day)

    def search(self) -> str:
        return self.cleaned_data.get("q") or ""


class PairingPickForm(forms.Form):
    """The agent chosen in the picker, and any rules waived with the executive's agreement."""

    agent = forms.EmailField(
        label=_("Agent"), error_messages={"required": _("Choose an agent from the list.")}
    )
    waive = forms.MultipleChoiceField(
        label=_("Waive, with the executive's agreement"),
        required=False,
        choices=list(WAIVABLE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    waiver_reason = forms.CharField(
        label=_("Why (required with a waiver)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: agreed by phone with the executive on Monday."),
    )


class _IdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            ids = [int(v) for v in value or ()]
        except (TypeError, ValueError):
            ids = [0]
        if any(not 1 <= pk <= MAX_ID for pk in ids):
            raise forms.ValidationError(_("Choose pairings from the table."))
        return ids


class PairingSwapForm(forms.Form):
    """Two ticked rows of the review table."""

    pairings = _IdsField(required=False)

    def clean_pairings(self):
        ids = list(dict.fromkeys(self.cleaned_data["pairings"]))
        if len(ids) != 2:
            raise forms.ValidationError(_("Tick exactly two pairings to swap them."))
        return ids
