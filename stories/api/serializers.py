from rest_framework import serializers

from ..models import DID_MAX, SAW_MAX, Consent, Digest, Story, StoryStatus
from ..selectors import story_agent_label


class StorySerializer(serializers.ModelSerializer):
    pairing = serializers.IntegerField(source="debrief.pairing_id", read_only=True)
    agent = serializers.SerializerMethodField(
        help_text="The agent's name with their consent, else 'an agent at <site>'."
    )
    site = serializers.CharField(source="debrief.pairing.site.name", read_only=True)
    executive = serializers.CharField(source="debrief.pairing.executive.full_name", read_only=True)

    class Meta:
        model = Story
        fields = [
            "id",
            "debrief",
            "pairing",
            "executive",
            "site",
            "agent",
            "saw",
            "agent_did",
            "name_agent",
            "consent",
            "consent_at",
            "status",
            "curated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "debrief",
            "consent",
            "consent_at",
            "status",
            "curated_at",
            "created_at",
            "updated_at",
        ]

    def get_agent(self, story: Story) -> str:
        return story_agent_label(story)


class StoryWriteSerializer(serializers.Serializer):
    debrief = serializers.IntegerField(min_value=1, required=False)
    saw = serializers.CharField(max_length=SAW_MAX)
    agent_did = serializers.CharField(max_length=DID_MAX, required=False, allow_blank=True)
    name_agent = serializers.BooleanField(required=False, default=False)


class CurateSerializer(serializers.Serializer):
    include = serializers.BooleanField()


class ConsentStateSerializer(serializers.ModelSerializer):
    """What an agent sees of a story that asks to name them: its consent state and text."""

    can_change = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = ["id", "saw", "agent_did", "consent", "consent_at", "can_change"]
        read_only_fields = fields

    def get_can_change(self, story: Story) -> bool:
        return story.status != StoryStatus.PUBLISHED


class ConsentAnswerSerializer(serializers.Serializer):
    consent = serializers.ChoiceField(choices=[Consent.GIVEN, Consent.REFUSED])


class DigestSerializer(serializers.ModelSerializer):
    stories = serializers.IntegerField(source="stories.count", read_only=True)

    class Meta:
        model = Digest
        fields = ["week", "week_start", "built_at", "sent_at", "stories"]
        read_only_fields = fields


class YouSaidWeDidSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.display_name")
    status = serializers.CharField()
    resolution = serializers.CharField()
    resolved_at = serializers.DateTimeField()
    report_count = serializers.IntegerField()
    executive_count = serializers.IntegerField()
    agent_count = serializers.IntegerField()
