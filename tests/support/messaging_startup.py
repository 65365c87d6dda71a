"""Runs `rasa run` with a credentials file and a given environment, for start-up failure tests."""

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

from tests.support.servers import RASA, ROOT, environment

SECRET_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_WEBHOOK_URL")


@dataclass
class Outcome:
    returncode: int
    output: str


def rasa_run(credentials: Path, tmp_path: Path, **variables: str) -> Outcome:
    """`rasa run` with only `variables` of the messaging secrets set; it must stop on its own."""
    env = {k: v for k, v in environment(**variables).items() if k not in SECRET_VARIABLES or k in variables}
    args = [str(RASA), "run", "--model", str(tmp_path / "no-model-needed.tar.gz"), "--port", "0", "--credentials", str(credentials)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return Outcome(done.returncode, done.stdout + done.stderr)


def check_env(credentials: Path, **variables: str) -> Outcome:
    """`python -m serving.check_credentials`, which `make run` calls before starting the servers."""
    env = {k: v for k, v in environment(**variables).items() if k not in SECRET_VARIABLES or k in variables}
    args = [str(ROOT / ".venv" / "bin" / "python"), "-m", "serving.check_credentials", str(credentials)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return Outcome(done.returncode, done.stdout + done.stderr)


def complete(**overrides: str) -> Dict[str, str]:
    """Well-formed values for every messaging secret, with `overrides`."""
    values = {
        "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-secret", "TELEGRAM_BOT_TOKEN": "123:abc",
        "TELEGRAM_SECRET_TOKEN": "test_secret", "TELEGRAM_WEBHOOK_URL": "https://example.org/webhooks/telegram/webhook",
    }
    values.update(overrides)
    return values
