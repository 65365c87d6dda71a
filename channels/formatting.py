"""Renders our plain-text answers for chat platforms: Slack mrkdwn, Telegram HTML, and sensible splitting."""

import html
import re
from typing import Callable, List, Tuple

# Slack rejects a section block's text above 3000 characters; Telegram a message above 4096.
SLACK_SECTION_LIMIT = 3000
TELEGRAM_MESSAGE_LIMIT = 4096
BULLET = "• "
# "• Training data: ..." -> the label before the colon is shown bold; long or sentence-like prefixes are not labels.
_LABEL = re.compile(r"^(?P<bullet>• )(?P<label>[^:\n.?!]{1,60}): ")
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)\]”\"']")
_SLACK_LINK = re.compile(r"<(?P<target>[^<>|]+)(?:\|(?P<label>[^<>]*))?>")


def slack_escape(text: str) -> str:
    """Escapes the three characters Slack's mrkdwn reserves for links and mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_mrkdwn(text: str) -> str:
    """Slack mrkdwn for one of our answers: escaped, bullet labels bold, URLs as explicit links."""
    lines = []
    for line in text.split("\n"):
        match = _LABEL.match(line)
        if match:
            rest = line[match.end() :]
            line = f"{BULLET}*{slack_escape(match['label'])}*: {_slack_links(rest)}"
        else:
            line = _slack_links(line)
        lines.append(line)
    return "\n".join(lines)


def _slack_links(text: str) -> str:
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts.append(slack_escape(text[last : match.start()]))
        parts.append(f"<{slack_escape(match.group())}>")
        last = match.end()
    parts.append(slack_escape(text[last:]))
    return "".join(parts)


def slack_plain(text: str) -> str:
    """What a Slack user typed, as plain text: links and mentions to their labels, entities unescaped."""

    def label(match: "re.Match[str]") -> str:
        target, shown = match["target"], match["label"]
        if shown:
            return shown
        if target.startswith("mailto:"):
            return target[len("mailto:") :]
        # A bare <@U123> mention or <#C123> channel reference says nothing to the assistant.
        return "" if target[:1] in "@#!" else target

    return re.sub(r"[ \t]+", " ", html.unescape(_SLACK_LINK.sub(label, text))).strip()


def telegram_escape(text: str) -> str:
    """Escapes text for Telegram's HTML parse mode (only <, > and & are special there)."""
    return html.escape(text, quote=False)


def telegram_html(text: str) -> str:
    """Telegram HTML for one of our answers: escaped, bullet labels bold."""
    lines = []
    for line in text.split("\n"):
        match = _LABEL.match(line)
        if match:
            rest = line[match.end() :]
            line = f"{BULLET}<b>{telegram_escape(match['label'])}</b>: {telegram_escape(rest)}"
        else:
            line = telegram_escape(line)
        lines.append(line)
    return "\n".join(lines)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> List[str]:
    """Splits `text` into parts of at most `limit` (by `measure`): between lines, else sentences, else words."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: List[Tuple[str, str]] = []
    for line in (line for line in text.strip().split("\n") if line.strip()):
        pieces += _fitting(line, "\n", limit, measure)
    parts: List[str] = []
    current = ""
    for separator, piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if current and measure(candidate) > limit:
            parts.append(current)
            candidate = piece
        current = candidate
    return parts + [current] if current else parts


def _fitting(line: str, separator: str, limit: int, measure: Callable[[str], int]) -> List[Tuple[str, str]]:
    """(separator, piece) pairs of one line, each piece within the limit: the line, its sentences or words."""
    if measure(line) <= limit:
        return [(separator, line)]
    out: List[Tuple[str, str]] = []
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", line) if s]
    if len(sentences) > 1:
        for i, sentence in enumerate(sentences):
            out += _fitting(sentence, separator if i == 0 else " ", limit, measure)
        return out
    words = line.split(" ")
    if len(words) > 1:
        for i, word in enumerate(words):
            out += _fitting(word, separator if i == 0 else " ", limit, measure)
        return out
    current = ""
    for char in line:
        if current and measure(current + char) > limit:
            out.append((separator if not out else "", current))
            current = ""
        current += char
    return out + [(separator if not out else "", current)]
