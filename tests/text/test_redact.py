"""Redaction of personal data in quotes, and the NHS number check digit."""

from __future__ import annotations

import pytest

from caseforchange.text.redact import nhs_number_valid, redact


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        # 9x10+4x9+3x8+4x7+7x6+6x5+5x4+9x3+1x2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765918", False),
        # Sum 0: 11 - 0 = 11, which counts as check digit 0.
        ("0000000000", True),
        # Sum 6x2 = 12; 12 mod 11 = 1; 11 - 1 = 10: never a valid NHS number.
        ("0000000060", False),
        ("943476591", False),
        ("94347659191", False),
    ],
)
def test_nhs_number_check_digit(number: str, valid: bool) -> None:
    assert nhs_number_valid(number) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to jane.smith@example.org today", "Write to [email] today"),
        ("Ring 01743 123456 please", "Ring [phone] please"),
        ("My mobile is 07700 900123.", "My mobile is [phone]."),
        ("Call +44 7700 900123", "Call [phone]"),
        ("Call (01952) 123456", "Call [phone]"),
        ("NHS number 943 476 5919 here", "NHS number [NHS number] here"),
        ("I live at SY2 6ST in Shrewsbury", "I live at [postcode] in Shrewsbury"),
        ("postcode tf1 2ab", "postcode [postcode]"),
        ("My name is Jane Smith and I worry", "My name is [name] and I worry"),
        ("I'm Jane Smith, a district nurse", "I'm [name], a district nurse"),
        ("Keep it NHS. Regards, John Brown", "Keep it NHS. Regards, [name]"),
        ("Thanks,\nMary", "Thanks,\n[name]"),
    ],
)
def test_redacts_personal_data(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried about pensions",
        "I am English and proud of the NHS",
        "The reference 1234567890 failed its check digit",
        "We waited 45 minutes at ward 12",
        "Thank you for listening to us",
    ],
)
def test_leaves_ordinary_words_alone(text: str) -> None:
    assert redact(text) == text
