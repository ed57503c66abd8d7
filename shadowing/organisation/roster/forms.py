"""The upload form of the roster import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shadowing.organisation.roster.columns import (
    COLUMNS,
    DEPARTMENTS,
    FILE_NAMES,
    PEOPLE,
    SITES,
    UPLOAD_FIELDS,
)
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES


def _help(file: str) -> str:
    required, optional = COLUMNS[file]
    text = _("Columns: %(columns)s.") % {"columns": ", ".join(required)}
    if optional:
        text += " " + _("Optional: %(columns)s.") % {"columns": ", ".join(optional)}
    return text


class RosterUploadForm(forms.Form):
    """Any of the three files; at least one."""

    departments = forms.FileField(
        label=DEPARTMENTS, required=False, allow_empty_file=True, help_text=_help(DEPARTMENTS)
    )
    sites = forms.FileField(
        label=SITES, required=False, allow_empty_file=True, help_text=_help(SITES)
    )
    people = forms.FileField(
        label=PEOPLE, required=False, allow_empty_file=True, help_text=_help(PEOPLE)
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["accept"] = ".csv,text/csv"

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in UPLOAD_FIELDS):
            raise forms.ValidationError(
                _("Choose at least one file: %(files)s.") % {"files": ", ".join(FILE_NAMES)}
            )
        for name, file in UPLOAD_FIELDS.items():
            upload = cleaned.get(name)
            # Checked before reading: the bytes of a huge upload are never loaded.
            if upload and upload.size > MAX_FILE_BYTES:
                self.add_error(
                    name,
                    _("%(file)s is larger than %(mb)d MB, the most one import reads.")
                    % {"file": file, "mb": MAX_FILE_BYTES // (1024 * 1024)},
                )
        return cleaned

    def files_by_name(self) -> dict[str, bytes]:
        """file name (people.csv) -> bytes, for the files given."""
        return {
            file: b"".join(self.cleaned_data[name].chunks())
            for name, file in UPLOAD_FIELDS.items()
            if self.cleaned_data.get(name)
        }
