"""`make shell` in a pseudo-terminal: a question, a decision-guide button from the selection list, /stop."""

import os
import re
import socket
from pathlib import Path

import pexpect
import pytest

from explainer.kb import KnowledgeBase
from servers import MODEL, ROOT, free_port
from terminal import screen_text, squeeze

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]
FREE_TEXT_CHOICE = "Type out your own message"
UP = "\x1b[A"
QUESTION_NUMBER = re.compile(r"Question (\d+) of (\d+)")


def start_shell(tmp_path: Path, action_port: int) -> pexpect.spawn:
    """`make shell` on free ports, with an endpoints file that points at its action server and a private tracker."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "tracker.db"}"\n',
        encoding="utf-8",
    )
    args = ["-s", "shell", f"ACTION_PORT={action_port}", f"RASA_PORT={free_port()}", f"ENDPOINTS={endpoints}"]
    child = pexpect.spawn(
        "make", args, cwd=str(ROOT), encoding="utf-8", dimensions=(50, 140), timeout=300,
        env=dict(os.environ, TERM="xterm", TMPDIR=str(tmp_path)),
    )
    child.logfile_read = open(tmp_path / "shell-output.log", "w", encoding="utf-8")
    return child


def type_free_text(child: pexpect.spawn, text: str) -> None:
    """From a button list, move to its last choice (free text) and type `text`."""
    child.send(UP)
    child.expect(FREE_TEXT_CHOICE)
    child.send("\r")
    child.expect("Your input")
    child.sendline(text)


def port_is_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_shell_answers_offers_guide_buttons_and_quits(tmp_path: Path, kb: KnowledgeBase) -> None:
    action_port = free_port()
    child = start_shell(tmp_path, action_port)
    try:
        child.expect("Bot loaded")
        child.expect("Your input")
        child.sendline("what is a diffusion model?")
        child.expect(FREE_TEXT_CHOICE)
        answer = screen_text(child.before)
        assert squeeze(kb.entries["diffusion_model"].explanation) in answer
        # Plain text in a terminal: no Markdown emphasis, escapes or list markers shown raw.
        assert "**" not in answer and "\\" not in answer.replace('\\"', "")

        type_free_text(child, "should I use an LLM for a customer-support bot?")
        child.expect(FREE_TEXT_CHOICE)
        first = QUESTION_NUMBER.search(screen_text(child.before))
        assert first, f"the guide asked no numbered question: {screen_text(child.before)[-500:]}"

        child.send("\r")  # the highlighted first choice: an answer button of the guide question
        child.expect(FREE_TEXT_CHOICE)
        following = screen_text(child.before)
        later = [int(n) for n, _ in QUESTION_NUMBER.findall(following)]
        assert later and max(later) > int(first.group(1)), f"the button did not move the guide on: {following[-500:]}"

        type_free_text(child, "/stop")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, f"make shell ended with {child.exitstatus} / signal {child.signalstatus}"
    assert port_is_closed(action_port), "the action server outlived the shell"
