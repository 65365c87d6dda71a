"""Conversation ids: the one rule every channel applies to a sender or session id, and the channel prefix that
keeps each channel's conversations apart in the shared tracker store. Plain Python, no Rasa import."""

import unicodedata
from typing import Any, Optional

# Stored ids are "<channel>:<id>" in a VARCHAR(255) column (SQL tracker stores); 240 leaves room for the
# longest channel name ("socketio:" is 9 characters).
MAX_ID_CHARS = 240
# Letters, marks, digits, punctuation and symbols: what people and chat platforms use in ids. Control and
# format characters, lone surrogates (which SQLite and PostgreSQL refuse), private-use and unassigned code
# points are not.
_ALLOWED = ("L", "M", "N", "P", "S")
# Channel names as Rasa reports them (`input_channel`); each is the prefix of its conversations' stored ids.
CHANNELS = ("rest", "socketio", "slack", "telegram", "cmdline")
_JSON_TYPES = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def id_problem(value: Any, what: str = "sender id") -> Optional[str]:
    """Why `value` cannot name a conversation, as a sentence that says what to send instead; None if it can."""
    if value is None:
        return f"The {what} is missing: send a non-empty string that names the conversation."
    if not isinstance(value, str):
        kind = _JSON_TYPES.get(type(value), type(value).__name__)
        return f"The {what} must be a string that names the conversation, not {kind}."
    if not value.strip():
        return f"The {what} is empty: send a non-empty string that names the conversation."
    if len(value) > MAX_ID_CHARS:
        return f"The {what} is {len(value)} characters long; the limit is {MAX_ID_CHARS} characters."
    bad = next((c for c in value if c != " " and unicodedata.category(c)[0] not in _ALLOWED), None)
    if bad is not None:
        return (
            f"The {what} contains the character U+{ord(bad):04X}, which is not allowed: "
            "use letters, digits, punctuation, symbols and spaces only."
        )
    return None


def stored_id(channel: str, channel_id: str) -> str:
    """The tracker store's id for `channel_id` on `channel`: the same raw id on two channels is two conversations."""
    return f"{channel}:{channel_id}"


def channel_id(stored: str) -> str:
    """The id the channel itself knows (Telegram chat, Slack channel, socket.io room, REST sender) for a
    stored id; ids stored before prefixes existed have no prefix and are returned as they are."""
    prefix, separator, rest = stored.partition(":")
    return rest if separator and prefix in CHANNELS else stored
