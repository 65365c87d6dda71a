"""Slack and Telegram remember handled deliveries in Redis when the production profile's Redis is configured
(REDIS_*), so a retry, a replay or the message/app_mention pair reaching two servers behind the load balancer is
answered once; without Redis, or while it fails, each server remembers them itself and never answers 500.

Two channel instances stand for two servers: each is built from credentials as `rasa run` builds it, and its
webhook route is called in-process with the request Slack or Telegram would send."""

import asyncio
import json
import logging
import time
import uuid
from typing import Any, Awaitable, Callable, Dict, List

import pytest
from sanic import Blueprint
from sanic.compat import Header

from channels.slack import SlackInput
from channels.slack_signature import sign
from channels.telegram import SECRET_HEADER, TelegramInput
from tests.support.servers import free_port
from tests.support.services import Redis
from tests.support.slack_requests import message_event

SIGNING_SECRET = "test-signing-secret-" + uuid.uuid4().hex
TELEGRAM_SECRET = "secret_" + uuid.uuid4().hex
REDIS_VARIABLES = ["REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD"]
# The Redis server of this test session (running or throwaway: tests/support/services.py), set by shared_redis.
SERVER: List[Redis] = []


class FakeRequest:
    """What the webhook routes read from Sanic's request: headers (case-insensitive) and the raw body."""

    def __init__(self, body: bytes, headers: Dict[str, str]) -> None:
        self.body = body
        self.headers = Header(headers)


def route(blueprint: Blueprint, uri: str) -> Callable[[FakeRequest], Awaitable[Any]]:
    return next(r.handler for r in blueprint._future_routes if r.uri == uri)


class Server:
    """One channel instance, as one Rasa server holds it, and the messages it passed on to Rasa."""

    def __init__(self, channel: Any, uri: str = "/webhook") -> None:
        self.channel = channel
        self.received: List[str] = []
        self.webhook = route(channel.blueprint(self._on_new_message), uri)

    async def _on_new_message(self, message: Any) -> None:
        self.received.append(message.text)


def slack_server() -> Server:
    return Server(SlackInput.from_credentials({"slack_token": "xoxb-test", "slack_signing_secret": SIGNING_SECRET}))


def telegram_server() -> Server:
    credentials = {"access_token": "123456:TEST", "secret_token": TELEGRAM_SECRET, "webhook_url": "https://x.example/webhook"}
    return Server(TelegramInput.from_credentials(credentials))


def slack_request(event: Dict[str, Any], **headers: str) -> FakeRequest:
    body = json.dumps(event).encode()
    stamp = str(int(time.time()))
    signed = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sign(SIGNING_SECRET, stamp, body)}
    return FakeRequest(body, {**signed, **headers})


def telegram_request(update_id: int, chat: int) -> FakeRequest:
    message = {"message_id": 1, "from": {"id": chat, "is_bot": False, "first_name": "T"}, "chat": {"id": chat, "type": "private"},
               "date": int(time.time()), "text": "what is a GAN?"}
    body = json.dumps({"update_id": update_id, "message": message}).encode()
    return FakeRequest(body, {"Content-Type": "application/json", SECRET_HEADER: TELEGRAM_SECRET})


async def settle() -> None:
    """Lets the Slack channel's background answers run."""
    for _ in range(5):
        await asyncio.sleep(0.01)


@pytest.fixture
def shared_redis(monkeypatch: pytest.MonkeyPatch, redis_server: Redis):
    """The production profile's REDIS_* variables, with a key prefix of this test's own."""
    SERVER[:] = [redis_server]
    prefix = "genaitest" + uuid.uuid4().hex[:12]
    settings = {"REDIS_HOST": redis_server.host, "REDIS_PORT": str(redis_server.port), "REDIS_DB": str(redis_server.db),
                "REDIS_PASSWORD": redis_server.password, "REDIS_KEY_PREFIX": prefix}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    yield prefix
    client = redis_server.client()
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*REDIS_VARIABLES, "REDIS_KEY_PREFIX"]:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.services
def test_two_slack_servers_sharing_redis_answer_a_retry_and_a_mention_pair_once(shared_redis: str) -> None:
    async def scenario() -> None:
        one, two = slack_server(), slack_server()
        event = message_event("U1", "D1", "what is a GAN?")
        assert (await one.webhook(slack_request(event))).status == 200
        retry = await two.webhook(slack_request(event, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}))
        assert retry.status == 200 and retry.headers.get("X-Slack-No-Retry") == "1"
        # A mention in a channel: Slack sends `message` and `app_mention` (two event ids), maybe to two servers.
        as_message = message_event("U1", "C1", "<@UBOT> what is a GAN?", channel_type="channel")
        as_mention = message_event("U1", "C1", "<@UBOT> what is a GAN?", kind="app_mention")
        as_mention["event"]["ts"] = as_message["event"]["ts"]
        assert (await one.webhook(slack_request(as_message))).status == 200
        assert (await two.webhook(slack_request(as_mention))).status == 200
        await settle()
        assert len(one.received) + len(two.received) == 2, (one.received, two.received)

    asyncio.run(scenario())
    assert list(SERVER[0].client().scan_iter(match=f"{shared_redis}:*")), "nothing in Redis"


@pytest.mark.services
def test_two_telegram_servers_sharing_redis_answer_a_redelivered_update_once(shared_redis: str) -> None:
    async def scenario() -> None:
        one, two = telegram_server(), telegram_server()
        update_id = int(time.time() * 1000) % 10**9
        assert (await one.webhook(telegram_request(update_id, 42))).status == 200
        assert (await two.webhook(telegram_request(update_id, 42))).status == 200
        assert (one.received, two.received) == (["what is a GAN?"], [])

    asyncio.run(scenario())


def test_without_redis_each_server_remembers_its_own_deliveries(no_redis: None) -> None:
    async def scenario() -> None:
        server = telegram_server()
        for _ in range(2):
            assert (await server.webhook(telegram_request(7, 42))).status == 200
        assert server.received == ["what is a GAN?"]

    asyncio.run(scenario())


@pytest.mark.services
def test_when_redis_fails_deliveries_are_remembered_in_memory_and_logged(
    shared_redis: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("REDIS_PORT", str(free_port()))  # nothing listens there

    async def scenario() -> None:
        slack, telegram = slack_server(), telegram_server()
        event = message_event("U2", "D2", "what is a GAN?")
        statuses = [(await slack.webhook(slack_request(event))).status for _ in range(2)]
        statuses += [(await telegram.webhook(telegram_request(9, 43))).status for _ in range(2)]
        await settle()
        assert statuses == [200, 200, 200, 200]
        assert (slack.received, telegram.received) == (["what is a GAN?"], ["what is a GAN?"])

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert any("Redis" in r.getMessage() and "this server" in r.getMessage() for r in caplog.records), caplog.text


@pytest.mark.services
@pytest.mark.parametrize("name, value", [("REDIS_PORT", "six"), ("REDIS_DB", "-1")])
def test_a_malformed_redis_setting_stops_the_channel_with_a_sentence(
    shared_redis: str, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(Exception, match=name):
        slack_server()
