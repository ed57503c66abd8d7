"""The admin for programmes, for coordinators (rules decide, as everywhere), with their blackout
dates inline.

Saving goes through the services, so the admin refuses what the pages and the API refuse: a
programme's dates that would leave out what it holds, a blackout date outside the programme or
given twice. The status is read-only here: the lifecycle moves from the programme page (moving
to published sends the invitations). A programme is never deleted here: people may hold its
invitations.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from shadowing.programmes.blackouts import blackout_date_add, blackout_date_remove
from shadowing.programmes.models import BlackoutDate, Programme, Series
from shadowing.programmes.series import series_waves, wave_number
from shadowing.programmes.series_services import series_create, series_update
from shadowing.programmes.services import EDITABLE_FIELDS, programme_create, programme_update


class BlackoutDateInlineForm(forms.ModelForm):
    class Meta:
        model = BlackoutDate
        fields = ["date", "reason"]

    def clean(self):
        cleaned = super().clean()
        day, programme = cleaned.get("date"), getattr(self, "parent_programme", None)
        dated = programme is not None and programme.start_date and programme.end_date
        if day and dated and not programme.includes(day):
            self.add_error("date", _("This day is outside the programme's dates."))
        return cleaned


class BlackoutDateFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.parent_programme = self.instance  # the dates as submitted with the programme
        return form


class BlackoutDateInline(admin.TabularInline):
    model = BlackoutDate
    form = BlackoutDateInlineForm
    formset = BlackoutDateFormSet
    extra = 1
    fields = ["date", "reason"]


@admin.register(Programme)
class ProgrammeAdmin(ObjectPermissionsModelAdmin):
    list_display = ["slug", "name", "series", "wave", "start_date", "end_date", "status"]
    list_filter = ["status", "series"]
    list_select_related = ["series"]
    search_fields = ["slug", "name"]
    readonly_fields = ["status"]
    inlines = [BlackoutDateInline]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "status"] if obj is not None else ["status"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("wave"))
    def wave(self, obj: Programme) -> int | None:
        return wave_number(obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        if change:
            programme_update(programme=obj, **data)
        else:
            obj.pk = programme_create(slug=form.cleaned_data["slug"], **data).pk
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        """Blackout dates through the service: added and removed as the page does."""
        programme = form.instance
        formset.save(commit=False)
        for removed in formset.deleted_objects:
            blackout_date_remove(programme=programme, date=removed.date)
        for row in formset.new_objects:
            blackout_date_add(programme=programme, date=row.date, reason=row.reason)
        for row, _changed in formset.changed_objects:
            row.save(update_fields=["date", "reason"])

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except ValidationError as exc:  # checked by the inline's forms already; a race only
            self.message_user(request, "; ".join(exc.messages), level="error")


class WaveInline(admin.TabularInline):
    """The series' waves in order (read only: a wave joins a series from its programme)."""

    model = Programme
    fields = ["slug", "name", "start_date", "end_date", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("wave")
    verbose_name_plural = _("waves, in order")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("start_date", "pk")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Series)
class SeriesAdmin(ObjectPermissionsModelAdmin):
    list_display = ["slug", "name", "wave_count"]
    search_fields = ["slug", "name"]
    inlines = [WaveInline]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    @admin.display(description=_("waves"))
    def wave_count(self, obj: Series) -> int:
        return series_waves(obj).count()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a series' waves keep their history; the API deletes an empty one

    def save_model(self, request, obj, form, change):
        if change:
            series_update(series=obj, name=form.cleaned_data["name"])
        else:
            data = form.cleaned_data
            obj.pk = series_create(slug=data["slug"], name=data["name"]).pk
            obj._state.adding = False
