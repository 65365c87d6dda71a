"""The fixes to Rasa internals (rasa_fixes/) keep Rasa's behaviour: same checks, same data, less work."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)


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
