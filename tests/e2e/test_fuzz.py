"""Bounded fuzz runs on every channel (REST, socket.io, Slack, Telegram), each hostile kind at least once:
no 5xx, every well-formed message answered (an apology is not an answer), every malformed body refused with a
sentence (never a 200), no traceback in the logs, and a normal question answered on every channel after."""

from pathlib import Path
from typing import Iterator

import pytest

from tests.support.fuzz import (
    ORIGIN, SLACK_SECRET, TELEGRAM_SECRET, Channels, FuzzResult, fuzz_rest, fuzz_slack, fuzz_socketio, fuzz_telegram,
    log_tracebacks, normal_answers, running_channels,
)
from tests.support.fuzz_inputs import BROKEN_BODIES, HOSTILE_IDS, HOSTILE_METADATA
from tests.support.servers import MODEL

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Channels]:
    with running_channels(tmp_path_factory.mktemp("fuzz")) as running:
        yield running


def assert_clean(result: FuzzResult) -> None:
    problems = result.problems()
    assert not problems, f"{result.summary('run')}\n" + "\n".join(problems[:40])


def test_hostile_rest_bodies(channels: Channels) -> None:
    rest = fuzz_rest(channels.assistant.rest_port, count=150, seed=7)
    assert_clean(rest)
    kinds = set(rest.kinds)
    assert {f"sender: {k}" for k, _, _ in HOSTILE_IDS} <= kinds
    assert {f"metadata: {k}" for k, _, _ in HOSTILE_METADATA} <= kinds
    assert {f"body: {k}" for k, _ in BROKEN_BODIES} <= kinds
    assert "message: a body at the 64 KB limit" in kinds
    assert rest.refused >= len(BROKEN_BODIES) and rest.answered > 0


def test_hostile_widget_events(channels: Channels) -> None:
    widget = fuzz_socketio(channels.assistant.rest_port, count=110, seed=11, origin=ORIGIN)
    assert_clean(widget)
    assert sum(1 for k in widget.kinds if k.startswith("session_request id: ")) == len(HOSTILE_IDS)
    assert sum(1 for k in widget.kinds if k.startswith("customData: ")) == len(HOSTILE_METADATA)


def test_hostile_slack_events(channels: Channels) -> None:
    slack = fuzz_slack(channels.slack_url, SLACK_SECRET, channels.slack_api, count=95, seed=13)
    assert_clean(slack)
    assert sum(1 for k in slack.kinds if k.startswith("user id: ")) == len(HOSTILE_IDS)
    assert slack.answered > 0


def test_hostile_telegram_updates(channels: Channels) -> None:
    telegram = fuzz_telegram(channels.telegram_url, TELEGRAM_SECRET, channels.telegram_api, count=70, seed=17)
    assert_clean(telegram)
    assert sum(1 for k in telegram.kinds if k.startswith("chat id: ")) >= 10
    assert telegram.answered > 0


def test_after_the_fuzz_every_channel_answers_and_the_logs_hold_no_traceback(channels: Channels, kb) -> None:
    answers = normal_answers(channels, "what is a GAN?")
    # Each channel formats the answer its own way; a distinctive phrase of the explanation shows it came.
    expected = "Generative adversarial network"
    assert expected in kb.entries["gan"].name
    assert {name: expected in text for name, text in answers.items()} == dict.fromkeys(answers, True), answers
    assert log_tracebacks(Path(channels.assistant.workdir)) == []
