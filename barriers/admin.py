"""The backlog in the Django admin, for coordinators: read-only views of items and their trail
(every change goes through the services: claims, transfers and merges from the pages and the
API), and the backlog settings (sponsor, arbitrating coordinator)."""

from django.contrib import admin

from .models import (
    BacklogItem,
    BacklogSettings,
    ItemEvent,
    ItemReport,
    Merge,
    MergeSuggestion,
    Notice,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemReportInline(admin.TabularInline):
    model = ItemReport
    fields = ["report", "added_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ItemEventInline(admin.TabularInline):
    model = ItemEvent
    fields = ["at", "kind", "actor", "before", "after", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BacklogItem)
class BacklogItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "department", "status", "priority", "owner", "due"]
    list_filter = ["status", "department", "needs_arbitration"]
    search_fields = ["title", "owner__email"]
    list_select_related = ["department", "owner"]
    inlines = [ItemReportInline, ItemEventInline]
    exclude = []

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("barriers.view_itemevent")


@admin.register(ItemEvent)
class ItemEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "item", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["item", "actor"]


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    list_display = ["source", "into", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["source", "into", "merged_by"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["item", "kind", "recipient", "stage", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["item", "recipient"]


@admin.register(BacklogSettings)
class BacklogSettingsAdmin(admin.ModelAdmin):
    fields = ["sponsor", "arbiter"]
    autocomplete_fields = []

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        return BacklogSettings.load()


@admin.register(MergeSuggestion)
class MergeSuggestionAdmin(ReadOnlyAdmin):
    """Read-only: accepting or dismissing goes through the item's page or the API."""

    list_display = ["source", "into", "status", "suggested_by", "suggested_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["source", "into", "suggested_by", "decided_by"]
    raw_id_fields = ["source", "into"]
