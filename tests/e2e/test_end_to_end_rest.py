"""The real action server and `rasa run` with the trained model, spoken to over the REST channel."""

import os
import uuid
from typing import Iterator

import pytest

from explainer.answers import short_name
from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, Assistant, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


OUT_OF_SCOPE = (
    "That's outside what I know: I only explain generative AI and large language models — what a concept is, "
    "how it works, examples, uses, limitations, history and comparisons."
)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("e2e")) as assistant:
        yield assistant


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_three_questions_of_a_new_user(servers, kb: KnowledgeBase) -> None:
    port = servers.rest_port
    user = f"e2e-{uuid.uuid4()}"
    first = say(port, user, "what is a diffusion model?")
    assert kb.entries["diffusion_model"].explanation in texts(first)
    assert first[0].get("buttons"), "follow-up buttons are missing"
    second = say(port, user, "when was it introduced?")
    assert str(kb.entries["diffusion_model"].year) in texts(second)
    third = say(port, user, "how is it different from a GAN?")
    assert short_name(kb.entries["gan"]) in texts(third)
    assert short_name(kb.entries["diffusion_model"]) in texts(third)


def test_typo_and_button_payload(servers, kb: KnowledgeBase) -> None:
    port = servers.rest_port
    user = f"e2e-{uuid.uuid4()}"
    replies = say(port, user, "how do transfromers work")
    assert kb.entries["transformer"].how_it_works in texts(replies)
    # The first follow-up offered is the definition of the first related concept in knowledge/*.yml.
    related = kb.entries[kb.entries["transformer"].related[0]]
    button = replies[0]["buttons"][0]
    assert button["payload"].startswith("/ask_definition") and related.id in button["payload"], button
    answer = texts(say(port, user, button["payload"]))
    assert related.explanation in answer
    assert kb.entries["transformer"].how_it_works not in answer


def test_unknown_and_out_of_scope(servers) -> None:
    port = servers.rest_port
    user = f"e2e-{uuid.uuid4()}"
    # Sentences written out here: "generative AI" alone is also in the greeting, help and fallback replies.
    unknown = texts(say(port, user, "what is a quantum blockchain?"))
    assert "“quantum blockchain” isn't something I cover: I explain generative AI and large language models." in unknown
    out = texts(say(port, user, "can you order me a pizza"))
    assert OUT_OF_SCOPE in out, out


def test_edited_answer_is_served_without_restart(servers) -> None:
    port, knowledge = servers.rest_port, servers.knowledge
    path = knowledge / "model_families.yml"
    content = path.read_text(encoding="utf-8")
    marker = f"Edited explanation {uuid.uuid4().hex[:8]}."
    start = content.index("- id: nerf")
    at = content.index("    simple: ", start)
    end = content.index("\n", at)
    path.write_text(content[:at] + f"    simple: {marker}" + content[end:], encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    user = f"e2e-{uuid.uuid4()}"
    say(port, user, "what is a NeRF")
    assert marker in texts(say(port, user, "explain it more simply"))
