"""Drives fuzz traffic at a running assistant over REST and counts what happened."""

import json
import random
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from fuzz_inputs import HOSTILE_TEXTS, random_text, rest_cases


@dataclass
class FuzzResult:
    """What the server did with the fuzz messages."""

    sent: int = 0
    server_errors: List[str] = field(default_factory=list)
    unanswered: List[str] = field(default_factory=list)
    refused: int = 0
    conversations: int = 0


def post(port: int, body: bytes) -> "tuple[int, bytes]":
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


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
) -> FuzzResult:
    """Sends `count` random or hostile bodies; well-formed ones must get a reply, none may get a 5xx.
    `progress(n)` is called after every message."""
    rng, result = random.Random(seed), FuzzResult()
    conversations = Conversations(random.Random(seed + 1), f"fuzz-{seed}", senders, turns)
    for index, case in enumerate(rest_cases(rng, count, conversations.pick)):
        status, body = post(port, case.body)
        result.sent += 1
        if status >= 500:
            result.server_errors.append(f"#{index} {status}: {case.body[:80]!r}")
        elif case.well_formed and (status != 200 or not json.loads(body)):
            result.unanswered.append(f"#{index} {status}: {case.body[:80]!r}")
        elif status != 200:
            result.refused += 1
        if progress:
            progress(result.sent)
    result.conversations = conversations.started
    return result


SOCKETIO_BROKEN = [None, "text", 42, [], {}, {"message": None}, {"message": 5}, {"message": ["x"]}, {"session_id": 1}]


async def _fuzz_socketio(port: int, count: int, seed: int, origin: str, turns: int, tail: float) -> FuzzResult:
    import asyncio

    import socketio

    rng, result = random.Random(seed), FuzzResult()
    replies: "asyncio.Queue[dict]" = asyncio.Queue()
    confirmed = asyncio.Event()
    client = socketio.AsyncClient(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put_nowait(data))
    issued: List[str] = []
    client.on("session_confirm", lambda data: (issued.append(data), confirmed.set()))
    await client.connect(f"http://127.0.0.1:{port}", headers={"Origin": origin}, transports=["polling"])
    session = ""

    async def new_session(number: int) -> str:
        confirmed.clear()
        # A made-up id, as a hostile page would send: the server answers with an id it issued, used from then on.
        await client.emit("session_request", {"session_id": f"fuzz-sio-{seed}-{number}"})
        await asyncio.wait_for(confirmed.wait(), 20)
        return issued[-1]

    async def turn_replies(first_within: float = 60) -> int:
        """Replies to one message: the first within `first_within` s, then any that follow within `tail` s."""
        got = 0
        try:
            await asyncio.wait_for(replies.get(), first_within)
            got = 1
            while True:
                await asyncio.wait_for(replies.get(), tail)
                got += 1
        except asyncio.TimeoutError:
            return got

    try:
        for index in range(count):
            if index % turns == 0:
                session = await new_session(index // turns)
                result.conversations += 1
            result.sent += 1
            # Every malformed event and every hostile text once first, whatever the seed; then random ones.
            planned = index < len(SOCKETIO_BROKEN) + len(HOSTILE_TEXTS)
            if index < len(SOCKETIO_BROKEN) or (not planned and rng.random() < 0.2):
                data = SOCKETIO_BROKEN[index] if index < len(SOCKETIO_BROKEN) else rng.choice(SOCKETIO_BROKEN)
                await client.emit("user_uttered", data)
                result.refused += 1
                if await turn_replies(first_within=4 * tail):
                    result.server_errors.append(f"#{index}: a malformed event {data!r} was answered")
                continue
            text = HOSTILE_TEXTS[index - len(SOCKETIO_BROKEN)] if planned else random_text(rng)
            await client.emit("user_uttered", {"message": text, "session_id": session})
            if not await turn_replies():
                result.unanswered.append(f"#{index}: {text[:80]!r}")
            if not client.connected:
                result.server_errors.append(f"#{index}: the server dropped the connection")
                break
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
