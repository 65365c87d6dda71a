"""Over REST with the real servers: an answer the guide cannot read is asked about once more, never twice."""

import re
import uuid
from pathlib import Path

import pytest

from tests.support.servers import MODEL, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")


def text_of(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_two_unreadable_answers_move_on_and_change_fixes_it_later(tmp_path: Path) -> None:
    with running_assistant(tmp_path) as stack:
        user = f"stuck-{uuid.uuid4()}"
        first = QUESTION.search(text_of(say(stack.rest_port, user, "should I use an LLM?")))
        assert first and first.group(3) == "Content type", "the guide opens with the content question"
        again = text_of(say(stack.rest_port, user, "qwzx plorb"))
        assert "didn't catch that" in again and QUESTION.search(again).group(3) == "Content type"
        moved = text_of(say(stack.rest_port, user, "zzgrk vlemph"))
        assert "note content type as “not sure”" in moved
        nxt = QUESTION.search(moved)
        assert nxt and nxt.group(3) != "Content type", f"a third identical question: {moved!r}"
        summary = text_of(say(stack.rest_port, user, "show my answers"))
        assert "Content type: not sure" in summary
