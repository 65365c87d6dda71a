"""The REST channel: Rasa's RestInput with a checked sender kept apart from other channels, 400s for bad JSON,
a size limit and our payload filter."""

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.conversation_ids import stored_id
from channels.inbound import user_text
from channels.recipients import ChannelRecipient
from channels.rest_body import MAX_BODY_BYTES, BodyError, parse_body
from channels.settings_refused import refused
from explainer.errors import SettingsError, StoreRefused
from explainer.settings.environment import rest_max_body_bytes
from serving.store_health import monitored_stores

logger = logging.getLogger(__name__)


def _error(error: BodyError) -> HTTPResponse:
    return response.json({"error": error.message}, status=error.status)


# actions/common.py ANSWERED_FROM (not imported: the Rasa server does not load the action server's modules).
ANSWERED_FROM = "answered_from"


class RestCollector(ChannelRecipient, CollectingOutputChannel):
    """Collects the replies; their recipient_id is the sender the client sent, not the stored "rest:..." id.

    A reply built from the knowledge base carries `answered_from` ({"kind", "entries"}), which Rasa's own
    collector drops: REST clients and bench/coverage.py read which entry a reply came from."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        answered_from = message.get(ANSWERED_FROM)
        before = len(self.messages)
        await super().send_response(recipient_id, message)
        if isinstance(answered_from, dict):
            for reply in self.messages[before:]:
                reply[ANSWERED_FROM] = answered_from


class RestChannel(RestInput):
    """POST /webhooks/rest/webhook {"sender", "message", "metadata"?}; GET /webhooks/rest/health."""

    def __init__(self, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.max_body_bytes = max_body_bytes

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestChannel":
        """credentials.yml `rest: {max_body_bytes: ...}`; env GENAI_REST_MAX_BODY_BYTES overrides."""
        configured = (credentials or {}).get("max_body_bytes", MAX_BODY_BYTES)
        try:
            return cls(rest_max_body_bytes(configured, os.environ))
        except SettingsError as error:
            raise refused(error) from None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: liveness, health (tracker store state) and the message webhook."""
        webhook = Blueprint("genai_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def alive(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            # Unauthenticated: the state only; what failed (host, database, driver message) goes to the log.
            # Each store probes at most once per retry period, for at most 2 seconds (serving/store_health.py).
            healthy = all([await store.check() for store in monitored_stores()])
            return response.json({"status": "ok" if healthy else "degraded"}, status=200 if healthy else 503)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            parsed = parse_body(request.body or b"", self.max_body_bytes)
            if isinstance(parsed, BodyError):
                return _error(parsed)
            collector = RestCollector()
            # Prefixed: a REST client naming a Telegram chat id or a Slack user id gets its own conversation.
            sender = stored_id(self.name(), parsed.sender)
            message = UserMessage(
                user_text(parsed.text), collector, sender, input_channel=self.name(), metadata=parsed.metadata
            )
            try:
                await on_new_message(message)
            except StoreRefused as refused:
                logger.warning("The message of conversation %r was not taken: %s", parsed.sender, type(refused).__name__)
                return response.json({"error": refused.user_message}, status=refused.status)
            except Exception:
                logger.exception("Could not handle the message of conversation %s.", parsed.sender)
                return response.json({"error": "The assistant could not handle this message; please try again."}, status=503)
            return response.json(collector.messages)

        return webhook
