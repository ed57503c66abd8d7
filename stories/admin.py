from django.contrib import admin

from .models import ConsentNotice, Digest, StoriesSettings, Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["id", "debrief", "status", "name_agent", "consent", "created_at"]
    list_filter = ["status", "consent", "name_agent"]
    search_fields = ["saw", "agent_did"]
    raw_id_fields = ["debrief", "curated_by", "digest"]
    # The agent's answer is theirs: the admin shows it and never sets it.
    readonly_fields = ["consent", "consent_at", "consent_asked_at", "created_at", "updated_at"]


@admin.register(StoriesSettings)
class StoriesSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "digest_to"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not StoriesSettings.objects.exists()


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["week", "week_start", "sent_at"]
    readonly_fields = [
        "week",
        "week_start",
        "built_at",
        "claimed_at",
        "sent_at",
        "sent_to",
        "item_ids",
    ]


@admin.register(ConsentNotice)
class ConsentNoticeAdmin(admin.ModelAdmin):
    list_display = ["story", "created_at", "sent_at"]
    readonly_fields = ["story", "created_at", "claimed_at", "sent_at"]
