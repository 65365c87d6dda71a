"""Drives fuzz traffic at a running assistant over REST, socket.io, Slack and Telegram and counts what happened.

An apology ("Sorry, I could not work out an answer just now...") is the bot failing to answer: it is counted
apart from answers, and a run with apologies does not pass."""

import json
import random
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from tests.support.fuzz_inputs import (
    ANSWER, BODY_LIMIT, EITHER, HOSTILE_IDS, HOSTILE_METADATA, HOSTILE_TEXTS, REFUSE, made_up_words, random_text,
    rest_cases,
)

# The bot's "sorry, something went wrong / try again" family (rasa_fixes/action_timeout.py's APOLOGY and the
# REST channel's 503 sentence), written out here so that the test does not take it from the code under test.
APOLOGY = re.compile(r"could not work out an answer|ask again in a moment|could not handle this message|"
                     r"something went wrong|please try again", re.IGNORECASE)


def is_apology(texts: List[str]) -> bool:
    """Every reply text is an apology (an answer with an apology in passing would still be an answer)."""
    return bool(texts) and all(APOLOGY.search(t or "") for t in texts)


def is_sentence(body: bytes) -> bool:
    """A refusal a person can act on: a few words of text (or a JSON object's "error"), no traceback."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            text = str(data.get("error") or data.get("message") or data.get("description") or "")
    except ValueError:
        pass
    return len(text.split()) >= 3 and "Traceback" not in text


@dataclass
class FuzzResult:
    """What the server did with the fuzz messages; every list holds one line per problem."""

    sent: int = 0
    answered: int = 0
    refused: int = 0
    conversations: int = 0
    kinds: Dict[str, int] = field(default_factory=dict)  # hostile kind -> messages of that kind sent
    server_errors: List[str] = field(default_factory=list)  # 5xx, dropped connections, timeouts
    unanswered: List[str] = field(default_factory=list)  # a message that must be answered got nothing
    apologies: List[str] = field(default_factory=list)  # answered only with an apology
    accepted_malformed: List[str] = field(default_factory=list)  # a body that must be refused got 200
    unclear_refusals: List[str] = field(default_factory=list)  # a 4xx without a sentence saying what to fix

    def count(self, kind: str) -> None:
        self.sent += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def problems(self) -> List[str]:
        return self.server_errors + self.unanswered + self.apologies + self.accepted_malformed + self.unclear_refusals

    def summary(self, name: str) -> str:
        return (
            f"{name}: {self.sent} sent in {self.conversations} conversations, {self.answered} answered, "
            f"{self.refused} refused, {len(self.apologies)} apologies, {len(self.server_errors)} server errors, "
            f"{len(self.unanswered)} unanswered, {len(self.accepted_malformed)} malformed accepted, "
            f"{len(self.unclear_refusals)} refusals without a sentence"
        )


def _short(value: Any) -> str:
    return repr(value)[:80]


def post(url: str, body: bytes, headers: Optional[Dict[str, str]] = None, timeout: float = 60) -> Tuple[int, bytes]:
    """(status, body); status 0 when the server did not answer at all (closed, refused or timed out)."""
    request = urllib.request.Request(url, data=body, headers=headers or {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, str(error).encode()


def judge(result: FuzzResult, label: str, expect: str, status: int, body: bytes, texts: Optional[List[str]]) -> None:
    """Counts one REST-like exchange: `texts` are the reply texts of a 200 (None when it was not JSON)."""
    if status == 0 or status >= 500:
        result.server_errors.append(f"{label} -> {status or 'no response'}: {body[:120]!r}")
    elif 400 <= status < 500:
        if expect == ANSWER:
            result.unanswered.append(f"{label} -> {status}: {body[:120]!r}")
        elif not is_sentence(body):
            result.unclear_refusals.append(f"{label} -> {status}: {body[:120]!r}")
        else:
            result.refused += 1
    elif expect == REFUSE:
        result.accepted_malformed.append(f"{label} -> {status}: {body[:120]!r}")
    elif not texts:
        result.unanswered.append(f"{label} -> {status} with no reply")
    elif is_apology(texts):
        result.apologies.append(f"{label}: {texts[0][:80]!r}")
    else:
        result.answered += 1


def webhook_accepted(result: FuzzResult, label: str, status: int, body: bytes) -> bool:
    """Counts a Slack or Telegram webhook's HTTP answer (the bot's reply comes later, through the platform's API):
    a 5xx or a refusal without a sentence is a problem, a refusal with one is counted; True when accepted."""
    if status == 0 or status >= 500:
        result.server_errors.append(f"{label} -> {status or 'no response'}: {body[:120]!r}")
    elif status >= 400 and not is_sentence(body):
        result.unclear_refusals.append(f"{label} -> {status}: {body[:120]!r}")
    elif status >= 400:
        result.refused += 1
    else:
        return True
    return False


class Conversations:
    """`open_at_once` conversations, each replaced by a new sender after `turns` messages, as real users
    come and go; a fuzz run is then many conversations of ordinary length, not a few endless ones."""

    def __init__(self, rng: random.Random, prefix: str, open_at_once: int, turns: int) -> None:
        self.rng, self.prefix, self.turns = rng, prefix, turns
        self.started = open_at_once
        self.slots = [[f"{prefix}-{n}", 0] for n in range(open_at_once)]

    def pick(self) -> str:
        """A sender for the next message; its conversation ends after `turns` messages."""
        slot = self.rng.choice(self.slots)
        if slot[1] >= self.turns:
            slot[0], slot[1] = f"{self.prefix}-{self.started}", 0
            self.started += 1
        slot[1] += 1
        return slot[0]


def fuzz_rest(
    port: int,
    count: int,
    seed: int,
    senders: int = 20,
    turns: int = 30,
    progress: Optional[Callable[[int], None]] = None,
    planned: bool = True,
) -> FuzzResult:
    """Sends `count` random or hostile bodies (every hostile kind once first, if `planned`); judges each by what
    it must get. `progress(n)` is called after every message."""
    rng, result = random.Random(seed), FuzzResult()
    conversations = Conversations(random.Random(seed + 1), f"fuzz-{seed}", senders, turns)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    for index, case in enumerate(rest_cases(rng, count, conversations.pick, planned)):
        status, body = post(url, case.body)
        result.count(case.kind)
        try:
            replies = json.loads(body) if status == 200 else None
            texts = [r.get("text") or "" for r in replies if isinstance(r, dict)] if isinstance(replies, list) else None
        except ValueError:
            texts = None
        judge(result, f"#{index} {case.kind} {case.body[:60]!r}", case.expect, status, body, texts)
        if progress:
            progress(result.sent)
    result.conversations = conversations.started
    return result


# Events that carry no text: ignored or answered with a sentence, as long as nothing breaks.
SOCKETIO_BROKEN = [None, "text", 42, [], {}, {"message": None}, {"message": 5}, {"message": ["x"]}, {"session_id": 1}]
# A session id the server could have issued: printable, at most 255 characters.
_CLEAN_ID = re.compile(r"^[^\x00-\x1f\x7f-\x9f\ud800-\udfff]{1,255}$")


async def _fuzz_socketio(port: int, count: int, seed: int, origin: str, turns: int, tail: float) -> FuzzResult:
    import asyncio

    import socketio

    rng, result = random.Random(seed), FuzzResult()
    replies: "asyncio.Queue[dict]" = asyncio.Queue()
    confirms: "asyncio.Queue[Any]" = asyncio.Queue()
    client = socketio.AsyncClient(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put_nowait(data))
    client.on("session_confirm", lambda data: confirms.put_nowait(data))
    try:
        await client.connect(f"http://127.0.0.1:{port}", headers={"Origin": origin}, transports=["polling"])
    except socketio.exceptions.ConnectionError as error:
        result.server_errors.append(f"could not connect to the socket.io channel: {error}")
        return result

    def drain() -> None:
        for queue in (replies, confirms):
            while not queue.empty():
                queue.get_nowait()

    async def request_session(asked: Any) -> Any:
        """The id the server confirms for a session_request carrying `asked` (no id at all when None)."""
        drain()
        await client.emit("session_request", {} if asked is None else {"session_id": asked})
        confirmed = await asyncio.wait_for(confirms.get(), 20)
        return confirmed.get("session_id") if isinstance(confirmed, dict) else confirmed

    async def turn_replies(first_within: float = 60) -> List[str]:
        """Texts of the replies to one message: the first within `first_within` s, then any within `tail` s."""
        texts: List[str] = []
        try:
            reply = await asyncio.wait_for(replies.get(), first_within)
            texts.append(str(reply.get("text", "")) if isinstance(reply, dict) else str(reply))
            while True:
                reply = await asyncio.wait_for(replies.get(), tail)
                texts.append(str(reply.get("text", "")) if isinstance(reply, dict) else str(reply))
        except asyncio.TimeoutError:
            return texts

    def judge_texts(label: str, texts: List[str]) -> None:
        if not texts:
            result.unanswered.append(f"{label}: no reply")
        elif is_apology(texts):
            result.apologies.append(f"{label}: {texts[0][:80]!r}")
        else:
            result.answered += 1

    async def fresh_session() -> str:
        session = await request_session(None)
        result.conversations += 1
        if not isinstance(session, str) or not _CLEAN_ID.match(session):
            result.server_errors.append(f"a session_request without an id was confirmed as {_short(session)}")
            return str(session)
        return session

    # Every planned kind once first, whatever the seed; then random ones.
    planned: List[Tuple[str, Any]] = [("broken event", e) for e in SOCKETIO_BROKEN]
    planned += [("session_request id", i) for i in HOSTILE_IDS]
    planned += [("message session_id", i) for i in HOSTILE_IDS]
    planned += [("customData", m) for m in HOSTILE_METADATA]
    planned += [("long message", size) for size in (8 * 1024, 32 * 1024, BODY_LIMIT - 200, BODY_LIMIT + 1)]
    planned += [("text", t) for t in HOSTILE_TEXTS]
    try:
        session = await fresh_session()
        for index in range(count):
            if index and index % turns == 0:
                session = await fresh_session()
            if index < len(planned):
                kind, item = planned[index]
            else:
                roll = rng.random()
                kind, item = (
                    ("broken event", rng.choice(SOCKETIO_BROKEN)) if roll < 0.05
                    else ("session_request id", rng.choice(HOSTILE_IDS)) if roll < 0.1
                    else ("message session_id", rng.choice(HOSTILE_IDS)) if roll < 0.15
                    else ("customData", rng.choice(HOSTILE_METADATA)) if roll < 0.2
                    else ("text", random_text(rng))
                )
            label = f"#{index} {kind} {_short(item)}"
            result.count(kind if kind == "text" else f"{kind}: {item[0] if isinstance(item, tuple) else _short(item)}")
            drain()
            if kind == "broken event":
                # Nothing was said: a sentence or silence are both fine; the connection must stay.
                await client.emit("user_uttered", item)
                await turn_replies(first_within=2 * tail)
                result.refused += 1
            elif kind == "session_request id":
                # A client-chosen id is never confirmed as is: it could be another user's conversation.
                confirmed = await request_session(item[1])
                if not isinstance(confirmed, str) or not _CLEAN_ID.match(confirmed):
                    result.accepted_malformed.append(f"{label}: confirmed as {_short(confirmed)}")
                elif confirmed == item[1]:
                    result.accepted_malformed.append(f"{label}: a client-chosen session id was confirmed as is")
                else:
                    result.refused += 1
                session = await fresh_session()
            elif kind == "message session_id":
                # Refused with a sentence or a fresh issued session; never silence.
                await client.emit("user_uttered", {"message": "what is a GAN?", "session_id": item[1]})
                texts = await turn_replies(first_within=5)
                if texts or not confirms.empty():
                    result.refused += 1
                else:
                    result.unanswered.append(f"{label}: neither a reply nor a new session")
                session = await fresh_session()
            elif kind == "customData":
                # Kept, or refused with a sentence the widget shows; never silence.
                _name, raw, _expect = item
                try:
                    data = json.loads(raw)
                except (ValueError, RecursionError):
                    data = raw
                event = {"message": "what is an LLM?", "session_id": session, "customData": data}
                try:
                    await client.emit("user_uttered", event)
                except RecursionError:  # the client library cannot encode deep nesting: send it as JSON text
                    await client.emit("user_uttered", {**event, "customData": raw})
                judge_texts(label, await turn_replies())
            elif kind == "long message":
                await client.emit("user_uttered", {"message": made_up_words(rng, item), "session_id": session})
                judge_texts(label, await turn_replies())
            else:
                await client.emit("user_uttered", {"message": item, "session_id": session})
                judge_texts(label, await turn_replies())
            result.sent = max(result.sent, index + 1)
            if not client.connected:
                result.server_errors.append(f"{label}: the server dropped the connection")
                break
    except asyncio.TimeoutError:
        result.server_errors.append(f"after {result.sent} events: no session_confirm within 20 s")
    finally:
        await client.disconnect()
    return result


def fuzz_socketio(
    port: int, count: int, seed: int, origin: str, turns: int = 30, tail: float = 0.5
) -> FuzzResult:
    """Sends `count` random or hostile socket.io events to the widget channel from one browser, which starts
    a new conversation every `turns` events; replies arriving within `tail` s of the last count for it."""
    import asyncio

    return asyncio.run(_fuzz_socketio(port, count, seed, origin, turns, tail))


def _wait_answered(
    pending: Dict[str, str], replies_of: Callable[[str], List[str]], result: FuzzResult, timeout: float
) -> None:
    """Waits until every conversation in `pending` (id -> label) got a reply; counts the rest unanswered."""
    deadline = time.monotonic() + timeout
    left = dict(pending)
    while left and time.monotonic() < deadline:
        left = {k: v for k, v in left.items() if not replies_of(k)}
        if left:
            time.sleep(0.5)
    for key, label in pending.items():
        texts = replies_of(key)
        if not texts:
            result.unanswered.append(f"{label}: no reply")
        elif is_apology(texts):
            result.apologies.append(f"{label}: {texts[0][:80]!r}")
        else:
            result.answered += 1


def _wait_until_replied(replies: Callable[[], List[str]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not replies() and time.monotonic() < deadline:
        time.sleep(0.2)


SLACK_BROKEN = [b"", b"{", b"[1]", b"null", b'{"type": "event_callback"}', b'{"type": "event_callback", "event": "x"}',
                b'{"type": "event_callback", "event": {"type": "message", "user": 42, "text": ["x"], "channel": {}}}',
                b"payload=not-json", b"payload=%5B1%5D"]


def fuzz_slack(url: str, secret: str, api: Any, count: int, seed: int, answer_timeout: float = 60) -> FuzzResult:
    """Signed Slack events: hostile user and channel ids, texts, long messages and broken bodies. Never a 5xx;
    every message from an ordinary user in an ordinary DM channel is answered there (on the fake Web API)."""
    from tests.support.slack_requests import message_event, signed_headers

    rng, result = random.Random(seed), FuzzResult()
    pending: Dict[str, str] = {}

    def replies_of(channel: str) -> List[str]:
        calls = api.calls_of("chat.postMessage", channel=channel)
        return [str(c.params.get("text") or json.dumps(c.params.get("blocks"))) for c in calls]

    planned: List[Tuple[str, Any]] = [("user id", i) for i in HOSTILE_IDS] + [("channel id", i) for i in HOSTILE_IDS]
    planned += [("broken body", b) for b in SLACK_BROKEN] + [("text", t) for t in HOSTILE_TEXTS]
    planned += [("long message", n) for n in (3_000, 32 * 1024, BODY_LIMIT - 1024)]
    for index in range(count):
        kind, item = planned[index] if index < len(planned) else (
            ("user id", rng.choice(HOSTILE_IDS)) if rng.random() < 0.1 else ("text", random_text(rng)))
        user, channel = f"UFZ{uuid.uuid4().hex[:8].upper()}", f"DFZ{uuid.uuid4().hex[:8].upper()}"
        text, expect = "what is a GAN?", ANSWER
        if kind == "user id":
            user, expect = item[1], EITHER
        elif kind == "channel id":
            channel, expect = item[1], EITHER
        elif kind == "long message":
            text, expect = made_up_words(rng, item), (ANSWER if item <= 4_000 else EITHER)
        elif kind == "text":
            text = item
            if not str(text).strip() or len(text) > 4_000:
                expect = EITHER  # Slack itself sends no empty messages, and none over 40,000 characters
        if kind == "broken body":
            body, content_type = item, ("application/x-www-form-urlencoded" if item.startswith(b"payload") else "application/json")
            expect = REFUSE
        else:
            event = message_event("U0FUZZ", "D0FUZZ", "x")
            event["event"].update(user=user, channel=channel, text=text)
            body, content_type = json.dumps(event).encode("utf-8", "surrogatepass"), "application/json"
        label = f"#{index} slack {kind} {_short(item if kind != 'text' else text)}"
        result.count(f"{kind}: {item[0]}" if isinstance(item, tuple) else kind)
        status, answer = post(url, body, signed_headers(secret, body, content_type))
        if webhook_accepted(result, label, status, answer) and expect == ANSWER:
            pending[channel] = label
            # Slack's webhook answers before the bot does: wait for the reply, as a person would, so that
            # the fuzz tests hostile input rather than a burst of a hundred messages at once.
            _wait_until_replied(lambda: replies_of(channel), answer_timeout)
        elif status and status < 400:
            time.sleep(0.2)
    result.conversations = len(pending)
    _wait_answered(pending, replies_of, result, answer_timeout)
    return result


TELEGRAM_BROKEN = [b"", b"{", b"[1]", b"null", b'{"update_id": "1"}', b'{"update_id": 1.5}',
                   b'{"update_id": 1, "message": "x"}', b'{"update_id": 1, "message": {"chat": "x", "text": "hi"}}',
                   b'{"update_id": 1, "message": {"chat": {"id": {}}, "text": {"x": 1}}}',
                   b'{"update_id": 1, "callback_query": {"data": 5, "message": {"chat": {"id": []}}}}']
# Telegram chat ids as an attacker could put them in an update (the secret token leaked, or a proxy in between).
TELEGRAM_IDS = [("string", "abc"), ("lone surrogate", "\ud800"), ("NUL", "1\x002"), ("huge", 10**30), ("negative", -1),
                ("zero", 0), ("float", 1.5), ("boolean", True), ("list", [1]), ("object", {"id": 1}),
                ("10,000 digits as text", "9" * 10_000), ("prefixed REST id", "rest:alice")]


def fuzz_telegram(url: str, secret: str, api: Any, count: int, seed: int, answer_timeout: float = 60) -> FuzzResult:
    """Telegram updates with the right secret token: hostile chat ids, texts, button data and broken bodies.
    Never a 5xx; every message in an ordinary private chat is answered there (on the fake Bot API)."""
    rng, result = random.Random(seed), FuzzResult()
    pending: Dict[str, str] = {}
    update_ids = iter(range(rng.randint(10**6, 10**7), 10**9))
    planned: List[Tuple[str, Any]] = [("chat id", i) for i in TELEGRAM_IDS] + [("button data", t) for t in HOSTILE_TEXTS[:12]]
    planned += [("broken body", b) for b in TELEGRAM_BROKEN] + [("text", t) for t in HOSTILE_TEXTS]
    planned += [("long message", n) for n in (4_000, 32 * 1024)]
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    for index in range(count):
        kind, item = planned[index] if index < len(planned) else (
            ("chat id", rng.choice(TELEGRAM_IDS)) if rng.random() < 0.1 else ("text", random_text(rng)))
        chat: Any = rng.randint(10**8, 10**10)
        text, expect = "what is a GAN?", ANSWER
        if kind == "chat id":
            chat, expect = item[1], EITHER
        elif kind == "long message":
            text, expect = made_up_words(rng, item), (ANSWER if item <= 4_096 else EITHER)
        elif kind == "text":
            text = item
            if not str(text).strip() or len(text) > 4_096:
                expect = EITHER  # Telegram itself sends no empty messages, and none over 4,096 characters
        if kind == "broken body":
            # Telegram retries an update that got an error: "nothing to answer" with 200 is as good as a 400.
            body, expect = item, EITHER
        elif kind == "button data":
            query = {"id": str(rng.randint(1, 10**12)), "from": {"id": chat, "is_bot": False, "first_name": "F"},
                     "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"}},
                     "chat_instance": "1", "data": item}
            body = json.dumps({"update_id": next(update_ids), "callback_query": query}).encode("utf-8", "surrogatepass")
            expect = EITHER
        else:
            message = {"message_id": rng.randint(1, 10**6), "from": {"id": chat, "is_bot": False, "first_name": "F"},
                       "chat": {"id": chat, "type": "private"}, "date": int(time.time()), "text": text}
            body = json.dumps({"update_id": next(update_ids), "message": message}).encode("utf-8", "surrogatepass")
        label = f"#{index} telegram {kind} {_short(item if kind != 'text' else text)}"
        result.count(f"{kind}: {item[0]}" if isinstance(item, tuple) else kind)
        status, answer = post(url, body, headers)
        if webhook_accepted(result, label, status, answer) and expect == ANSWER:
            pending[str(chat)] = label
    result.conversations = len(pending)

    def replies_of(chat: str) -> List[str]:
        return [str(c.params.get("text", "")) for c in api.calls_of("sendMessage", chat_id=chat)]

    _wait_answered(pending, replies_of, result, answer_timeout)
    return result


SLACK_SECRET = "fuzz-signing-secret"
TELEGRAM_TOKEN = "123456:FUZZ-token"
TELEGRAM_SECRET = "fuzz_secret_token"
ORIGIN = "http://localhost:8080"  # the page `make run` serves


@dataclass
class Channels:
    """A running assistant with every channel, the fake Slack and Telegram APIs, and its webhook URLs."""

    assistant: Any
    slack_api: Any
    telegram_api: Any

    @property
    def slack_url(self) -> str:
        return f"http://127.0.0.1:{self.assistant.rest_port}/webhooks/slack/webhook"

    @property
    def telegram_url(self) -> str:
        return f"http://127.0.0.1:{self.assistant.rest_port}/webhooks/telegram/webhook"


def running_channels(workdir: Any) -> Any:
    """credentials.messaging.yml (REST, socket.io, Slack, Telegram) with Slack and Telegram pointed at fakes."""
    from contextlib import contextmanager

    import yaml

    from tests.support.fake_chat_apis import FakeSlackApi, FakeTelegramApi
    from tests.support.servers import ROOT, free_port, running_assistant

    class TolerantTelegramApi(FakeTelegramApi):
        """Takes sendMessage to any chat id, so that the fuzz tests how the assistant takes hostile updates in,
        not how it takes the refusals of a Bot API (the shipped FakeTelegramApi expects numeric chat ids)."""

        def reply(self, method: str, params: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
            if method == "sendMessage":
                chat = {"id": params.get("chat_id"), "type": "private"}
                message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": params.get("text", "")}
                return 200, {"ok": True, "result": message}
            return super().reply(method, params)

    @contextmanager
    def run() -> Any:
        with FakeSlackApi() as slack, TolerantTelegramApi(TELEGRAM_TOKEN) as telegram:
            settings = yaml.safe_load((ROOT / "credentials.messaging.yml").read_text(encoding="utf-8"))
            settings["channels.slack.SlackInput"]["slack_api_url"] = slack.base_url
            settings["channels.telegram.TelegramInput"]["api_url"] = telegram.base_url
            credentials = workdir / "credentials.yml"
            credentials.write_text(yaml.safe_dump(settings), encoding="utf-8")
            port = free_port()
            env = {
                "SLACK_BOT_TOKEN": "xoxb-fuzz", "SLACK_SIGNING_SECRET": SLACK_SECRET, "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
                "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
                "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
                "WEBCHAT_ALLOWED_ORIGINS": ORIGIN,
            }
            with running_assistant(workdir, credentials, env, rest_port=port) as assistant:
                yield Channels(assistant, slack, telegram)

    return run()


def log_tracebacks(workdir: Any) -> List[str]:
    """One line per traceback in the Rasa server's and action server's logs: the exception it ended with."""
    found = []
    for name in ("rasa.log", "actions.log"):
        lines = (workdir / name).read_text(errors="replace").splitlines()
        for start, line in enumerate(lines):
            if line.startswith("Traceback"):
                end = next((lines[j] for j in range(start + 1, len(lines)) if lines[j][:1] not in (" ", "\t", "")), "")
                found.append(f"{name}: {end[:160]}")
    return found


def normal_answers(channels: Channels, question: str = "what is a GAN?", timeout: float = 60) -> Dict[str, str]:
    """The reply text to `question` from a new user on every channel ("" where none came): after a fuzz run,
    each channel must still answer a normal question."""
    import asyncio

    import socketio

    from tests.support.servers import say
    from tests.support.slack_requests import message_event, signed_headers

    found: Dict[str, str] = {}
    try:
        found["rest"] = "\n".join(r.get("text", "") for r in say(channels.assistant.rest_port, f"after-{uuid.uuid4()}", question))
    except OSError:
        found["rest"] = ""

    async def widget() -> str:
        client = socketio.AsyncClient(reconnection=False)
        texts: List[str] = []
        confirmed: "asyncio.Queue[Any]" = asyncio.Queue()
        client.on("bot_uttered", lambda data: texts.append(str(data.get("text", "")) if isinstance(data, dict) else str(data)))
        client.on("session_confirm", lambda data: confirmed.put_nowait(data))
        try:
            await client.connect(f"http://127.0.0.1:{channels.assistant.rest_port}", headers={"Origin": ORIGIN},
                                 transports=["polling"])
            await client.emit("session_request", {})
            session = await asyncio.wait_for(confirmed.get(), 20)
            session = session.get("session_id") if isinstance(session, dict) else session
            await client.emit("user_uttered", {"message": question, "session_id": session})
            deadline = time.monotonic() + timeout
            while not texts and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(1)  # the rest of a reply in several parts
            return "\n".join(texts)
        except (socketio.exceptions.ConnectionError, asyncio.TimeoutError):
            return ""
        finally:
            await client.disconnect()

    found["socket.io"] = asyncio.run(widget())
    user, channel = f"UAFTER{uuid.uuid4().hex[:6].upper()}", f"DAFTER{uuid.uuid4().hex[:6].upper()}"
    body = json.dumps(message_event(user, channel, question)).encode()
    post(channels.slack_url, body, signed_headers(SLACK_SECRET, body, "application/json"))
    _wait_until_replied(lambda: channels.slack_api.calls_of("chat.postMessage", channel=channel), timeout)
    found["slack"] = "\n".join(json.dumps(c.params) for c in channels.slack_api.calls_of("chat.postMessage", channel=channel))
    chat = random.randint(10**8, 10**10)
    update = {"update_id": random.randint(10**9, 2 * 10**9), "message": {
        "message_id": 1, "from": {"id": chat, "is_bot": False, "first_name": "F"}, "chat": {"id": chat, "type": "private"},
        "date": int(time.time()), "text": question}}
    post(channels.telegram_url, json.dumps(update).encode(),
         {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    _wait_until_replied(lambda: channels.telegram_api.calls_of("sendMessage", chat_id=chat), timeout)
    found["telegram"] = "\n".join(str(c.params.get("text", "")) for c in channels.telegram_api.calls_of("sendMessage", chat_id=chat))
    return found
