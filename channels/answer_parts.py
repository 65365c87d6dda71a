"""Long plain-text answers cut into chat-sized parts between lines, and wrapped for a terminal."""

import re
import textwrap
from typing import List

BULLET = "• "
# A chat bubble longer than this is hard to read; longer answers are sent as several messages.
MAX_PART_CHARS = 700
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _sentences(line: str, limit: int) -> List[str]:
    """A line too long for one bubble, cut after sentences (or between words when a sentence is too long)."""
    chunks: List[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(line):
        words = [sentence] if len(sentence) <= limit else sentence.split(" ")
        for word in words:
            candidate = f"{current} {word}" if current else word
            if current and len(candidate) > limit:
                chunks.append(current)
                candidate = word
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def split_answer(text: str, limit: int = MAX_PART_CHARS) -> List[str]:
    """The answer's lines grouped into parts of at most `limit` characters, cut only between lines."""
    lines: List[str] = []
    for line in text.strip().splitlines():
        if line.strip():
            lines.extend(_sentences(line.rstrip(), limit) if len(line) > limit else [line.rstrip()])
    parts: List[str] = []
    current: List[str] = []
    for line in lines:
        if current and len("\n".join(current + [line])) > limit:
            parts.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        parts.append("\n".join(current))
    return parts or [""]


def wrap_for_terminal(part: str, width: int) -> str:
    """Each line wrapped between words to `width`; a bullet's continuation lines are indented under its text."""
    lines: List[str] = []
    for line in part.splitlines():
        indent = " " * len(BULLET) if line.startswith(BULLET) else ""
        lines.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""])
    return "\n".join(lines)
