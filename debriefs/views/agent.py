"""The agent's barrier form, reached by the signed link mailed after the visit
(`debriefs.agent_links`): no sign-in, one purpose. Each barrier is filed as it is sent, with a
key from the form so that a double tap or a retry files it once."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..agent_links import agent_link_pairing
from ..body import BARRIER_FIELDS, BarrierSerializer, clean_barrier
from ..forms import BarrierRow, DebriefForm, _plain_errors, department_choices, js_text
from ..models import BarrierReport
from ..services.reports import barrier_report_file_by_agent


def _language(request, agent) -> str:
    # The agent is not signed in: speak their language unless they chose one on this device.
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return translation.get_language()
    return agent.preferred_language


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def agent_barriers(request: HttpRequest, token: str) -> HttpResponse:
    pairing = agent_link_pairing(token)
    if pairing is None:
        return render(request, "debriefs/agent_invalid.html", status=410)
    agent = pairing.agent
    with translation.override(_language(request, agent)):
        row, anonymous, status = BarrierRow(0, {}), True, 200
        if request.method == "POST":
            data = {name: request.POST.get(name, "") for name in BARRIER_FIELDS}
            data["severity"] = data["severity"] or None
            anonymous = request.POST.get("anonymous") == "on"
            key = request.POST.get("key", "")
            serializer = BarrierSerializer(data=data)
            errors = {}
            if serializer.is_valid():
                barrier = clean_barrier(serializer.validated_data)
                try:
                    uuid.UUID(key)
                except ValueError:
                    key = str(uuid.uuid4())
                try:
                    barrier_report_file_by_agent(
                        pairing=pairing, agent=agent, barrier=barrier, anonymous=anonymous, key=key
                    )
                except ValidationError as exc:
                    errors = (
                        exc.message_dict
                        if hasattr(exc, "error_dict")
                        else {"__all__": exc.messages}
                    )
                else:
                    return redirect(request.path + "?sent=1")
            else:
                errors = _plain_errors(serializer.errors)
            row, status = BarrierRow(0, data, errors), 400
        filed = BarrierReport.objects.filter(pairing=pairing, reporter=agent).order_by("created_at")
        context = {
            "pairing": pairing,
            "agent": agent,
            "row": row,
            "form": DebriefForm(values={}, departments=department_choices()),
            "anonymous": anonymous,
            "key": uuid.uuid4(),
            "filed": list(filed.values_list("title", flat=True)),
            "sent": request.GET.get("sent") == "1" and request.method == "GET",
            "errors_all": row.errors.get("__all__", []),
            "error_count": sum(len(v) for v in row.errors.values()),
            "js_text": js_text(),
        }
        response = render(request, "debriefs/agent_form.html", context, status=status)
        response.headers.setdefault("Content-Language", translation.get_language())
        # The link is the key. The site's Referrer-Policy (same-origin) keeps it from other
        # sites; "no-referrer" would also blank the Origin of the form's POST, which the CSRF
        # check needs.
        return response
