from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("visits/<int:pairing_id>/stories/new/", views.story_new, name="story-new"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story-edit"),
    path("stories/consent/<str:token>/", views.consent, name="consent"),
    path("stories/", views.curation, name="curation"),
    path("stories/digests/<str:week>.pdf", views.digest_pdf_view, name="digest-pdf"),
    path("you-said-we-did/", views.you_said_we_did_page, name="you-said-we-did"),
]
