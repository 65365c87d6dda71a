"""Rasa-free Telegram helpers: HTML escaping, UTF-16 lengths, callback data, what an Update asks for."""

from channels.buttons import TELEGRAM_CALLBACK_BYTES, callback_data, telegram_keyboard
from channels.formatting import TELEGRAM_MESSAGE_LIMIT, split_text, telegram_html, utf16_length
from channels.telegram_updates import TEXT_ONLY, command_text, incoming
from explainer.answers import Explainer
from explainer.kb import KnowledgeBase


def test_html_escapes_text_and_bolds_bullet_labels() -> None:
    text = "Generative AI & LLMs <b>not bold</b>\n• Output: text & images"
    assert telegram_html(text).split("\n") == [
        "Generative AI &amp; LLMs &lt;b&gt;not bold&lt;/b&gt;",
        "• <b>Output</b>: text &amp; images",
    ]


def test_every_answer_about_every_concept_is_valid_telegram_html(kb: KnowledgeBase) -> None:
    import html.parser

    class Tags(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append(tag)

    explainer = Explainer(kb)
    for concept in kb.entries:
        for aspect in ("definition", "how_it_works", "examples", "limitations", "history", "source"):
            parser = Tags()
            parser.feed(telegram_html(explainer.explain(concept, aspect).text))
            assert set(parser.tags) <= {"b"}, (concept, aspect, parser.tags)


def test_utf16_length_counts_emoji_as_two() -> None:
    assert utf16_length("ab") == 2 and utf16_length("😀") == 2 and utf16_length("é") == 1


def test_split_respects_telegrams_utf16_limit() -> None:
    text = ("Emoji 😀 sentence. " * 400).strip()
    parts = split_text(text, TELEGRAM_MESSAGE_LIMIT, utf16_length)
    assert len(parts) == 2 and all(utf16_length(p) <= TELEGRAM_MESSAGE_LIMIT for p in parts)
    assert " ".join(parts) == text


def test_every_button_of_every_answer_fits_telegrams_callback_limit(kb: KnowledgeBase) -> None:
    explainer = Explainer(kb)
    for concept in kb.entries:
        for button in explainer.explain(concept, "definition").buttons:
            data = callback_data({"title": button.title, "payload": button.payload})
            assert data == button.payload and len(data.encode()) <= TELEGRAM_CALLBACK_BYTES


def test_an_overlong_payload_falls_back_to_the_title_cut_at_64_bytes() -> None:
    button = {"title": "Ünïcödé " * 20, "payload": "/ask_comparison" + '{"concept":["' + "x" * 80 + '"]}'}
    data = callback_data(button)
    assert len(data.encode()) <= TELEGRAM_CALLBACK_BYTES and data.startswith("Ünïcödé")
    data.encode().decode()  # no character was cut in half


def test_keyboard_has_one_button_per_row() -> None:
    keyboard = telegram_keyboard([{"title": "A", "payload": "/help"}, {"title": "B", "payload": "/greet"}])
    assert keyboard == {"inline_keyboard": [[{"text": "A", "callback_data": "/help"}], [{"text": "B", "callback_data": "/greet"}]]}


def test_start_and_help_commands_map_to_our_payloads() -> None:
    assert command_text("/start") == "/greet"
    assert command_text("/start@GenAIExplainerBot") == "/greet"
    assert command_text("/help") == "/help"
    assert command_text("/start what is a GAN") == "/start what is a GAN"
    assert command_text("what is a GAN") == "what is a GAN"


def _message(**fields):
    return {"message_id": 5, "date": 1, "chat": {"id": 42, "type": "private"}, **fields}


def test_update_kinds() -> None:
    assert incoming({"update_id": 1, "message": _message(text="hi")}).text == "hi"
    press = incoming({"update_id": 2, "callback_query": {"id": "77", "from": {"id": 9}, "message": _message(), "data": "/help"}})
    assert (press.chat_id, press.text, press.callback_id) == ("42", "/help", "77")
    assert incoming({"update_id": 3, "edited_message": _message(text="hi!")}) is None
    assert incoming({"update_id": 4, "message": _message(new_chat_members=[{"id": 1}])}) is None
    sticker = incoming({"update_id": 5, "message": _message(sticker={"file_id": "x"})})
    assert sticker.notice == TEXT_ONLY and sticker.text == ""
