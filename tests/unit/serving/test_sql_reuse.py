"""The reusing SQL tracker store (serving/sql_reuse.py) returns what the database holds, as stock Rasa's store does,
on SQLite and on PostgreSQL, with two stores (two servers) writing the same conversation."""

import asyncio
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator, List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
from serving.sql_reuse import ReusingSQLTrackerStore

DOMAIN = Domain.from_dict({"slots": {"concept": {"type": "text", "mappings": [{"type": "custom"}]}}})
Store = Callable[..., SQLTrackerStore]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def make_store(request, tmp_path: Path) -> Iterator[Store]:
    """Builds stores of a given class on one fresh database (SQLite file or PostgreSQL database)."""
    stores: List[SQLTrackerStore] = []
    if request.param == "sqlite":
        options = {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    else:
        server = request.getfixturevalue("postgres_server")  # only the PostgreSQL case needs the server
        name = f"reuse_test_{uuid.uuid4().hex[:12]}"
        options = {"dialect": "postgresql", "host": server.host, "port": server.port, "db": name,
                   "username": server.user, "password": server.password or None, "login_db": "postgres"}

    def make(cls=ReusingSQLTrackerStore) -> SQLTrackerStore:
        stores.append(cls(domain=DOMAIN, **options))
        return stores[-1]

    yield make
    for store in stores:
        store.engine.dispose()
    if request.param == "postgresql":
        server.execute(f'DROP DATABASE IF EXISTS "{options["db"]}" WITH (FORCE)')


def turn(tracker: DialogueStateTracker, text: str, concept: str) -> None:
    """One explainer turn as Rasa records it."""
    tracker.update(UserUttered(text, {"name": "ask_definition", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_explain"))
    tracker.update(BotUttered(f"About {concept}."))
    tracker.update(SlotSet("concept", concept))
    tracker.update(ActionExecuted("action_listen"))


async def converse(store: SQLTrackerStore, sender: str, text: str, concept: str) -> DialogueStateTracker:
    """What the Rasa server does per message: read the conversation, add the turn, save it."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    turn(tracker, text, concept)
    await store.save(tracker)
    return tracker


def stored_rows(store: SQLTrackerStore, sender: str) -> List[tuple]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, intent_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        )
        return [tuple(row) for row in rows]


def test_writes_the_same_rows_as_rasas_store(make_store: Store) -> None:
    reusing, stock = make_store(), make_store(SQLTrackerStore)

    async def scenario(store: SQLTrackerStore, sender: str) -> None:
        for text, concept in [("what is a GAN?", "gan"), ("and a VAE?", "vae"), ("what is RLHF?", "rlhf")]:
            await converse(store, sender, text, concept)

    asyncio.run(scenario(reusing, "via-reusing"))
    asyncio.run(scenario(stock, "via-stock"))
    ours, theirs = stored_rows(reusing, "via-reusing"), stored_rows(stock, "via-stock")
    assert len(ours) == 15
    assert [row[:3] for row in ours] == [row[:3] for row in theirs]
    assert [_without_timestamps(row[3]) for row in ours] == [_without_timestamps(row[3]) for row in theirs]


def _without_timestamps(data: str) -> str:
    import json

    event = json.loads(data)
    event.pop("timestamp", None)
    return json.dumps(event, sort_keys=True)


def test_a_turn_written_by_another_server_is_seen(make_store: Store) -> None:
    first, second = make_store(), make_store()

    async def scenario() -> DialogueStateTracker:
        await converse(first, "alice", "what is a GAN?", "gan")
        await converse(second, "alice", "and a VAE?", "vae")  # the load balancer sent turn 2 elsewhere
        return await first.retrieve("alice")

    tracker = asyncio.run(scenario())
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is a GAN?", "and a VAE?"]
    assert tracker.get_slot("concept") == "vae"
    assert len(stored_rows(first, "alice")) == 10


def test_a_turn_that_was_never_saved_is_not_served(make_store: Store) -> None:
    store = make_store()

    async def scenario() -> DialogueStateTracker:
        await converse(store, "bob", "what is a GAN?", "gan")
        half_done = await store.retrieve("bob")
        half_done.update(UserUttered("and a VAE?"))  # the server failed before saving this turn
        return await store.retrieve("bob")

    tracker = asyncio.run(scenario())
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is a GAN?"]


def test_a_turn_saved_after_another_server_wrote_is_kept_too(make_store: Store) -> None:
    first, second = make_store(), make_store()

    async def scenario() -> None:
        await converse(first, "carol", "what is a GAN?", "gan")
        mine = await first.retrieve("carol")
        await converse(second, "carol", "and a VAE?", "vae")
        turn(mine, "what is RLHF?", "rlhf")  # two servers without a shared lock store: stock Rasa drops this turn
        await first.save(mine)

    asyncio.run(scenario())
    texts = [row[3] for row in stored_rows(first, "carol") if row[0] == "user"]
    assert len(texts) == 3 and "RLHF" in texts[-1]


def test_a_new_session_is_read_back_alone_as_rasas_store_reads_it(make_store: Store) -> None:
    store, stock = make_store(), make_store(SQLTrackerStore)

    async def scenario() -> DialogueStateTracker:
        tracker = await converse(store, "dave", "what is a GAN?", "gan")
        await asyncio.sleep(0.01)  # Rasa finds a session's start by timestamp
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        await converse(store, "dave", "what is RLHF?", "rlhf")
        return await store.retrieve("dave")

    tracker = asyncio.run(scenario())
    expected = asyncio.run(stock.retrieve("dave"))
    assert [e.as_dict() for e in tracker.events] == [e.as_dict() for e in expected.events]
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is RLHF?"]
