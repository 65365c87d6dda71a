"""Bounded fuzz runs over REST and socket.io: no server error, every well-formed message answered, normal use after."""

import uuid
from pathlib import Path

import pytest

from fuzz import fuzz_rest, fuzz_socketio
from servers import MODEL, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


def test_hostile_traffic_leaves_the_assistant_answering(tmp_path: Path, kb) -> None:
    with running_assistant(tmp_path) as assistant:
        rest = fuzz_rest(assistant.rest_port, count=150, seed=7)
        assert rest.server_errors == []
        assert rest.unanswered == []
        assert rest.refused > 0, "the run must include malformed bodies"
        replies = say(assistant.rest_port, f"after-fuzz-{uuid.uuid4()}", "what is a GAN?")
        assert kb.entries["gan"].explanation in "\n".join(r.get("text", "") for r in replies)


def test_hostile_widget_events_leave_the_assistant_answering(tmp_path: Path, kb) -> None:
    origin = "http://localhost:8080"  # the page `make run` serves, allowed by default
    with running_assistant(tmp_path, env={"WEBCHAT_ALLOWED_ORIGINS": origin}) as assistant:
        widget = fuzz_socketio(assistant.rest_port, count=40, seed=11, origin=origin)
        assert widget.server_errors == []
        assert widget.unanswered == []
        assert widget.refused > 0, "the run must include malformed events"
        replies = say(assistant.rest_port, f"after-fuzz-{uuid.uuid4()}", "what is a GAN?")
        assert kb.entries["gan"].explanation in "\n".join(r.get("text", "") for r in replies)
    assert "Traceback" not in (tmp_path / "rasa.log").read_text(errors="replace")
