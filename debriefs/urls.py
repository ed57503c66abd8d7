from django.urls import path

from .views import agent, coordinator, executive

app_name = "debriefs"

urlpatterns = [
    path("visits/<int:pairing_id>/debrief/", executive.pairing_debrief, name="pairing-debrief"),
    path(
        "visits/<int:pairing_id>/debrief/draft/",
        executive.pairing_debrief_draft,
        name="pairing-debrief-draft",
    ),
    path(
        "visits/<int:pairing_id>/debrief/reopen/",
        executive.pairing_debrief_reopen,
        name="pairing-debrief-reopen",
    ),
    path("agent/<str:token>/", agent.agent_barriers, name="agent-barriers"),
    path("debriefs/completion/", coordinator.completion_list, name="completion-list"),
    path("debriefs/completion/<slug:slug>/", coordinator.completion, name="completion"),
    path(
        "debriefs/completion/<slug:slug>/debriefs.csv",
        coordinator.completion_download,
        name="completion-csv",
    ),
    path(
        "debriefs/completion/<slug:slug>/nudge/",
        coordinator.nudge_everyone,
        name="nudge-everyone",
    ),
    path(
        "debriefs/completion/<slug:slug>/nudge/<int:pairing_id>/",
        coordinator.nudge,
        name="nudge",
    ),
    path("debriefs/barrier-reports/", coordinator.barrier_reports, name="barrier-reports"),
]
