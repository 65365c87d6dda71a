"""Security defaults: API off unless a real token is set, CORS from configuration, a quiet loopback action server."""

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from explainer.errors import SettingsError
from explainer.settings.environment import rasa_run_args
from tests.support.servers import ROOT, environment, free_port, start_action_server

# Slow: the tests start the action server and the Rasa launcher as subprocesses (about 10 s together measured on this
# shared 2-core machine).
pytestmark = pytest.mark.slow

PYTHON = str(ROOT / ".venv" / "bin" / "python")


def test_api_is_off_by_default() -> None:
    assert "--enable-api" not in rasa_run_args({})


@pytest.mark.parametrize("token", ["", "   ", "rasa", "changeme", "short-token"])
def test_enabling_the_api_needs_a_real_token(token: str) -> None:
    with pytest.raises(SettingsError, match="RASA_API_TOKEN"):
        rasa_run_args({"RASA_ENABLE_API": "1", "RASA_API_TOKEN": token})


def test_a_real_token_enables_the_api_with_it() -> None:
    token = "d1f0c2a9b8e7f6a5d4c3b2a1"
    args = rasa_run_args({"RASA_ENABLE_API": "true", "RASA_API_TOKEN": token})
    assert args[:3] == ["--enable-api", "--auth-token", token]


def test_cors_origins_come_from_configuration() -> None:
    assert rasa_run_args({}) == []
    args = rasa_run_args({"GENAI_CORS_ORIGINS": "https://a.example, https://b.example"})
    assert args == ["--cors", "https://a.example", "https://b.example"]
    with pytest.raises(SettingsError, match="GENAI_CORS_ORIGINS"):
        rasa_run_args({"GENAI_CORS_ORIGINS": "a.example"})


def run_server_launcher(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "serving.rasa_server", "--port", str(free_port())],
        cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=120,
    )


def test_missing_token_stops_the_server_with_a_sentence() -> None:
    result = run_server_launcher(RASA_ENABLE_API="1", RASA_API_TOKEN="")
    assert result.returncode != 0
    assert "RASA_API_TOKEN is not set" in result.stderr and "Traceback" not in result.stderr


def test_invalid_knowledge_base_stops_the_rasa_server(fixture_kb_dir: Path) -> None:
    path = fixture_kb_dir / "entries.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    simple: It draws what you ask.\n", ""), encoding="utf-8")
    result = run_server_launcher(GENAI_KNOWLEDGE_DIR=str(fixture_kb_dir))
    assert result.returncode != 0
    assert "The Rasa server cannot start" in result.stderr and "field 'simple' is missing" in result.stderr
    assert "Traceback" not in result.stderr


def outside_address() -> str:
    """An address of this machine that is not loopback, or '' when there is none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            address = sock.getsockname()[0]
        except OSError:
            return ""
    return "" if address.startswith("127.") else address


def test_action_server_listens_on_loopback_and_echoes_nothing(tmp_path: Path) -> None:
    port = free_port()
    server = start_action_server(port, tmp_path / "actions.log").wait_ready()
    try:
        address = outside_address()
        if address:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=3).close()
        secret = "my-private-conversation-text"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook", data=f'["{secret}"]'.encode(), headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=30)
        body = raised.value.read().decode()
        assert secret not in body and "Traceback" not in body and "AttributeError" not in body
    finally:
        server.stop()
