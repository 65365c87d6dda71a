"""Input nested or sized past what a parser or a channel can handle gets a sentence, never an exception.

Found by make fuzz: JSON nested thousands deep raised RecursionError (REST 500, a silent widget), a signed Slack
body whose `event` is a string raised AttributeError (500), and Slack and Telegram passed any length of text on."""

from channels.inbound import MAX_TEXT_BYTES, too_long
from channels.metadata_limit import metadata_problem
from channels.rest_body import BodyError, parse_body
from channels.slack import SlackInput
from channels.socketio import _metadata

DEEP = "[" * 100_000 + "]" * 100_000


def test_a_rest_body_nested_too_deeply_is_a_400_with_a_sentence() -> None:
    body = ('{"sender": "a", "message": "hi", "metadata": {"x": ' + DEEP + "}}").encode()
    refused = parse_body(body, limit=10 * len(body))
    assert isinstance(refused, BodyError) and refused.status == 400 and "deeply" in refused.message


def test_metadata_nested_too_deeply_to_write_is_refused_with_a_sentence() -> None:
    deep: list = []
    for _ in range(5_000):
        deep = [deep]
    assert "deeply" in (metadata_problem({"x": deep}, "widget metadata") or "")


def test_widget_metadata_text_nested_too_deeply_is_kept_as_text() -> None:
    assert _metadata(DEEP) == {"unparsed": DEEP}


def test_a_slack_event_that_is_not_an_object_is_not_a_user_message() -> None:
    assert not SlackInput._is_user_message({"type": "event_callback", "event": "x"})
    assert SlackInput._is_user_message({"type": "event_callback", "event": {"type": "message", "text": "hi"}})


def test_text_over_the_limit_gets_a_sentence() -> None:
    assert too_long("a" * MAX_TEXT_BYTES) is None
    assert "too long" in (too_long("é" * (MAX_TEXT_BYTES // 2 + 1)) or "")
