"""Checks a REST webhook body and says what is wrong with it; plain Python, no Rasa import."""

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union

from channels.conversation_ids import id_problem
from channels.inbound import printable
from channels.metadata_limit import metadata_problem

# A chat message is short; 64 KiB leaves room for long pasted text and metadata, and refuses floods.
MAX_BODY_BYTES = 64 * 1024


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
    except RecursionError:
        return BodyError(400, "The request body nests JSON too deeply to read; send a flat metadata object.")
    except (UnicodeDecodeError, ValueError):
        return BodyError(400, 'The request body is not valid UTF-8 JSON. Send {"sender": "<conversation id>", "message": "<text>"}.')
    if not isinstance(data, dict):
        return BodyError(400, 'The request body must be a JSON object: {"sender": "<conversation id>", "message": "<text>"}.')
    sender, text, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    sender_problem = id_problem(sender, 'field "sender"')
    if sender_problem:
        return BodyError(400, sender_problem)
    if not isinstance(text, str):
        return BodyError(400, 'The field "message" is required: the text the user typed, as a string.')
    if metadata is not None and not isinstance(metadata, dict):
        return BodyError(400, 'The field "metadata" must be a JSON object when given.')
    too_large = metadata is not None and metadata_problem(metadata, 'field "metadata"')
    if too_large:
        return BodyError(413, too_large)
    return RestMessage(sender, printable(text), metadata)
