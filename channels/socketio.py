"""Socket.io channel for the website widget: only configured page origins, server-issued sessions, inbound filter,
bounded customData, widget Markdown."""

import json
import logging
import os
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.conversation_ids import id_problem, stored_id
from channels.inbound import too_long, user_text
from channels.metadata_limit import metadata_problem
from channels.recipients import ChannelRecipient
from channels.settings_refused import refused
from explainer.errors import SettingsError
from explainer.settings.origins import ORIGINS_VARIABLE, allowed_origins
from channels.webchat_format import webchat_messages
from channels.webchat_sessions import SessionSecretError, is_issued, issue, session_secret
from explainer.errors import StoreRefused

logger = logging.getLogger(__name__)
NOT_ISSUED = (
    "This chat session was not started by this assistant, so I cannot continue it: "
    "reload the page to start a new conversation."
)
NOT_SAVED = "I could not save this message; please try again."


class WebchatOutput(ChannelRecipient, SocketIOOutput):
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
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
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
            channel.session_key = session_secret(os.environ, Path.cwd())
        except SettingsError as error:
            raise refused(error) from None
        logger.info(
            "The socket.io channel accepts pages from %s (set %s to change).",
            ", ".join(channel.allowed_origins), ORIGINS_VARIABLE,
        )
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: List[str] = allowed_origins({})
        # Signs the session ids this server issues; from_credentials reads it, blueprint() at the latest.
        self.session_key: Optional[bytes] = None

    def get_output_channel(self) -> Optional[WebchatOutput]:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def _refusal(self, data: Dict[Text, Any], metadata: Dict[Text, Any]) -> Optional[Text]:
        """Why the message cannot go to the conversation it names, as a sentence for the user; None if it can."""
        # Without session persistence the socket id names the conversation: socket.io chose it, not the page.
        if self.session_persistence:
            session_id = data.get("session_id")
            problem = id_problem(session_id, "chat session id")
            if problem:
                return f"{problem} Reload the page to start a new conversation."
            if not is_issued(session_id, self.session_key or b""):
                return NOT_ISSUED
        return metadata_problem(metadata, "customData")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Stock Rasa passes [] here, which turns engine.io's origin check off; "*" must be asked for explicitly.
        origins = "*" if self.allowed_origins == ["*"] else self.allowed_origins
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins)
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        if self.session_key is None:
            try:
                self.session_key = session_secret(os.environ, Path.cwd())
            except SessionSecretError as error:
                raise refused(error) from None
        key = self.session_key

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
            given = data.get("session_id") if isinstance(data, dict) else None
            # Only ids this deployment issued are joined: a made-up or copied-from-elsewhere id would let a
            # page read another user's replies live. The widget keeps whatever session_confirm says.
            session_id = given if is_issued(given, key) else issue(key)
            if given and session_id != given:
                logger.info("A socket.io client asked for a session id this server did not issue; it got a new one.")
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:  # no data: an emit without arguments
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.warning("A socket.io message without text was ignored: %r", data)
                return
            output = WebchatOutput(sio, self.bot_message_evt)
            metadata = _metadata(data.get(self.metadata_key))
            refusal = self._refusal(data, metadata)
            if refusal:
                # Said to this socket only: the session id it named is not (or not safely) its conversation.
                logger.warning("Refused a socket.io message: %s", refusal)
                await output.send_text_message(sid, refusal)
                return
            room = data["session_id"] if self.session_persistence else sid
            if too_long(data["message"]):
                # A huge message would hold the server for seconds (about 0.6 s of CPU per 1,000 words).
                await output.send_text_message(
                    sid, too_long(data["message"])
                )
                return
            message = UserMessage(
                user_text(data["message"]),
                output,
                stored_id(self.name(), room),
                input_channel=self.name(),
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            except StoreRefused as refused:  # the store says why and what the user can do (a full outage, a bad row)
                logger.warning("The tracker store refused a socket.io message of session %s: %s", room, refused)
                await output.send_text_message(sid, refused.user_message)
            except Exception:  # noqa: BLE001 - the user must hear something; the log gets the details
                logger.exception("Could not handle a socket.io message of session %s.", room)
                await output.send_text_message(sid, NOT_SAVED)

        return socketio_webhook
