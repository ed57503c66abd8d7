from django.contrib import admin

from .models import PaperPreference, RenderedReport


@admin.register(RenderedReport)
class RenderedReportAdmin(admin.ModelAdmin):
    """Read-only: what was rendered, how long it took, and why a render failed."""

    list_display = [
        "kind",
        "object_key",
        "language",
        "paper",
        "status",
        "progress",
        "pages",
        "render_seconds",
        "finished_at",
    ]
    list_filter = ["kind", "status", "paper", "language"]
    search_fields = ["object_key"]
    readonly_fields = [field.name for field in RenderedReport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PaperPreference)
class PaperPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "paper"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
