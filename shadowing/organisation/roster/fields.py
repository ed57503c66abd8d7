"""The rules a roster value must follow, shared by the CSV import, the API and the admin.

Each `clean_*` takes what someone typed and returns the value to store, or raises `Invalid`
with a message that reads well both after "people.csv:12: " and as an API field error. The
import, the services behind the API and the admin all call these, so a value one entry point
refuses, every entry point refuses.
"""

import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from shadowing.organisation.models import CODE_VALIDATOR, ROLE_FIELDS, Channel, Role
from shadowing.organisation.roster.iso639 import ISO_639_1

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
CHANNELS: tuple[str, ...] = tuple(channel.value for channel in Channel)
# A cell starting with one of these is run as a formula by spreadsheets when a roster or an
# export is opened there (CSV injection); no name, title or address needs to start with one.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# The largest value a PositiveIntegerField holds on every supported database.
MAX_POSITIVE_INT = 2_147_483_647

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_DIGITS = re.compile(r"[0-9]+")
_ROLE_SPACING = re.compile(r"[\s-]+")


class Invalid(ValueError):
    """A value that breaks a roster rule; `message` says which, for a person to read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def shown(value: object, limit: int = 60) -> str:
    """A value quoted for a message, shortened so that a hostile cell cannot flood it."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def split_list(cell: str) -> list[str]:
    """`en; fr;` -> ['en', 'fr']: lists inside a cell are separated by ';'."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def clean_text(
    value: str, *, label: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    value = value.strip()
    if not value:
        if required:
            raise Invalid(_("{label} is required").format(label=label))
        return ""
    if len(value) > max_length:
        raise Invalid(
            _("{label} is {length} characters long; at most {max_length} fit").format(
                label=label, length=len(value), max_length=max_length
            )
        )
    control = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    if control:
        raise Invalid(
            _("{label} contains a control character (U+{code:04X})").format(
                label=label, code=ord(control.group())
            )
        )
    _refuse_formula(value, label)
    return value


def clean_email(value: str, *, label: str = "email", required: bool = True) -> str:
    """E-mail addresses are compared ignoring case and stored lower-cased."""
    value = value.strip().lower()
    if not value:
        if required:
            raise Invalid(_("{label} is required").format(label=label))
        return ""
    if len(value) > 254:
        raise Invalid(
            _("{label} is {length} characters long; at most 254 fit").format(
                label=label, length=len(value)
            )
        )
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid(
            _("{label} {value} is not a valid e-mail address").format(
                label=label, value=shown(value)
            )
        ) from None
    _refuse_formula(value, label)
    return value


def clean_code(value: str, *, label: str, max_length: int) -> str:
    value = value.strip()
    if not value:
        raise Invalid(_("{label} is required").format(label=label))
    if len(value) > max_length:
        raise Invalid(
            _("{label} {value} is {length} characters long; at most {max_length} fit").format(
                label=label, value=shown(value), length=len(value), max_length=max_length
            )
        )
    if not CODE_VALIDATOR.regex.fullmatch(value):
        raise Invalid(
            _(
                "{label} {value} may only hold letters, digits, '-', '_' and '.', "
                "starting with a letter or digit"
            ).format(label=label, value=shown(value))
        )
    return value


def clean_languages(values: Iterable[str]) -> list[str]:
    """ISO 639-1 codes, lower-cased, in the order given (the first is the preferred one),
    without repeats."""
    cleaned: list[str] = []
    unknown: list[str] = []
    for value in values:
        code = str(value).strip().lower()
        if not code:
            continue
        if code not in ISO_639_1:
            unknown.append(code)
        elif code not in cleaned:
            cleaned.append(code)
    if unknown:
        hint = ""
        if any("," in code for code in unknown):
            hint = _(" (separate languages with ';')")
        elif any(code[:2] in ISO_639_1 and len(code) > 2 for code in unknown):
            hint = _(" (use the two-letter code alone, e.g. 'en' for 'en-CA')")
        raise Invalid(
            _(
                "unknown language {values}: languages are ISO 639-1 two-letter codes "
                "such as en;fr{hint}"
            ).format(values=", ".join(shown(code) for code in unknown), hint=hint)
        )
    return cleaned


def check_languages_for_roles(languages: list[str], roles: list[str]) -> None:
    """Pairing needs a shared language (CONTRACT.md, rule 2): an executive or an agent without
    one could never be paired."""
    if not languages and {"executive", "agent"} & set(roles):
        raise Invalid(
            _("languages is empty: an executive or agent needs at least one language to be paired")
        )


def clean_roles(values: Iterable[str]) -> list[str]:
    """Role names (any case, 'department head' or 'department-head' too), in the contract's
    order, without repeats."""
    given: set[str] = set()
    unknown: list[str] = []
    for value in values:
        role = _ROLE_SPACING.sub("_", str(value).strip().lower())
        if not role:
            continue
        if role in ROLES:
            given.add(role)
        else:
            unknown.append(str(value).strip())
    if unknown:
        raise Invalid(
            _("unknown role {values}; roles are {allowed}").format(
                values=", ".join(shown(value) for value in unknown), allowed=", ".join(ROLES)
            )
        )
    return [role for role in ROLES if role in given]


def roles_to_flags(roles: Iterable[str]) -> dict[str, bool]:
    """['agent'] -> {'is_executive': False, 'is_agent': True, ...}: every flag, set or not."""
    chosen = set(roles)
    return {flag: role.value in chosen for role, flag in ROLE_FIELDS.items()}


def flags_to_roles(flags: dict[str, bool]) -> list[str]:
    return [role.value for role, flag in ROLE_FIELDS.items() if flags.get(flag)]


@functools.cache
def _timezones() -> frozenset[str]:
    # available_timezones() walks the tz database on every call; it does not change while we run.
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _timezones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in _timezones()}


def clean_timezone(value: str) -> str:
    value = value.strip()
    if not value:
        raise Invalid(_("timezone is required"))
    if value in _timezones():
        return value
    suggestion = _timezones_by_lower().get(value.lower())
    hint = _(" (did you mean '{name}'?)").format(name=suggestion) if suggestion else ""
    raise Invalid(
        _("{value} is not an IANA time zone such as America/Vancouver{hint}").format(
            value=shown(value), hint=hint
        )
    )


def clean_channel(value: str) -> str:
    channel = value.strip().lower()
    if not channel:
        raise Invalid(_("channel is required"))
    if channel not in CHANNELS:
        raise Invalid(
            _("unknown channel {value}; channels are {allowed}").format(
                value=shown(value.strip()), allowed=", ".join(CHANNELS)
            )
        )
    return channel


def clean_visitor_limit(value: str | int | None) -> int | None:
    """Empty means no limit; otherwise a whole number of at least 1."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_POSITIVE_INT:
        raise Invalid(
            _(
                "daily_visitor_limit {value} is not a whole number of at least 1 "
                "(leave it empty for no limit)"
            ).format(value=shown(text))
        )
    return int(text)


@functools.cache
def _holiday_calendars() -> dict[str, tuple[str, ...]]:
    """Country code -> its subdivision codes, as the `holidays` package knows them."""
    import holidays

    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


def clean_country(value: str | None) -> str:
    """An ISO 3166-1 alpha-2 code the holiday calendar knows (CA), upper-cased; empty: none."""
    code = (value or "").strip().upper()
    if code and code not in _holiday_calendars():
        raise Invalid(
            _(
                "country {value} is not an ISO 3166-1 code with a holiday calendar, such as CA "
                "or US (leave it empty for no public holidays)"
            ).format(value=shown((value or "").strip()))
        )
    return code


def clean_subdivision(value: str | None, *, country: str | None) -> str:
    """An ISO 3166-2 subdivision of `country` (QC for CA-QC), upper-cased; empty: the whole
    country's holidays only. A subdivision needs a country; the `CA-` prefix is accepted."""
    code = (value or "").strip().upper()
    if not code:
        return ""
    if not country:
        raise Invalid(_("subdivision {value} needs a country").format(value=shown(code)))
    if code.startswith(f"{country}-"):
        code = code.removeprefix(f"{country}-")
    known = _holiday_calendars().get(country, ())
    if code not in known:
        raise Invalid(
            _("subdivision {value} is not one of {country}: {allowed}").format(
                value=shown((value or "").strip()),
                country=country,
                allowed=", ".join(known) or _("none known"),
            )
        )
    return code


def find_manager_cycles[K](
    starts: Iterable[K], manager_of: Callable[[K], K | None]
) -> list[list[K]]:
    """Every cycle of the reporting line reachable from `starts`, each once, each as the list of
    its members in reporting order (a person, their manager, that manager's manager...).

    Linear in the people walked: each person is walked at most once whatever the shape, so a
    hostile file with one 25,000-person ring costs no more than a healthy one.
    """
    done: set[K] = set()
    cycles: list[list[K]] = []
    for start in starts:
        path: list[K] = []
        on_path: dict[K, int] = {}
        current: K | None = start
        while current is not None and current not in done:
            if current in on_path:
                cycles.append(path[on_path[current] :])
                break
            on_path[current] = len(path)
            path.append(current)
            current = manager_of(current)
        done.update(path)
    return cycles


def describe_cycle(cycle: list[str], start: str) -> str:
    """'a -> b -> c -> a', starting from `start`, one of the cycle's members."""
    index = cycle.index(start)
    ordered = cycle[index:] + cycle[:index]
    if len(ordered) == 1:
        return _("{email} is their own manager").format(email=start)
    return _("manager cycle: {chain}").format(chain=" -> ".join([*ordered, start]))


def department_head_problem(
    *, email: str, is_department_head: bool, department_code: str | None, code: str
) -> str | None:
    """Why the person `email` cannot head department `code`, or None if they can: a head is a
    person with role department_head in that very department."""
    if not is_department_head and department_code != code:
        return _(
            "{email} cannot head {code}: they need role department_head and department {code} "
            "(their department is {department})"
        ).format(email=email, code=code, department=shown(department_code or ""))
    if not is_department_head:
        return _("{email} cannot head {code}: they do not have role department_head").format(
            email=email, code=code
        )
    if department_code != code:
        return _(
            "{email} cannot head {code}: they are in department {department}, not {code}"
        ).format(email=email, code=code, department=shown(department_code or ""))
    return None


def _refuse_formula(value: str, label: str) -> None:
    if value.startswith(FORMULA_PREFIXES):
        raise Invalid(
            _(
                "{label} {value} starts with '{char}' like a spreadsheet formula; remove that "
                "character (such cells run as formulas when the data is opened in a spreadsheet)"
            ).format(label=label, value=shown(value), char=value[0])
        )


def clean_place(errors: Callable[..., Any], values: dict[str, Any]) -> None:
    """A site's or a department's `country` and `subdivision` in `values`, cleaned in place
    through `errors(field, clean, value, **kwargs)` (which records a refusal, returns None)."""
    values["country"] = errors("country", clean_country, values["country"])
    if values["country"] is not None:
        values["subdivision"] = errors(
            "subdivision", clean_subdivision, values["subdivision"], country=values["country"]
        )
