"""Faults with the real servers: action server down or frozen, PostgreSQL unreachable, Rasa restarted mid guide."""

import os
import re
import signal
import urllib.error
import urllib.request
import json
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import psycopg2
import pytest

from rasa_fixes.action_timeout import APOLOGY
from explainer.guide import DecisionGuide
from explainer.kb import KnowledgeBase
from guide_scenarios import SCENARIOS
from servers import MODEL, free_port, say, start_action_server, start_rasa_server
from services import Postgres
from tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")
ANSWERS = SCENARIOS["support chatbot"][1]


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


@pytest.fixture
def postgres_db(postgres_server: Postgres) -> Iterator[str]:
    """A uniquely named PostgreSQL database, dropped after the test."""
    name = f"genai_faults_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(**postgres_server.connection())
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def postgres_store(port: int, db: str, server: Postgres) -> str:
    return (
        "  type: serving.tracker_store.KeptTrackerStore\n  backend: SQL\n  dialect: postgresql\n"
        f'  url: "127.0.0.1"\n  port: {port}\n  username: {server.user}\n  db: "{db}"\n'
        + (f'  password: "{server.password}"\n' if server.password else "")
    )


def test_postgres_outage_and_restart_lose_no_step_of_the_guide(
    tmp_path: Path, kb: KnowledgeBase, postgres_db: str, postgres_server: Postgres
) -> None:
    guide = kb.guide
    proxy = TcpProxy(postgres_server.host, postgres_server.port)
    store = postgres_store(proxy.port, postgres_db, postgres_server)
    action_port, port = free_port(), free_port()
    actions = start_action_server(action_port, tmp_path / "actions.log").wait_ready()
    user = f"pg-{uuid.uuid4()}"
    try:
        rasa = start_rasa_server(port, action_port, tmp_path, tmp_path / "rasa-1.log", store).wait_ready()
        try:
            first, _ = asked(say(port, user, "should I use an LLM for a customer-support bot?"), guide)
            second, _ = asked(say(port, user, ANSWERS[first]), guide)
            assert health(port)[0] == 200
            proxy.cut()
            status, report = health(port)
            assert status == 503 and report["tracker_stores"][0]["reachable"] is False
            # The conversation goes on from memory during the outage.
            third, number = asked(say(port, user, ANSWERS[second]), guide)
            assert "tracker store" in (tmp_path / "rasa-1.log").read_text() and "unreachable" in (tmp_path / "rasa-1.log").read_text()
            proxy.restore()
            status, report = health(port)
            assert status == 200 and report["tracker_stores"][0]["conversations_kept_in_memory"] == 0
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
