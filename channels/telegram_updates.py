"""What a Telegram Update asks of the assistant: the text to answer, in which chat, from which button press."""

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional

# Telegram clients send /start when a user opens the bot, and offer /help; both map to our own payloads.
COMMANDS = {"start": "/greet", "help": "/help"}
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]+)(?:@[A-Za-z0-9_]+)?(?:\s+(?P<rest>.*))?$", re.DOTALL)
TEXT_ONLY = "I can only read text. Ask me in words, for example “what is a diffusion model?”."


@dataclass(frozen=True)
class Incoming:
    """One thing to answer: `text` goes to the assistant; `notice` is sent back instead, when set. `chat_id` is
    the chat's number as text; any other JSON value is passed on as it came, for the channel to refuse."""

    chat_id: Any
    text: str = ""
    callback_id: Optional[str] = None
    notice: Optional[str] = None


def command_text(text: str) -> str:
    """/start and /help (also /start@OurBot) become our payloads; other text is left as typed."""
    match = _COMMAND.match(text.strip())
    if match and match["name"].lower() in COMMANDS and not match["rest"]:
        return COMMANDS[match["name"].lower()]
    return text


def _chat_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def incoming(update: Dict[str, Any]) -> Optional[Incoming]:
    """The message or button press in `update`; None for edits and anything else with nothing to answer."""
    query = update.get("callback_query")
    if isinstance(query, dict):
        chat = ((query.get("message") or {}).get("chat") or {}).get("id") or (query.get("from") or {}).get("id")
        if chat is None:
            return None
        return Incoming(_chat_id(chat), str(query.get("data") or ""), callback_id=str(query.get("id", "")) or None)
    message = update.get("message")
    if not isinstance(message, dict):
        # edited_message, channel posts, polls ...: an edit of a question answered already is not answered again.
        return None
    chat = message.get("chat") or {}
    if chat.get("id") is None:
        return None
    if isinstance(message.get("text"), str) and message["text"].strip():
        return Incoming(_chat_id(chat["id"]), command_text(message["text"]))
    if chat.get("type") == "private" and _user_content(message):
        return Incoming(_chat_id(chat["id"]), notice=TEXT_ONLY)
    return None


def _user_content(message: Dict[str, Any]) -> bool:
    """A sticker, photo, voice note ... that a user sent (not a service message such as a member joining)."""
    kinds = ("sticker", "photo", "voice", "audio", "video", "video_note", "document", "animation", "location", "contact")
    return any(k in message for k in kinds)
