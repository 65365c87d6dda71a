"""Checks a REST webhook body and says what is wrong with it; plain Python, no Rasa import."""

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union

from channels.inbound import printable

# A chat message is short; 64 KiB leaves room for long pasted text and metadata, and refuses floods.
MAX_BODY_BYTES = 64 * 1024
# The conversation id is a database key (VARCHAR(255) in SQL tracker stores).
MAX_SENDER_CHARS = 255


@dataclass(frozen=True)
class RestMessage:
    """A well-formed message: who sends it, what they typed, and optional metadata."""

    sender: str
    text: str
    metadata: Optional[Dict[str, Any]]


@dataclass(frozen=True)
class BodyError:
    """Why a body was refused: the HTTP status and a sentence that says what to fix."""

    status: int
    message: str


def parse_body(body: bytes, limit: int = MAX_BODY_BYTES) -> Union[RestMessage, BodyError]:
    """The message in a POST /webhooks/rest/webhook body, or the reason it is refused."""
    if len(body) > limit:
        return BodyError(413, f"The request body is {len(body)} bytes; the limit is {limit} bytes. Send a shorter message.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return BodyError(400, 'The request body is not valid UTF-8 JSON. Send {"sender": "<conversation id>", "message": "<text>"}.')
    if not isinstance(data, dict):
        return BodyError(400, 'The request body must be a JSON object: {"sender": "<conversation id>", "message": "<text>"}.')
    sender, text, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        return BodyError(400, 'The field "sender" is required: a non-empty string that names the conversation.')
    if len(sender) > MAX_SENDER_CHARS or printable(sender) != sender:
        return BodyError(400, f'The field "sender" must be at most {MAX_SENDER_CHARS} characters without control characters.')
    if not isinstance(text, str):
        return BodyError(400, 'The field "message" is required: the text the user typed, as a string.')
    if metadata is not None and not isinstance(metadata, dict):
        return BodyError(400, 'The field "metadata" must be a JSON object when given.')
    return RestMessage(sender, printable(text), metadata)
