"""Telegram updates posted to the real Rasa server's Telegram webhook; replies captured on a fake Bot API."""

import json
import random
import sqlite3
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import yaml
from rasa.core.nlg.interpolator import interpolate_text

from channels.formatting import TELEGRAM_MESSAGE_LIMIT, telegram_escape, telegram_html, utf16_length
from explainer.kb import KnowledgeBase
from explainer.loader import load_knowledge_base
from explainer.payloads import parse
from tests.support.fake_chat_apis import Call, FakeTelegramApi
from tests.support.servers import MODEL, ROOT, Assistant, free_port, running_assistant, say
from tests.support.slack_requests import Reply, post

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

TOKEN = f"{random.randint(10**8, 10**9)}:TEST-{uuid.uuid4().hex}"
SECRET = "secret_" + uuid.uuid4().hex
HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Asked after the updates under test; its answer marks that everything before it has been handled.
MARKER, MARKER_CONCEPT = "what is a transformer?", "transformer"


class Telegram:
    """The running assistant, its Telegram webhook URL and the fake Bot API that receives its replies."""

    def __init__(self, assistant: Assistant, api: FakeTelegramApi) -> None:
        self.assistant = assistant
        self.api = api
        self.base = f"http://127.0.0.1:{assistant.rest_port}/webhooks/telegram"
        self._update_ids = iter(range(random.randint(10**6, 10**7), 10**8))

    def send(self, update: Dict[str, Any], secret: Optional[str] = SECRET) -> Reply:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[HEADER] = secret
        return post(f"{self.base}/webhook", json.dumps(update).encode(), headers)

    def message(self, chat: int, text: str, kind: str = "message") -> Dict[str, Any]:
        user = {"id": chat, "is_bot": False, "first_name": "Tess"}
        body = {
            "message_id": random.randint(1, 10**6),
            "from": user,
            "chat": {"id": chat, "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if kind == "edited_message":
            body["edit_date"] = int(time.time())
        return {"update_id": next(self._update_ids), kind: body}

    def press(self, chat: int, data: str) -> Dict[str, Any]:
        user = {"id": chat, "is_bot": False, "first_name": "Tess"}
        shown = {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"}, "text": "..."}
        query = {"id": str(uuid.uuid4().int % 10**18), "from": user, "message": shown, "chat_instance": "1", "data": data}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def replies(self, chat: int, count: int = 1) -> List[Call]:
        return self.api.wait_for("sendMessage", count, chat_id=chat)

    def settled(self, chat: int) -> List[Call]:
        """The replies in `chat` before the answer to a later marker question: nothing earlier is pending then."""
        self.send(self.message(chat, MARKER))
        marker = telegram_escape(load_knowledge_base(ROOT / "knowledge").entries[MARKER_CONCEPT].explanation)
        return self.api.wait_until("sendMessage", lambda c: marker in c.params["text"], chat_id=chat)[:-1]


def start(workdir: Path, api: FakeTelegramApi, port: int):
    credentials = workdir / "credentials.yml"
    text = (ROOT / "credentials.telegram.yml").read_text(encoding="utf-8")
    credentials.write_text(text + f"  api_url: {api.base_url}\n", encoding="utf-8")
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
    }
    return running_assistant(workdir, credentials, env, rest_port=port)


@pytest.fixture(scope="module")
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Telegram]:
    with FakeTelegramApi(TOKEN) as api:
        with start(tmp_path_factory.mktemp("telegram"), api, free_port()) as assistant:
            yield Telegram(assistant, api)


def new_chat() -> int:
    return random.randint(10**8, 10**10)


def keyboard(call: Call) -> List[Dict[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def test_webhook_is_registered_with_the_secret_token(telegram: Telegram) -> None:
    [registration] = telegram.api.calls_of("setWebhook")
    assert registration.params["secret_token"] == SECRET
    assert registration.params["url"] == f"{telegram.base}/webhook"
    assert "edited_message" not in registration.params["allowed_updates"]


def test_message_is_answered_in_html_with_buttons_that_fit(telegram: Telegram, kb: KnowledgeBase) -> None:
    chat = new_chat()
    assert telegram.send(telegram.message(chat, "what is a diffusion model?")).status == 200
    [answer] = telegram.replies(chat)
    assert answer.params["parse_mode"] == "HTML"
    assert telegram_escape(kb.entries["diffusion_model"].explanation) in answer.params["text"]
    shown = keyboard(answer)
    assert shown and all(parse(b["callback_data"]) and len(b["callback_data"].encode()) <= 64 for b in shown)


def test_updates_without_the_secret_header_are_rejected(telegram: Telegram) -> None:
    chat = new_chat()
    missing = telegram.send(telegram.message(chat, "what is a GAN?"), secret=None)
    wrong = telegram.send(telegram.message(chat, "what is a GAN?"), secret="not-" + SECRET)
    assert (missing.status, wrong.status) == (403, 403)
    assert telegram.settled(chat) == []


def test_button_press_is_acknowledged_and_continues_the_conversation(telegram: Telegram, kb: KnowledgeBase) -> None:
    chat = new_chat()
    telegram.send(telegram.message(chat, "what is a diffusion model?"))
    [first] = telegram.replies(chat)
    definition = next(b for b in keyboard(first) if b["callback_data"].startswith("/ask_definition"))
    concept = parse(definition["callback_data"])[1]["concept"]
    press = telegram.press(chat, definition["callback_data"])
    assert telegram.send(press).status == 200
    second = telegram.replies(chat, 2)[1]
    assert telegram_escape(kb.entries[concept].explanation) in second.params["text"]
    assert telegram.api.calls_of("answerCallbackQuery", callback_query_id=press["callback_query"]["id"])
    telegram.send(telegram.message(chat, "explain it more simply"))
    assert telegram_escape(kb.entries[concept].simple) in telegram.replies(chat, 3)[2].params["text"]


def test_edited_and_redelivered_updates_are_not_answered_twice(telegram: Telegram) -> None:
    chat = new_chat()
    original = telegram.message(chat, "what is a GAN?")
    telegram.send(original)
    telegram.replies(chat)
    edited = telegram.message(chat, "what is a GAN exactly?", kind="edited_message")
    edited["edited_message"]["message_id"] = original["message"]["message_id"]
    assert telegram.send(edited).status == 200
    assert telegram.send(original).status == 200  # Telegram redelivers an update it thinks failed
    assert len(telegram.settled(chat)) == 1


def test_sources_are_escaped_for_html(telegram: Telegram, kb: KnowledgeBase) -> None:
    chat = new_chat()
    telegram.send(telegram.message(chat, "what is a diffusion model?"))
    telegram.send(telegram.message(chat, "where is this from?"))
    text = telegram.replies(chat, 2)[1].params["text"]
    for source in kb.source_list(kb.entries["diffusion_model"].sources):
        assert telegram_escape(source.title) in text and source.url in text
    assert "&amp;" in text and " & " not in text


def test_long_answer_is_split_below_telegrams_limit(telegram: Telegram) -> None:
    path = telegram.assistant.knowledge / "model_families.yml"
    sentence = "A neural radiance field <NeRF> stores a scene as a function of position & view direction. "
    long_text = (sentence * 60).strip()
    content = path.read_text(encoding="utf-8")
    at = content.index("    simple: ", content.index("- id: nerf"))
    path.write_text(content[:at] + f"    simple: {json.dumps(long_text)}" + content[content.index("\n", at) :], encoding="utf-8")
    chat = new_chat()
    telegram.send(telegram.message(chat, "what is a NeRF"))
    telegram.send(telegram.message(chat, "explain it more simply"))
    parts = telegram.settled(chat)[1:]
    assert len(parts) == 2
    # Telegram counts the text after HTML parsing: the escaped entities count as one character each.
    visible = [p.params["text"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for p in parts]
    assert all(utf16_length(v) <= TELEGRAM_MESSAGE_LIMIT for v in visible)
    assert not keyboard(parts[0]) and keyboard(parts[1]), "buttons belong under the last part"
    assert " ".join(" ".join(visible).split()).endswith(long_text)


def test_health_reports_the_registered_webhook(telegram: Telegram) -> None:
    with urllib.request.urlopen(f"{telegram.base}/", timeout=10) as response:
        assert json.loads(response.read())["webhook"] == "registered"


def test_refused_webhook_registration_is_reported_and_can_be_retried(tmp_path: Path) -> None:
    with FakeTelegramApi(TOKEN) as api:
        api.webhook_refusal = (401, "Unauthorized")
        with start(tmp_path, api, free_port()) as assistant:
            base = f"http://127.0.0.1:{assistant.rest_port}/webhooks/telegram"
            log = (tmp_path / "rasa.log").read_text(encoding="utf-8")
            assert "Telegram did not register the webhook" in log and "Unauthorized" in log
            assert "Traceback" not in log
            with urllib.request.urlopen(f"{base}/", timeout=10) as response:
                shown = response.read().decode()
            # Anyone can read GET /: it says whether, and the log (for the operator) says why.
            assert json.loads(shown)["webhook"] == "not registered" and "Unauthorized" not in shown
            api.webhook_refusal = None
            assert post(f"{base}/set_webhook", b"", {HEADER: SECRET}).status == 200
            with urllib.request.urlopen(f"{base}/", timeout=10) as response:
                assert json.loads(response.read())["webhook"] == "registered"


def test_start_command_greets_with_the_domains_greeting(telegram: Telegram) -> None:
    greeting = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_greet"][0]
    chat = new_chat()
    telegram.send(telegram.message(chat, "/start"))
    [reply] = telegram.replies(chat)
    assert reply.params["text"] == telegram_html(greeting["text"])
    # Rasa fills {slot} placeholders in response payloads; the domain doubles literal braces for that.
    sent_payloads = [interpolate_text(b["payload"], {}) for b in greeting["buttons"]]
    assert [b["callback_data"] for b in keyboard(reply)] == sent_payloads


def test_set_webhook_needs_the_secret_header(telegram: Telegram) -> None:
    url = f"{telegram.base}/set_webhook"
    before = len(telegram.api.calls_of("setWebhook"))
    missing = post(url, b"", {})
    wrong = post(url, b"", {HEADER: "not-" + SECRET})
    non_ascii = post(url, b"", {HEADER: "é".encode("utf-8")})  # type: ignore[dict-item]
    assert (missing.status, wrong.status, non_ascii.status) == (403, 403, 403)
    assert HEADER in missing.body
    assert len(telegram.api.calls_of("setWebhook")) == before, "an unauthenticated request re-registered the webhook"
    right = post(url, b"", {HEADER: SECRET})
    assert right.status == 200
    assert len(telegram.api.calls_of("setWebhook")) == before + 1


def test_a_non_ascii_secret_header_is_refused_with_403(telegram: Telegram) -> None:
    chat = new_chat()
    body = json.dumps(telegram.message(chat, "what is a GAN?")).encode()
    for value in ("é".encode("utf-8"), b"\xe9\xff"):
        reply = post(f"{telegram.base}/webhook", body, {"Content-Type": "application/json", HEADER: value})  # type: ignore[dict-item]
        assert reply.status == 403
    assert telegram.settled(chat) == []


def test_a_rest_sender_named_like_a_telegram_chat_gets_its_own_conversation(telegram: Telegram, kb: KnowledgeBase) -> None:
    chat = new_chat()
    telegram.send(telegram.message(chat, "what is a diffusion model?"))
    telegram.replies(chat)
    # Anyone can POST to the REST channel and name any sender: here, the Telegram user's chat id.
    rest = say(telegram.assistant.rest_port, str(chat), "explain it more simply")
    assert rest and {r["recipient_id"] for r in rest} == {str(chat)}
    assert kb.entries["diffusion_model"].simple not in "\n".join(r.get("text", "") for r in rest)
    # The Telegram user's conversation is untouched: "it" is still the diffusion model.
    telegram.send(telegram.message(chat, "explain it more simply"))
    assert telegram_escape(kb.entries["diffusion_model"].simple) in telegram.replies(chat, 2)[1].params["text"]
    with sqlite3.connect(telegram.assistant.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE ?", (f"%{chat}",)
        ).fetchall()
    channels: Dict[str, set] = {}
    for sender, data in rows:
        channels.setdefault(sender, set()).add(json.loads(data)["input_channel"])
    assert channels == {f"telegram:{chat}": {"telegram"}, f"rest:{chat}": {"rest"}}


def test_hostile_chat_ids_are_refused_with_a_sentence_and_the_bot_keeps_answering(
    telegram: Telegram, kb: KnowledgeBase
) -> None:
    for chat_id in ["\ud800", "a\x00b", "x" * 10_000, ["a"], ""]:
        update = telegram.message(new_chat(), "what is a GAN?")
        update["message"]["chat"]["id"] = chat_id
        reply = telegram.send(update)
        assert reply.status == 400 and "Telegram chat id" in reply.body, (chat_id, reply)
    chat = new_chat()
    telegram.send(telegram.message(chat, "what is a GAN?"))
    assert telegram_escape(kb.entries["gan"].explanation) in telegram.replies(chat)[0].params["text"]
