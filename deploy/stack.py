"""The production profile on one machine: nginx in front of several Rasa servers and action servers."""

import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Set

from deploy.processes import Process, children, free_port, wait_gone
from deploy.profile import render_nginx

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "genai-explainer.tar.gz"
ENDPOINTS = ROOT / "endpoints.production.yml"
CREDENTIALS = ROOT / "credentials.yml"
QUIET = {"SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false",
         "PYTHONWARNINGS": "ignore"}


@dataclass
class Shape:
    """How many of each server to run, and where nginx listens for users."""

    rasa_servers: int = 2
    sanic_workers: int = 2
    action_servers: int = 2
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port


def nginx_binary() -> str:
    """The nginx executable, or a sentence saying how to install it."""
    # Debian puts nginx in /usr/sbin, which is not on an ordinary user's PATH.
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        raise RuntimeError("nginx is not installed: run `make nginx` (installs Debian's nginx package).")
    return found


class LocalStack:
    """Starts action servers, Rasa servers (endpoints.production.yml) and nginx; restarts one Rasa server."""

    def __init__(self, run_dir: Path, profile_env: Mapping[str, str], shape: Optional[Shape] = None,
                 model: Path = MODEL) -> None:
        self.run_dir = run_dir
        self.shape = shape = shape or Shape()
        self.model = model
        self.port = shape.port or free_port()
        self.actions_port = free_port()
        self.rasa_ports = [free_port() for _ in range(shape.rasa_servers)]
        self.action_ports = [free_port() for _ in range(shape.action_servers)]
        # LOG_LEVEL INFO: readiness is read from each worker's "up and running" line.
        self.env = dict(os.environ, **QUIET, **profile_env, SANIC_WORKERS=str(shape.sanic_workers), LOG_LEVEL="INFO",
                        ACTION_SERVER_URL=f"http://127.0.0.1:{self.actions_port}/webhook")
        self.actions: List[Process] = []
        self.rasa: Dict[int, Process] = {}
        self.nginx: Optional[Process] = None
        self.drained: Set[str] = set()
        self.starts = 0

    @property
    def url(self) -> str:
        """The REST webhook users post to, through nginx."""
        return f"http://{self.shape.host}:{self.port}/webhooks/rest/webhook"

    def rasa_address(self, index: int) -> str:
        return f"127.0.0.1:{self.rasa_ports[index]}"

    def start(self) -> "LocalStack":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.actions = [self._action_server(port) for port in self.action_ports]
        for index in range(len(self.rasa_ports)):
            self.rasa[index] = self._rasa_server(index)
        for process in [*self.actions, *self.rasa.values()]:
            process.wait_ready()
        self._write_nginx_config()
        self.nginx = Process("nginx", [nginx_binary(), "-e", str(self.run_dir / "error.log"), "-c",
                                       str(self.run_dir / "nginx.conf"), "-p", str(self.run_dir)],
                             self.run_dir / "nginx.log", self.env, ROOT,
                             f"http://{self.shape.host}:{self.port}/").wait_ready(30)
        return self

    def restart_rasa(self, index: int) -> None:
        """A rolling restart of one Rasa server: out of rotation, stopped, started, back in rotation."""
        self.drained.add(self.rasa_address(index))
        self._reload_nginx()  # returns once no nginx worker can still send it a new request
        self.rasa[index].stop()
        self.rasa[index] = self._rasa_server(index).wait_ready()
        self.drained.discard(self.rasa_address(index))
        self._reload_nginx()

    def restart_action_server(self, index: int) -> None:
        """A rolling restart of one action server, the same way."""
        address = f"127.0.0.1:{self.action_ports[index]}"
        self.drained.add(address)
        self._reload_nginx()
        self.actions[index].stop()
        self.actions[index] = self._action_server(self.action_ports[index]).wait_ready()
        self.drained.discard(address)
        self._reload_nginx()

    def stop(self) -> None:
        for process in [self.nginx, *self.rasa.values(), *self.actions]:
            if process is not None:
                process.stop()

    def __enter__(self) -> "LocalStack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _action_server(self, port: int) -> Process:
        self.starts += 1  # a restarted server writes a new log beside the old one
        # Our action server (serving/actions.py): checks the knowledge base first, loopback, errors not echoed.
        return Process(f"action server on port {port}", [str(PYTHON), "-m", "serving.actions", "--port", str(port)],
                       self.run_dir / f"actions-{port}-{self.starts}.log", self.env, ROOT,
                       f"http://127.0.0.1:{port}/health")

    def _rasa_server(self, index: int) -> Process:
        port = self.rasa_ports[index]
        self.starts += 1
        args = [str(RASA), "run", "--model", str(self.model), "--port", str(port), "--interface", "127.0.0.1",
                "--endpoints", str(ENDPOINTS), "--credentials", str(CREDENTIALS)]
        return Process(f"Rasa server {index} on port {port}", args, self.run_dir / f"rasa-{index}-{self.starts}.log",
                       self.env, ROOT, f"http://127.0.0.1:{port}/webhooks/rest/",
                       ready_line="Rasa server is up and running.", ready_count=self.shape.sanic_workers)

    def _write_nginx_config(self) -> None:
        config = render_nginx(
            f"{self.shape.host}:{self.port}", [self.rasa_address(i) for i in range(len(self.rasa_ports))],
            f"127.0.0.1:{self.actions_port}", [f"127.0.0.1:{p}" for p in self.action_ports], self.run_dir,
            self.drained,
        )
        (self.run_dir / "nginx.conf").write_text(config, encoding="utf-8")

    def _reload_nginx(self) -> None:
        """Applies the config; waits until the old workers finished their requests and exited."""
        assert self.nginx is not None
        self._write_nginx_config()
        old_workers = children(self.nginx.pid)
        self.nginx.process.send_signal(signal.SIGHUP)
        wait_gone(old_workers, timeout=150)
