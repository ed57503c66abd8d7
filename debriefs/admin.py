"""The admin for coordinators: debriefs and reports are read here, not edited; the one action is
reopening, through the same service as the page and the API. Anonymous reporters' names are
withheld in it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import BarrierReport, Debrief, DebriefNotice
from .services.submission import debrief_reopen


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Debrief)
class DebriefAdmin(ReadOnlyAdmin):
    list_display = ["id", "executive", "visit_date", "status", "rating", "submitted_at"]
    list_filter = ["status", "pairing__programme"]
    list_select_related = ["pairing__executive"]
    search_fields = ["pairing__executive__email", "pairing__executive__full_name"]
    readonly_fields = [
        "pairing",
        "status",
        "overall",
        "rating",
        "commitment",
        "barriers",
        "revision",
        "submitted_at",
        "reopened_at",
        "reopened_by",
        "created_at",
        "updated_at",
    ]
    actions = ["reopen"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("debriefs.view_any_debrief")

    @admin.display(description=_("executive"), ordering="pairing__executive__full_name")
    def executive(self, debrief):
        return debrief.pairing.executive.full_name

    @admin.display(description=_("date"), ordering="pairing__date")
    def visit_date(self, debrief):
        return debrief.pairing.date

    @admin.action(description=_("Reopen for the executive"), permissions=["reopen"])
    def reopen(self, request, queryset):
        count = 0
        for debrief in queryset.select_related("pairing"):
            if debrief.is_submitted:
                debrief_reopen(debrief=debrief, by=request.user)
                count += 1
        self.message_user(request, _("%d debriefs reopened.") % count, messages.SUCCESS)

    def has_reopen_permission(self, request):
        return request.user.has_perm("debriefs.reopen_debrief")


@admin.register(BarrierReport)
class BarrierReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "department", "category", "severity", "source", "reporter_shown"]
    list_filter = ["source", "category", "severity", "department"]
    list_select_related = ["department", "reporter"]
    search_fields = ["title", "description"]
    exclude = ["reporter", "withheld_from"]
    readonly_fields = [
        "reporter_shown",
        "source",
        "debrief",
        "pairing",
        "title",
        "description",
        "category",
        "department",
        "severity",
        "frequency",
        "suggested_fix",
        "anonymous_to_management",
        "created_at",
        "withdrawn_at",
    ]

    @admin.display(description=_("reported by"))
    def reporter_shown(self, report):
        # The admin has no request here: an anonymous reporter is withheld from every
        # coordinator in it (the reports page shows the name to those outside the chain).
        if report.anonymous_to_management:
            return _("withheld")
        return report.reporter.full_name


@admin.register(DebriefNotice)
class DebriefNoticeAdmin(ReadOnlyAdmin):
    list_display = ["pairing", "kind", "recipient", "created_at", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
