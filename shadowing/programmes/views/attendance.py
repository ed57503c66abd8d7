"""Recording a visit's attendance from the web: the visit's agent (from their home page) and
coordinators (from the pairing review and the debrief completion page). One page per visit,
a form that also takes one-tap posts (`attendance` alone) from those pages; after a post the
person goes back where they came from."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shadowing.programmes.attendance import (
    NOTE_MAX,
    attendance_refusal,
    pairing_attendance_record,
)
from shadowing.programmes.pairing_models import Attendance
from shadowing.programmes.selectors import pairings_visible_to, programmes_visible_to


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=gettext_lazy("What happened"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: left at noon for a family matter."),
    )


def _back(request: HttpRequest, default: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


@login_required
def pairing_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """404 for a visit one may not see, 403 for one seen but not one's to record (the
    executive); the form otherwise, with the service's refusal shown, never a 500."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    pairing = get_object_or_404(
        pairings_visible_to(request.user).filter(programme=programme), pk=pk
    )
    if not request.user.has_perm("shadowing.record_attendance", pairing):
        raise PermissionDenied
    here = reverse("shadowing:pairing-attendance", kwargs={"slug": slug, "pk": pk})
    initial = {"attendance": pairing.attendance, "note": pairing.attendance_note}
    form = AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pairing_attendance_record(
                pairing=pairing,
                by=request.user,
                attendance=form.cleaned_data["attendance"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Recorded for the visit of %(name)s on %(date)s: %(attendance)s.")
                % {
                    "name": pairing.executive.full_name,
                    "date": date_format(pairing.date, "DATE_FORMAT"),
                    "attendance": pairing.get_attendance_display(),
                },
            )
            return redirect(_back(request, here))
    context = {
        "programme": programme,
        "pairing": pairing,
        "form": form,
        "refusal": attendance_refusal(pairing=pairing),
        "next": _back(request, ""),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "shadowing/programmes/attendance.html", context, status=status)
