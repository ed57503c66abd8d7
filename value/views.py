"""The value pages: an item's value (`/backlog/<id>/value/`: expected, realised, review, history),
the finance reviewer's queue (`/value/review/`), a series' roll-up (`/value/series/<slug>/`), the
coordinator's costs (`/value/settings/`) and the home panel. Plain form POSTs, no JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from barriers.services.common import Conflict
from shadowing.programmes.models import Series

from . import selectors
from .forms import ExpectedForm, RealisedForm, ReviewForm, SettingsForm
from .models import Review, ValueSettings
from .rollups import department_rollup, series_rollup
from .services import (
    EXPECTED_STATUSES,
    RESOLVED_STATUSES,
    impact_review,
    impact_set_expected,
    impact_set_realised,
    value_settings_update,
)

FORMS = {"expected": ExpectedForm, "realised": RealisedForm, "review": ReviewForm}
DONE = {
    "expected": gettext_lazy("Expected impact saved."),
    "realised": gettext_lazy("Realised impact saved: it awaits finance's review."),
    "review": gettext_lazy("Review saved."),
}


def _forms(item, impact, user, bound=None):
    bound = bound or {}
    version = impact.version if impact else 0
    forms = {}
    if user.has_perm("value.set_impact", item):
        if item.status in EXPECTED_STATUSES:
            initial = {"version": version}
            if impact and impact.expected_kind:
                initial |= {
                    "kind": impact.expected_kind,
                    "quantity": impact.expected_quantity,
                    "basis": impact.expected_basis,
                }
            forms["expected"] = bound.get("expected") or ExpectedForm(initial=initial)
        if item.status in RESOLVED_STATUSES:
            initial = {"version": version}
            if impact and impact.realised_kind:
                initial |= {
                    "kind": impact.realised_kind,
                    "quantity": impact.realised_quantity,
                    "evidence": impact.evidence,
                    "evidence_link": impact.evidence_link,
                }
            forms["realised"] = bound.get("realised") or RealisedForm(initial=initial)
    if impact and impact.review == Review.PENDING and user.has_perm("value.review_impact", item):
        forms["review"] = bound.get("review") or ReviewForm(initial={"version": version})
    return forms


def _render(request, item, bound=None, code=200):
    impact = selectors.impact_for(item)
    context = {
        "item": item,
        "impact": impact,
        "history": selectors.impact_history(impact),
        "forms": _forms(item, impact, request.user, bound),
        "settings": ValueSettings.load(),
    }
    return render(request, "value/item.html", context, status=code)


def _visible(request, pk):
    item = get_object_or_404(selectors.value_items_visible_to(request.user), pk=pk)
    if not request.user.has_perm("value.view_impact", item):
        raise PermissionDenied
    return item


@login_required
def item_value(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if request.method != "POST":
        return _render(request, item)
    action = request.POST.get("action", "")
    if action not in FORMS:
        return _render(request, item, code=400)
    form = FORMS[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render(request, item, bound={action: form}, code=400)
    data = form.cleaned_data
    common = {"item": item, "by": request.user, "version": data.get("version")}
    try:
        if action == "expected":
            impact_set_expected(
                **common, kind=data["kind"], quantity=data["quantity"], basis=data["basis"]
            )
        elif action == "realised":
            impact_set_realised(
                **common,
                kind=data["kind"],
                quantity=data["quantity"],
                evidence=data["evidence"],
                evidence_link=data["evidence_link"],
            )
        else:
            impact_review(**common, decision=data["decision"], reason=data["reason"])
    except Conflict as exc:
        messages.error(request, exc.message)
        return _render(request, item, code=409)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            if name in form.fields:
                for error in errors:
                    form.add_error(name, error)
            else:
                for error in errors:
                    messages.error(request, error)
        return _render(request, item, bound={action: form}, code=400)
    messages.success(request, DONE[action])
    if action == "review" and request.POST.get("next") == "queue":
        return redirect("value:review")
    return redirect("value:item", pk=item.pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("value.review_queue"):
        raise PermissionDenied
    page = Paginator(selectors.review_queue(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "value/review.html",
        {"page": page, "form": ReviewForm(), "settings": ValueSettings.load()},
    )


@login_required
def series_value(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    return render(request, "value/series.html", {"series": series, "rollup": series_rollup(series)})


@login_required
def departments_value(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "value/departments.html",
        {"rollup": department_rollup(), "series_list": Series.objects.all()},
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("value.change_valuesettings"):
        raise PermissionDenied
    row = ValueSettings.load()
    form = SettingsForm(
        request.POST or None,
        initial={
            "cost_per_contact": row.cost_per_contact,
            "cost_per_minute": row.cost_per_minute,
            "value_per_fcr_point": row.value_per_fcr_point,
            "currency": row.currency,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            value_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("Costs saved."))
            return redirect("value:settings")
    code = 400 if request.method == "POST" else 200
    return render(request, "value/settings.html", {"form": form}, status=code)


def value_home_panel(request: HttpRequest) -> str:
    """A finance reviewer's next step: the values awaiting their review."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("value.review_queue"):
        return ""
    waiting = selectors.review_queue().count()
    return render_to_string("value/_home_panel.html", {"waiting": waiting}, request=request)
