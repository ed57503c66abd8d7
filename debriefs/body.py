"""The debrief's body (CONTRACT.md): reading it from the API, the autosave and the page's form,
checking each field's shape, and the customer-data warnings.

One set of serializers serves all three entry points, so that a value the API refuses is
refused on the page too. Shape is checked on every save (a rating of 7, an unknown category, a
title over 200 characters); completeness (a title for every barrier, a rating) only on submit,
by `debriefs.services`, so that a half-typed draft always saves.

A body here is a plain dict in the form stored on `Debrief`:
`{"overall": str, "rating": int | None, "commitment": str, "barriers": [barrier, ...]}`, each
barrier `{"key": str, "title": str, "description": str, "category": str, "department": str
(a code), "severity": int | None, "frequency": str, "suggested_fix": str}`, blanks as "".
"""

import uuid

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import ReturnDict

from shadowing.organisation.models import Department

from . import sensitive
from .models import TITLE_MAX, Category, Frequency

TEXT_MAX = 10_000
BARRIERS_MAX = 30
BODY_FIELDS = ("overall", "rating", "commitment", "barriers")
BARRIER_FIELDS = (
    "title",
    "description",
    "category",
    "department",
    "severity",
    "frequency",
    "suggested_fix",
)
BARRIER_TEXT_FIELDS = ("title", "description", "suggested_fix")


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, allow_blank=True, allow_null=True, required=False, **kwargs
    )


class BarrierSerializer(serializers.Serializer):
    key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Names the barrier across saves; the server assigns one when absent.",
    )
    title = _text(TITLE_MAX, help_text="Required to submit.")
    description = _text(TEXT_MAX)
    category = serializers.ChoiceField(
        choices=Category.choices, allow_blank=True, allow_null=True, required=False
    )
    department = serializers.CharField(
        max_length=20,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="A department code: the department that can remove the barrier.",
    )
    severity = serializers.IntegerField(
        min_value=1,
        max_value=4,
        allow_null=True,
        required=False,
        help_text="1 (minor) to 4 (the customer cannot be served).",
    )
    frequency = serializers.ChoiceField(
        choices=Frequency.choices, allow_blank=True, allow_null=True, required=False
    )
    suggested_fix = _text(TEXT_MAX)


class DebriefBodySerializer(serializers.Serializer):
    """Any subset of the body; what is given must be well-formed.

    Barrier errors come back as a list by index, {} for a barrier that is fine (DRF 3.18 gives
    a dict of the failing indexes only): the same shape as the completeness errors of submit.
    """

    @property
    def errors(self):
        errors = super().errors
        barriers = errors.get("barriers")
        if isinstance(barriers, dict) and barriers and all(isinstance(k, int) for k in barriers):
            given = self.initial_data.get("barriers") if hasattr(self, "initial_data") else None
            size = max(len(given) if isinstance(given, list) else 0, max(barriers) + 1)
            errors = {
                **errors,
                "barriers": [barriers.get(index, {}) for index in range(size)],
            }
        return ReturnDict(errors, serializer=self)

    overall = _text(TEXT_MAX, help_text="What you saw. Required to submit.")
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        allow_null=True,
        required=False,
        help_text="1 to 5: how well our tools and processes let the agent put the customer "
        "first. Required to submit.",
    )
    commitment = _text(TEXT_MAX, help_text="One commitment for your own team.")
    barriers = BarrierSerializer(many=True, required=False, max_length=BARRIERS_MAX)

    def validate_barriers(self, barriers):
        codes = {(barrier.get("department") or "").strip() for barrier in barriers} - {""}
        known = set(Department.objects.filter(code__in=codes).values_list("code", flat=True))
        errors = []
        for barrier in barriers:
            code = (barrier.get("department") or "").strip()
            if code and code not in known:
                errors.append({"department": [_("No department has the code “%s”.") % code]})
            else:
                errors.append({})
        if any(errors):
            raise serializers.ValidationError(errors)
        return barriers


def clean_body(validated: dict) -> dict:
    """The serializer's validated data as a body (only the keys that were given), blanks as ""
    and None, keys as strings."""
    body = {}
    for name in ("overall", "commitment"):
        if name in validated:
            body[name] = validated[name] or ""
    if "rating" in validated:
        body["rating"] = validated["rating"]
    if "barriers" in validated:
        body["barriers"] = [clean_barrier(barrier) for barrier in validated["barriers"]]
    return body


def clean_barrier(barrier: dict) -> dict:
    key = barrier.get("key")
    return {
        "key": str(key) if key else "",
        "title": barrier.get("title") or "",
        "description": barrier.get("description") or "",
        "category": barrier.get("category") or "",
        "department": (barrier.get("department") or "").strip(),
        "severity": barrier.get("severity"),
        "frequency": barrier.get("frequency") or "",
        "suggested_fix": barrier.get("suggested_fix") or "",
    }


def assign_keys(barriers: list[dict], previous: list[dict]) -> list[dict]:
    """Give each barrier without a key the key of a previous barrier with the same title (so that
    an API client that never sends keys still updates, rather than duplicates, a report when it
    resubmits), else a new one."""
    unused = {}
    taken = {barrier["key"] for barrier in barriers if barrier.get("key")}
    for old in previous:
        if old.get("key") and old["key"] not in taken:
            unused.setdefault(old.get("title", "").strip().casefold(), old["key"])
    result = []
    for barrier in barriers:
        if not barrier.get("key"):
            title = barrier.get("title", "").strip().casefold()
            key = unused.pop(title, None) if title else None
            barrier = {**barrier, "key": key or str(uuid.uuid4())}
        result.append(barrier)
    return result


def barrier_is_blank(barrier: dict) -> bool:
    """Nothing typed or chosen: the page's spare row, ignored on the page."""
    return not any(barrier.get(name) for name in BARRIER_FIELDS)


def body_warnings(body: dict) -> list[dict]:
    """Where the body seems to hold customer data: `[{"field": "overall", "kinds": ["phone"]},
    {"field": "barriers.1.description", "kinds": ["card"]}]`. Warnings, not errors."""
    warnings = []
    for name in ("overall", "commitment"):
        kinds = sensitive.customer_data_kinds(body.get(name) or "")
        if kinds:
            warnings.append({"field": name, "kinds": kinds})
    for index, barrier in enumerate(body.get("barriers") or []):
        for name in BARRIER_TEXT_FIELDS:
            kinds = sensitive.customer_data_kinds(barrier.get(name) or "")
            if kinds:
                warnings.append({"field": f"barriers.{index}.{name}", "kinds": kinds})
    return warnings


WARNING_MESSAGES = {
    sensitive.EMAIL: _("an e-mail address"),
    sensitive.CARD: _("a card number"),
    sensitive.PHONE: _("a phone number"),
    sensitive.ACCOUNT: _("an account number"),
}
