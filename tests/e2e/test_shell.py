"""`make shell` in a pseudo-terminal: a question, a decision-guide button from the selection list, /stop."""

import ipaddress
import os
import re
import socket
import subprocess
from pathlib import Path
from typing import List, Set

import pexpect
import pytest

from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, ROOT, free_port
from tests.support.terminal import screen_text, squeeze

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]
FREE_TEXT_CHOICE = "Type out your own message"
UP = "\x1b[A"
QUESTION_NUMBER = re.compile(r"Question (\d+) of (\d+)")


def start_shell(tmp_path: Path, action_port: int, rasa_port: int = 0) -> pexpect.spawn:
    """`make shell` on free ports, with an endpoints file that points at its action server and a private tracker."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "tracker.db"}"\n',
        encoding="utf-8",
    )
    args = ["-s", "shell", f"ACTION_PORT={action_port}", f"RASA_PORT={rasa_port or free_port()}", f"ENDPOINTS={endpoints}"]
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


def listening_addresses(port: int) -> Set[str]:
    """The local addresses of sockets listening on `port`, from the kernel's tables (IPv4 and IPv6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                # Each 32-bit word is in host (little-endian) byte order.
                raw = b"".join(bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, len(address), 8))
                found.add(str(ipaddress.ip_address(raw[:width])))
    return found


def outside_addresses() -> List[str]:
    """This machine's addresses that are not loopback (`hostname -I`)."""
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [a for a in output.split() if not ipaddress.ip_address(a).is_loopback]


def answers(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as sock:
        sock.settimeout(3)
        return sock.connect_ex((address, port)) == 0


def test_shell_server_listens_on_loopback_only(tmp_path: Path) -> None:
    # make shell runs stock REST (anyone may pick the sender id): nobody but this machine's user may reach it.
    action_port, rasa_port = free_port(), free_port()
    child = start_shell(tmp_path, action_port, rasa_port)
    try:
        child.expect("Your input")
        addresses = listening_addresses(rasa_port)
        assert addresses, f"nothing listens on port {rasa_port}"
        assert all(ipaddress.ip_address(a).is_loopback for a in addresses), f"make shell listens on {addresses}"
        for address in outside_addresses():
            assert not answers(address, rasa_port), f"make shell answers on {address}:{rasa_port}"
        child.sendline("/stop")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
