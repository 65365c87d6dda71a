"""Tracker stores under faults, without the Rasa server: a conversation the database refuses stops only that
conversation; an outage (refused or hung database) keeps a bounded number of conversations in memory and holds
no call longer than the 2-second timeout; the health state is probed at most once per retry period."""

import asyncio
import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import psycopg2
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
import serving.store_health
from serving.sql_reuse import ReusingSQLTrackerStore
from explainer.errors import ConversationRefused, StoreFull
from serving.store_health import StoreHealth
from serving.tracker_store import KeptTrackerStore
from tests.support.services import Postgres
from tests.support.tcp_proxy import TcpProxy

DOMAIN = Domain.empty()


async def converse(store: Any, sender: str, text: str) -> DialogueStateTracker:
    """What the Rasa server does per message: read the conversation, add the turn, save it."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    tracker.update(UserUttered(text, {"name": "ask_definition", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_explain"))
    tracker.update(BotUttered(f"About {text}."))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


def pg_texts(db: str, sender: str) -> List[str]:
    """The user texts PostgreSQL holds for `sender`, read without the store under test."""
    with psycopg2.connect(**PG[0].connection(db)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", (sender,))
            return [json.loads(row[0])["text"] for row in cursor.fetchall()]


# The PostgreSQL server of this test session (running or throwaway: tests/support/services.py), set by postgres_db.
PG: List[Postgres] = []


@pytest.fixture
def postgres_db(postgres_db: str, postgres_server: Postgres) -> str:
    """conftest's database, with its server noted for the helpers below."""
    PG[:] = [postgres_server]
    return postgres_db


@pytest.fixture
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving.store_health, "RETRY_SECONDS", 0.2)


def login() -> Dict[str, Any]:
    return {"username": PG[0].user, **({"password": PG[0].password} if PG[0].password else {})}


def kept_store(db: str, port: Optional[int] = None, **options: Any) -> KeptTrackerStore:
    # A port of its own is a TcpProxy's, on loopback.
    host, port = ("127.0.0.1", port) if port else (PG[0].host, PG[0].port)
    return KeptTrackerStore(DOMAIN, host=host, backend="SQL", dialect="postgresql", port=port, db=db, **login(), **options)


def test_sqlite_a_conversation_the_database_refuses_does_not_keep_the_others_in_memory(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = KeptTrackerStore(DOMAIN, backend="SQL", dialect="sqlite", db=str(db))

    async def scenario() -> None:
        with pytest.raises(ConversationRefused):
            await converse(store, "half an emoji \ud800", "what is a GAN?")
        await converse(store, "alice", "what is a VAE?")

    asyncio.run(scenario())
    # Written to the file now, not parked in memory behind the refused conversation.
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM events WHERE sender_id = 'alice'").fetchone()[0] == 4
    assert asyncio.run(store.health.check()) is True


@pytest.mark.services
@pytest.mark.parametrize("wrapped", [True, False], ids=["embedded KeptTrackerStore", "production ReusingSQLTrackerStore"])
def test_postgres_a_nul_in_the_sender_id_stops_that_conversation_only(postgres_db: str, wrapped: bool) -> None:
    if wrapped:
        store: Any = kept_store(postgres_db)
    else:
        store = ReusingSQLTrackerStore(DOMAIN, dialect="postgresql", host=PG[0].host, port=PG[0].port,
                                       db=postgres_db, **login())

    async def scenario() -> None:
        with pytest.raises(ConversationRefused):
            await converse(store, "nul \x00 byte", "what is a GAN?")
        await converse(store, "bob", "what is a VAE?")

    asyncio.run(scenario())
    assert pg_texts(postgres_db, "bob") == ["what is a VAE?"]
    assert asyncio.run(store.health.check()) is True


@pytest.mark.services
def test_an_outage_keeps_a_bounded_number_of_conversations_and_writes_them_back(
    postgres_db: str, quick_retry: None
) -> None:
    proxy = TcpProxy(PG[0].host, PG[0].port)
    store = kept_store(postgres_db, proxy.port, kept_conversations=2)

    async def scenario() -> None:
        await converse(store, "carol", "what is a GAN?")
        proxy.cut()  # refused: the port answers with RST
        await converse(store, "carol", "and a VAE?")  # from memory
        await converse(store, "dave", "what is RLHF?")  # new, kept: the limit is reached
        with pytest.raises(StoreFull) as refused:
            await converse(store, "erin", "what is LoRA?")
        assert "try again in a few minutes" in refused.value.user_message
        assert await store.health.check() is False
        proxy.restore()
        await asyncio.sleep(0.3)
        assert await store.health.check() is True  # and the kept conversations are written
        await converse(store, "erin", "what is LoRA?")

    try:
        asyncio.run(scenario())
    finally:
        proxy.cut()
    assert pg_texts(postgres_db, "carol") == ["what is a GAN?", "and a VAE?"]
    assert pg_texts(postgres_db, "dave") == ["what is RLHF?"]
    assert pg_texts(postgres_db, "erin") == ["what is LoRA?"]


def in_thread(work: Callable[[], Any], limit: float) -> Any:
    """Runs `work` in a thread; fails if it has not returned after `limit` seconds (it may block for ever)."""
    outcome: List[Any] = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(limit)
    assert outcome, f"still blocked after {limit} s"
    return outcome[0]


@pytest.mark.services
@pytest.mark.parametrize("wrapped", [True, False], ids=["embedded KeptTrackerStore", "production ReusingSQLTrackerStore"])
def test_a_hung_database_holds_no_call_longer_than_the_timeout(postgres_db: str, quick_retry: None, wrapped: bool) -> None:
    proxy = TcpProxy(PG[0].host, PG[0].port)
    if wrapped:
        store: Any = kept_store(postgres_db, proxy.port)
    else:
        store = ReusingSQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1", port=proxy.port,
                                       db=postgres_db, **login())

    async def scenario() -> List[float]:
        await converse(store, "frank", "what is a GAN?")
        proxy.hang()  # accepts connections, never answers
        durations = []
        for text in ["and a VAE?", "what is RLHF?", "what is LoRA?"]:
            started = time.monotonic()
            try:
                await converse(store, "frank", text)
            except Exception:  # the production store raises; Rasa's FailSafeTrackerStore falls back
                assert not wrapped
            durations.append(time.monotonic() - started)
            await asyncio.sleep(0.3)  # past the retry period: the next message tries the database again
        started = time.monotonic()
        assert await store.health.check() is False
        durations.append(time.monotonic() - started)
        return durations

    try:
        durations = in_thread(lambda: asyncio.run(scenario()), limit=30)
    finally:
        proxy.cut()
    assert max(durations) < 3.0, durations


def test_health_probes_at_most_once_per_retry_period_and_gives_up_on_a_hung_database() -> None:
    calls: List[float] = []
    hung = threading.Event()

    def probe() -> None:
        calls.append(time.monotonic())
        if hung.is_set():
            time.sleep(30)

    health = StoreHealth("test database", probe)

    async def scenario() -> List[bool]:
        answers = [await health.check() for _ in range(50)]
        hung.set()
        health._next_probe = 0.0  # the retry period has passed
        started = time.monotonic()
        answers.append(await health.check())
        assert time.monotonic() - started < 3.0
        return answers

    answers = asyncio.run(scenario())
    assert answers == [True] * 50 + [False]
    assert len(calls) == 2


def pg_types(db: str, sender: str) -> List[str]:
    with psycopg2.connect(**PG[0].connection(db)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
            return [f"{kind}:{json.loads(data).get('text') or json.loads(data).get('name') or ''}"
                    for kind, data in cursor.fetchall()]


@pytest.mark.services
def test_a_conversation_begun_during_an_outage_is_appended_once_when_the_store_returns_mid_turn(
    postgres_db: str, quick_retry: None
) -> None:
    proxy = TcpProxy(PG[0].host, PG[0].port)
    first = kept_store(postgres_db, proxy.port)

    async def scenario() -> None:
        await converse(first, "gina", "what is a GAN?")
        proxy.cut()
        restarted = kept_store(postgres_db, proxy.port)  # a new server process: gina's history is not in memory
        tracker = await restarted.get_or_create_tracker("gina")  # saved at once, kept in memory
        tracker.update(UserUttered("and a VAE?"))
        proxy.restore()
        await asyncio.sleep(0.3)
        await restarted.save(tracker)  # the store is back halfway through the turn: appended to the history
        tracker.update(BotUttered("About and a VAE?."))
        tracker.update(ActionExecuted("action_listen"))
        await restarted.save(tracker)  # the rest of the turn, once

    try:
        asyncio.run(scenario())
    finally:
        proxy.cut()
    assert pg_types(postgres_db, "gina") == [
        "user:what is a GAN?", "action:action_explain", "bot:About what is a GAN?.", "action:action_listen",
        "action:action_listen", "user:and a VAE?", "bot:About and a VAE?.", "action:action_listen",
    ]
