"""Our plain-text answers as rasa-webchat messages: Markdown the widget renders, long answers in parts."""

import re
from typing import List

from channels.answer_parts import BULLET, MAX_PART_CHARS, split_answer

# Web addresses are left unescaped so the widget links them; [ ] < > ` end one so no link syntax hides inside.
_URL = re.compile(r"(https?://[^\s\[\]<>`\\]+)")
# Characters that would make Markdown of text that may repeat what a user typed (links, images, emphasis).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|!])")
# A line starting "- ", "+ ", "= " or "1. " would turn into a list or heading.
_LINE_START_MARKER = re.compile(r"^(\s*\d*)([-+=.)])(?=\s|$)")
# "• Architecture: ..." -> the label before the colon is shown in bold.
_LABEL = re.compile(r"^([^:]{1,40}):\s")


def escape_markdown(text: str) -> str:
    """Text shown literally by a Markdown renderer; web addresses stay as they are so they become links."""
    pieces = _URL.split(text)
    escaped = [piece if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", piece) for i, piece in enumerate(pieces)]
    return _LINE_START_MARKER.sub(r"\1\\\2", "".join(escaped))


def _bullet(item: str) -> str:
    label = _LABEL.match(item)
    if not label:
        return escape_markdown(item)
    return f"**{escape_markdown(label.group(1))}:** {escape_markdown(item[label.end():])}"


def to_markdown(part: str) -> str:
    """One part as Markdown: each line its own paragraph, runs of "• " lines a bulleted list."""
    blocks: List[str] = []
    items: List[str] = []
    for line in part.splitlines():
        if line.startswith(BULLET):
            items.append("- " + _bullet(line[len(BULLET):].strip()))
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(escape_markdown(line))
    if items:
        blocks.append("\n".join(items))
    return "\n\n".join(blocks)


def webchat_messages(text: str, limit: int = MAX_PART_CHARS) -> List[str]:
    """The Markdown texts to send, in order, for one answer."""
    return [to_markdown(part) for part in split_answer(text, limit)]
