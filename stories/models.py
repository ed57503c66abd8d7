"""Stories from the front line, the agent's consent to be named, and the weekly digest.

A story is a moment an executive marks in a debrief: what they saw, what the agent did for the
customer. The agent is named only once they consented (`Story.agent_named`); everywhere else
the story says "an agent at <site>". Every write goes through `stories.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debriefs.models import Debrief

SAW_MAX = 2000
DID_MAX = 2000


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    ASKED = "asked", _("Asked")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for curation")
    CURATED = "curated", _("Chosen for the digest")
    SET_ASIDE = "set_aside", _("Set aside")
    PUBLISHED = "published", _("Sent in a digest")


# The executive may change or delete a story until it is curated.
EDITABLE_STORY_STATUSES = (StoryStatus.DRAFT,)


class Story(models.Model):
    debrief = models.ForeignKey(
        Debrief, verbose_name=_("debrief"), on_delete=models.PROTECT, related_name="stories"
    )
    saw = models.TextField(_("what I saw"), max_length=SAW_MAX)
    agent_did = models.TextField(_("what the agent did for the customer"), max_length=DID_MAX)
    name_agent = models.BooleanField(_("name the agent (with their consent)"), default=False)
    consent = models.CharField(
        _("agent's consent"), max_length=20, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    consent_at = models.DateTimeField(_("consent answered at"), null=True, blank=True)
    consent_asked_at = models.DateTimeField(_("consent asked at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    curated_at = models.DateTimeField(_("curated at"), null=True, blank=True)
    digest = models.ForeignKey(
        "Digest",
        verbose_name=_("digest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="story_consent_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StoryStatus.values), name="story_status_valid"
            ),
            models.CheckConstraint(condition=~Q(saw=""), name="story_saw_not_empty"),
            # Consent is only ever asked for a story that wants to name the agent.
            models.CheckConstraint(
                condition=Q(name_agent=True) | Q(consent=Consent.NOT_ASKED),
                name="story_consent_only_when_naming",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="story_status_created")]

    def __str__(self) -> str:
        return f"story {self.pk} of debrief {self.debrief_id}"

    @property
    def agent_named(self) -> bool:
        """The one test for printing the agent's name anywhere."""
        return self.name_agent and self.consent == Consent.GIVEN

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STORY_STATUSES


class StoriesSettings(models.Model):
    """The digest's one setting row (pk 1): where the weekly mail goes."""

    digest_to = models.TextField(
        _("digest recipients"),
        blank=True,
        max_length=2000,
        help_text=_("The company's list: e-mail addresses, one per line or comma-separated."),
    )

    class Meta:
        verbose_name = _("stories settings")
        verbose_name_plural = _("stories settings")

    def __str__(self) -> str:
        return str(_("Stories settings"))

    @classmethod
    def load(cls) -> "StoriesSettings":
        return cls.objects.get_or_create(pk=1)[0]

    @property
    def recipients(self) -> list[str]:
        parts = self.digest_to.replace(",", "\n").replace(";", "\n").split()
        return [part.strip().lower() for part in parts if part.strip()]


class Digest(models.Model):
    """One per ISO week (unique), so the weekly send happens once however often it runs."""

    week = models.CharField(_("week"), max_length=8, unique=True, help_text="YYYY-Www")
    week_start = models.DateField(_("week starts"))
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    # A worker claims the send (one conditional UPDATE) and records when it went out.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    item_ids = models.JSONField(_("you said, we did items"), default=list, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self) -> str:
        return self.week


class ConsentNotice(models.Model):
    """The consent request mailed to the agent: one row per story, so a retried task mails
    once. Asking again after the executive turned naming off and on does not mail again."""

    story = models.OneToOneField(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="consent_notice"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")

    def __str__(self) -> str:
        return f"consent request for story {self.story_id}"
