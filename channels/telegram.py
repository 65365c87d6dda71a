"""Telegram channel: Rasa's connector plus a verified webhook secret, HTML answers and acknowledged buttons."""

import hmac
import json
import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput, TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.buttons import telegram_keyboard
from channels.conversation_ids import id_problem, stored_id
from channels.dedupe import Deliveries
from channels.formatting import TELEGRAM_MESSAGE_LIMIT, split_text, telegram_html, utf16_length
from channels.inbound import too_long, user_text
from channels.recipients import ChannelRecipient
from channels.settings_refused import refused
from explainer.errors import SettingsError
from explainer.settings.credentials import matching, optional, secret
from channels.telegram_updates import incoming

logger = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Edited messages are not subscribed to: the original was answered already.
ALLOWED_UPDATES = ["message", "callback_query"]


class TelegramOutput(ChannelRecipient, RasaTelegramOutput):
    """Sends answers as HTML messages, split below Telegram's limit, buttons as one-per-row inline keyboard."""

    def __init__(self, access_token: Text, api_url: Text = TELEGRAM_API_URL) -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text, [])

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "inline",
        **kwargs: Any,
    ) -> None:
        await self._send(recipient_id, text, buttons)

    async def _send(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]]) -> None:
        parts = split_text(text, TELEGRAM_MESSAGE_LIMIT, utf16_length)
        if not parts and buttons:
            parts = ["Choose one:"]
        for index, part in enumerate(parts):
            markup = None
            if buttons and index == len(parts) - 1:
                rows = telegram_keyboard(buttons)["inline_keyboard"]
                keyboard = [[InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row] for row in rows]
                markup = InlineKeyboardMarkup(inline_keyboard=keyboard)
            await self.send_message(
                recipient_id, telegram_html(part), parse_mode="HTML", disable_web_page_preview=True, reply_markup=markup
            )


class TelegramInput(RasaTelegramInput):
    """Receives updates on /webhooks/telegram/webhook; registers that webhook with a secret token at start-up."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        credentials = credentials or {}
        try:
            token = secret(credentials, "access_token", "TELEGRAM_BOT_TOKEN", "Telegram bot token")
            matching(
                token,
                r"\d+:[A-Za-z0-9_-]+",
                "TELEGRAM_BOT_TOKEN does not look like a bot token from @BotFather (digits, a colon, then letters).",
            )
            secret_token = secret(
                credentials, "secret_token", "TELEGRAM_SECRET_TOKEN", "Telegram webhook secret token")
            matching(
                secret_token,
                r"[A-Za-z0-9_-]{1,256}",
                "TELEGRAM_SECRET_TOKEN may hold only letters, digits, _ and - (1 to 256 characters), as Telegram requires.",
            )
            webhook_url = secret(
                credentials, "webhook_url", "TELEGRAM_WEBHOOK_URL", "Telegram webhook URL")
            # Telegram redelivers an update until it gets a 200: remember update ids for a day.
            handled = Deliveries.from_environment("telegram", max_size=50_000, ttl=24 * 3600, env=os.environ)
        except SettingsError as error:
            raise refused(error) from None
        api_url = optional(credentials, "api_url", TELEGRAM_API_URL) or TELEGRAM_API_URL
        return cls(
            token, credentials.get("verify"), webhook_url, secret_token=secret_token, api_url=api_url, handled=handled
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        debug_mode: bool = False,
        *,
        secret_token: Text,
        api_url: Text = TELEGRAM_API_URL,
        handled: Optional[Deliveries] = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.api_url = api_url
        self.webhook_error: Optional[Text] = "not registered yet"
        self.handled = handled or Deliveries.from_environment("telegram", max_size=50_000, ttl=24 * 3600, env={})
        self._bot: Optional[TelegramOutput] = None

    def get_output_channel(self) -> TelegramOutput:
        """The bot that answers; unlike Rasa's, it does not register the webhook as a side effect."""
        if self._bot is None:
            self._bot = TelegramOutput(self.access_token or "", self.api_url)
        return self._bot

    async def register_webhook(self) -> bool:
        """Tells Telegram where to post updates and which secret to send; reports a refusal in one sentence."""
        try:
            await self.get_output_channel().request(
                "setWebhook",
                {"url": self.webhook_url, "secret_token": self.secret_token, "allowed_updates": json.dumps(ALLOWED_UPDATES)},
            )
        except Exception as error:  # noqa: BLE001 - any failure (refusal, network, timeout) gets the same report
            self.webhook_error = str(error) or error.__class__.__name__
            logger.error(
                "Telegram did not register the webhook %s: %s. Check TELEGRAM_BOT_TOKEN and that TELEGRAM_WEBHOOK_URL "
                "is a public HTTPS address of this server, then retry with POST /webhooks/telegram/set_webhook and the "
                "X-Telegram-Bot-Api-Secret-Token header; the server keeps running, but Telegram sends no messages "
                "until the webhook is registered.",
                self.webhook_url,
                self.webhook_error,
            )
            return False
        self.webhook_error = None
        logger.info("Telegram webhook registered: %s", self.webhook_url)
        return True

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("before_server_start")
        async def register(_app: Any, _loop: Any) -> None:
            await self.register_webhook()

        @telegram_webhook.listener("after_server_stop")
        async def close(_app: Any, _loop: Any) -> None:
            if self._bot is not None:
                await self._bot.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            # Anyone can read this route: it says whether the webhook is registered; the log says why not
            # (Telegram's error text is for the operator).
            return response.json(
                {"status": "ok", "webhook": "registered" if self.webhook_error is None else "not registered"}
            )

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            # Re-registering is an operator's action: it needs the same secret Telegram sends with updates.
            if not self._has_secret(request):
                logger.warning("Refused POST /set_webhook without the right %s header.", SECRET_HEADER)
                return response.text(
                    f"Missing or wrong {SECRET_HEADER} header: send the value of TELEGRAM_SECRET_TOKEN in it.",
                    status=HTTPStatus.FORBIDDEN,
                )
            if await self.register_webhook():
                return response.text("Webhook registered.")
            return response.text(
                f"Telegram did not register the webhook: {self.webhook_error}", status=HTTPStatus.BAD_GATEWAY
            )

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._has_secret(request):
                logger.warning("Rejected a request to the Telegram webhook without the right %s header.", SECRET_HEADER)
                return response.text(f"Missing or wrong {SECRET_HEADER} header.", status=HTTPStatus.FORBIDDEN)
            try:
                update = json.loads(request.body or b"")
            except (ValueError, RecursionError):
                return response.text("The body is not a JSON Telegram update.", status=HTTPStatus.BAD_REQUEST)
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.text("The body is not a Telegram update (no update_id).", status=HTTPStatus.BAD_REQUEST)
            if not await self.handled.first_time([f"update:{update.get('update_id')}"]):
                return response.text("Already handled.")
            return await self._handle(update, on_new_message)

        return telegram_webhook

    def _has_secret(self, request: Request) -> bool:
        """Whether the request carries TELEGRAM_SECRET_TOKEN in its secret header (compared in constant time)."""
        given = request.headers.get(SECRET_HEADER, "")
        # Sanic keeps header bytes that are not UTF-8 as lone surrogates: surrogateescape restores the sent bytes.
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self.secret_token.encode("utf-8"))

    async def _handle(self, update: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        found = incoming(update)
        if found is None:
            return response.text("Nothing to answer.")
        problem = id_problem(found.chat_id, "Telegram chat id")
        if problem:
            logger.warning("Refused a Telegram update: %s", problem)
            return response.text(problem, status=HTTPStatus.BAD_REQUEST)
        bot = self.get_output_channel()
        if found.callback_id:
            try:
                # Until acknowledged, Telegram shows a spinner on the pressed button.
                await bot.answer_callback_query(found.callback_id)
            except Exception as error:  # noqa: BLE001 - the answer matters more than the spinner
                logger.warning("Could not acknowledge a Telegram button press: %s", error)
        if not found.text and not found.notice:
            return response.text("Nothing to answer.")
        notice = found.notice or too_long(found.text or "")
        if notice:
            await bot.send_text_message(found.chat_id, notice)
            return response.text("success")
        message = UserMessage(
            user_text(found.text),
            bot,
            stored_id(self.name(), found.chat_id),  # apart from a REST sender or Slack user of the same name
            input_channel=self.name(),
            metadata={"telegram_update_id": update.get("update_id")},
        )
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - a 500 would make Telegram redeliver and answer twice
            logger.error("Answering a Telegram message failed: %s", error, exc_info=True)
        return response.text("success")
