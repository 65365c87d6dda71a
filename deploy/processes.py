"""Child processes of the local production stack: started in their own process group, logged to a file."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Set


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server process that is ready once `health_url` answers 200 (or at once without one)."""

    def __init__(self, name: str, args: List[str], log: Path, env: Dict[str, str], cwd: Path,
                 health_url: Optional[str] = None, ready_line: str = "", ready_count: int = 0) -> None:
        self.name = name
        self.log = log
        self.health_url = health_url
        self.ready_line = ready_line
        self.ready_count = ready_count
        self._log_file = open(log, "wb")
        # Own process group: a Rasa server with several Sanic workers is stopped as a whole.
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float = 300.0) -> "Process":
        """Waits until the health URL answers; says why when the process exits or never answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}; "
                                   f"the end of {self.log}:\n{self.tail()}")
            if (self.health_url is None or _answers(self.health_url)) and self._logged_ready():
                return self
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer {self.health_url} within {timeout:.0f} s; "
                           f"the end of {self.log}:\n{self.tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (servers finish the requests they hold), then SIGKILL to the group after `timeout`."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)  # the main process and its Sanic workers
                except ProcessLookupError:
                    pass
                self.process.wait()
        self._log_file.close()

    def _logged_ready(self) -> bool:
        # Sanic serves as soon as one worker is up; a worker still loading the model when SIGTERM
        # arrives never stops, so a server is ready only when every worker has said so.
        return not self.ready_count or self.log.read_text(errors="replace").count(self.ready_line) >= self.ready_count

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return False


def children(pid: int) -> Set[int]:
    """Ids of the processes whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent id; the command name before it is in parentheses and may hold spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def wait_gone(pids: Set[int], timeout: float) -> None:
    """Waits until none of `pids` is alive any more."""
    deadline = time.monotonic() + timeout
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() >= deadline:
            raise RuntimeError(f"processes {sorted(pids)} still running after {timeout:.0f} s")
        time.sleep(0.2)
