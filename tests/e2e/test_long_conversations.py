"""A long conversation costs no more per turn than a short one, and continues across the sessions that bound it.

rasa_fixes/session_length.py starts a new session after GENAI_SESSION_MAX_TURNS user messages. The end-to-end
explainer and decision-guide tests run here a second time against a server that starts a new session before
every message (limit 1): a conversation must not notice where its sessions begin. `make bench` measures 5,000
turns (bench/long_conversation.py); this checks 300.
"""

import json
import sqlite3
import statistics
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

import components  # noqa: F401  (applies rasa_fixes, as loading our model does)
from bench.scripts import EXPLAINER
from explainer.guide import DecisionGuide
from explainer.kb import KnowledgeBase
from rasa_fixes import session_length
from tests.support.servers import MODEL, Assistant, running_assistant, say

# The end-to-end tests, collected again here with this module's `stack` / `servers` (sessions of one message).
from tests.e2e.test_end_to_end_guide import (  # noqa: F401
    test_digressions_then_the_guide_resumes,
    test_free_text_scenarios,
    test_prefilled_answer_is_not_asked_again,
    test_what_if_rescores_without_the_form,
)
from tests.e2e.test_end_to_end_rest import (  # noqa: F401
    test_three_questions_of_a_new_user,
    test_typo_and_button_payload,
    test_unknown_and_out_of_scope,
)

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


def sessions_of(db: Path, sender: str) -> List[Dict]:
    """Each stored session of `sender`: its user messages and whether its SessionStarted continues the previous one."""
    with sqlite3.connect(db) as connection:
        # Stored under the sender as given, or with a channel prefix (`rest:<sender>`) where ids are prefixed.
        rows = connection.execute("SELECT type_name, data FROM events WHERE sender_id = ? OR sender_id LIKE ? "
                                  "ORDER BY id", (sender, f"%:{sender}"))
        sessions: List[Dict] = []
        for kind, data in rows:
            if kind == "session_started":
                metadata = json.loads(data).get("metadata") or {}
                sessions.append({"user": 0, "continued": bool(metadata.get(session_length.CONTINUED_KEY))})
            elif kind == "user":
                sessions[-1]["user"] += 1
    return sessions


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("one-message-sessions"),
                           env={session_length.ENV_VAR: "1"}) as assistant:
        yield assistant


@pytest.fixture(scope="module")
def servers(stack: Assistant) -> Assistant:
    return stack


@pytest.fixture(scope="module")
def guide(kb: KnowledgeBase) -> DecisionGuide:
    return kb.guide


def test_every_message_of_a_conversation_can_start_a_session(stack: Assistant, kb: KnowledgeBase) -> None:
    user = f"long-{uuid.uuid4()}"
    say(stack.rest_port, user, "what is a diffusion model?")
    follow_up = say(stack.rest_port, user, "when was it introduced?")
    assert str(kb.entries["diffusion_model"].year) in "\n".join(r.get("text", "") for r in follow_up)
    sessions = sessions_of(stack.workdir / "tracker.db", user)
    assert [s["user"] for s in sessions] == [1, 1]
    assert [s["continued"] for s in sessions] == [False, True]


def test_the_last_50_of_300_turns_cost_no_more_than_twice_the_first_50(tmp_path: Path) -> None:
    user = f"long-{uuid.uuid4()}"
    with running_assistant(tmp_path) as assistant:
        say(assistant.rest_port, "warm-up", "hi")
        latencies = []
        for turn in range(300):
            start = time.perf_counter()
            replies = say(assistant.rest_port, user, EXPLAINER[turn % len(EXPLAINER)])
            latencies.append(time.perf_counter() - start)
            assert replies, f"turn {turn + 1} got no reply"
        sessions = sessions_of(tmp_path / "tracker.db", user)
    early, late = statistics.median(latencies[:50]), statistics.median(latencies[-50:])
    assert late <= 2 * early, f"p50 {late * 1000:.0f} ms per turn at turns 251-300, {early * 1000:.0f} ms at 1-50"
    assert sum(s["user"] for s in sessions) == 300
    assert max(s["user"] for s in sessions) <= session_length.DEFAULT_MAX_TURNS
