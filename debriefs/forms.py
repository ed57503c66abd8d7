"""The debrief page's form, without Django forms: barriers are added and removed freely (with
JavaScript, or by a button that reloads without it), so the fields are named
`barriers-N-title` for whatever N the page chose, and read here into the API's body. The body is
then checked by the same serializers as the API (`debriefs.body`) and the same services, so the
page and the API refuse exactly the same things.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from shadowing.organisation.models import Department

from .body import BARRIER_FIELDS, DebriefBodySerializer, barrier_is_blank, body_warnings, clean_body
from .models import RATING_MAX, RATING_MIN, TITLE_MAX, Category, Frequency, Severity

_BARRIER_NAME = re.compile(r"^barriers-(\d{1,3})-(key|" + "|".join(BARRIER_FIELDS) + r")$")
BARRIER_PREFIX_TEMPLATE = "__prefix__"


def _none_if_blank(value):
    return None if value in (None, "") else value


def raw_body_from_post(post, *, remove: int | None = None) -> dict:
    """The POSTed fields as the API's body (before checking), blank barrier rows and the row
    numbered `remove` left out."""
    rows: dict[int, dict] = {}
    for name in post:
        match = _BARRIER_NAME.match(name)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = post.get(name, "")
    barriers = []
    for index in sorted(rows):
        if index == remove:
            continue
        row = rows[index]
        row["severity"] = _none_if_blank(row.get("severity"))
        row["key"] = _none_if_blank(row.get("key"))
        if not barrier_is_blank(row):
            barriers.append(row)
    return {
        "overall": post.get("overall", ""),
        "rating": _none_if_blank(post.get("rating")),
        "commitment": post.get("commitment", ""),
        "barriers": barriers,
    }


def read_body(raw: dict) -> tuple[dict | None, dict]:
    """(body, {}) when every field is well-formed, else (None, errors in the API's shape)."""
    serializer = DebriefBodySerializer(data=raw)
    if serializer.is_valid():
        return clean_body(serializer.validated_data), {}
    return None, _plain_errors(serializer.errors)


def _plain_errors(errors):
    if isinstance(errors, dict):
        return {name: _plain_errors(value) for name, value in errors.items()}
    if isinstance(errors, list):
        if errors and all(isinstance(item, dict) for item in errors):
            return [_plain_errors(item) for item in errors]
        return [str(item) for item in errors]
    return [str(errors)]


@dataclass
class BarrierRow:
    index: int | str
    values: dict
    errors: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)

    @property
    def id_prefix(self) -> str:
        return f"id_barriers-{self.index}"

    @property
    def name_prefix(self) -> str:
        return f"barriers-{self.index}"

    @property
    def number(self):
        return self.index + 1 if isinstance(self.index, int) else "#"

    def id(self, name: str) -> str:
        return f"{self.id_prefix}-{name}"


@dataclass
class DebriefForm:
    """What the template draws: values, errors and warnings field by field."""

    values: dict
    errors: dict = field(default_factory=dict)
    departments: list = field(default_factory=list)
    extra_row: bool = False

    @property
    def rows(self) -> list[BarrierRow]:
        barrier_errors = self.errors.get("barriers") or []
        if not isinstance(barrier_errors, list) or (
            barrier_errors and not isinstance(barrier_errors[0], dict)
        ):
            barrier_errors = []
        warnings = self.warnings_by_field
        rows = []
        for index, barrier in enumerate(self.values.get("barriers") or []):
            errors = barrier_errors[index] if index < len(barrier_errors) else {}
            row_warnings = {
                name: warnings[key]
                for name in BARRIER_FIELDS
                if (key := f"barriers.{index}.{name}") in warnings
            }
            rows.append(BarrierRow(index, barrier, errors, row_warnings))
        if self.extra_row:
            rows.append(BarrierRow(len(rows), {}))
        return rows

    @property
    def template_row(self) -> BarrierRow:
        return BarrierRow(BARRIER_PREFIX_TEMPLATE, {})

    @property
    def warnings_by_field(self) -> dict[str, list[str]]:
        from .body import WARNING_MESSAGES

        return {
            warning["field"]: [str(WARNING_MESSAGES[kind]) for kind in warning["kinds"]]
            for warning in body_warnings(self.values)
        }

    @property
    def error_count(self) -> int:
        count = sum(1 for name, value in self.errors.items() if name != "barriers" and value)
        barriers = self.errors.get("barriers") or []
        if isinstance(barriers, list):
            count += sum(len(row) for row in barriers if isinstance(row, dict))
        return count

    @property
    def ratings(self) -> list[tuple[int, str]]:
        return list(range(RATING_MIN, RATING_MAX + 1))

    @property
    def rating_help(self) -> str:
        return f"{RATING_LABELS[RATING_MIN]}. {RATING_LABELS[RATING_MAX]}."

    @property
    def summary(self) -> list[tuple[str, str, str]]:
        """Each error as (field id, field label, message), in the page's order."""
        items = []
        for name in ("overall", "rating", "commitment"):
            for message in self.errors.get(name) or []:
                target = "id_rating_1" if name == "rating" else f"id_{name}"
                items.append((target, str(FIELD_LABELS[name]), message))
        for row in self.rows:
            for name in ("key", *BARRIER_FIELDS):
                for message in row.errors.get(name) or []:
                    label = _("Barrier %(n)s: %(field)s") % {
                        "n": row.index + 1,
                        "field": FIELD_LABELS.get(name, name),
                    }
                    items.append((row.id(name), str(label), message))
        for message in self.errors.get("non_field_errors") or []:
            items.append(("debrief-form", "", message))
        return items

    categories = Category.choices
    severities = Severity.choices
    frequencies = Frequency.choices
    title_max = TITLE_MAX


def department_choices() -> list[tuple[str, str]]:
    return Department.objects.order_by("name").named()


FIELD_LABELS = {
    "overall": _("What you saw"),
    "rating": _("Rating"),
    "commitment": _("Your commitment"),
    "title": _("Title"),
    "description": _("What happens"),
    "category": _("Category"),
    "department": _("Department that can remove it"),
    "severity": _("How much it hurts the customer"),
    "frequency": _("How often"),
    "suggested_fix": _("Suggested fix"),
    "key": _("Barrier"),
}

# The scale's ends, said once under the five buttons (a phone has no room in the buttons).
RATING_LABELS = {
    RATING_MIN: _("1: they got in the way"),
    RATING_MAX: _("5: they let the agent put the customer first"),
}


def barriers_for_display(barriers: list[dict]) -> list[dict]:
    """Stored barriers with the labels a reader sees (one query for the department names)."""
    codes = {barrier.get("department") for barrier in barriers} - {"", None}
    names = dict(Department.objects.filter(code__in=codes).named())
    categories, severities = dict(Category.choices), dict(Severity.choices)
    frequencies = dict(Frequency.choices)
    return [
        {
            **barrier,
            "category_label": categories.get(barrier.get("category"), ""),
            "department_name": names.get(barrier.get("department"), barrier.get("department")),
            "severity_label": severities.get(barrier.get("severity"), ""),
            "frequency_label": frequencies.get(barrier.get("frequency"), ""),
        }
        for barrier in barriers
    ]


def js_text() -> dict[str, object]:
    """What debrief.js says, in the page's language (the script carries no text of its own)."""
    from django.utils.translation import gettext

    from .body import WARNING_MESSAGES

    return {
        "saving": gettext("Saving…"),
        "saved": gettext("Draft saved at {time}."),
        "offline": gettext(
            "No connection: what you type is kept on this phone and sent when you are back online."
        ),
        "restored": gettext(
            "We restored what you typed while you were offline; it is being saved now."
        ),
        "failed": gettext("Could not save just now; your text is kept on this phone."),
        "submitted": gettext("This debrief is already submitted: changes here are not saved."),
        "required": gettext("Needed to submit."),
        "barrier": gettext("Barrier {n}"),
        "added": gettext("Barrier {n} added."),
        "removed": gettext("Barrier removed."),
        "fix": gettext("Before submitting, fix:"),
        "warning": gettext(
            "This looks like it holds {what}. Customer data does not belong here: remove it "
            "unless it is not a customer's."
        ),
        "kinds": {kind: str(label) for kind, label in WARNING_MESSAGES.items()},
    }
