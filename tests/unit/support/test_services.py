"""tests/support/services.py on a machine with or without PostgreSQL and Redis running: the throwaway servers really
start, hold a Rasa conversation and its lock, and are gone afterwards; the running ones are used when they
answer; and when neither can be had, one sentence says what to install. Runs in every `make test`."""

import asyncio
import glob
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support import services
from tests.support.paths import ROOT
from tests.support.servers import free_port
from tests.support.services import ServiceError, postgres_server, redis_server

THROWAWAY = {"GENAI_TEST_SERVICES": "throwaway"}


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def temp_dirs(kind: str) -> set:
    return set(glob.glob(f"/tmp/genai-test-{kind}-*"))


def store_and_read_back(server: services.Postgres) -> list:
    """Rasa's own SQL tracker store writes a conversation to a new database of `server` and reads it back."""
    name = f"services_test_{uuid.uuid4().hex[:12]}"
    store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=server.host, port=server.port, db=name,
                            username=server.user, password=server.password or None, login_db="postgres")
    try:
        tracker = DialogueStateTracker.from_events("alice", [
            ActionExecuted("action_listen"), UserUttered("what is a GAN?"), BotUttered("A GAN is ...")])
        asyncio.run(store.save(tracker))
        again = asyncio.run(store.retrieve("alice"))
        return [(type(e).__name__, getattr(e, "text", None)) for e in again.events]
    finally:
        store.engine.dispose()
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.services
def test_throwaway_postgres_stores_a_conversation_and_is_removed_after() -> None:
    before = temp_dirs("postgres")
    with postgres_server(THROWAWAY) as server:
        assert server.throwaway and server.port != 5432 and answers(server.host, server.port)
        assert store_and_read_back(server) == [("ActionExecuted", None), ("UserUttered", "what is a GAN?"),
                                               ("BotUttered", "A GAN is ...")]
    assert not answers(server.host, server.port), "the throwaway PostgreSQL was left running"
    assert temp_dirs("postgres") - before == set(), "the throwaway PostgreSQL's data directory was left behind"


@pytest.mark.services
def test_throwaway_redis_holds_rasa_conversation_locks_and_is_stopped_after() -> None:
    before = temp_dirs("redis")
    with redis_server(THROWAWAY) as server:
        assert server.throwaway and server.port != 6379
        locks = RedisLockStore(host=server.host, port=server.port, db=server.db, key_prefix="servicestest")

        async def locked() -> list:
            async with locks.lock("alice"):
                return sorted(key.decode() for key in server.client().keys("servicestest:*"))

        assert asyncio.run(locked()) == ["servicestest:lock:alice"]
        assert server.client().keys("servicestest:*") == []
    assert not answers(server.host, server.port), "the throwaway redis-server was left running"
    assert temp_dirs("redis") - before == set()


@pytest.mark.services
def test_with_nothing_listening_a_throwaway_pair_stands_in(monkeypatch) -> None:
    monkeypatch.setattr(services, "POSTGRES_ADDRESS", ("127.0.0.1", free_port()))
    monkeypatch.setattr(services, "REDIS_ADDRESS", ("127.0.0.1", free_port()))
    with postgres_server({}) as postgres, redis_server({}) as redis:
        assert postgres.throwaway and redis.throwaway
        assert store_and_read_back(postgres)[1] == ("UserUttered", "what is a GAN?")
        assert redis.client().ping()


@pytest.mark.services
def test_a_running_server_is_used_rather_than_started() -> None:
    with postgres_server(THROWAWAY) as running, redis_server(THROWAWAY) as running_redis:
        settings = {"DB_HOST": running.host, "DB_PORT": str(running.port), "REDIS_HOST": running_redis.host,
                    "REDIS_PORT": str(running_redis.port)}
        with postgres_server(settings) as postgres, redis_server(settings) as redis:
            assert (postgres.throwaway, postgres.port) == (False, running.port)
            assert (redis.throwaway, redis.port) == (False, running_redis.port)


def test_an_address_the_user_set_is_not_replaced_by_a_throwaway_server() -> None:
    port = free_port()
    with pytest.raises(ServiceError, match=f"PostgreSQL does not answer on 127.0.0.1:{port}, which DB_PORT chose"):
        with postgres_server({"DB_PORT": str(port)}):
            pass
    with pytest.raises(ServiceError, match=f"Redis does not answer on 127.0.0.1:{port}, which REDIS_PORT chose"):
        with redis_server({"REDIS_PORT": str(port)}):
            pass


def test_running_mode_never_starts_a_server(monkeypatch) -> None:
    monkeypatch.setattr(services, "POSTGRES_ADDRESS", ("127.0.0.1", free_port()))
    with pytest.raises(ServiceError, match="GENAI_TEST_SERVICES=running forbids starting a throwaway one"):
        with postgres_server({"GENAI_TEST_SERVICES": "running"}):
            pass


def test_without_running_servers_or_packages_one_sentence_says_what_to_install(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(services, "POSTGRES_ADDRESS", ("127.0.0.1", free_port()))
    monkeypatch.setattr(services, "REDIS_ADDRESS", ("127.0.0.1", free_port()))
    monkeypatch.setattr(services, "POSTGRES_BIN_GLOBS", [])
    monkeypatch.setattr(services, "REDIS_BINARIES", [])
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServiceError) as postgres:
        with postgres_server({}):
            pass
    assert "install Debian's postgresql package (`make services`" in str(postgres.value)
    with pytest.raises(ServiceError) as redis:
        with redis_server({}):
            pass
    assert "install Debian's redis-server package (`make services`" in str(redis.value)
    assert all(str(e.value).count(". ") == 0 and "\n" not in str(e.value) for e in (postgres, redis))


def test_a_bad_setting_says_what_is_allowed() -> None:
    with pytest.raises(ServiceError, match="GENAI_TEST_SERVICES must be one of auto, throwaway, running, not 'docker'"):
        with postgres_server({"GENAI_TEST_SERVICES": "docker"}):
            pass
    with pytest.raises(ServiceError, match="DB_PORT must be a whole number, not 'five'"):
        with postgres_server({"DB_PORT": "five"}):
            pass


def test_a_test_whose_server_cannot_be_had_fails_with_that_sentence_alone(tmp_path: Path) -> None:
    (tmp_path / "test_needs_postgres.py").write_text(
        "def test_needs_postgres(postgres_server):\n    pass\n", encoding="utf-8")
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=str(ROOT), DB_PORT=str(port)))
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f"PostgreSQL does not answer on 127.0.0.1:{port}, which DB_PORT chose: start it there, or unset DB_PORT "
            "to use a throwaway PostgreSQL.") in done.stdout
    assert "Traceback" not in done.stdout and "raise ServiceError" not in done.stdout, done.stdout
