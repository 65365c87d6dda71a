"""Signed Slack requests to the real Rasa server's Slack webhook; replies captured on a fake Slack Web API."""

import json
import time
import uuid
from typing import Any, Dict, Iterator, List

import pytest

from channels.formatting import SLACK_SECTION_LIMIT, slack_escape
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base
from explainer.payloads import parse
from tests.support.fake_chat_apis import Call, FakeSlackApi
from tests.support.servers import MODEL, ROOT, Assistant, running_assistant
from tests.support.slack_requests import button_click, click_body, event_body, message_event, post, signed_headers

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

SECRET = "test-signing-secret-" + uuid.uuid4().hex
TOKEN = "xoxb-test-" + uuid.uuid4().hex[:12]
JSON_UTF8 = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
# Asked after the messages under test; its answer marks that everything before it has been handled.
MARKER, MARKER_CONCEPT = "what is a transformer?", "transformer"


class Slack:
    """The running assistant, its Slack webhook URL and the fake Web API that receives its replies."""

    def __init__(self, assistant: Assistant, api: FakeSlackApi) -> None:
        self.assistant = assistant
        self.api = api
        self.url = f"http://127.0.0.1:{assistant.rest_port}/webhooks/slack/webhook"

    def send(self, event: Dict[str, Any], content_type: str = JSON_UTF8, **headers: str):
        body = event_body(event)
        return post(self.url, body, {**signed_headers(SECRET, body, content_type), **headers})

    def click(self, payload: Dict[str, Any]):
        body = click_body(payload)
        return post(self.url, body, signed_headers(SECRET, body, FORM))

    def posts(self, channel: str, count: int = 1) -> List[Call]:
        return self.api.wait_for("chat.postMessage", count, channel=channel)

    def settled(self, channel: str, user: str) -> List[Call]:
        """The posts to `channel` before the answer to a later marker question: nothing earlier is pending then."""
        self.send(message_event(user, channel, MARKER))
        marker = slack_escape(load_knowledge_base(ROOT / "knowledge").entries[MARKER_CONCEPT].explanation)
        return self.api.wait_until("chat.postMessage", lambda c: marker in section_text(c), channel=channel)[:-1]


@pytest.fixture(scope="module")
def slack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slack]:
    workdir = tmp_path_factory.mktemp("slack")
    with FakeSlackApi() as api:
        # The shipped credentials file, pointed at the fake Web API.
        credentials = workdir / "credentials.yml"
        text = (ROOT / "credentials.slack.yml").read_text(encoding="utf-8")
        credentials.write_text(text + f"  slack_api_url: {api.base_url}\n", encoding="utf-8")
        env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        with running_assistant(workdir, credentials, env) as assistant:
            yield Slack(assistant, api)


def section_text(call: Call) -> str:
    return call.params["blocks"][0]["text"]["text"]


def buttons(call: Call) -> List[Dict[str, Any]]:
    return [e for block in call.params["blocks"] if block["type"] == "actions" for e in block["elements"]]


def new_chat() -> tuple:
    return f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"


def test_signed_message_is_answered_in_mrkdwn_with_block_kit_buttons(slack: Slack, kb: KnowledgeBase) -> None:
    user, channel = new_chat()
    reply = slack.send(message_event(user, channel, "what is a diffusion model?"), JSON_UTF8)
    assert reply.status == 200
    [answer] = slack.posts(channel)
    assert answer.authorization == f"Bearer {TOKEN}"
    assert answer.params["blocks"][0]["text"]["type"] == "mrkdwn"
    assert slack_escape(kb.entries["diffusion_model"].explanation) in section_text(answer)
    shown = buttons(answer)
    assert shown and all(b["type"] == "button" and parse(b["value"]) for b in shown)


def test_button_click_continues_the_conversation(slack: Slack, kb: KnowledgeBase) -> None:
    user, channel = new_chat()
    slack.send(message_event(user, channel, "what is a diffusion model?"))
    [first] = slack.posts(channel)
    definition = next(b for b in buttons(first) if b["value"].startswith("/ask_definition"))
    concept = parse(definition["value"])[1]["concept"]
    reply = slack.click(button_click(user, channel, definition["value"], first.params.get("ts", "1.0")))
    assert reply.status == 200
    second = slack.posts(channel, 2)[1]
    assert slack_escape(kb.entries[concept].explanation) in section_text(second)
    # The click joined the same conversation: "it" now means the clicked concept.
    slack.send(message_event(user, channel, "explain it more simply"))
    third = slack.posts(channel, 3)[2]
    assert slack_escape(kb.entries[concept].simple) in section_text(third)


def test_wrong_signature_and_old_timestamp_are_rejected(slack: Slack) -> None:
    user, channel = new_chat()
    body = event_body(message_event(user, channel, "what is a GAN?"))
    wrong = post(slack.url, body, signed_headers("not-the-secret", body, JSON_UTF8))
    old = post(slack.url, body, signed_headers(SECRET, body, JSON_UTF8, timestamp=int(time.time()) - 5 * 60 - 30))
    unsigned = post(slack.url, body, {"Content-Type": JSON_UTF8})
    assert (wrong.status, old.status, unsigned.status) == (401, 401, 401)
    assert "signature" in wrong.body.lower() and "five minutes" in old.body
    assert slack.settled(channel, user) == []


@pytest.mark.parametrize("signature", ["v0=é".encode("utf-8"), b"v0=\xe9\xff", "v0=✓".encode("utf-8")])
def test_a_non_ascii_signature_is_rejected_with_401(slack: Slack, signature: bytes) -> None:
    user, channel = new_chat()
    body = event_body(message_event(user, channel, "what is a GAN?"))
    headers = signed_headers(SECRET, body, JSON_UTF8)
    reply = post(slack.url, body, {**headers, "X-Slack-Signature": signature})  # type: ignore[dict-item]
    assert reply.status == 401 and "signature" in reply.body.lower()
    assert slack.settled(channel, user) == []


def test_retries_and_replayed_events_are_answered_once(slack: Slack) -> None:
    user, channel = new_chat()
    event = message_event(user, channel, "what is a GAN?")
    assert slack.send(event).status == 200
    slack.posts(channel)
    for number, reason in ((1, "http_timeout"), (2, "http_error"), (3, "connection_failed")):
        retry = slack.send(event, **{"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason})
        assert retry.status == 200 and retry.headers.get("X-Slack-No-Retry") == "1"
    assert slack.send(event).status == 200  # the same event_id replayed without retry headers
    assert len(slack.settled(channel, user)) == 1


def test_a_retry_of_an_event_that_never_arrived_is_answered(slack: Slack) -> None:
    user, channel = new_chat()
    event = message_event(user, channel, "what is a GAN?")
    assert slack.send(event, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}).status == 200
    assert len(slack.posts(channel)) == 1


def test_a_mention_delivered_as_message_and_app_mention_is_answered_once(slack: Slack) -> None:
    user, channel = new_chat()
    as_message = message_event(user, channel, "<@UBOT> what is a GAN?")
    as_mention = message_event(user, channel, "<@UBOT> what is a GAN?", kind="app_mention")
    as_mention["event"]["ts"] = as_message["event"]["ts"]
    slack.send(as_message)
    slack.send(as_mention)
    assert len(slack.settled(channel, user)) == 1


def test_sources_are_escaped_and_linked(slack: Slack, kb: KnowledgeBase) -> None:
    user, channel = new_chat()
    slack.send(message_event(user, channel, "what is a diffusion model?"))
    slack.send(message_event(user, channel, "where is this from?"))
    text = section_text(slack.posts(channel, 2)[1])
    for source in kb.source_list(kb.entries["diffusion_model"].sources):
        assert slack_escape(source.title) in text
        assert f"<{source.url}>" in text
    assert "&amp;" in text, "the source title with '&' must arrive escaped for mrkdwn"


def test_long_answer_is_split_below_slacks_limit(slack: Slack) -> None:
    path = slack.assistant.knowledge / "model_families.yml"
    sentence = "A neural radiance field stores a scene as a function of position & view direction. "
    long_text = (sentence * 60).strip()
    content = path.read_text(encoding="utf-8")
    at = content.index("    simple: ", content.index("- id: nerf"))
    path.write_text(content[:at] + f"    simple: {json.dumps(long_text)}" + content[content.index("\n", at) :], encoding="utf-8")
    user, channel = new_chat()
    slack.send(message_event(user, channel, "what is a NeRF"))
    slack.send(message_event(user, channel, "explain it more simply"))
    parts = slack.settled(channel, user)[1:]
    assert len(parts) == 2
    assert all(len(section_text(p)) <= SLACK_SECTION_LIMIT for p in parts)
    assert not buttons(parts[0]) and buttons(parts[1]), "buttons belong under the last part"
    joined = " ".join(section_text(p) for p in parts)
    assert " ".join(joined.split()).endswith(slack_escape(long_text))


def test_url_verification_challenge_is_answered(slack: Slack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()
    reply = post(slack.url, body, signed_headers(SECRET, body, JSON_UTF8))
    assert reply.status == 200 and json.loads(reply.body) == {"challenge": "c-123"}


def test_hostile_user_ids_and_oversized_metadata_are_refused_with_a_sentence(slack: Slack, kb: KnowledgeBase) -> None:
    _, channel = new_chat()
    for user in ["\ud800", "a\x00b", "x" * 10_000, 12345]:
        reply = slack.send(message_event(user, channel, "what is a GAN?"))
        assert reply.status == 400 and "Slack conversation id" in reply.body, (user, reply)
    crowded = message_event("UCROWD", channel, "what is a GAN?")
    # Every authorised user id goes into the message metadata (for mention clean-up): 2,000 of them is over 16 KB.
    crowded["authorizations"] = [{"team_id": "T0TEST", "user_id": f"U{n:010d}", "is_bot": False} for n in range(2000)]
    reply = slack.send(crowded)
    assert reply.status == 400 and "16384 bytes" in reply.body, reply
    user, channel = new_chat()
    slack.send(message_event(user, channel, "what is a GAN?"))
    [answer] = slack.posts(channel)
    assert slack_escape(kb.entries["gan"].explanation) in section_text(answer)
