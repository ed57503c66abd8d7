"""The Django admin for the organisation, for coordinators (rules decide, as everywhere).

Saving goes through `roster.services`, so the admin refuses what the import and the API refuse
(an unknown language, a manager cycle, a head from another department...). Related people,
departments and sites are picked by autocomplete: with 50,000 people a select box would not do.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdmin

from shadowing.organisation.company_days import company_day_add
from shadowing.organisation.models import CompanyDay, Department, Person, Role, Site
from shadowing.organisation.roster import services
from shadowing.organisation.roster.fields import split_list


def _check(form: forms.ModelForm, check, **data) -> None:
    """Run a service's check and show its refusals on the form's fields."""
    try:
        check(**data)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)


# country and subdivision: whose public holidays the department's working days skip.
DEPARTMENT_FIELDS = ("code", "name", "name_fr", "head", "country", "subdivision")


class DepartmentAdminForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            instance = self.instance if self.instance.pk else None
            data = {name: cleaned[name] for name in DEPARTMENT_FIELDS}
            _check(self, services.department_check, department=instance, **data)
        return cleaned


@admin.register(Department)
class DepartmentAdmin(ObjectPermissionsModelAdmin):
    form = DepartmentAdminForm
    list_display = ["code", "name", "name_fr", "head", "country", "subdivision", "ambassadors"]
    list_select_related = ["head"]
    search_fields = ["code", "name", "name_fr"]
    autocomplete_fields = ["head"]

    def get_queryset(self, request):
        ambassadors = Person.objects.filter(is_cx_ambassador=True, is_active=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("people", queryset=ambassadors, to_attr="cx_ambassadors"))
        )

    @admin.display(description=_("CX ambassadors"))
    def ambassadors(self, obj):
        return ", ".join(person.full_name for person in obj.cx_ambassadors) or "—"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in DEPARTMENT_FIELDS}
        if change:
            services.department_update(department=obj, **data)
        else:
            obj.pk = services.department_create(**data).pk


SITE_FIELDS = ("code", "name", "region", "timezone", "channel", "address", "daily_visitor_limit")
SITE_FIELDS += ("country", "subdivision")  # where the site's public holidays come from


class SiteAdminForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = SITE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            instance = self.instance if self.instance.pk else None
            data = {name: cleaned[name] for name in SITE_FIELDS}
            _check(self, services.site_check, site=instance, **data)
        return cleaned


@admin.register(Site)
class SiteAdmin(ObjectPermissionsModelAdmin):
    form = SiteAdminForm
    list_display = ["code", "name", "region", "timezone", "channel", "daily_visitor_limit"]
    list_display += ["country", "subdivision"]
    list_filter = ["region", "channel", "country"]
    search_fields = ["code", "name", "region"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in SITE_FIELDS}
        if change:
            services.site_update(site=obj, **data)
        else:
            obj.pk = services.site_create(**data).pk


class PersonAdminForm(forms.ModelForm):
    # As in people.csv: ISO 639-1 codes separated by ';', the preferred one first.
    languages = forms.CharField(
        label=_("languages"),
        required=False,
        help_text=_("ISO 639-1 codes separated by ';', the preferred first, e.g. en;fr."),
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Person
        fields = [
            "email",
            "full_name",
            "title",
            "department",
            "site",
            "manager",
            "languages",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ";".join(self.instance.languages or [])
            self.initial["roles"] = self.instance.roles

    def clean_email(self) -> str:
        # Stored lower-cased (a database constraint); typed any way.
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_languages(self) -> list[str]:
        return split_list(self.cleaned_data.get("languages") or "")

    # What the person services take. Not Meta.fields: the admin builds its form class with the
    # fieldsets' fields, read-only ones included.
    SERVICE_FIELDS = (
        "email",
        "full_name",
        "title",
        "department",
        "site",
        "manager",
        "languages",
        "roles",
        "is_active",
    )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            instance = self.instance if self.instance.pk else None
            _check(self, services.person_check, person=instance, **self.service_data())
        return cleaned


@admin.register(Person)
class PersonAdmin(ObjectPermissionsModelAdmin):
    form = PersonAdminForm
    fieldsets = [
        (None, {"fields": ["email", "full_name", "title"]}),
        (_("Organisation"), {"fields": ["department", "site", "manager"]}),
        (_("Roles and languages"), {"fields": ["roles", "languages", "is_active"]}),
        (
            _("The person's own choices"),
            {"fields": ["ui_language", "hosting_opt_out", "last_login", "created_at"]},
        ),
    ]
    readonly_fields = ["ui_language", "hosting_opt_out", "last_login", "created_at"]
    list_display = ["full_name", "email", "title", "department", "site", "manager", "role_list"]
    list_select_related = ["department", "site", "manager"]
    list_filter = [
        "is_executive",
        "is_agent",
        "is_department_head",
        "is_coordinator",
        "is_active",
        "department",
        "site",
    ]
    search_fields = ["email", "full_name", "title"]
    autocomplete_fields = ["department", "site", "manager"]
    ordering = ["full_name", "email"]
    # Counting 50,000 rows on every filtered page is not worth the number it shows.
    show_full_result_count = False

    @admin.display(description=_("roles"))
    def role_list(self, person: Person) -> str:
        return ", ".join(person.roles)

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        if change:
            services.person_update(person=obj, **data)
        else:
            obj.pk = services.person_create(**data).pk


@admin.register(CompanyDay)
class CompanyDayAdmin(ObjectPermissionsModelAdmin):
    """A day the whole company is off: no working day (escalation, due dates) and no visit."""

    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            obj.pk = company_day_add(date=obj.date, name=obj.name).pk
