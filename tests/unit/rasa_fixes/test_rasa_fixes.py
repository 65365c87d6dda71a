"""The fixes to Rasa internals (rasa_fixes/) keep Rasa's behaviour: same checks, same data, less work."""

import asyncio
import uuid
import sqlite3
from pathlib import Path
from typing import Optional

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
from explainer.errors import ConversationRefused
from tests.support.services import Postgres


def _remote_action() -> RemoteAction:
    return RemoteAction("action_explain", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_valid_action_server_responses_are_accepted():
    response = {"events": [{"event": "slot", "name": "concept", "value": "gan"}],
                "responses": [{"text": "A GAN is...", "buttons": [{"title": "VAE", "payload": "/x"}]}]}
    assert _remote_action()._validate_action_result(response)


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"responses": "A GAN is..."}, {"events": [1]}])
def test_invalid_action_server_responses_are_still_rejected_with_rasas_advice(response):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _remote_action()._validate_action_result(response)


def test_event_types_resolve_as_before():
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("no_such_event", default=ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_sqlite_tracker_store_keeps_conversations_in_write_ahead_mode(tmp_path: Path):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker("alice", [])
    tracker.update(UserUttered("what is a GAN?"))
    tracker.update(ActionExecuted("action_explain"))
    asyncio.run(store.save(tracker))

    again = asyncio.run(SQLTrackerStore(dialect="sqlite", db=str(db)).retrieve("alice"))
    assert [e.as_dict()["event"] for e in again.events] == ["user", "action"]
    assert again.latest_message.text == "what is a GAN?"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_calls_to_an_endpoint_reuse_one_connection():
    async def scenario() -> set:
        peers = set()

        async def webhook(request: web.Request) -> web.Response:
            peers.add(request.transport.get_extra_info("peername"))
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            for _ in range(5):
                assert await endpoint.request(json={"next_action": "x"}) == {"ok": True}
        finally:
            await runner.cleanup()
        return peers

    assert len(asyncio.run(scenario())) == 1


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("what is a GAN?"))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def _postgres_store(server: Postgres) -> SQLTrackerStore:
    name = f"fixes_{uuid.uuid4().hex[:12]}"
    return SQLTrackerStore(dialect="postgresql", host=server.host, port=server.port, db=name, username=server.user,
                           password=server.password or None, login_db="postgres")


def _drop(store: SQLTrackerStore, server: Optional[Postgres]) -> None:
    name = store.engine.url.database
    store.engine.dispose()
    if server is not None:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("dialect, sender", [
    ("sqlite", "half an emoji \ud800"), pytest.param("postgresql", "nul \x00 byte", marks=pytest.mark.services),
])
def test_a_sender_id_the_database_refuses_fails_that_conversation_only(
    tmp_path: Path, dialect: str, sender: str, request: pytest.FixtureRequest
):
    # Stock Rasa turned every ValueError inside session_scope into print_error_and_exit: one conversation id
    # that the driver cannot encode ended the whole server.
    server = request.getfixturevalue("postgres_server") if dialect == "postgresql" else None
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db")) if server is None else _postgres_store(server)
    try:
        with pytest.raises(ValueError):
            asyncio.run(store.save(_conversation(sender)))
        with pytest.raises(ValueError):
            asyncio.run(store.retrieve(sender))
        asyncio.run(store.save(_conversation("next user")))
        again = asyncio.run(store.retrieve("next user"))
        assert again.latest_message.text == "what is a GAN?"
    finally:
        _drop(store, server)


class _Refusing(InMemoryTrackerStore):
    def __init__(self, error: Exception) -> None:
        super().__init__(Domain.empty())
        self.error = error

    async def retrieve(self, sender_id):
        raise self.error

    async def save(self, tracker):
        raise self.error


def test_a_refused_conversation_reaches_the_channel_instead_of_starting_afresh_silently():
    # Rasa wraps every tracker store in FailSafeTrackerStore, which swallowed every error: the user would have
    # been answered from an empty conversation and the answer kept where nothing reads it.
    store = FailSafeTrackerStore(_Refusing(ConversationRefused()))
    with pytest.raises(ConversationRefused):
        asyncio.run(store.retrieve("alice"))
    with pytest.raises(ConversationRefused):
        asyncio.run(store.save(_conversation("alice")))
    # Other errors keep Rasa's fallback.
    falling_back = FailSafeTrackerStore(_Refusing(OSError("down")))
    assert asyncio.run(falling_back.retrieve("alice")) is None
    asyncio.run(falling_back.save(_conversation("alice")))
