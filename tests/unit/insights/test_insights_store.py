"""The report reads what Rasa's own SQLTrackerStore wrote, from SQLite and from PostgreSQL."""

import asyncio
import uuid
from pathlib import Path
from typing import List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from insights.conversations import conversations
from insights.store import ReportError, read_events, resolve_url, url_from_endpoints
from tests.support.services import Postgres
from tests.support.paths import ROOT

DAY = 86400.0
START = 1_780_000_000.0  # 2026-05-28 UTC


def chat(start: float, channel: str) -> List[Event]:
    """A session: a question answered about GANs, then a message the assistant did not understand."""
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
        UserUttered("what is a GAN?", {"name": "ask_definition", "confidence": 0.97},
                    [{"entity": "concept", "value": "gan"}], input_channel=channel, timestamp=start + 1),
        ActionExecuted("action_explain", timestamp=start + 2),
        BotUttered("A GAN is ...", timestamp=start + 2),
        SlotSet("last_concepts", ["gan"], timestamp=start + 2),
        ActionExecuted("action_listen", timestamp=start + 2),
        UserUttered("blorp flib", {"name": "nlu_fallback", "confidence": 0.2}, input_channel=channel, timestamp=start + 5),
        ActionExecuted("action_ask_rephrase", timestamp=start + 6),
        BotUttered("Sorry, could you rephrase?", timestamp=start + 6),
        ActionExecuted("action_listen", timestamp=start + 6),
    ]


def save(store: SQLTrackerStore, sender: str, events: List[Event]) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def store_two_users(store: SQLTrackerStore) -> None:
    # Alice talks on two days (two sessions); Bob once, from another channel.
    save(store, "alice", chat(START, "rest") + chat(START + DAY, "rest"))
    save(store, "bob", chat(START + 60, "telegram"))


def check_read_back(url: str) -> None:
    found = conversations(read_events(url))
    assert [(c.sender_id, c.day, c.channel) for c in found] == [
        ("alice", "2026-05-28", "rest"),
        ("bob", "2026-05-28", "telegram"),
        ("alice", "2026-05-29", "rest"),
    ]
    turn, unclear = found[0].turns
    assert (turn.text, turn.intent, turn.concepts) == ("what is a GAN?", "ask_definition", ["gan"])
    assert unclear.fallback and not turn.fallback
    assert found[0].bot_messages == 2


def test_reads_an_sqlite_tracker_store(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    store_two_users(store)
    store.engine.dispose()
    check_read_back(f"sqlite:///{db}")


@pytest.fixture
def postgres_db(postgres_server: Postgres):
    """A uniquely named PostgreSQL database, dropped afterwards."""
    name = f"insights_test_{uuid.uuid4().hex[:12]}"
    yield name
    admin = sa.create_engine(postgres_server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.services
def test_reads_a_postgresql_tracker_store_configured_in_endpoints(
    tmp_path: Path, postgres_db: str, monkeypatch, postgres_server: Postgres
) -> None:
    server = postgres_server
    store = SQLTrackerStore(
        Domain.empty(), dialect="postgresql", host=server.host, port=server.port, db=postgres_db,
        username=server.user, password=server.password or None, login_db="postgres",
    )
    store_two_users(store)
    store.engine.dispose()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: {server.host}\n  port: {server.port}\n"
        f"  username: {server.user}\n" + (f"  password: '{server.password}'\n" if server.password else "")
        + "  db: ${INSIGHTS_TEST_DB}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("INSIGHTS_TEST_DB", postgres_db)
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    check_read_back(resolve_url(endpoints))


def test_the_default_sqlite_file_is_next_to_endpoints_yml(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text('tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "tracker.db"\n', encoding="utf-8")
    assert url_from_endpoints(endpoints) == f"sqlite:///{tmp_path / 'tracker.db'}"


def test_the_shipped_endpoints_yml_is_read_through_its_tracker_store_wrapper(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    shipped = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    endpoints.write_text(shipped, encoding="utf-8")
    assert url_from_endpoints(endpoints) == f"sqlite:///{tmp_path / 'tracker.db'}"


def test_tracker_store_url_variable_overrides_endpoints(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", "sqlite:////somewhere/else.db")
    assert resolve_url(tmp_path / "missing.yml") == "sqlite:////somewhere/else.db"


@pytest.mark.parametrize(
    "endpoints, message",
    [
        (None, "file not found"),
        ("action_endpoint:\n  url: http://localhost:5055/webhook\n", "no 'tracker_store' section"),
        ("tracker_store:\n  type: redis\n", "type 'redis' is not an SQL tracker store"),
        ("tracker_store:\n  type: SQL\n  dialect: postgresql\n  db: ${NO_SUCH_VARIABLE_SET}\n",
         "environment variable NO_SUCH_VARIABLE_SET, which is not set"),
    ],
)
def test_a_tracker_store_that_cannot_be_read_says_what_to_fix(tmp_path: Path, endpoints, message: str) -> None:
    path = tmp_path / "endpoints.yml"
    if endpoints:
        path.write_text(endpoints, encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        url_from_endpoints(path)


def test_a_missing_database_file_says_to_chat_first(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no conversation has been stored yet"):
        read_events(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_a_database_without_events_table_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE notes (id INTEGER)"))
    engine.dispose()
    with pytest.raises(ReportError, match="not a Rasa SQL tracker store"):
        read_events(f"sqlite:///{db}")
