"""A bounded fuzz run over REST: no 5xx, every well-formed message answered, normal use after."""

import uuid
from pathlib import Path

import pytest

from fuzz import fuzz_rest
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
