"""A programme's blackout dates on the web: the coordinator adds one from the programme page
(or this page, which shows the form again with what was wrong) and removes one with a button.
After a change the coordinator is told how many visits fall on that day and what becomes of
them. Each view only adapts: `shadowing.programmes.blackouts` decides."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shadowing.programmes.blackouts import (
    BlackoutDay,
    blackout_date_add,
    blackout_date_remove,
    blackout_days,
)
from shadowing.programmes.forms import BlackoutDateForm
from shadowing.programmes.models import Programme
from shadowing.programmes.selectors import programmes_visible_to


def _programme(request: HttpRequest, slug: str) -> Programme:
    """404 for a programme the person may not see, 403 for one they may not change."""
    programme = get_object_or_404(programmes_visible_to(request.user), slug=slug)
    if not request.user.has_perm("shadowing.change_programme", programme):
        raise PermissionDenied
    return programme


def visits_on_blackout(day: BlackoutDay) -> list[str]:
    """What becomes of the visits on a blackout date, in words (nothing when it has none)."""
    said = []
    if day.proposed:
        said.append(
            ngettext(
                "%(n)d proposed visit falls on this day: the next pairing run will move it.",
                "%(n)d proposed visits fall on this day: the next pairing run will move them.",
                day.proposed,
            )
            % {"n": day.proposed}
        )
    if day.kept:
        said.append(
            ngettext(
                "%(n)d locked or published visit falls on this day: a pairing run never moves "
                "it, so move it by hand (the review page lists it as a conflict after the run).",
                "%(n)d locked or published visits fall on this day: a pairing run never moves "
                "them, so move them by hand (the review page lists them as conflicts after the "
                "run).",
                day.kept,
            )
            % {"n": day.kept}
        )
    return said


@login_required
def programme_blackouts(request: HttpRequest, slug: str) -> HttpResponse:
    """The list and the form (GET); adding a date (POST), then back to the programme page."""
    programme = _programme(request, slug)
    data = request.POST if request.method == "POST" else None
    form = BlackoutDateForm(data, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            added = blackout_date_add(programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            day = blackout_days(programme, dates=[added.date])[0]
            messages.success(
                request,
                " ".join(
                    [
                        _("%(date)s is now a blackout date: no visit is proposed on it.")
                        % {"date": date_format(added.date, "DATE_FORMAT")},
                        *visits_on_blackout(day),
                    ]
                ),
            )
            return redirect(reverse("shadowing:programme", kwargs={"slug": slug}) + "#blackouts")
    context = {"programme": programme, "blackout_form": form, "blackouts": _listed(programme)}
    status = 400 if request.method == "POST" else 200
    return render(request, "shadowing/programmes/blackout_dates.html", context, status=status)


@require_POST
@login_required
def programme_blackout_remove(request: HttpRequest, slug: str, day: str) -> HttpResponse:
    programme = _programme(request, slug)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    try:
        blackout_date_remove(programme=programme, date=date)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(date)s is open again: the next pairing run may propose visits on it.")
            % {"date": date_format(date, "DATE_FORMAT")},
        )
    return redirect(reverse("shadowing:programme", kwargs={"slug": slug}) + "#blackouts")


def _listed(programme: Programme) -> list[tuple[BlackoutDay, list[str]]]:
    return [(day, visits_on_blackout(day)) for day in blackout_days(programme)]


def blackouts_context(programme: Programme) -> dict:
    """What the programme page's blackout card shows (`_blackout_dates.html`)."""
    return {"blackouts": _listed(programme), "blackout_form": BlackoutDateForm(programme=programme)}
