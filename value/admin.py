"""The value app in the admin: the costs (coordinators change them), impacts and their audit
trail (read-only: every write goes through the services, so that it is audited)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import Impact, ValueEvent, ValueSettings
from .services import value_settings_update


@admin.register(ValueSettings)
class ValueSettingsAdmin(admin.ModelAdmin):
    list_display = ["cost_per_contact", "cost_per_minute", "value_per_fcr_point", "currency"]
    fields = ["cost_per_contact", "cost_per_minute", "value_per_fcr_point", "currency"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            value_settings_update(
                by=request.user,
                **{name: form.cleaned_data[name] for name in self.fields},
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))


class EventInline(admin.TabularInline):
    model = ValueEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "note", "before", "after"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Impact)
class ImpactAdmin(admin.ModelAdmin):
    list_display = ["item", "expected_kind", "expected_money", "realised_money", "review"]
    list_filter = ["review", "expected_kind", "realised_kind"]
    list_select_related = ["item"]
    search_fields = ["item__title"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Impact._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("value.view_valueevent")  # to read; nothing is editable

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ValueEvent)
class ValueEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "impact", "actor"]
    list_filter = ["kind"]
    list_select_related = ["impact", "actor"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ValueEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
