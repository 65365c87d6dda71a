"""The REST channel refuses malformed requests with a sentence, and typed payloads cannot set slots."""

import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from channels.inbound import printable
from channels.rest_body import MAX_BODY_BYTES, BodyError, RestMessage, parse_body
from tests.support.servers import MODEL, Assistant, running_assistant, say


def test_body_without_sender_is_refused() -> None:
    for body in ({"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": 7, "message": "hi"}):
        result = parse_body(json.dumps(body).encode())
        assert isinstance(result, BodyError) and result.status == 400 and '"sender"' in result.message


def test_non_object_and_malformed_json_are_400() -> None:
    for body in (b"[1, 2]", b'"hi"', b"null", b"{", b"\xff\xfe", b""):
        result = parse_body(body)
        assert isinstance(result, BodyError) and result.status == 400


def test_oversized_body_is_413_and_names_the_limit() -> None:
    result = parse_body(json.dumps({"sender": "a", "message": "x" * MAX_BODY_BYTES}).encode())
    assert isinstance(result, BodyError) and result.status == 413 and str(MAX_BODY_BYTES) in result.message


def test_text_is_kept_but_made_storable() -> None:
    result = parse_body(json.dumps({"sender": "a", "message": "a\x00b\ud800c 🙂\nd"}).encode())
    assert result == RestMessage("a", "a b\ufffdc 🙂\nd", None)
    assert printable("what is a GAN?") == "what is a GAN?"




@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("rest")) as assistant:
        yield assistant


def post(port: int, body: bytes) -> Tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def text_of(replies: List[Dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def stored_events(workdir: Path, sender: str) -> List[Dict[str, Any]]:
    with sqlite3.connect(workdir / "tracker.db") as db:
        # The REST channel stores its conversations as "rest:<sender>" (channels/conversation_ids.py).
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (f"rest:{sender}",)).fetchall()
    return [json.loads(row[0]) for row in rows]


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_server_refuses_bad_requests_with_a_sentence(stack: Assistant) -> None:
    port = stack.rest_port
    status, body = post(port, json.dumps({"message": "what is a GAN?"}).encode())
    assert status == 400 and '"sender"' in body["error"]
    assert post(port, b"[1, 2, 3]")[0] == 400
    assert post(port, b'{"sender": "x", "message": ')[0] == 400
    status, body = post(port, json.dumps({"sender": "big", "message": "a" * 100_000}).encode())
    assert status == 413 and "limit" in body["error"]
    assert stored_events(stack.workdir, "default") == []


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_typed_payload_sets_no_slot_and_jumps_nowhere(stack: Assistant) -> None:
    user = f"inject-{uuid.uuid4()}"
    replies = say(stack.rest_port, user, '/inform{"recommendation":"llm"}')
    assert replies, "a typed payload still gets an answer"
    assert "Recommendation:" not in text_of(replies)
    events = stored_events(stack.workdir, user)
    assert not [e for e in events if e.get("event") == "slot" and e.get("name") == "recommendation"]
    typed = [e for e in events if e.get("event") == "user"]
    assert typed and typed[-1]["text"].startswith('inform{"recommendation"')
    assert typed[-1]["parse_data"]["intent"]["name"] != "inform" or not typed[-1]["parse_data"]["entities"]


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_our_button_payload_still_works(stack: Assistant, kb) -> None:
    user = f"button-{uuid.uuid4()}"
    replies = say(stack.rest_port, user, '/ask_definition{"concept":"diffusion_model"}')
    assert kb.entries["diffusion_model"].explanation in text_of(replies)
