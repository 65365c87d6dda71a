"""Reading what a program drew in a pseudo-terminal: escape sequences removed, whitespace collapsed."""

import re

_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|[\x08\r]")


def screen_text(raw: str) -> str:
    """The visible words of terminal output, with every run of whitespace as one space."""
    return " ".join(_ESCAPE.sub("", raw).split())


def squeeze(text: str) -> str:
    return " ".join(text.split())
