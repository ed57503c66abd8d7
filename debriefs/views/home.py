"""The debriefs panel of each person's home page (registered in DebriefsConfig.ready): an
executive's started visits with "File your debrief", an agent's visits with the link to add
the barriers they face, a coordinator's way to the completion view."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from ..agent_links import agent_link_url
from ..selectors import agent_visits_ended, executive_visits_to_debrief


def debrief_home_panel(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return ""
    visits = executive_visits_to_debrief(user) if user.is_executive else []
    hosted = (
        [(pairing, agent_link_url(pairing)) for pairing in agent_visits_ended(user)]
        if user.is_agent
        else []
    )
    coordinator = user.has_perm("debriefs.view_debrief_completion")
    if not (visits or hosted or coordinator):
        return ""
    return render_to_string(
        "debriefs/_home_panel.html",
        {"visits": visits, "hosted": hosted, "coordinator": coordinator},
        request=request,
    )
