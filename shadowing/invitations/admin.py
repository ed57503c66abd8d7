"""The admin for pairings and the invitation log: read-only, except the action that cancels
pairings through the same service as the page and the API (so the people are told)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rules.contrib.admin import ObjectPermissionsModelAdmin

from shadowing.invitations.models import InvitationLog
from shadowing.invitations.services import pairing_cancel
from shadowing.programmes.pairing_models import Pairing, PairingStatus


class _ReadOnly(ObjectPermissionsModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # people may hold an invitation: cancel, never delete


@admin.register(Pairing)
class PairingAdmin(_ReadOnly):
    list_display = ["date", "executive", "agent", "site", "status", "sequence", "needs_repair"]
    list_select_related = ["executive", "agent", "site"]
    list_filter = ["status", "needs_repair", "programme"]
    search_fields = ["executive__email", "executive__full_name", "agent__email", "agent__full_name"]
    ordering = ["-date", "id"]
    actions = ["cancel_pairings"]
    show_full_result_count = False

    def has_cancel_permission(self, request) -> bool:
        return request.user.has_perm("shadowing.cancel_pairing")

    @admin.action(
        description=_("Cancel the selected pairings and tell their people"), permissions=["cancel"]
    )
    def cancel_pairings(self, request, queryset):
        queryset = queryset.exclude(status=PairingStatus.CANCELLED).select_related(
            "executive", "agent"
        )
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/shadowing/pairing/cancel_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Cancel pairings"),
                    "opts": self.model._meta,
                    "pairings": queryset,
                    "published": queryset.filter(status=PairingStatus.PUBLISHED).count(),
                    "action": "cancel_pairings",
                },
            )
        reason = request.POST.get("reason", "")[:500]
        done = 0
        for pairing in queryset:
            try:
                pairing_cancel(pairing=pairing, by=request.user, reason=reason)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(n)d pairing cancelled.", "%(n)d pairings cancelled.", done) % {"n": done},
            messages.SUCCESS,
        )
        return None


@admin.register(InvitationLog)
class InvitationLogAdmin(_ReadOnly):
    list_display = [
        "pairing",
        "person",
        "kind",
        "sequence",
        "status",
        "attempts",
        "sent_at",
        "message_id",
    ]
    list_select_related = ["person"]
    list_filter = ["kind", "status"]
    search_fields = ["person__email", "message_id", "pairing__uid"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
