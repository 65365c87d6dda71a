"""Faults with the real servers: action server down or frozen, PostgreSQL unreachable, Rasa restarted mid guide."""

import asyncio
import os
import re
import signal
import time
import urllib.error
import urllib.request
import json
import uuid
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from rasa_fixes.action_timeout import APOLOGY
from explainer.guide import DecisionGuide
from explainer.kb import KnowledgeBase
from tests.support.guide_scenarios import SCENARIOS
from tests.support.servers import MODEL, free_port, running_assistant, say, start_action_server, start_rasa_server
from tests.support.services import Postgres
from tests.support.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")
# The campaign (text and images) asks five questions before its result: the outage must fall mid-guide, and a
# text-only project is decided after two or three.
ANSWERS = SCENARIOS["campaign"][1]


def text_of(replies: List[Dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def asked(replies: List[Dict], guide: DecisionGuide) -> Tuple[str, str]:
    """(factor id, question number) of the guide question in `replies`."""
    found = QUESTION.search(text_of(replies))
    assert found, f"expected a guide question, got: {text_of(replies)!r}"
    return next(f.id for f in guide.factors if f.name == found.group(3)), found.group(1)


def health(port: int) -> Tuple[int, Dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/rest/health", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def health_becomes(port: int, status: int, within: float = 15.0) -> Dict:
    """The health body once it has `status`; the store is probed at most once per retry period (5 s)."""
    deadline = time.monotonic() + within
    while True:
        got, body = health(port)
        if got == status or time.monotonic() > deadline:
            assert got == status, body
            return body
        time.sleep(0.5)


def refused(port: int, sender: str, message: str) -> Tuple[int, str]:
    """The status and error sentence of a message the server does not take."""
    try:
        say(port, sender, message)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["error"]
    raise AssertionError("the message was taken")


def test_action_server_down_or_frozen_gets_an_apology_then_answers(tmp_path: Path, kb: KnowledgeBase) -> None:
    action_port, port = free_port(), free_port()
    actions = start_action_server(action_port, tmp_path / "actions-1.log").wait_ready()
    rasa = start_rasa_server(port, action_port, tmp_path, tmp_path / "rasa.log", action_timeout=3).wait_ready()
    user = f"faults-{uuid.uuid4()}"
    try:
        assert kb.entries["gan"].explanation in text_of(say(port, user, "what is a GAN?"))
        os.kill(actions.process.pid, signal.SIGSTOP)  # frozen: accepts connections, never answers
        try:
            frozen = say(port, user, "what is a diffusion model?")
        finally:
            os.kill(actions.process.pid, signal.SIGCONT)
        assert text_of(frozen) == APOLOGY
        assert "did not answer action" in (tmp_path / "rasa.log").read_text()
        assert kb.entries["transformer"].explanation in text_of(say(port, user, "what is a transformer?"))
        actions.stop()
        assert text_of(say(port, user, "what is a VAE?")) == APOLOGY
        actions = start_action_server(action_port, tmp_path / "actions-2.log").wait_ready()
        assert kb.entries["vae"].explanation in text_of(say(port, user, "what is a VAE?"))
    finally:
        rasa.stop()
        actions.stop()


def postgres_store(port: int, db: str, server: Postgres, extra: str = "") -> str:
    return (
        "  type: serving.tracker_store.KeptTrackerStore\n  backend: SQL\n  dialect: postgresql\n"
        f'  url: "127.0.0.1"\n  port: {port}\n  username: {server.user}\n  db: "{db}"\n'
        + (f'  password: "{server.password}"\n' if server.password else "")
        + extra
    )


@pytest.mark.services
def test_postgres_outage_and_restart_lose_no_step_of_the_guide(
    tmp_path: Path, kb: KnowledgeBase, postgres_db: str, postgres_server: Postgres
) -> None:
    guide = kb.guide
    proxy = TcpProxy(postgres_server.host, postgres_server.port)
    store = postgres_store(proxy.port, postgres_db, postgres_server, "  kept_conversations: 1\n")
    action_port, port = free_port(), free_port()
    actions = start_action_server(action_port, tmp_path / "actions.log").wait_ready()
    user = f"pg-{uuid.uuid4()}"
    try:
        rasa = start_rasa_server(port, action_port, tmp_path, tmp_path / "rasa-1.log", store).wait_ready()
        try:
            first, _ = asked(say(port, user, "which model fits my project?"), guide)
            second, _ = asked(say(port, user, ANSWERS[first]), guide)
            assert health(port) == (200, {"status": "ok"})
            proxy.cut()
            # The state only: where the database is and what the driver said go to the log.
            assert health_becomes(port, 503) == {"status": "degraded"}
            # The conversation goes on from memory during the outage.
            third, number = asked(say(port, user, ANSWERS[second]), guide)
            log = (tmp_path / "rasa-1.log").read_text()
            assert "tracker store" in log and "unreachable" in log and postgres_db in log
            # kept_conversations: 1 is reached: a new conversation is told, not dropped silently.
            status, sentence = refused(port, f"pg-{uuid.uuid4()}", "what is a GAN?")
            assert status == 503 and "try again in a few minutes" in sentence
            proxy.restore()
            assert health_becomes(port, 200) == {"status": "ok"}
        finally:
            rasa.stop()
        # A fresh server has nothing in memory: the step taken during the outage must come from PostgreSQL.
        rasa = start_rasa_server(port, action_port, tmp_path, tmp_path / "rasa-2.log", store).wait_ready()
        try:
            resumed = say(port, user, "why do you ask?")
            assert guide.factor(third).why in text_of(resumed)
            assert asked(resumed, guide) == (third, number)
        finally:
            rasa.stop()
    finally:
        proxy.cut()
        actions.stop()


@pytest.mark.services
def test_production_store_health_is_true_and_a_hung_database_blocks_no_request(
    tmp_path: Path, kb: KnowledgeBase, postgres_db: str, postgres_server: Postgres
) -> None:
    # endpoints.production.yml uses ReusingSQLTrackerStore directly: the health endpoint said "ok" whatever
    # PostgreSQL did, and without a connect timeout a database that never answers held the event loop.
    proxy = TcpProxy(postgres_server.host, postgres_server.port)
    store = (
        "  type: serving.sql_reuse.ReusingSQLTrackerStore\n  dialect: postgresql\n"
        f'  url: "127.0.0.1"\n  port: {proxy.port}\n  username: {postgres_server.user}\n  db: "{postgres_db}"\n'
        + (f'  password: "{postgres_server.password}"\n' if postgres_server.password else "")
    )
    action_port, port = free_port(), free_port()
    actions = start_action_server(action_port, tmp_path / "actions.log").wait_ready()
    rasa = start_rasa_server(port, action_port, tmp_path, tmp_path / "rasa.log", store).wait_ready()
    user = f"prod-{uuid.uuid4()}"
    try:
        assert kb.entries["gan"].explanation in text_of(say(port, user, "what is a GAN?"))
        assert health(port) == (200, {"status": "ok"})
        proxy.hang()  # accepts connections, never answers
        timings = []
        for question in ["what is a VAE?", "what is a transformer?", "what is a VAE?"]:
            started = time.monotonic()
            say(port, user, question)
            timings.append(time.monotonic() - started)
            time.sleep(5.5)  # past the retry period: the next message tries PostgreSQL again
        started = time.monotonic()
        assert health_becomes(port, 503) == {"status": "degraded"}
        timings.append(time.monotonic() - started)
        print("seconds per request while PostgreSQL hangs:", [round(t, 2) for t in timings])
        assert max(timings) < 4.0, timings
        proxy.restore()
        assert health_becomes(port, 200) == {"status": "ok"}
        assert kb.entries["diffusion_model"].explanation in text_of(say(port, user, "what is a diffusion model?"))
    finally:
        proxy.cut()
        rasa.stop()
        actions.stop()


async def widget_message(port: int, origin: str, session_id: str, text: str) -> None:
    """One socket.io message from the website widget under `session_id`; whatever the answer, if any."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    await client.connect(f"http://127.0.0.1:{port}", headers={"Origin": origin}, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        await asyncio.sleep(3)
    finally:
        await client.disconnect()


def test_a_conversation_id_the_database_cannot_store_does_not_end_the_server(tmp_path: Path, kb: KnowledgeBase) -> None:
    # The widget names its conversation; half an emoji in that name made SQLite raise a ValueError, which Rasa's
    # SQL tracker store turned into exiting the whole server (measured on main: the process was gone).
    origin = "http://localhost:8080"
    with running_assistant(tmp_path, env={"WEBCHAT_ALLOWED_ORIGINS": origin}) as assistant:
        asyncio.run(widget_message(assistant.rest_port, origin, "half an emoji \ud800", "what is a GAN?"))
        replies = say(assistant.rest_port, f"after-{uuid.uuid4()}", "what is a GAN?")
        assert kb.entries["gan"].explanation in text_of(replies)
