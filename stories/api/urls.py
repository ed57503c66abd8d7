from rest_framework.routers import SimpleRouter

from .views import DigestViewSet, StoryConsentViewSet, StoryViewSet, YouSaidWeDidViewSet

router = SimpleRouter()
router.register("stories", StoryViewSet, basename="story")
router.register("story-consents", StoryConsentViewSet, basename="story-consent")
router.register("digests", DigestViewSet, basename="digest")
router.register("you-said-we-did", YouSaidWeDidViewSet, basename="you-said-we-did")

urlpatterns = router.urls
