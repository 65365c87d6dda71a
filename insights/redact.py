"""Hides personal data in user text: email addresses, phone numbers and long digit runs."""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: optional +, then at least 8 digits with spaces, dots, dashes or brackets between.
PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\d\s().-]*\d){7,}(?!\w)")
# Card, account and ID numbers: six or more digits in a row.
DIGITS = re.compile(r"\d{6,}")


def redact(text: str) -> str:
    """The text with emails, phone numbers and long digit runs replaced by [email], [phone], [number]."""
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub(_phone, text)
    return DIGITS.sub("[number]", text)


def _phone(match: "re.Match[str]") -> str:
    digits = sum(c.isdigit() for c in match.group())
    # "1998 to 2017" is years, not a phone: require separators only between digit groups of a real number.
    if digits < 8 or _looks_like_years(match.group()):
        return match.group()
    # Phone numbers have at most 15 digits (E.164); longer runs are card or account numbers.
    return "[phone]" if digits <= 15 else "[number]"


def _looks_like_years(span: str) -> bool:
    groups = re.findall(r"\d+", span)
    return all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)
