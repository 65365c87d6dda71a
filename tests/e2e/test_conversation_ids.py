"""Hostile conversation ids and oversized metadata on the real servers: refused with a sentence, the server
keeps answering; widget sessions are issued by the server and survive a reload."""

import asyncio
import json
import re
import sqlite3
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, Assistant, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]
ORIGIN = "http://localhost:8080"  # the page `make run` serves
GUIDE_START = "should I use an LLM for a customer-support bot?"
# JSON-decodable ids no chat platform would send: half an emoji, NUL, far too long, not strings, empty.
HOSTILE_IDS: List[Any] = ["\ud800", "a\x00b", "x" * 10_000, 12345, ["a"], "", "   "]
BIG_METADATA = {"page": "/", "blob": "x" * 17_000}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("ids"), env={"WEBCHAT_ALLOWED_ORIGINS": ORIGIN}) as assistant:
        yield assistant


def post(port: int, body: Dict[str, Any]) -> Tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def assert_still_answers(stack: Assistant, kb: KnowledgeBase) -> None:
    replies = say(stack.rest_port, f"after-{uuid.uuid4()}", "what is a GAN?")
    assert kb.entries["gan"].explanation in text_of(replies)


def question_number(replies: List[Dict[str, Any]]) -> int:
    """The highest "Question N of M" among the replies."""
    numbers = [int(n) for n in re.findall(r"Question (\d+) of \d+", text_of(replies))]
    assert numbers, replies
    return max(numbers)


class Widget:
    """One browser's socket.io connection to the widget channel, as rasa-webchat makes it."""

    def __init__(self, port: int) -> None:
        import socketio

        self.url = f"http://127.0.0.1:{port}"
        self.client = socketio.AsyncClient(reconnection=False)

    async def __aenter__(self) -> "Widget":
        self.replies: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self.confirmed: "asyncio.Queue[Any]" = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put_nowait)
        self.client.on("session_confirm", self.confirmed.put_nowait)
        await self.client.connect(self.url, headers={"Origin": ORIGIN}, transports=["polling"])
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.client.disconnect()

    async def session(self, session_id: Optional[str] = None) -> str:
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 20)

    async def send(self, data: Any) -> List[Dict[str, Any]]:
        """The replies to one user_uttered event: the first within a minute, then those following within 2 s."""
        await self.client.emit("user_uttered", data)
        got = [await asyncio.wait_for(self.replies.get(), 60)]
        try:
            while True:
                got.append(await asyncio.wait_for(self.replies.get(), 2))
        except asyncio.TimeoutError:
            return got


def test_rest_refuses_hostile_senders_with_a_sentence_and_keeps_answering(stack: Assistant, kb: KnowledgeBase) -> None:
    for sender in HOSTILE_IDS:
        status, body = post(stack.rest_port, {"sender": sender, "message": "what is a GAN?"})
        assert status == 400, (sender, body)
        assert '"sender"' in body["error"] and body["error"].endswith("."), body
    assert_still_answers(stack, kb)


def test_rest_refuses_oversized_metadata_with_a_sentence(stack: Assistant, kb: KnowledgeBase) -> None:
    status, body = post(stack.rest_port, {"sender": f"m-{uuid.uuid4()}", "message": "hi", "metadata": BIG_METADATA})
    assert status == 413 and "16384 bytes" in body["error"], body
    status, replies = post(
        stack.rest_port, {"sender": f"m-{uuid.uuid4()}", "message": "what is a GAN?", "metadata": {"page": "/"}}
    )
    assert status == 200 and kb.entries["gan"].explanation in text_of(replies)


def test_rest_answers_the_sender_it_was_sent_and_stores_it_under_the_rest_prefix(stack: Assistant) -> None:
    sender = f"alice-{uuid.uuid4()}"
    status, replies = post(stack.rest_port, {"sender": sender, "message": "what is a GAN?"})
    assert status == 200 and replies and {r["recipient_id"] for r in replies} == {sender}
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        stored = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE ?", (f"%{sender}",))}
    assert stored == {f"rest:{sender}"}


def test_widget_replaces_a_made_up_session_and_a_reload_continues_the_guide(stack: Assistant) -> None:
    async def scenario() -> None:
        async with Widget(stack.rest_port) as widget:
            made_up = "my-own-session-id"
            issued = await widget.session(made_up)
            assert issued != made_up and len(issued) >= 32
            replies = await widget.send({"message": GUIDE_START, "session_id": issued})
            asked = question_number(replies)
            answer = [r for r in replies if r.get("quick_replies")][-1]["quick_replies"][0]["payload"]
        async with Widget(stack.rest_port) as reloaded:  # the page reloads: the widget sends the id it kept
            assert await reloaded.session(issued) == issued
            replies = await reloaded.send({"message": answer, "session_id": issued})
            assert question_number(replies) > asked, replies  # the guide moved on from where it stood

    asyncio.run(scenario())


def test_widget_refuses_hostile_session_ids_with_a_sentence_and_keeps_answering(
    stack: Assistant, kb: KnowledgeBase
) -> None:
    async def scenario() -> None:
        async with Widget(stack.rest_port) as widget:
            for session_id in [*HOSTILE_IDS, "made-up-by-the-page", None]:
                replies = await widget.send({"message": "what is a GAN?", "session_id": session_id})
                assert len(replies) == 1 and "session" in replies[0]["text"], (session_id, replies)
                assert kb.entries["gan"].explanation not in replies[0]["text"]
            issued = await widget.session()
            replies = await widget.send({"message": "what is a GAN?", "session_id": issued})
            assert kb.entries["gan"].explanation in text_of(replies)

    asyncio.run(scenario())
    assert_still_answers(stack, kb)


def test_widget_refuses_oversized_custom_data_with_a_sentence(stack: Assistant, kb: KnowledgeBase) -> None:
    async def scenario() -> None:
        async with Widget(stack.rest_port) as widget:
            issued = await widget.session()
            replies = await widget.send({"message": "what is a GAN?", "session_id": issued, "customData": BIG_METADATA})
            assert len(replies) == 1 and "16384 bytes" in replies[0]["text"], replies
            replies = await widget.send({"message": "what is a GAN?", "session_id": issued, "customData": {"page": "/"}})
            assert kb.entries["gan"].explanation in text_of(replies)

    asyncio.run(scenario())
