"""The eligible-agent picker behind "Move" and "Assign by hand" on the review page: the agents
with a shift on a day who could host the executive, best first, and the others with the rules
they break in words; filter by name (GET), choose one with a radio button, optionally waive a
waivable rule with a reason (POST). Coordinators only; no script needed, fine at 390 px.

`?move=ID` moves that visit (its executive; its date unless another is chosen);
`?executive=EMAIL` assigns that executive (an unpaired one) on the chosen programme date.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shadowing.programmes.candidates import pairing_candidates, replaced_by_assignment
from shadowing.programmes.forms import MAX_ID, PairingPickForm, PickDayForm
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.pairings import pairing_assign, person_by_email
from shadowing.programmes.reasons import day_text, languages_text
from shadowing.programmes.views.review import CHANGE, _programme

PAGE_SIZE = 50


@login_required
def pairing_pick(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    moving = _moving(request, programme)
    problem = ""
    executive = moving.executive if moving is not None else None
    if executive is None:
        try:
            executive = person_by_email(
                request.GET.get("executive", "")[:254], field="executive", role="executive"
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    day_form = PickDayForm(
        request.GET,
        days=[(day.isoformat(), day_text(day)) for day in programme.dates],
        initial_day=(moving.date if moving else programme.start_date).isoformat(),
    )
    day, q = day_form.day(), day_form.search()

    form = PairingPickForm(request.POST or None)
    status = 200
    if request.method == "POST" and executive is not None:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                agent = person_by_email(data["agent"], field="agent", role="agent")
                pairing = pairing_assign(
                    programme=programme,
                    executive=executive,
                    agent=agent,
                    date=day,
                    by=request.user,
                    replaces=moving,
                    waive=data["waive"],
                    waiver_reason=data["waiver_reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                done = _("%(executive)s now visits %(agent)s on %(date)s; the visit is locked.")
                messages.success(
                    request,
                    done
                    % {
                        "executive": executive.full_name,
                        "agent": agent.full_name,
                        "date": day_text(pairing.date),
                    },
                )
                url = reverse("shadowing:programme-pairings", kwargs={"slug": programme.slug})
                return redirect(f"{url}#table-heading")
    elif request.method == "POST":
        status = 400

    found = []
    if executive is not None:
        replaces = moving or replaced_by_assignment(
            programme=programme, executive=executive, date=day
        )
        found = pairing_candidates(
            programme=programme, executive=executive, date=day, replaces=replaces, search=q
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = request.POST.get("agent", "") if request.method == "POST" else ""
    context = {
        "programme": programme,
        "executive": executive,
        "executive_languages": languages_text(executive.languages or ()) if executive else "",
        "moving": moving,
        "problem": problem,
        "day": day,
        "day_form": day_form,
        "q": q,
        "form": form,
        "page": page,
        "eligible": [c for c in page if c.eligible],
        "waivable": [c for c in page if c.waivable],
        "others": [c for c in page if not c.eligible and not c.waivable],
        "counts": {
            "eligible": sum(1 for c in found if c.eligible),
            "waivable": sum(1 for c in found if c.waivable),
            "others": sum(1 for c in found if not c.eligible and not c.waivable),
        },
        "chosen": chosen,
        "back": reverse("shadowing:programme-pairings", kwargs={"slug": programme.slug}),
    }
    if problem:
        status = 400
    return render(request, "shadowing/programmes/picker.html", context, status=status)


def _moving(request: HttpRequest, programme: Programme) -> Pairing | None:
    """The visit `?move=ID` moves: one of the programme's that may still change by hand."""
    move = request.GET.get("move", "")
    if not move:
        return None
    if not move.isdigit() or not 1 <= int(move) <= MAX_ID:
        raise Http404
    pairing = (
        Pairing.objects.active()
        .filter(programme=programme, pk=int(move))
        .exclude(status=PairingStatus.PUBLISHED)
        .select_related("executive__site", "agent")
        .first()
    )
    if pairing is None:
        raise Http404
    return pairing


def _add_errors(form: PairingPickForm, exc: ValidationError) -> None:
    """A service's refusal on the form: under a field the form has, else above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = name if name in form.fields else None
        if name == NON_FIELD_ERRORS:
            field = None
        form.add_error(field, errors)
