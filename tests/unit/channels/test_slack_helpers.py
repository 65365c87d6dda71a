"""Rasa-free Slack helpers: request signing, mrkdwn, incoming text, Block Kit buttons, the dedupe memory."""

import pytest
from slack_sdk.signature import SignatureVerifier

from channels.buttons import SLACK_BUTTON_TEXT, SLACK_MAX_BUTTONS, slack_actions
from channels.dedupe import RecentKeys
from channels.formatting import SLACK_SECTION_LIMIT, slack_mrkdwn, slack_plain, split_text
from channels.slack_signature import rejection, sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BODY = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070"


def test_signature_agrees_with_slacks_own_sdk() -> None:
    expected = SignatureVerifier(SECRET).generate_signature(timestamp="1531420618", body=BODY)
    assert sign(SECRET, "1531420618", BODY) == expected
    assert rejection(SECRET, "1531420618", BODY, expected, now=1531420618 + 10) is None


@pytest.mark.parametrize(
    "timestamp, signature, now, reason",
    [
        ("1531420618", "v0=" + "0" * 64, 1531420618, "does not match"),
        ("1531420618", None, 1531420618, "no X-Slack-Request-Timestamp or X-Slack-Signature"),
        ("yesterday", "v0=1", 1531420618, "not a Unix time"),
        ("1531420618", "SIGNED", 1531420618 + 301, "five minutes"),
        ("1531420618", "SIGNED", 1531420618 - 301, "five minutes"),
    ],
)
def test_slack_requests_that_are_rejected(timestamp, signature, now, reason) -> None:
    if signature == "SIGNED":
        signature = sign(SECRET, timestamp, BODY)
    assert reason in rejection(SECRET, timestamp, BODY, signature, now)


def test_a_tampered_body_is_rejected() -> None:
    signature = sign(SECRET, "1531420618", BODY)
    assert rejection(SECRET, "1531420618", BODY + b"&admin=1", signature, 1531420618) is not None


def test_mrkdwn_escapes_control_characters_bolds_bullet_labels_and_links_urls() -> None:
    text = "Compare A & B <script>\n• Training data: text & code\nSource (x): https://example.org/a_b?c=1."
    assert slack_mrkdwn(text).split("\n") == [
        "Compare A &amp; B &lt;script&gt;",
        "• *Training data*: text &amp; code",
        "Source (x): <https://example.org/a_b?c=1>.",
    ]


def test_a_sentence_with_a_colon_is_not_made_bold() -> None:
    line = "• Sorry, I didn't catch that. Pick one of: text, images"
    assert "*" not in slack_mrkdwn(line)


def test_incoming_slack_text_is_plain() -> None:
    assert slack_plain("<@U024BE7LH> is GAN &lt; VAE &amp; why?") == "is GAN < VAE & why?"
    assert slack_plain("see <https://example.org|the article> or <mailto:a@b.org>") == "see the article or a@b.org"


def test_long_text_splits_between_lines_then_sentences_within_the_limit() -> None:
    lines = [f"• Aspect {i}: " + "word & more. " * 30 for i in range(30)]
    text = "\n".join(lines)
    parts = split_text(text, SLACK_SECTION_LIMIT, lambda p: len(slack_mrkdwn(p)))
    assert len(parts) > 1
    assert all(len(slack_mrkdwn(p)) <= SLACK_SECTION_LIMIT for p in parts)
    assert "\n".join(parts).split() == text.split()
    assert all(p.startswith("• Aspect") for p in parts), "a part starts at a line when lines fit"


def test_a_single_overlong_word_is_cut_hard() -> None:
    parts = split_text("x" * 25, 10)
    assert parts == ["x" * 10, "x" * 10, "x" * 5]


def test_buttons_become_block_kit_buttons_carrying_the_payload() -> None:
    buttons = [{"title": "What is GAN?", "payload": '/ask_definition{"concept":"gan"}'}, {"title": "T" * 100, "payload": "/help"}]
    [block] = slack_actions(buttons)
    first, second = block["elements"]
    assert first["type"] == "button" and first["value"] == '/ask_definition{"concept":"gan"}'
    assert first["text"] == {"type": "plain_text", "text": "What is GAN?", "emoji": True}
    assert len(second["text"]["text"]) == SLACK_BUTTON_TEXT and second["text"]["text"].endswith("…")
    assert first["action_id"] != second["action_id"]


def test_many_buttons_fill_several_action_blocks() -> None:
    blocks = slack_actions([{"title": str(i), "payload": f"/p{i}"} for i in range(SLACK_MAX_BUTTONS + 2)])
    assert [len(b["elements"]) for b in blocks] == [SLACK_MAX_BUTTONS, 2]


def test_dedupe_remembers_within_ttl_and_forgets_after() -> None:
    now = [1000.0]
    keys = RecentKeys(max_size=10, ttl=60, clock=lambda: now[0])
    assert keys.first_time(["event:1", "message:C:1.0"])
    assert not keys.first_time(["event:2", "message:C:1.0"]), "same message under another event id"
    assert not keys.first_time(["event:1"])
    now[0] += 61
    assert keys.first_time(["event:1"])


def test_dedupe_memory_is_bounded() -> None:
    keys = RecentKeys(max_size=3, ttl=3600)
    for i in range(5):
        keys.first_time([f"k{i}"])
    assert len(keys) == 3 and "k0" not in keys and "k4" in keys


@pytest.mark.parametrize("signature", ["v0=é" + "0" * 63, "v0=\udce9" + "0" * 63, "v0=✓"])
def test_a_non_ascii_signature_is_a_mismatch_not_an_error(signature: str) -> None:
    # Sanic keeps header bytes that are not UTF-8 as lone surrogates ("\udce9"); both kinds must be refused.
    assert "does not match" in rejection(SECRET, "1531420618", BODY, signature, now=1531420618)
