from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("debriefs", views.DebriefViewSet, basename="debrief")
router.register("barrier-reports", views.BarrierReportViewSet, basename="barrier-report")

urlpatterns = router.urls
