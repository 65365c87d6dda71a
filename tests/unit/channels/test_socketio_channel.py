"""The widget channel's message handler without a server: what the user hears when handling fails."""

import asyncio
from typing import Any, List, Tuple

from channels.socketio import NOT_SAVED, WebsiteSocketIOInput
from channels.webchat_sessions import issue
from explainer.errors import ConversationRefused, StoreFull

KEY = b"k" * 32


def channel_and_emits(on_new_message: Any) -> Tuple[Any, List[Tuple[str, Any, Any]]]:
    """The channel's user_uttered handler, and the list of (event, data, room) it emits."""
    channel = WebsiteSocketIOInput("user_uttered", "bot_uttered", session_persistence=True, metadata_key="customData")
    channel.session_key = KEY
    channel.blueprint(on_new_message)
    emitted: List[Tuple[str, Any, Any]] = []

    async def emit(event: str, data: Any = None, room: Any = None, **_: Any) -> None:
        emitted.append((event, data, room))

    channel.sio.emit = emit
    return channel.sio.handlers["/"]["user_uttered"], emitted


def test_a_message_that_cannot_be_saved_gets_one_sentence_instead_of_silence() -> None:
    async def refusing_store(_message: Any) -> None:
        raise ValueError("the tracker store refused the event")

    handle, emitted = channel_and_emits(refusing_store)
    asyncio.run(handle("socket-1", {"message": "what is a GAN?", "session_id": issue(KEY)}))
    assert emitted == [("bot_uttered", {"text": NOT_SAVED}, "socket-1")]


def test_a_saved_message_goes_to_the_socketio_prefixed_conversation() -> None:
    received: List[Any] = []

    async def on_new_message(message: Any) -> None:
        received.append((message.sender_id, message.metadata))

    handle, emitted = channel_and_emits(on_new_message)
    session = issue(KEY)
    asyncio.run(handle("socket-1", {"message": "hi", "session_id": session, "customData": {"page": "/"}}))
    assert received == [(f"socketio:{session}", {"page": "/"})] and emitted == []


def test_a_store_refusal_gets_the_store_s_own_sentence() -> None:
    for error in (StoreFull, ConversationRefused):
        async def refusing_store(_message: Any, error: type = error) -> None:
            raise error("refused")

        handle, emitted = channel_and_emits(refusing_store)
        asyncio.run(handle("socket-1", {"message": "what is a GAN?", "session_id": issue(KEY)}))
        assert emitted == [("bot_uttered", {"text": error.user_message}, "socket-1")]
