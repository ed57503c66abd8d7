"""The organisation: departments, sites and people.

People are the sign-in accounts too (AUTH_USER_MODEL): everyone in the roster may sign in by a
one-time link, and what they may do follows from their roles.
"""

import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, '-', '_' or '.', starting with a letter or digit."),
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (for example America/Vancouver)."),
            params={"value": value},
        )


class Role(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    AGENT = "agent", _("Agent")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COORDINATOR = "coordinator", _("Coordinator")
    CX_AMBASSADOR = "cx_ambassador", _("CX ambassador")
    FINANCE_REVIEWER = "finance_reviewer", _("Finance reviewer")


# Each role is a boolean column on Person, so that "all agents" is an indexed filter on every
# database; this maps the contract's role names to those columns.
ROLE_FIELDS = {
    Role.EXECUTIVE: "is_executive",
    Role.AGENT: "is_agent",
    Role.DEPARTMENT_HEAD: "is_department_head",
    Role.COORDINATOR: "is_coordinator",
    Role.CX_AMBASSADOR: "is_cx_ambassador",
    Role.FINANCE_REVIEWER: "is_finance_reviewer",
}


class Channel(models.TextChoices):
    CALL_CENTRE = "call_centre", _("Call centre")
    RETAIL = "retail", _("Retail")
    FIELD = "field", _("Field")
    DIGITAL = "digital", _("Digital")


def department_name(name: str, name_fr: str) -> str:
    """A department's name in the active language: the French one for a French reader, when
    the roster gives one; the name otherwise."""
    if name_fr and (translation.get_language() or "").startswith("fr"):
        return name_fr
    return name


class DepartmentQuerySet(models.QuerySet):
    def named(self) -> list[tuple[str, str]]:
        """(code, name in the active language) pairs, in the queryset's order."""
        rows = self.values_list("code", "name", "name_fr")
        return [(code, department_name(name, name_fr)) for code, name, name_fr in rows]


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(
        _("name in French"), max_length=200, blank=True, help_text=_("Empty: the name is shown.")
    )
    # Nullable only so that a first import can create departments before their people; the
    # import refuses a head who is not a department_head of this very department.
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    # Whose public holidays the department's working days skip (escalation, due dates, the
    # loop's measures), from the `holidays` package. Empty country: weekends only.
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 code, e.g. CA.")
    )
    subdivision = models.CharField(
        _("province or state"), max_length=10, blank=True, help_text=_("ISO 3166-2 part, e.g. QC.")
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name a reader of the active language sees (`department_name`)."""
        return department_name(self.name, self.name_fr)


class Site(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=500, blank=True)
    # Where the site's public holidays come from (the `holidays` package): no visit is proposed
    # on them. Empty country: the site keeps no public holidays.
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 code, e.g. CA.")
    )
    subdivision = models.CharField(
        _("province or state"), max_length=10, blank=True, help_text=_("ISO 3166-2 part, e.g. QC.")
    )
    daily_visitor_limit = models.PositiveIntegerField(
        _("daily visitor limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many executives the floor takes in one day; empty means no limit."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_visitor_limit__isnull=True)
                | models.Q(daily_visitor_limit__gte=1),
                name="site_visitor_limit_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class PersonManager(BaseUserManager):
    def get_by_natural_key(self, username):
        return self.get(email=username.strip().lower())

    def create_user(self, email, full_name="", password=None, **fields):
        person = self.model(email=email.strip().lower(), full_name=full_name, **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email, full_name="", password=None, **fields):
        fields.setdefault("is_superuser", True)
        fields.setdefault("is_coordinator", True)
        return self.create_user(email, full_name, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. en, fr.")
    )
    is_executive = models.BooleanField(_("executive"), default=False, db_index=True)
    is_agent = models.BooleanField(_("agent"), default=False, db_index=True)
    is_department_head = models.BooleanField(_("department head"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    # Triages their own department's new and escalated items, nudges its head, and may claim
    # on the department's behalf (the head stays owner of record).
    is_cx_ambassador = models.BooleanField(_("CX ambassador"), default=False)
    # Confirms or challenges the value a resolved item claims to have realised.
    is_finance_reviewer = models.BooleanField(_("finance reviewer"), default=False)
    hosting_opt_out = models.BooleanField(
        _("opted out of hosting"),
        default=False,
        help_text=_("An agent who asked not to host executives; pairing leaves them out."),
    )
    ui_language = models.CharField(
        _("language of the interface"),
        max_length=10,
        blank=True,
        choices=[("en", "English"), ("fr-ca", "Français (Canada)")],
        help_text=_("Empty: the first of the person's languages that the interface speaks."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # E-mails are stored lower-cased, so uniqueness is case-insensitive everywhere.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="email_lowercase"
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")), name="person_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        """Coordinators run the programme, the Django admin included."""
        return self.is_active and (self.is_coordinator or self.is_superuser)

    @property
    def roles(self) -> list[str]:
        return [role.value for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def preferred_language(self) -> str:
        if self.ui_language:
            return self.ui_language
        return "fr-ca" if self.languages and self.languages[0] == "fr" else "en"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class CompanyDay(models.Model):
    """A day the whole company is off (a shutdown, a company holiday), on top of each
    department's and site's public holidays: no working day for escalation or due dates."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("company day off")
        verbose_name_plural = _("company days off")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class SignInLink(models.Model):
    """A one-time sign-in link. Only the SHA-256 of its secret is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"sign-in link for {self.person_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class SignInRequest(models.Model):
    """Every request for a sign-in link, known address or not, for rate limiting per address and
    per client. Kept in the database so that the limit holds across web processes."""

    email = models.CharField(max_length=254)
    client = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "created_at"]),
            models.Index(fields=["client", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} from {self.client}"


# Uploaded files kept between a preview and its confirmation.
class StashedUpload(models.Model):
    """One uploaded file, held server-side under a random key that only the uploader's session
    knows, until the uploader confirms the preview (or the stash expires).

    In the database rather than on local disk or in the cache, so that the preview and the
    confirmation may be served by different web processes on different machines.
    """

    key = models.CharField(max_length=64)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "name"], name="stashed_upload_name_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.name}"
