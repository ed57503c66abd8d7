"""The customer-data detectors: one table run through the Python module and its JavaScript
mirror (static/js/debrief-sensitive.js, under node), and property tests of the Luhn check."""

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriefs.sensitive import customer_data_kinds, find_customer_data, luhn_valid

JS = Path(__file__).resolve().parents[2] / "static" / "js" / "debrief-sensitive.js"

# (text, kinds found)
CASES = [
    ("", []),
    ("The agent was kind and quick.", []),
    ("Call me at 604-555-0199 tomorrow", ["phone"]),
    ("(604) 555 0199", ["phone"]),
    ("+1 604.555.0199", ["phone"]),
    ("6045550199", ["phone"]),
    ("1-800-555-0100 is the help line", ["phone"]),
    ("+44 20 7946 0958", ["phone"]),
    ("+33 6 12 34 56 78", ["phone"]),
    ("0033 6 12 34 56 78", ["phone"]),
    ("06 12 34 56 78", ["phone"]),
    ("jane.doe@example.com wrote in", ["email"]),
    ("courriel : marie-claude.tremblay@videotron.qc.ca", ["email"]),
    ("card 4111 1111 1111 1111 declined", ["card"]),
    ("4111-1111-1111-1111", ["card"]),
    ("5500005555555559", ["card"]),
    ("378282246310005", ["card"]),
    ("4111 1111 1111 1112 fails Luhn", ["account"]),
    ("account 123456789 locked", ["account"]),
    ("order 98765432", ["account"]),
    ("customer 12345678 and jane@example.org", ["email", "account"]),
    ("Visit on 2027-03-08 from 09:00 to 17:00", []),
    ("Queue of 45 calls, 12 minutes wait, 3 agents", []),
    ("Refunds under $1,250.00 need an override", []),
    ("ticket 1234567", []),
    ("version 10.2.3 of the tool", []),
    ("555-0199", []),
]


@pytest.mark.parametrize(("text", "kinds"), CASES)
def test_python_detectors(text, kinds):
    assert customer_data_kinds(text) == kinds


def test_findings_do_not_overlap_and_are_ordered():
    text = "4111 1111 1111 1111, 604-555-0199, a@b.co, 12345678"
    findings = find_customer_data(text)
    assert [f.kind for f in findings] == ["card", "phone", "email", "account"]
    for left, right in itertools.pairwise(findings):
        assert left.end <= right.start


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_mirror_agrees_with_python():
    script = (
        f"const s = require({json.dumps(str(JS))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(t => s.kinds(t))));"
    )
    texts = [text for text, _kinds in CASES]
    result = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert json.loads(result.stdout) == [kinds for _text, kinds in CASES]


def _luhn_digit(body: str) -> str:
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return digit
    raise AssertionError("some check digit always fits")


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_luhn_check_digit_makes_any_number_valid(body):
    assert luhn_valid(body + _luhn_digit(body))


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.integers(1, 9))
def test_luhn_catches_every_single_digit_error(body, shift):
    number = body + _luhn_digit(body)
    position = len(number) - 1 - (len(body) // 2)
    wrong = str((int(number[position]) + shift) % 10)
    assert not luhn_valid(number[:position] + wrong + number[position + 1 :])


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_a_valid_card_number_is_found_as_a_card(body):
    number = body + _luhn_digit(body)
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    assert customer_data_kinds(f"card {grouped} please") == ["card"]


@given(st.text(max_size=200))
def test_detectors_never_fail_and_spans_are_in_the_text(text):
    for finding in find_customer_data(text):
        assert 0 <= finding.start < finding.end <= len(text)
