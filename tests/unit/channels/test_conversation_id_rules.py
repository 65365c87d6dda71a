"""The one conversation-id rule, the channel prefix, widget session signing and the metadata cap (plain Python)."""

import asyncio
import os
import stat
from pathlib import Path
from typing import Any, List

import pytest

from channels.conversation_ids import MAX_ID_CHARS, channel_id, id_problem, stored_id
from channels.metadata_limit import MAX_METADATA_BYTES, metadata_problem
from channels.webchat_sessions import (
    SECRET_FILE,
    SECRET_VARIABLE,
    SessionSecretError,
    is_issued,
    issue,
    session_secret,
)


@pytest.mark.parametrize(
    "value, words",
    [
        ("\ud800", "U+D800"),
        ("a\x00b", "U+0000"),
        ("tab\there", "U+0009"),
        ("zero\u200bwidth", "U+200B"),
        ("x" * 10_000, f"limit is {MAX_ID_CHARS}"),
        (12345, "not a number"),
        (["a"], "not a list"),
        (None, "missing"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_hostile_ids_are_refused_with_a_sentence_naming_the_problem(value: Any, words: str) -> None:
    problem = id_problem(value, 'field "sender"')
    assert problem and problem.startswith('The field "sender"') and words in problem and problem.endswith(".")


@pytest.mark.parametrize(
    "value", ["alice", "12345", "-1001234567890", "U123ABC_C456_1700000000.000100", "José Müller", "a@b.example", "x" * MAX_ID_CHARS]
)
def test_ids_people_and_platforms_use_are_accepted(value: str) -> None:
    assert id_problem(value) is None


def test_the_same_raw_id_on_two_channels_is_two_conversations_and_replies_go_to_the_raw_id() -> None:
    assert stored_id("rest", "12345") != stored_id("telegram", "12345")
    assert channel_id("telegram:12345") == "12345"
    assert channel_id("rest:telegram:12345") == "telegram:12345"  # a REST client cannot reach a Telegram id
    assert channel_id("legacy-id") == "legacy-id"  # stored before prefixes existed
    assert len(stored_id("socketio", "x" * MAX_ID_CHARS)) <= 255  # fits the SQL tracker store's column


def test_metadata_up_to_16_kb_passes_and_larger_is_refused_with_the_size() -> None:
    assert metadata_problem({"page": "/", "language": "en"}) is None
    assert metadata_problem({"k": "x" * (MAX_METADATA_BYTES - 20)}) is None
    problem = metadata_problem({"k": "é" * 9000}, "customData")  # 18,000 bytes of UTF-8
    assert problem and "customData" in problem and "16384 bytes" in problem and "18" in problem


def test_issued_session_ids_are_recognised_and_made_up_or_foreign_ones_are_not() -> None:
    key, other = b"k" * 32, b"o" * 32
    issued = issue(key)
    assert is_issued(issued, key) and issue(key) != issued
    assert not is_issued(issued, other)
    for made_up in ["my-own-id", issued[:-1] + ("0" if issued[-1] != "0" else "1"), issued.upper(), "", None, 42]:
        assert not is_issued(made_up, key)


def test_session_key_comes_from_the_variable_and_a_short_one_is_refused(tmp_path: Path) -> None:
    assert session_secret({SECRET_VARIABLE: "s" * 40}, tmp_path) == b"s" * 40
    with pytest.raises(SessionSecretError, match=SECRET_VARIABLE):
        session_secret({SECRET_VARIABLE: "short"}, tmp_path)
    assert not (tmp_path / SECRET_FILE).exists()


def test_without_the_variable_one_key_is_made_kept_private_and_reused(tmp_path: Path) -> None:
    first = session_secret({}, tmp_path)
    path = tmp_path / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret({}, tmp_path) == first and len(first) >= 32
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_FILE]  # no temporary file left behind


def test_an_unwritable_directory_is_reported_with_what_to_set(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):
        pytest.skip("running as root: the directory stays writable")
    with pytest.raises(SessionSecretError, match=SECRET_VARIABLE):
        session_secret({}, locked)


def test_shell_refuses_a_hostile_conversation_id_with_a_sentence_and_prefixes_a_good_one() -> None:
    from channels.shell import TerminalInput

    async def run(sender: Any) -> List[Any]:
        handled: List[Any] = []

        async def on_new_message(message: Any) -> None:
            handled.append(message.sender_id)

        queue: "asyncio.Queue[Any]" = asyncio.Queue()
        await TerminalInput.on_message_wrapper(on_new_message, "hi", queue, sender, "rest", None)
        out = [queue.get_nowait() for _ in range(queue.qsize())]
        return handled + out

    refused = asyncio.run(run("a\x00b"))
    assert refused[-1] == "DONE" and "U+0000" in refused[0]["text"]
    assert asyncio.run(run("me")) == ["cmdline:me", "DONE"]
