"""The organisation in API bodies: people named by e-mail, departments and sites by code.

Serializers only adapt types; the rules live in `roster.services` (and `roster.fields`, which
the CSV import shares), called by the views.
"""

from rest_framework import serializers

from shadowing.organisation.models import Department, Person, Role, Site


class PersonEmailField(serializers.SlugRelatedField):
    """A person by e-mail address, ignoring case (addresses are stored lower-cased)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.all())
        super().__init__(slug_field="email", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().lower()
        return super().to_internal_value(data)


class DepartmentSerializer(serializers.ModelSerializer):
    head = PersonEmailField(allow_null=True, required=False)

    class Meta:
        model = Department
        fields = ["code", "name", "name_fr", "head", "country", "subdivision"]
        # Uniqueness and code syntax are the service's to check, with the import's messages.
        extra_kwargs = {"code": {"validators": []}}


class SiteSerializer(serializers.ModelSerializer):
    # At least 1, or null for no limit: checked by the service, with the import's message.
    daily_visitor_limit = serializers.IntegerField(allow_null=True, required=False)

    class Meta:
        model = Site
        fields = [
            "code",
            "name",
            "region",
            "timezone",
            "channel",
            "address",
            "daily_visitor_limit",
            "country",
            "subdivision",
        ]
        extra_kwargs = {"code": {"validators": []}, "timezone": {"validators": []}}


class PersonSerializer(serializers.ModelSerializer):
    email = serializers.CharField(max_length=254)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), allow_null=True, required=False
    )
    site = serializers.SlugRelatedField(
        slug_field="code", queryset=Site.objects.all(), allow_null=True, required=False
    )
    manager = PersonEmailField(allow_null=True, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        max_length=200,
        help_text='ISO 639-1 codes, the preferred one first, e.g. ["en", "fr"].',
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, max_length=len(Role)
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
            "roles",
            "is_active",
        ]


# The roster import endpoint --------------------------------------------------------------------


class RosterImportRequestSerializer(serializers.Serializer):
    departments = serializers.FileField(required=False, allow_empty_file=True)
    sites = serializers.FileField(required=False, allow_empty_file=True)
    people = serializers.FileField(required=False, allow_empty_file=True)
    dry_run = serializers.BooleanField(
        default=False, help_text="Check and report the changes; write nothing."
    )


class RosterCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RosterFieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class RosterChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["departments", "sites", "people"])
    action = serializers.ChoiceField(choices=["create", "update"])
    key = serializers.CharField(help_text="The code or e-mail address.")
    file = serializers.CharField()
    line = serializers.IntegerField()
    fields = RosterFieldChangeSerializer(many=True)
    text = serializers.CharField()


class RosterImportResultSerializer(serializers.Serializer):
    """Documents `RosterImportResult.as_dict()`."""

    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField(help_text="True once the changes are written.")
    files = serializers.ListField(child=serializers.CharField())
    counts = serializers.DictField(child=RosterCountsSerializer())
    changes = RosterChangeSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="FILE:LINE: message")
    errors = serializers.ListField(child=serializers.CharField(), help_text="FILE:LINE: message")
