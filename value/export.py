"""The value export: one CSV row per valued item of a series (or a programme), with its
expected and realised money a month and finance's review. One query."""

import csv
from typing import TextIO

from .models import Impact, ValueSettings
from .rollups import _impacts

EXPORT_COLUMNS = [
    "item",
    "title",
    "department",
    "wave",
    "status",
    "expected_kind",
    "expected_quantity",
    "expected_money",
    "expected_basis",
    "realised_kind",
    "realised_quantity",
    "realised_money",
    "evidence",
    "evidence_link",
    "review",
    "reviewed_by",
    "review_reason",
    "currency",
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts with = + - @ as a formula: quote it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def value_export(*, wave_ids: list[int], waves: dict[int, str], out: TextIO) -> int:
    """Write the valued items first reported in `wave_ids` as CSV to `out`; return the count."""
    currency = ValueSettings.load().currency
    impacts: list[Impact] = list(
        _impacts()
        .filter(wave_id__in=wave_ids)
        .select_related("item", "item__department", "reviewed_by")
        .order_by("item_id")
    )
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for impact in impacts:
        item = impact.item
        writer.writerow(
            [
                _cell(value)
                for value in (
                    item.pk,
                    item.title,
                    item.department.code,
                    waves.get(impact.wave_id, ""),
                    item.status,
                    impact.expected_kind,
                    impact.expected_quantity,
                    impact.expected_money,
                    impact.expected_basis,
                    impact.realised_kind,
                    impact.realised_quantity,
                    impact.realised_money,
                    impact.evidence,
                    impact.evidence_link,
                    impact.review,
                    impact.reviewed_by.email if impact.reviewed_by else "",
                    impact.review_reason,
                    currency,
                )
            ]
        )
    return len(impacts)
