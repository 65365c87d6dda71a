"""Over REST with the real servers: questions phrased the way people type them reach the answer they ask for.

Each phrasing is one the independent evaluation of 2026-12 reported as misread (issue 14)."""

import uuid
from pathlib import Path
from typing import Iterator

import pytest

from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, Assistant, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("routing")) as assistant:
        yield assistant


def reply(stack: Assistant, message: str) -> str:
    return "\n".join(r.get("text", "") for r in say(stack.rest_port, f"routing-{uuid.uuid4()}", message))


@pytest.mark.parametrize("message, concept", [
    ("stable diffusion", "stable_diffusion"), ("elevenlabs", "elevenlabs"), ("deepfakes?", "deepfake"),
    ("large language model", "llm"), ("Reinforcement learning from human feedback", "rlhf"),
])
def test_a_bare_term_is_explained(stack: Assistant, kb: KnowledgeBase, message: str, concept: str) -> None:
    assert kb.entries[concept].explanation[:80] in reply(stack, message)


@pytest.mark.parametrize("message", ["explain transformers", "explain transformers please", "can you explain transformers"])
def test_explain_x_gets_the_explanation(stack: Assistant, kb: KnowledgeBase, message: str) -> None:
    assert kb.entries["transformer"].explanation[:80] in reply(stack, message)


def test_where_do_hallucinations_come_from_is_not_a_source_request(stack: Assistant, kb: KnowledgeBase) -> None:
    text = reply(stack, "where do hallucinations come from")
    assert kb.entries["hallucination"].explanation[:80] in text and "comes from:" not in text
