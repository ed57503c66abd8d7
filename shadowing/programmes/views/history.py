"""A person's visits across every wave and programme: on their home page (a panel, the last
few) and on a page of its own, theirs or, for a coordinator, anyone's."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from shadowing.organisation.models import Person
from shadowing.programmes.series import person_history

PANEL_ROWS = 5


def history_home_panel(request: HttpRequest) -> str:
    """The last visits of an executive or an agent, with the way to all of them."""
    user = request.user
    if not user.is_authenticated or not (user.is_executive or user.is_agent):
        return ""
    rows = list(person_history(user)[: PANEL_ROWS + 1])
    if not rows:
        return ""
    return render_to_string(
        "shadowing/programmes/_history_panel.html",
        {"rows": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS, "person": user},
        request=request,
    )


@login_required
def person_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    if not request.user.has_perm("shadowing.view_person_history", person):
        raise PermissionDenied
    page = Paginator(person_history(person), 50).get_page(request.GET.get("page"))
    return render(request, "shadowing/programmes/history.html", {"person": person, "page": page})
