from rest_framework.routers import DefaultRouter

from . import completion, views

router = DefaultRouter()
router.include_root_view = False
# Before `debriefs/{id}/`, which would otherwise take "completion-visits" for an id.
router.register("debriefs", completion.DebriefCompletionViewSet, basename="debrief-completion")
router.register("debriefs", views.DebriefViewSet, basename="debrief")
router.register("barrier-reports", views.BarrierReportViewSet, basename="barrier-report")

urlpatterns = router.urls
