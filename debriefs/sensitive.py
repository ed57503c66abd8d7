"""Does a text look like it holds customer data? Executives sit beside live calls and may type
what they hear: a phone number, an e-mail address, a card or account number. This module finds
those, so that the form can warn while they type and the server can return warnings with a
save. Warnings, never errors: the executive may decide the number is fine (a public help line).

Pure Python, no Django: `static/js/debrief-sensitive.js` mirrors it for live warnings in the
browser, and tests/debriefs/test_sensitive.py runs one table of cases through both.

What is found, in this order of precedence when matches overlap:

- `email`: an e-mail address;
- `card`: 13 to 19 digits, optionally in groups separated by single spaces or dashes, that pass
  the Luhn check (payment card numbers);
- `phone`: a North American number (`604 555 0199`, `(604) 555-0199`, `+1 604.555.0199`), an
  international one starting with `+` or `00` (7 to 15 digits), or a French national one
  (`06 12 34 56 78`);
- `account`: any other run of 8 or more digits in a row, or of 12 or more in groups (account,
  customer or order numbers; a card number mistyped).
"""

import re
from dataclasses import dataclass

EMAIL = "email"
CARD = "card"
PHONE = "phone"
ACCOUNT = "account"
KINDS = (EMAIL, CARD, PHONE, ACCOUNT)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Digits in groups joined by at most one space or dash; the card check counts the digits.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_PHONE_PATTERNS = (
    # North American Numbering Plan: area code and exchange start with 2-9.
    re.compile(
        r"(?<![\d+])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}(?!\d)"
    ),
    # International: + or 00, a country code, then 6 to 14 more digits in groups.
    re.compile(r"(?<![\d+])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)"),
    # French national numbers: 0X XX XX XX XX.
    re.compile(r"(?<!\d)0[1-9](?:[ .-]?\d{2}){4}(?!\d)"),
)
_ACCOUNT = re.compile(r"(?<!\d)\d{8,}(?!\d)")
# 12 or more digits in groups (a card number that fails Luhn, an account number as printed).
_GROUPED_ACCOUNT = re.compile(r"(?<![\d-])\d(?:[ -]?\d){11,}(?![\d-])")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that every payment card number passes."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _phone_digit_count_ok(match: str) -> bool:
    count = len(_digits(match))
    return 7 <= count <= 15


def find_customer_data(text: str) -> list[Finding]:
    """Every stretch of `text` that looks like customer data, left to right, never overlapping;
    where two kinds overlap, the earlier kind in KINDS wins."""
    if not text:
        return []
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        candidate = Finding(kind, start, end)
        if not any(candidate.overlaps(other) for other in found):
            found.append(candidate)

    for match in _EMAIL.finditer(text):
        add(EMAIL, match.start(), match.end())
    for match in _CARD.finditer(text):
        digits = _digits(match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            add(CARD, match.start(), match.end())
    for pattern in _PHONE_PATTERNS:
        for match in pattern.finditer(text):
            if _phone_digit_count_ok(match.group()):
                add(PHONE, match.start(), match.end())
    for pattern in (_ACCOUNT, _GROUPED_ACCOUNT):
        for match in pattern.finditer(text):
            add(ACCOUNT, match.start(), match.end())
    return sorted(found, key=lambda finding: finding.start)


def customer_data_kinds(text: str) -> list[str]:
    """The kinds found in `text`, each once, in KINDS order."""
    kinds = {finding.kind for finding in find_customer_data(text)}
    return [kind for kind in KINDS if kind in kinds]
