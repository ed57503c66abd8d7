"""A series' page: its waves in order with their dates, stage, visits and first-timers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from shadowing.programmes.models import Series
from shadowing.programmes.series import series_summary


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("shadowing.view_series"):
        raise PermissionDenied
    return render(
        request, "shadowing/series/list.html", {"series_list": Series.objects.order_by("name")}
    )


@login_required
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    if not request.user.has_perm("shadowing.view_series", series):
        raise PermissionDenied
    waves = series_summary(series)
    return render(
        request,
        "shadowing/series/detail.html",
        {
            "series": series,
            "waves": waves,
            "first_time_total": sum(w["first_time"] for w in waves),
            "visits_total": sum(w["visits"] for w in waves),
        },
    )
