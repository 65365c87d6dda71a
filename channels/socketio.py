"""Socket.io channel for the website widget: only configured page origins, inbound filter, widget Markdown."""

import json
import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.inbound import user_text
from channels.rest_body import MAX_BODY_BYTES
from channels.origins import ORIGINS_VARIABLE, SettingError, allowed_origins
from channels.webchat_format import webchat_messages

# Same limit as the REST channel's body (channels/rest_body.py).
MAX_MESSAGE_BYTES = MAX_BODY_BYTES
logger = logging.getLogger(__name__)


class WebchatSettingError(RasaException):
    """A socket.io setting from the environment cannot be used; Rasa prints the sentence and stops."""


class WebchatOutput(SocketIOOutput):
    """Sends each answer as Markdown parts the widget renders; buttons go with the last part."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in webchat_messages(text):
            await self._send_message(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        parts = webchat_messages(text)
        replies = [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]
        for index, part in enumerate(parts):
            message: Dict[Text, Any] = {"text": part}
            if index == len(parts) - 1:
                message["quick_replies"] = replies
            await self._send_message(recipient_id, message)


def _metadata(value: Any) -> Dict[Text, Any]:
    """The widget's customData as a dict; anything else is kept under "unparsed" rather than dropped."""
    if isinstance(value, dict):
        return value
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    logger.warning("socket.io message metadata is not a JSON object; kept under 'unparsed': %r", value)
    return {"unparsed": value}


class WebsiteSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, but engine.io checks the Origin header against WEBCHAT_ALLOWED_ORIGINS."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebsiteSocketIOInput":
        channel = super().from_credentials(credentials)
        try:
            channel.allowed_origins = allowed_origins(os.environ)
        except SettingError as error:
            raise WebchatSettingError(str(error)) from None
        logger.info(
            "The socket.io channel accepts pages from %s (set %s to change).",
            ", ".join(channel.allowed_origins), ORIGINS_VARIABLE,
        )
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: List[str] = allowed_origins({})

    def get_output_channel(self) -> Optional[WebchatOutput]:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def _sender(self, sid: Text, data: Dict[Text, Any]) -> Optional[Text]:
        if not self.session_persistence:
            return sid
        session_id = data.get("session_id")
        if not session_id or not isinstance(session_id, str):
            logger.warning("A socket.io message without a session_id was ignored: the widget must request a session first.")
            return None
        return session_id

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Stock Rasa passes [] here, which turns engine.io's origin check off; "*" must be asked for explicitly.
        origins = "*" if self.allowed_origins == ["*"] else self.allowed_origins
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins)
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict] = None) -> None:
            data = data if isinstance(data, dict) else {}
            if not isinstance(data.get("session_id"), str) or not data["session_id"]:
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:  # no data: an emit without arguments
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.warning("A socket.io message without text was ignored: %r", data)
                return
            sender_id = self._sender(sid, data)
            if sender_id is None:
                return
            if len(data["message"].encode("utf-8", "replace")) > MAX_MESSAGE_BYTES:
                # A huge message would hold the server for seconds (about 0.6 s of CPU per 1,000 words).
                await WebchatOutput(sio, self.bot_message_evt).send_text_message(
                    sender_id, f"That message is too long for me: please ask in fewer than {MAX_MESSAGE_BYTES // 1024} KB of text."
                )
                return
            message = UserMessage(
                user_text(data["message"]),
                WebchatOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=_metadata(data.get(self.metadata_key)),
            )
            await on_new_message(message)

        return socketio_webhook
