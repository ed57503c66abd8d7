"""The company's days off on the web, for coordinators: the list (this year on), a form to add
one, a button to remove one. Phone-first, like the blackout dates page it is linked from. Each
view only adapts: `shadowing.organisation.company_days` decides."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shadowing import clock
from shadowing.organisation.company_days import (
    NAME_MAX,
    company_day_add,
    company_day_remove,
    company_days_list,
)


class CompanyDayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX,
        help_text=gettext_lazy("For example: holiday shutdown, company anniversary."),
    )


def _coordinator(request: HttpRequest) -> None:
    if not request.user.has_perm("shadowing.view_companyday"):
        raise PermissionDenied


def _listed():
    today = clock.local_today()
    return list(company_days_list(start=dt.date(today.year, 1, 1)))


@login_required
def company_days(request: HttpRequest) -> HttpResponse:
    """The list and the form (GET); adding a day (POST), then back to the list."""
    _coordinator(request)
    data = request.POST if request.method == "POST" else None
    form = CompanyDayForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            added = company_day_add(**form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "%(date)s is now a company day off: no working day for the backlog, and no "
                    "visit is proposed on it."
                )
                % {"date": date_format(added.date, "DATE_FORMAT")},
            )
            return redirect("shadowing:company-days")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "days": _listed()}
    return render(request, "shadowing/organisation/company_days.html", context, status=status)


@require_POST
@login_required
def company_day_remove_view(request: HttpRequest, day: str) -> HttpResponse:
    _coordinator(request)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    try:
        company_day_remove(date=date)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(date)s is a working day again.") % {"date": date_format(date, "DATE_FORMAT")},
        )
    return redirect("shadowing:company-days")
