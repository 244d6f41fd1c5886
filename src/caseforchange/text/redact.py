"""Personal data taken out of quotes.

The items are e-mail addresses, UK phone numbers, NHS numbers, postcodes, and the names
respondents give for themselves.

Redaction replaces each item with a bracketed label (``[email]``, ``[phone]``, ``[NHS number]``,
``[postcode]``, ``[name]``) so that a quote still reads as a sentence. NHS numbers are only
taken when the Modulus 11 check digit is right, so that other ten-digit numbers (phone numbers
written without their leading 0, reference numbers) are left to the phone rule or kept.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
#: Ten digits, alone or as 3-3-4 with spaces or hyphens (how NHS numbers are printed).
_TEN_DIGITS = re.compile(r"(?<![\d+])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?!\d)")
#: UK numbers: +44 or 0, then 9 or 10 digits in groups, optionally with (0) or brackets.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}(?!\d)")
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_NAME = r"[A-Z][a-z'’\-]+(?:[ ]+[A-Z][a-z'’\-]+){0,2}"
#: "my name is Jane Smith", "I am called Jane", "I'm Jane Smith" (two capitalised words).
SELF_NAME = re.compile(
    r"(?P<lead>\b(?i:my name is|my name's|i am called|i'm called|this is)\s+)(?P<name>"
    + _NAME
    + ")"
    r"|(?P<lead2>\b(?i:i'm|i’m|i am)\s+)(?P<name2>[A-Z][a-z'’\-]+[ ]+[A-Z][a-z'’\-]+)"
)
#: A sign-off at the end: "Regards, Jane Smith", "Thanks\nJohn", "Yours sincerely, Mary Jones".
SIGN_OFF = re.compile(
    r"(?P<lead>\b(?i:kind regards|best regards|regards|many thanks|thanks|thank you|"
    r"yours sincerely|yours faithfully|best wishes|sincerely|cheers|from)[,.!]?\s+)"
    r"(?P<name>" + _NAME + r")[.!]?\s*$"
)


def nhs_number_valid(digits: str) -> bool:
    """Return True when ``digits`` (ten digits, separators allowed) pass the Modulus 11 check.

    The first nine digits are weighted 10 down to 2; the check digit is 11 minus the sum's
    remainder on division by 11 (11 becomes 0; 10 means the number is not valid). Never raises.
    """
    plain = re.sub(r"[ \-]", "", digits)
    if len(plain) != 10 or not plain.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(plain[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(plain[9])


def _nhs(match: re.Match[str]) -> str:
    return "[NHS number]" if nhs_number_valid(match.group(0)) else match.group(0)


def _self_name(match: re.Match[str]) -> str:
    if match.group("lead") is not None:
        return match.group("lead") + "[name]"
    return match.group("lead2") + "[name]"


def redact(text: str) -> str:
    """Return ``text`` with personal data replaced by bracketed labels. Never raises."""
    out = EMAIL.sub("[email]", text)
    out = _TEN_DIGITS.sub(_nhs, out)
    out = PHONE.sub("[phone]", out)
    out = POSTCODE.sub("[postcode]", out)
    out = SELF_NAME.sub(_self_name, out)
    return SIGN_OFF.sub(lambda m: m.group("lead") + "[name]", out)
