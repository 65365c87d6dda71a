"""The action server refuses to start on an invalid knowledge base, and says what to fix."""

import subprocess
import sys
from pathlib import Path

from tests.support.servers import ROOT, environment, free_port


def test_invalid_knowledge_base_stops_the_action_server(fixture_kb_dir: Path) -> None:
    path = fixture_kb_dir / "entries.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    simple: It draws what you ask.\n", ""), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "serving.actions", "--port", str(free_port())],
        cwd=ROOT,
        env=environment(GENAI_KNOWLEDGE_DIR=str(fixture_kb_dir)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "The action server cannot start" in result.stderr
    assert "entry 'painter' (line 30): field 'simple' is missing." in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_port_that_is_no_number_stops_the_action_server_with_a_sentence() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "serving.actions"],
        cwd=ROOT,
        env=environment(ACTION_PORT="50 55"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "ACTION_PORT is '50 55': set it to a port number between 1 and 65535" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
