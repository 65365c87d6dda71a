"""Slack channel: Rasa's connector with strict signing, no double answers on retries, mrkdwn and Block Kit."""

import asyncio
import json
import logging
import os
import time
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.buttons import slack_actions, slack_section
from channels.conversation_ids import id_problem, stored_id
from channels.dedupe import Deliveries
from channels.formatting import SLACK_SECTION_LIMIT, slack_mrkdwn, slack_plain, split_text
from channels.inbound import too_long, user_text
from channels.metadata_limit import metadata_problem
from channels.recipients import ChannelRecipient
from channels.settings_refused import refused
from explainer.errors import SettingsError
from explainer.settings.credentials import optional, secret
from channels.slack_signature import rejection

logger = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"


class SlackOutput(ChannelRecipient, SlackBot):
    """Posts answers as mrkdwn sections, split below Slack's limit, with the buttons under the last part."""

    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_url: Text = SLACK_API_URL,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text, [])

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, buttons)

    async def _send(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        recipient = self.slack_channel or recipient_id
        parts = split_text(text, SLACK_SECTION_LIMIT, lambda part: len(slack_mrkdwn(part)))
        if not parts:
            # Buttons need a message to hang on; their titles double as the notification text.
            parts = [" · ".join(str(b.get("title", "")) for b in buttons)] if buttons else []
        for index, part in enumerate(parts):
            mrkdwn = slack_mrkdwn(part)
            blocks = [slack_section(mrkdwn)]
            if index == len(parts) - 1:
                blocks += slack_actions(buttons)
            await self._post_message(channel=recipient, text=mrkdwn, blocks=blocks)


def _media_type(request: Request) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


class SlackInput(RasaSlackInput):
    """Receives Events API and interactivity requests on /webhooks/slack/webhook."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SlackInput":
        credentials = credentials or {}
        try:
            token = secret(credentials, "slack_token", "SLACK_BOT_TOKEN", "Slack bot token")
            signing = secret(
                credentials, "slack_signing_secret", "SLACK_SIGNING_SECRET", "Slack signing secret")
            # Slack retries an event for about an hour (after 1 min, 5 min, ...): remember deliveries that long.
            handled = Deliveries.from_environment("slack", max_size=50_000, ttl=2 * 3600, env=os.environ)
        except SettingsError as error:
            raise refused(error) from None
        return cls(
            token,
            slack_channel=credentials.get("slack_channel"),
            proxy=credentials.get("proxy"),
            use_threads=bool(credentials.get("use_threads", False)),
            slack_signing_secret=signing,
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            api_url=optional(credentials, "slack_api_url", SLACK_API_URL) or SLACK_API_URL,
            handled=handled,
        )

    def __init__(
        self, slack_token: Text, *, api_url: Text = SLACK_API_URL, handled: Optional[Deliveries] = None, **kwargs: Any
    ) -> None:
        super().__init__(slack_token, **kwargs)
        self.api_url = api_url
        self.handled = handled or Deliveries.from_environment("slack", max_size=50_000, ttl=2 * 3600, env={})
        self._tasks: Set["asyncio.Task[Any]"] = set()

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        """Rasa's metadata, for any charset parameter on the content type."""
        body = _parse(request)
        if isinstance(body, dict) and "event" in body:
            event = body.get("event") or {}
            users = list(body.get("authed_users") or [])
            users += [a.get("user_id") for a in body.get("authorizations") or [] if a.get("user_id")]
            return {"out_channel": event.get("channel"), "thread_id": event.get("thread_ts", event.get("ts")), "users": users}
        if isinstance(body, dict) and "actions" in body:
            message = body.get("message") or {}
            user = (body.get("user") or {}).get("id")
            return {
                "out_channel": (body.get("channel") or {}).get("id"),
                "thread_id": message.get("thread_ts", message.get("ts")),
                "users": [user] if user else [],
            }
        return {}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            reason = rejection(
                self.slack_signing_secret,
                request.headers.get("X-Slack-Request-Timestamp"),
                request.body or b"",
                request.headers.get("X-Slack-Signature"),
                time.time(),
            )
            if reason:
                logger.warning("Rejected a request to the Slack webhook: %s", reason)
                return response.text(reason, status=HTTPStatus.UNAUTHORIZED)
            body = _parse(request)
            if body is None:
                return response.text(
                    "Expected a JSON event or a form with a `payload` field from Slack.", status=HTTPStatus.BAD_REQUEST
                )
            if body.get("type") == "url_verification":
                return response.json({"challenge": body.get("challenge")})
            if "actions" in body:
                return await self._interaction(request, body, on_new_message)
            return await self._event(request, body, on_new_message)

        return slack_webhook

    @staticmethod
    def _is_user_message(slack_event: Dict[Text, Any]) -> bool:
        """Rasa's check, for an `event` that is an object: a signed body with `"event": "x"` raised AttributeError."""
        return isinstance(slack_event.get("event"), dict) and bool(RasaSlackInput._is_user_message(slack_event))

    async def _event(
        self, request: Request, body: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if not self._is_user_message(body):
            return response.text("Not a user message; nothing to answer.")
        metadata = self.get_metadata(request)
        if not self._is_supported_channel(body, metadata):
            logger.info(
                "Ignored a Slack message in channel %s: neither a direct message nor a mention.", metadata["out_channel"]
            )
            return response.text("Channel not supported.")
        event = body["event"]
        # A mention in a channel arrives twice (message and app_mention, two event ids): key the message too.
        keys = [f"message:{event.get('channel')}:{event.get('ts')}"]
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if not await self.handled.first_time(keys):
            logger.info(
                "Slack delivered event %s again (retry %s, %s); it was answered already.",
                body.get("event_id"),
                request.headers.get("X-Slack-Retry-Num", "none"),
                request.headers.get("X-Slack-Retry-Reason", "no reason given"),
            )
            return response.text("Already answered.", headers={"X-Slack-No-Retry": "1"})
        text = slack_plain(self._sanitize_user_message(event.get("text", ""), metadata["users"]))
        sender = self._get_conversation_id(event.get("user", ""), metadata.get("out_channel"), metadata.get("thread_id"))
        return self._dispatch(on_new_message, text, sender, metadata)

    async def _interaction(
        self, request: Request, body: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if not self._is_interactive_message(body):
            return response.text("This kind of interaction is not supported.", status=HTTPStatus.BAD_REQUEST)
        action = body["actions"][0]
        text = self._get_interactive_response(action)
        if text is None:
            return response.text("A link button; nothing to answer.")
        if not await self.handled.first_time([f"action:{body.get('trigger_id') or action.get('action_ts')}"]):
            return response.text("Already answered.")
        metadata = self.get_metadata(request)
        sender = self._get_conversation_id(
            (body.get("user") or {}).get("id"), metadata.get("out_channel"), metadata.get("thread_id")
        )
        return self._dispatch(on_new_message, text, sender, metadata)

    def _dispatch(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        sender: Optional[Text],
        metadata: Dict[Text, Any],
    ) -> HTTPResponse:
        """Answers in the background: Slack wants its HTTP response within three seconds."""
        refusal = id_problem(sender, "Slack conversation id") or metadata_problem(metadata, "Slack metadata")
        if refusal:
            logger.warning("Refused a Slack message: %s", refusal)
            return response.text(refusal, status=HTTPStatus.BAD_REQUEST, headers={"X-Slack-No-Retry": "1"})
        thread_id = metadata.get("thread_id") if self.use_threads else None
        output = self.get_output_channel(metadata.get("out_channel"), thread_id)
        sentence = too_long(text)
        if sentence:
            self._track(output.send_text_message(str(sender), sentence))
            return response.text("")
        message = UserMessage(
            user_text(text),
            output,
            stored_id(self.name(), str(sender)),  # apart from a REST sender or Telegram chat of the same name
            input_channel=self.name(),
            metadata=metadata,
        )
        self._track(on_new_message(message))
        return response.text("")

    def _track(self, work: Awaitable[Any]) -> None:
        """Runs `work` after the HTTP response, keeping a reference until it ends and logging its failure."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: "asyncio.Task[Any]") -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Answering a Slack message failed: %s", task.exception(), exc_info=task.exception())


def _parse(request: Request) -> Optional[Dict[Text, Any]]:
    """The JSON event, or the decoded `payload` of an interactivity form; None if neither."""
    media = _media_type(request)
    try:
        if media == "application/json":
            body = json.loads(request.body or b"{}")
        elif media == "application/x-www-form-urlencoded":
            form = parse_qs((request.body or b"").decode("utf-8"))
            body = json.loads(form["payload"][0])
        else:
            return None
    except (ValueError, KeyError, IndexError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None
