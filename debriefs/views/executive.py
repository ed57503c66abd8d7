"""The executive's debrief page (`/visits/<pairing_id>/debrief/`), its autosave and a
coordinator's reopening.

Who sees what: the visit's executive files and reads it; coordinators read it (and reopen it);
everyone else, the agent and department heads included, gets a 404, whether or not the visit
or its debrief exists.

The page works without JavaScript: "Save draft", "Add a barrier", "Remove" and "Submit" are
buttons of one form. debrief.js adds the autosave (to the server, and to the browser's storage
so that a dropped connection or a closed tab loses nothing) and adds and removes barriers in
place.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shadowing.programmes.pairing_models import Pairing
from shadowing.programmes.selectors import pairings_visible_to

from ..body import DebriefBodySerializer, body_warnings, clean_body
from ..forms import (
    DebriefForm,
    barriers_for_display,
    department_choices,
    js_text,
    raw_body_from_post,
    read_body,
)
from ..models import Debrief
from ..services.drafts import (
    DebriefLocked,
    FilingRefused,
    debrief_filing_refusal,
    debrief_get_or_create,
    debrief_save_draft,
)
from ..services.submission import DebriefIncomplete, debrief_reopen, debrief_submit

MAX_AUTOSAVE_BYTES = 512 * 1024


def _visit_and_debrief(request: HttpRequest, pairing_id: int) -> tuple[Pairing, Debrief | None]:
    """The visit and its debrief, or 404 for anyone who may not see the debrief."""
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pairing_id)
    debrief = Debrief.objects.filter(pairing=pairing).first()
    if debrief is not None:
        debrief.pairing = pairing
        if not request.user.has_perm("debriefs.view_debrief", debrief):
            raise Http404
    elif pairing.executive_id != request.user.pk and not request.user.has_perm(
        "debriefs.view_any_debrief"
    ):
        raise Http404
    return pairing, debrief


def _body(debrief: Debrief | None) -> dict:
    if debrief is None:
        return {"overall": "", "rating": None, "commitment": "", "barriers": []}
    return {
        "overall": debrief.overall,
        "rating": debrief.rating,
        "commitment": debrief.commitment,
        "barriers": debrief.barriers,
    }


def _render_form(request, pairing, debrief, form, status=200) -> HttpResponse:
    context = {
        "pairing": pairing,
        "debrief": debrief,
        "form": form,
        "revision": debrief.revision if debrief else 0,
        "autosave_url": reverse("debriefs:pairing-debrief-draft", args=[pairing.pk]),
        "storage_key": f"debrief:{request.user.pk}:{pairing.pk}",
        "js_text": js_text(),
    }
    return render(request, "debriefs/form.html", context, status=status)


def _render_read_only(request, pairing, debrief) -> HttpResponse:
    context = {
        "pairing": pairing,
        "debrief": debrief,
        "is_executive": pairing.executive_id == request.user.pk,
        "can_reopen": debrief is not None
        and debrief.is_submitted
        and request.user.has_perm("debriefs.reopen_debrief", debrief),
        "barriers": barriers_for_display(debrief.barriers) if debrief else [],
        "storage_key": f"debrief:{request.user.pk}:{pairing.pk}",
    }
    return render(request, "debriefs/detail.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pairing_debrief(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing, debrief = _visit_and_debrief(request, pairing_id)
    if pairing.executive_id != request.user.pk:
        if request.method == "POST":
            raise PermissionDenied
        return _render_read_only(request, pairing, debrief)
    if debrief is None or debrief.is_editable:
        refusal = debrief_filing_refusal(pairing=pairing, by=request.user)
        if refusal and debrief is None:
            return render(
                request, "debriefs/not_yet.html", {"pairing": pairing, "message": refusal}
            )
    if debrief is not None and debrief.is_submitted:
        # A double tap on "Submit", or the back button: the debrief is filed, show it.
        return _render_read_only(request, pairing, debrief)
    if request.method == "GET":
        form = DebriefForm(
            values=_body(debrief),
            departments=department_choices(),
            extra_row=request.GET.get("add") == "1",
        )
        return _render_form(request, pairing, debrief, form)
    return _post(request, pairing, debrief)


def _post(request, pairing, debrief) -> HttpResponse:
    action = request.POST.get("action", "save")
    remove = None
    if action.startswith("remove:"):
        try:
            remove = int(action.split(":", 1)[1])
        except ValueError:
            remove = None
    raw = raw_body_from_post(request.POST, remove=remove)
    body, errors = read_body(raw)
    departments = department_choices()
    if errors:
        form = DebriefForm(values=raw, errors=errors, departments=departments)
        return _render_form(request, pairing, debrief, form, status=400)
    if debrief is None:
        debrief, _created = debrief_get_or_create(pairing=pairing, by=request.user)
    try:
        if action == "submit":
            debrief, _submitted = debrief_submit(debrief=debrief, by=request.user, body=body)
            messages.success(request, _("Thank you: your debrief is submitted."))
            return redirect("debriefs:pairing-debrief", pairing.pk)
        debrief = debrief_save_draft(debrief=debrief, by=request.user, body=body)
    except DebriefIncomplete as exc:
        form = DebriefForm(values=body, errors=exc.errors, departments=departments)
        return _render_form(request, pairing, debrief, form, status=400)
    except DebriefLocked:
        messages.error(request, _("Your debrief was already submitted; it was not changed."))
        return redirect("debriefs:pairing-debrief", pairing.pk)
    url = reverse("debriefs:pairing-debrief", args=[pairing.pk])
    if action == "add":
        return redirect(f"{url}?add=1#barrier-{len(body['barriers'])}")
    messages.success(request, _("Your draft is saved."))
    return redirect(url)


@never_cache
@login_required
@require_POST
def pairing_debrief_draft(request: HttpRequest, pairing_id: int) -> JsonResponse:
    """The page's autosave: a JSON body (any part of the API's), saved as the draft. Answers
    the new revision and the customer-data warnings; 409 once the debrief is submitted."""
    pairing, debrief = _visit_and_debrief(request, pairing_id)
    if pairing.executive_id != request.user.pk:
        return JsonResponse({"detail": _("Only the visit's executive changes it.")}, status=403)
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return JsonResponse({"detail": _("Too much text for one debrief.")}, status=400)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "Not JSON."}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"detail": "A JSON object."}, status=400)
    serializer = DebriefBodySerializer(data=data)
    if not serializer.is_valid():
        return JsonResponse({"errors": serializer.errors}, status=400)
    body = clean_body(serializer.validated_data)
    try:
        if debrief is None:
            debrief, _created = debrief_get_or_create(pairing=pairing, by=request.user)
        debrief = debrief_save_draft(debrief=debrief, by=request.user, body=body)
    except FilingRefused as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    except DebriefLocked:
        return JsonResponse(
            {
                "detail": _("Your debrief is submitted: it no longer changes."),
                "status": "submitted",
            },
            status=409,
        )
    return JsonResponse(
        {
            "revision": debrief.revision,
            "status": debrief.status,
            "saved_at": debrief.updated_at.isoformat(),
            # As the page says it ("09:05", « 9 h 05 »), not as the browser's locale would.
            "saved_time": time_format(timezone.localtime(debrief.updated_at), "TIME_FORMAT"),
            "warnings": body_warnings(_body(debrief)),
        }
    )


@login_required
@require_POST
def pairing_debrief_reopen(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing, debrief = _visit_and_debrief(request, pairing_id)
    if debrief is None:
        raise Http404
    if not request.user.has_perm("debriefs.reopen_debrief", debrief):
        raise PermissionDenied
    debrief_reopen(debrief=debrief, by=request.user)
    messages.success(request, _("The debrief is open again; its executive has been told."))
    return redirect("debriefs:pairing-debrief", pairing.pk)
