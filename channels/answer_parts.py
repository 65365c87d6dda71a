"""Long plain-text answers cut into chat-sized parts between lines, and wrapped for a terminal."""

import textwrap
from typing import List

from channels.formatting import split_text

BULLET = "• "
# A chat bubble longer than this is hard to read; longer answers are sent as several messages.
MAX_PART_CHARS = 700


def split_answer(text: str, limit: int = MAX_PART_CHARS) -> List[str]:
    """The answer cut into parts of at most `limit` characters: between lines, else sentences, else words."""
    return split_text(text, limit) or [""]


def wrap_for_terminal(part: str, width: int) -> str:
    """Each line wrapped between words to `width`; a bullet's continuation lines are indented under its text."""
    lines: List[str] = []
    for line in part.splitlines():
        indent = " " * len(BULLET) if line.startswith(BULLET) else ""
        lines.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""])
    return "\n".join(lines)
