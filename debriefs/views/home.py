"""The debriefs panel of each person's home page (registered in DebriefsConfig.ready): an
executive's started visits with "File your debrief", an agent's visits with whether the
executive came (recorded in one tap) and the link to add the barriers they face, or, before
any, their next visit and what comes after it; a coordinator's way to the completion view."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from shadowing.programmes.attendance import attendance_is_open
from shadowing.programmes.pairing_models import Attendance

from ..agent_links import agent_link_path
from ..selectors import agent_next_visit, agent_visits_ended, executive_visits_to_debrief


def debrief_home_panel(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return ""
    visits = executive_visits_to_debrief(user) if user.is_executive else []
    hosted = (
        [
            (pairing, agent_link_path(pairing), attendance_is_open(pairing))
            for pairing in agent_visits_ended(user)
        ]
        if user.is_agent
        else []
    )
    next_visit = agent_next_visit(user) if user.is_agent else None
    coordinator = user.has_perm("debriefs.view_debrief_completion")
    if not (visits or hosted or coordinator or user.is_agent):
        return ""
    return render_to_string(
        "debriefs/_home_panel.html",
        {
            "visits": visits,
            "hosted": hosted,
            "agent": user.is_agent,
            "next_visit": next_visit,
            "attendance_choices": Attendance.choices,
            "coordinator": coordinator,
        },
        request=request,
    )
