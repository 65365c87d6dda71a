"""`python -m serving.rasa_server` refuses every command-line spelling that would turn on or protect the HTTP API
(argparse accepts abbreviations), so the API is only ever on through RASA_ENABLE_API with a checked token."""

import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest

from tests.support.servers import ROOT, environment

# Slow: each test starts `python -m serving.rasa_server`, which imports Rasa (14 tests, about 50 s measured on this
# shared 2-core machine).
pytestmark = pytest.mark.slow

STRONG_TOKEN = "d1f0c2a9b8e7f6a5d4c3b2a1"


@pytest.fixture
def launcher(tmp_path: Path) -> Path:
    """The venv's Python beside a stand-in `rasa` that prints the arguments it was started with and exits:
    the launcher runs the `rasa` next to its Python, so nothing heavy starts."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    shutil.copy(ROOT / ".venv" / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "lib").symlink_to((ROOT / ".venv" / "lib").resolve())
    (venv / "bin" / "python").symlink_to((ROOT / ".venv" / "bin" / "python").resolve())
    rasa = venv / "bin" / "rasa"
    rasa.write_text('#!/bin/sh\necho "rasa started with: $*"\n', encoding="utf-8")
    rasa.chmod(0o755)
    return venv / "bin" / "python"


def launch(python: Path, args: List[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "serving.rasa_server", *args],
        cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--enable-api"],
        ["--enable"],
        ["--enable-a"],
        ["-t", "x"],
        ["--auth", "x"],
        ["--auth-token=x"],
        ["--jwt-secret", "abc"],
        ["--jwt-s", "abc"],
        ["--jwt-private-key", "key.pem"],
    ],
    ids=" ".join,
)
def test_api_flags_in_any_spelling_are_refused_with_a_sentence(launcher: Path, args: List[str]) -> None:
    result = launch(launcher, ["--port", "5999", *args], RASA_ENABLE_API="", RASA_API_TOKEN="")
    assert result.returncode == 2
    assert "rasa started" not in result.stdout
    assert "RASA_ENABLE_API=1 and RASA_API_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_a_weak_token_flag_is_refused_even_when_the_api_is_on_with_a_strong_one(launcher: Path) -> None:
    result = launch(launcher, ["-t", "x"], RASA_ENABLE_API="1", RASA_API_TOKEN=STRONG_TOKEN)
    assert result.returncode == 2 and "rasa started" not in result.stdout
    assert "RASA_ENABLE_API=1 and RASA_API_TOKEN" in result.stderr


def test_ordinary_arguments_reach_rasa_and_the_api_stays_off(launcher: Path) -> None:
    result = launch(launcher, ["--port", "5999", "--interface", "127.0.0.1"], RASA_ENABLE_API="", RASA_API_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rasa started with: run --port 5999 --interface 127.0.0.1"


def test_the_api_is_turned_on_from_the_environment_with_its_token(launcher: Path) -> None:
    result = launch(launcher, ["--port", "5999"], RASA_ENABLE_API="1", RASA_API_TOKEN=STRONG_TOKEN)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"rasa started with: run --port 5999 --enable-api --auth-token {STRONG_TOKEN}"


def test_arguments_rasa_would_reject_are_refused_before_it_starts(launcher: Path) -> None:
    result = launch(launcher, ["--port", "not-a-number"], RASA_ENABLE_API="", RASA_API_TOKEN="")
    assert result.returncode == 2 and "rasa started" not in result.stdout
    assert "--port" in result.stderr and "Traceback" not in result.stderr


def test_the_action_server_subcommand_is_refused_with_where_to_start_it(launcher: Path) -> None:
    result = launch(launcher, ["actions"], RASA_ENABLE_API="", RASA_API_TOKEN="")
    assert result.returncode == 2 and "rasa started" not in result.stdout
    assert "make actions" in result.stderr
