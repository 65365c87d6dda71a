"""Hides personal data in user text: email addresses, phone numbers and long digit runs.

Every pattern here runs in time linear in the text (`make report` reads whatever users typed): no pattern
nests one repetition in another, and a pattern that can fail after a long scan consumes the run it
scanned, so a failed attempt is not repeated at every later position of the same run.
"""

import re

# An email, or else the whole run of local-part characters, skipped at once: when no email starts at the
# run's first character none starts later in it (the @ must follow the run), and retrying at every
# character of a long run would take time quadratic in its length.
EMAIL_OR_RUN = re.compile(r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)|[\w.+-]+")
# A phone number candidate: optional +, optional bracket, a digit, then digits, spaces, dots, dashes or
# brackets. The run is taken whole (no backtracking); _phone finds where the number ends inside it.
PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]*")
DIGIT = re.compile(r"\d")
WORD = re.compile(r"\w")
# Card, account and ID numbers: six or more digits in a row.
DIGITS = re.compile(r"\d{6,}")
# Phone numbers have at least 8 digits and at most 15 (E.164); longer runs are card or account numbers.
MIN_PHONE_DIGITS = 8
MAX_PHONE_DIGITS = 15


def redact(text: str) -> str:
    """The text with emails, phone numbers and long digit runs replaced by [email], [phone], [number]."""
    text = EMAIL_OR_RUN.sub(lambda m: "[email]" if m.group("email") else m.group(), text)
    text = PHONE_RUN.sub(_phone, text)
    return DIGITS.sub("[number]", text)


def _phone(match: "re.Match[str]") -> str:
    run = match.group()
    end = _number_end(run, match.string[match.end():match.end() + 1])
    number, rest = run[:end], run[end:]
    digits = sum(c.isdigit() for c in number)
    # "1998 to 2017" is years, not a phone: require separators only between digit groups of a real number.
    if digits < MIN_PHONE_DIGITS or _looks_like_years(number):
        return run
    return ("[phone]" if digits <= MAX_PHONE_DIGITS else "[number]") + rest


def _number_end(run: str, after: str) -> int:
    """Where the number in `run` ends: after its last digit not followed by a letter, digit or underscore.

    Inside the run only a separator can follow a digit without being a word character; the run's last
    character is followed by `after`, the first character of the text after the run ("" at the end).
    """
    end = len(run)
    following = after
    while end > 0:
        if DIGIT.fullmatch(run[end - 1]) and not WORD.fullmatch(following or " "):
            return end
        following = run[end - 1]
        end -= 1
    return 0


def _looks_like_years(span: str) -> bool:
    groups = re.findall(r"\d+", span)
    return all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)
