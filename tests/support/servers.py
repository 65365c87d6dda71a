"""Starts the real action server and Rasa server as subprocesses on free loopback ports, for end-to-end tests."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional

from tests.support.paths import ROOT

RASA = ROOT / ".venv" / "bin" / "rasa"
MODEL = ROOT / "models" / "genai-explainer.tar.gz"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now (the one helper for tests and bench/)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**extra: str) -> Dict[str, str]:
    env = dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="2")
    env.update(extra)
    return env


class Server:
    """A subprocess that is ready once `health_url` answers 200; its output goes to a log file."""

    def __init__(self, args: List[str], health_url: str, log: Path, env: Dict[str, str], cwd: Path = ROOT) -> None:
        self.health_url = health_url
        self.log = log
        self._log_file = open(log, "wb")
        self.process = subprocess.Popen(args, cwd=cwd, stdout=self._log_file, stderr=subprocess.STDOUT, env=env)

    def wait_ready(self, timeout: float = 180.0) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


def start_action_server(port: int, log: Path, knowledge_dir: Optional[Path] = None) -> Server:
    env = environment(**({"GENAI_KNOWLEDGE_DIR": str(knowledge_dir)} if knowledge_dir else {}))
    args = [str(ROOT / ".venv" / "bin" / "python"), "-m", "serving.actions", "--port", str(port)]
    return Server(args, f"http://127.0.0.1:{port}/health", log, env)


def start_rasa_server(
    port: int,
    action_port: int,
    workdir: Path,
    log: Path,
    tracker_store: Optional[str] = None,
    action_timeout: float = 10,
    credentials: Path = ROOT / "credentials.yml",
    env: Optional[Dict[str, str]] = None,
) -> Server:
    """`rasa run` with the channels in `credentials` (REST by default), our model, and a tracker store
    (YAML block; default: the shipped one, endpoints.yml's KeptTrackerStore over SQLite in `workdir`)."""
    endpoints = workdir / "endpoints.yml"
    store = tracker_store or (
        f'  type: serving.tracker_store.KeptTrackerStore\n  backend: SQL\n  dialect: "sqlite"\n  db: "{workdir / "tracker.db"}"\n'
    )
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n  timeout: {action_timeout}\n'
        f"tracker_store:\n{store}",
        encoding="utf-8",
    )
    args = [
        str(RASA), "run", "--model", str(MODEL), "--port", str(port), "--interface", "127.0.0.1",
        "--endpoints", str(endpoints), "--credentials", str(credentials),
    ]
    return Server(args, f"http://127.0.0.1:{port}/webhooks/rest/", log, environment(**(env or {})))


def say(port: int, sender: str, message: str) -> List[Dict[str, Any]]:
    """Posts one message to the REST channel and returns the bot's replies."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@dataclass
class Assistant:
    """A running action server and Rasa server, and the knowledge folder the action server reads."""

    rest_port: int
    action_port: int
    knowledge: Path
    workdir: Path
    rasa_pid: int = 0


@contextmanager
def running_assistant(
    workdir: Path, credentials: Path = ROOT / "credentials.yml", env: Optional[Dict[str, str]] = None, rest_port: int = 0
) -> Iterator[Assistant]:
    """Copies knowledge/ into workdir (so tests may edit it), starts both servers, stops them after."""
    knowledge = workdir / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("*.md"))
    action_port, rest_port = free_port(), rest_port or free_port()
    actions = start_action_server(action_port, workdir / "actions.log", knowledge)
    rasa = start_rasa_server(rest_port, action_port, workdir, workdir / "rasa.log", credentials=credentials, env=env)
    try:
        actions.wait_ready()
        rasa.wait_ready()
        yield Assistant(rest_port, action_port, knowledge, workdir, rasa.process.pid)
    finally:
        rasa.stop()
        actions.stop()
